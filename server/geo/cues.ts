// Word lists the locator reads context from. All entries are folded (foldName): lower case, no diacritics.

const words = (s: string): Set<string> => new Set(s.trim().split(/\s+/));

/** Words that put a place name right after them: "from Portland", "aus Köln", "desde Quito". */
export const LOCATIVE = words(`
  from in at near outside around based greetings hello hi
  desde en de del
  em do da no na
  a au dans depuis du
  aus bei von nahe
  di dal dalla
  uit te bij
  fran fra i pa
  z ze w we
  из в во с
  з із зі у до
  v ve iz od u
  dari
  din nga në
`);

/**
 * LOCATIVE for a post in English: less the other languages' prepositions that are English words
 * or read as them ("no Roman ruins", "a Brussels waffle", "I do Boston"), which say nothing there.
 */
export const LOCATIVE_EN: ReadonlySet<string> = new Set(
  [...LOCATIVE].filter((w) => !['a', 'i', 'no', 'do', 'we', 'na', 'da', 'em', 'u'].includes(w)),
);

/** LOCATIVE and "to": the words after which a lower-case name may still be a town ("moved to glascow"). */
export const LOCATIVE_OR_TO: ReadonlySet<string> = new Set([...LOCATIVE, 'to']);

/** Words that may sit beside the city in a post that says nothing else ("Hello from Lyon!"). */
export const FILLER = new Set([
  ...LOCATIVE,
  ...words(`
  hello hi hey hiya greetings howdy here checking reporting represent representing
  im i am we are is live living based and the our my city town
  hola ola oi hallo moin servus gruss grusse bonjour salut coucou ciao hej hei ahoj czesc
  privet привет привіт вітаю
  hoi moien allo bongu terve moi moikka tere labas sveiki szia merhaba selam salam marhaba
  shalom namaste jambo habari ndewo aloha bula chao kaixo demat helo shwmae halo kumusta mabuhay
  salve gruezi bok zdravo tjena hejsan goddag molo molweni sawubona dumela
  yes yay finally too also me us
`),
]);

// Greetings of two words, read as one name by the gazetteer ("Xin chào" is an alternate of Xiyangjiang).
FILLER.add('xin chao');

/** Function words that GeoNames alternates turn into towns ("from" is an old name of Frome). */
export const STOPWORDS = new Set([
  ...FILLER,
  ...words(`
  the a an of to for with on by or but not no this that it be so as all any up out over just like
  der die das und mit fur el la los las le les un une et y o e con per il lo gli het een op en
  area side end day way
  ive id ill weve youre youve theyve
`),
]);

/** Common words that are also the name of a town: they need a qualifier or clear place context. */
export const COMMON_WORDS = words(`
  reading nice mobile split bath orange hope love normal sale best deal hell paradise eden
  university college centre center mission surprise joy why man can gay boring truth marathon
  commerce independence liberty concord unity harmony friendship industry enterprise justice
  opportunity success energy faith grace welcome home garden grove park valley bay beach lake city
  town vista general president buffalo derby cork tours essen natal como salta halle worms bra mesa
  lima paz victory hastings battle rugby gap bar troy ende mode rest post bad hof mark hall same
  march april may june july august christmas easter halloween thanksgiving
  monday tuesday wednesday thursday friday saturday sunday
  english french spanish german italian chinese
  angel angels eagle phoenix aurora florence
  mars jupiter saturn venus mercury pluto neptune moon
`);

/** Words that say the place is not where the person lives: a trip, a wish, a memory. */
export const NOT_HOME = words(`
  visiting visit visited trip vacation vacationing holiday holidays travelling traveling travel
  flying flight layover conference touring tour heading passing roadtrip
  wish someday dream dreaming never
  urlaub reise besuch besuche
  vacaciones viaje visitando
  vacances voyage
  viagem ferias visitando
  vacanze viaggio
`);

/** Words that say the place is home: "I live in", "based in", "wohne in". */
export const HOME = words(`
  live lives living based home reside resident now currently
  wohne lebe wohnhaft
  vivo resido moro
  habite vis
  woon woont
  bor
  mieszkam
  живу мешкаю
`);

/** Capitalised nouns that make a name before them another place: "Gotham City", "Victoria Station". */
export const FEATURE_NOUNS = words(`
  city county island isle street st avenue ave road rd boulevard square park station airport
  university college school hospital bridge river lake mountain mount valley beach bay harbour
  harbor stadium arena mall centre center hall castle cathedral palace tower
`);

/** Words that put the place after them in the past: "originally from", "born in", "grandmother was from". */
export const PAST = words(`
  originally born raised grew formerly former previously ex was were used
  ursprunglich geboren aufgewachsen
  originaire nee
  nacido nacida crecido
  nato nata
`);
