// The role a place name plays in its sentence: where the author is, or somewhere else (a trip, a
// plan, where someone else lives, what they read about, a comparison, where they used to live).
// Read from the words before the name in its clause, nearest first, in several languages.
// Entries are folded (foldName): lower case, no diacritics, apostrophes dropped ("I'm" → "im").
import type { Segment, Token } from './extract.js';
import { foldName } from './fold.js';

export type Role =
  | 'home' // "I live in", "based in", "moved to", "here in", "wohne in"
  | 'locative' // "from", "in", "aus", "desde": where the author is, unless the clause says otherwise
  | 'none' // no cue: the name stands on its own
  | 'past' // "originally from", "born in", "moved from", "grew up in"
  | 'trip' // "visiting", "heading to", "flying to", "Urlaub in"
  | 'future' // "moving to", "will be in", "someday", "next year in"
  | 'other' // "my sister lives in", "my friend in", "they are in"
  | 'shipping' // "ships to", "delivery to"
  | 'media' // "reading about", "news from", "watching"
  | 'comparison' // "bigger than", "unlike", "compared to"
  | 'near' // "near Harrisburg", "across the river from Portland": a landmark when a town is named too
  | 'negated' // "not from Oslo", "nicht aus Köln", "pas de Paris": the author says they are not there
  | 'work'; // "work in", "commute to", "arbeite in": the author's place only when no home is named

/** Roles that say the place is not where the author is now ("work" and "near" are, failing any other). */
export const ELSEWHERE: ReadonlySet<Role> = new Set([
  'past',
  'trip',
  'future',
  'other',
  'shipping',
  'media',
  'comparison',
  'work',
  'near',
  'negated',
]);

const words = (s: string): Set<string> => new Set(s.trim().split(/\s+/));

const HOME_CUES = words(`
  live lives living based reside residing resident home hometown homebase settled expat
  wohne lebe wohnhaft zuhause daheim heimat seit
  vivo resido moro vivimos moramos
  habite habitons
  abito vivo viviamo abitiamo
  visc vivim
  woon woont wonen
  bor bo
  mieszkam mieszkamy
  bydlim bydlime
  asun
  живу мешкаю
  gyvenu gyvename dzivoju dzivojam elan elame asumme
  zivim zivimo stanujem byvam byvame zijem zijeme
  jetoj jetojme banoj buum
  chonai conai byw nakatira naninirahan gbe ngbe logas logxas viu
`);
/** "here in", "now in", "currently in": the author's present. */
// "now I'm in", "ahora estoy en", "jetzt bin ich in": a form of "to be" between "now" and "in".
const BEING = words(
  `am im is are estoy estamos estou estamos sono siamo suis sommes bin sind ben zijn jestem jsem som sam`,
);
const HERE_CUES = words(`
  here now currently hier aqui aca ici qui qua nu teraz tut tady
  ahora agora maintenant jetzt adesso sada сейчас зараз nyt simdi
`);
const PAST_CUES = words(`
  lived via stint heart miss missing kotoisin syntynyt spent
  originally born raised grew formerly former previously ex used left
  ursprunglich geboren aufgewachsen fruher
  originaire nee né grandi quitte
  nacido nacida nasci crecido crecida cresci criado criada
  nato nata cresciuto cresciuta
  geboren opgegroeid
  gimiau gimes gimusi uzaugau dzimu dzimis dzimusi uzaugu sundisin kasvasin synnyin kasvoin
  rojen rojena odrasel odrasla rodena rodjen rodjena rodio odrastao
  narodil narodila vyrastol vyrastla vyrostl vyrostla
  nascut nascuta crescut crescuta lindur rritur rrita faeddist faeddur
  fodt fodd vokste oppvokst opvokset voksede uppvuxen vaxte rugadh togadh ganwyd magwyd
  gebore grootgeword ipinanganak lumaki naskigis naskigxis kreskis nascuda nacin criei medrei
`);
const TRIP_CUES = words(`
  airport layover transit viajo viajamos viajar pars part partir reis fahre fliege flieg
  visiting visit visited trip vacation vacationing holiday holidays travelling traveling travel
  flying flight layover conference touring tour heading passing roadtrip stopover going went
  escaping escape getaway off weekend spending christmas xmas
  navidad noel weihnachten passagem kongress congreso congresso congres
  urlaub reise besuch besuche besuchen
  vacaciones viaje visitando viajando
  vacances voyage visite
  viagem ferias voo voando
  vacanze viaggio visitare vado andiamo
  vakantie reis bezoek
  atostogos atostogose atostogauju kelione kelioneje lankausi
  atvalinajuma atvalinajums celojuma celoju apmekleju
  puhkusel reisil matkalla reissussa reissu vierailulla vierailen
  dopust dopustu pocitnice pocitnicah izlet izletu obisk obiskujem
  odmor odmoru godisnjem putovanje putujem posjet posjetu posetu
  dovolenka dovolenke dovolene vylet navsteva navsteve cestujem
  vacanta concediu excursie calatorie vizitez pushime pushim udhetim vizitoj
  ferdalag heimsokn ferie reise reiser besoker besoke rejse rejser besoger resa reser besok
  semester semestern
  saoire cuairt gwyliau ymweld vakansie kuier bakasyon namamasyal bumisita
  vojagas vojagxas ferioj vizitas viatge vacacions viaxe
`);
// "en week-end à Lyon": the hyphenated word folds to two.
TRIP_CUES.add('week end');
const FUTURE_CUES = words(`
  someday dream dreaming wish hope hoping planning plan plans will shall gonna soon future
  moving move relocating tomorrow
  traum mochte werde ziehe umziehen nachste nachsten naechste
  proximo proxima prochain prochaine prossimo prossima
  sueno sonando quiero voy mudarme mudando
  reve revons voudrais vais demenager
  sonho quero vou mudar
  sogno vorrei andro trasferire
  kraustysiuos persikelsiu nakamaja parcelsos jargmisel jargmine ensi muutan
  naslednji naslednjem prihodnji sljedeci sledeci sljedeceg sledeceg iduci iduceg
  buduci buducom pristi pristim viitoare viitor ardhshem ardhshme
  naesta naeste nasta flytter flyttar chugainn nesaf symud volgende susunod lilipat
  venonta venontan vinent seguinte vindeiro vindeira
`);
const OTHER_CUES = words(`
  kids kid children child in-laws inlaws enfants enfant kinder hijos hijo hija hijas filhos filho filha figli figlio figlia
  papas mama mamma papa mami papi ouders
  sister brother mom mum mother dad father parents parent family cousin cousins aunt uncle
  grandma grandmother grandpa grandfather grandparents son daughter kids children wife husband
  partner boyfriend girlfriend friend friends colleague colleagues coworker coworkers boss
  neighbor neighbour he she they his her their hes shes theyre who whose
  everyone everybody someone somebody
  publisher editor agent client clients employer landlord
  schwester bruder mutter vater eltern familie freund freundin freunde kollege kollegin
  hermana hermano madre padre padres familia amigo amiga amigos primo prima abuela abuelo
  soeur frere mere pere parents famille ami amie amis cousin cousine
  irma irmao mae pai pais familia amigo amiga amigos
  sorella fratello madre padre genitori famiglia amico amica amici
  zus broer moeder vader ouders familie vriend vriendin
  siostra brat mama tata rodzice rodzina przyjaciel
  sesuo brolis tevai seima draugas drauge vyras zmona mergina vaikinas partneris partnere
  bralis vecaki gimene draugs draudzene sieva vend vanemad perekond abikaasa
  siskoni veljeni vanhempani aitini isani ystavani kaverini vaimoni mieheni puolisoni perheeni
  tyttoystavani poikaystavani sisko aiti vanhemmat
  sestra oce starsi druzina prijatelj prijateljica punca fant zena moz roditelji porodica
  obitelj cura decko djevojka devojka supruga suprug muz
  otec rodicia rodice rodina priatel priatelka kamarat kamaratka manzel manzelka pritel
  pritelkyne sora frate fratele parintii parinti prieten prietena prietenul sotia sotul
  iubitul iubita motra vellai prinderit familja shoku shoqja gruaja burri dashuri dashura
  systir brodir foreldrar fjolskylda vinur vinkona kaerasta kaerasti eiginkona eiginmadur
  soster bror foreldre foreldrene familien venninne kjaereste kone samboer pappa foraeldre
  kjaeresten kona samboeren sosteren broren kaeresten konen manden sambon flickvannen pojkvannen
  veninde kaereste syster foraldrar familj kompis flickvan pojkvan fru sambo
  deirfiur dearthair tuismitheoiri ceile clann teaghlach chwaer brawd rhieni teulu ffrind
  gwraig gwr cariad suster ouers gesin vriendin vrou kerel meisie
  kapatid kuya magulang pamilya kaibigan asawa nobya nobyo jowa
  fratino frato gepatroj familio amiko amikino edzino edzo koramiko koramikino patrino patro
  germana germa amic amics parella xicot xicota irman mozo moza
`);
// "my in-laws": the hyphenated word folds to two.
OTHER_CUES.add('in laws');
const SHIPPING_CUES = words(`
  ship ships shipping shipped deliver delivers delivery send sends sending sent mail mailing
  versand versenden verschicken liefern envio envios enviamos livraison verzenden versturen
`);
const MEDIA_CUES = words(`
  novel novels set livro livros libro libros buch roman boek romanzo series passa spielt transcurre deroule
  reading read watching watched news article articles documentary podcast book books show film
  movie story stories about weather election match game
  lese gelesen nachrichten leyendo noticias lisant nouvelles lendo noticias leggendo notizie
`);
// Not "like": "I like it here" is no comparison. "als"/"que"/"dan" follow a comparative only.
const COMPARISON_CUES = words(`than unlike compared versus vs als que dan`);
const WORK_CUES = words(`
  work works working job office commute commuting pendlar pendle arbeite arbeiten pracuju pracuji
  trabajo trabaja travaille bosser lavoro trabalho werk werken hq headquarters headquartered
  treballo treballa pracuje dojizdim teach teaches teaching bosse
  study studying studies student uni pluggar studerar studiere studiert estudio estudiando
  estudo etudes etudie etudiant etudiante studio studiando studeer studeren
  dirbu dirbame studijuoju mokausi stradaju studeju macos tootan tootame opin tyoskentelen
  opiskelen delam delamo studiram zaposlen zaposlena radim radimo pracujem studujem studuji
  studuju lucrez lucram studiez punoj studioj vinn vinnum jobber arbeider studerer pendler
  arbejder jobbar arbetar oibrim obair gweithio astudio nagtatrabaho trabaho aaral laboras
  studas traballo traballa estudiant
  firma firmaet firmaen firman empresa oficina escritorio bureau buro kantoor ufficio biuro
  kancelar kancelaria ofis boite travail arbete jobb arbeid arbejde praca prace posao poslu tyo
  офис офисе офіс офісі работа работе робота роботі
`);
// Words that join the names of a list: "Lyon and Paris", "à Paris et à Lyon".
const GLUE = words(`, & / + and or und oder et ou y o e en och og i и`);
/** "near Harrisburg", "down the road from Texarkana", "across the Potomac from DC". */
const NEAR_CUES = words(
  `near nearby outside across road close closer bei nahe cerca pres perto vicino`,
);
const DIRECTIONS = words(`north south east west northeast northwest southeast southwest`);
/** "back in Berlin" is home; "back from Kyoto" is a trip that ended. */
const RETURN_CUES = words(
  `back returned return volver volvi vuelto zuruck retour rentre voltei tornato terug`,
);
/** "you in London": the reader's place, when "you" stands right before the name's preposition. */
const SECOND_PERSON = words(`you yall du vous usted ustedes voce voces tu`);
// "inte från Oslo", "not in Paris", "nicht aus Köln", "pas de Lyon": a denied place.
const NOT = words(
  `not dont doesnt nicht kein keine pas nao non niet inte ikke nie ei bukan ne nisam nisem nejsem niesom nuk ekki ikkje sjam`,
);
// ", and from Oslo", ", och inte från Oslo", ", mais": a comma and a conjunction begin a new clause.
const CONJUNCTIONS = words(`and but och men und aber et mais y pero e ma en maar og`);
// "have lived": the perfect is the present.
const PERFECT = words(`ive weve have has hes shes`);
/** Verbs of moving that, with "to", mean the author lives there now: "just moved to Lisbon". */
const MOVED = words(`
  moved relocated mude mudamos mudei umgezogen demenage demenagee verhuisd verhuisde trasferito
  trasferita przeprowadzilam przeprowadzilem przeprowadzilismy prestehoval prestehovala flyttade
  flyttet muutin переехал переехала переехали переїхав переїхала переіхав переіхала
  persikeliau persikelem parcelos parcelamies preselil preselila preselili preselio
  prestahoval prestahovala prestahovali mutat mutata mutati zhvendosa flutti fluttum flytta
  flyttede lumipat translogigis mudat mudada traslladat mudeime trasladeime
`);
// "je viens de déménager", "acabo de mudarme", "acabei de me mudar": the recent past of moving.
const MOVE_INFINITIVES = words(`demenager mudarme mudar mudarnos`);
const RECENT = words(
  `viens vient venons venez viennent acabo acaba acabamos acabei acabou acabamos`,
);
const TO = words(`to nach a au en naar till til do pra para до`);
const AWAY = words(`from aus de desde von da dal di uit vanuit z din iz od из з із fra fran`);
const FIRST_PERSON = words(
  `i im ive id we were us me ich wir je nous yo nosotros eu nos io noi ik wij jag vi ja я мы`,
);
const PIN = '\u{1F4CD}';
// French and Italian elide a pronoun or article before a vowel: "J'habite", "l'abito", "c'est".
const ELIDED = /^(?:j|l|d|m|t|s|n|c|qu)['’](\p{L}.*)$/iu;
/** A word's key for the cue lists: "J'habite" is "habite", not "jhabite". */
export const cueKey = (t: Token): string => {
  const s = t.text;
  // Folding makes one word of the French "né" (born), the Albanian "në" (in) and the Slavic "ne"
  // (not): the accent tells them apart.
  if (t.key === 'ne') return s.toLowerCase();
  // The apostrophe is second or third ("j'", "qu'"), or the word is not elided.
  if (s[1] !== "'" && s[1] !== '’' && s[2] !== "'" && s[2] !== '’') return t.key;
  const e = ELIDED.exec(s);
  return e ? foldName(e[1]!) : t.key;
};
const POSSESSIVE = /['’]s$/i;
// Words that end the clause a cue can govern.
const CLAUSE_END = new Set(['.', '!', '?', ';', '…', '|', '—', '–']);
// How many words before the name are read for its role.
const WINDOW = 6;

/** The role of a name and the word that says so (null for none). */
export interface RoleCue {
  role: Role;
  cue: Token | null;
}

// Each word list roleOf reads, as a bit; CUE_BITS holds every listed word's bits.
const Cue = {
  Other: 1 << 0,
  SecondPerson: 1 << 1,
  Not: 1 << 2,
  Perfect: 1 << 3,
  To: 1 << 4,
  Away: 1 << 5,
  FirstPerson: 1 << 6,
  Past: 1 << 7,
  Recent: 1 << 8,
  Moved: 1 << 9,
  Home: 1 << 10,
  Return: 1 << 11,
  Near: 1 << 12,
  Here: 1 << 13,
  Shipping: 1 << 14,
  Trip: 1 << 15,
  Future: 1 << 16,
  Work: 1 << 17,
  Media: 1 << 18,
  Comparison: 1 << 19,
} as const;
const CUE_BITS = new Map<string, number>();
for (const [bit, list] of [
  [Cue.Other, OTHER_CUES],
  [Cue.SecondPerson, SECOND_PERSON],
  [Cue.Not, NOT],
  [Cue.Perfect, PERFECT],
  [Cue.To, TO],
  [Cue.Away, AWAY],
  [Cue.FirstPerson, FIRST_PERSON],
  [Cue.Past, PAST_CUES],
  [Cue.Recent, RECENT],
  [Cue.Moved, MOVED],
  [Cue.Home, HOME_CUES],
  [Cue.Return, RETURN_CUES],
  [Cue.Near, NEAR_CUES],
  [Cue.Here, HERE_CUES],
  [Cue.Shipping, SHIPPING_CUES],
  [Cue.Trip, TRIP_CUES],
  [Cue.Future, FUTURE_CUES],
  [Cue.Work, WORK_CUES],
  [Cue.Media, MEDIA_CUES],
  [Cue.Comparison, COMPARISON_CUES],
] as const)
  for (const w of list) CUE_BITS.set(w, (CUE_BITS.get(w) ?? 0) | bit);

/**
 * The role of the name at segs[seg].tokens[start..]: the nearest cue word before it in its
 * clause decides, with two exceptions read from the whole window: a person other than the author
 * ("my sister lives in") outranks a home word, and "moved to" is home while "moving to" is a plan.
 * `stop` marks tokens of other names: a cue before another name belongs to that name.
 */
export function roleOf(
  segs: Segment[],
  seg: number,
  start: number,
  locative: ReadonlySet<string>,
  stop: ReadonlySet<Token>,
): RoleCue {
  let prep: Token | null = null;
  let verb: RoleCue | null = null;
  // The word read just before (nearer the name), and whether a "from" came between.
  let nearer: Token | null = null;
  let sawAway = false;
  // "woon ik in Utrecht", "wohne ich in", "bor jag i": a verb-second clause puts the subject
  // between the verb and the place; the word after the subject is still read, if it is a cue.
  let inverted = false;
  let n = 0;
  // The tokens before the name, nearest first; a hashtag continues the sentence around it
  // ("from #Portland", "#Visiting Lisbon").
  for (let s = seg, i = start - 1; ;) {
    if (i < 0) {
      if (s === 0 || !(segs[s]!.tag || segs[s - 1]!.tag)) break;
      s--;
      i = segs[s]!.tokens.length - 1;
      continue;
    }
    const t = segs[s]!.tokens[i--]!;
    if (n >= WINDOW || stop.has(t)) break;
    if (t.kind === 'punct' && CLAUSE_END.has(t.text)) break;
    if (t.kind === 'punct' && t.text === ',' && nearer !== null && CONJUNCTIONS.has(nearer.key))
      break;
    // "Leeds born and bred, moved to York": a comma closes the clause of the verb found.
    if (t.kind === 'punct' && t.text === ',' && verb !== null) break;
    // "from Winnipeg originally but moved to Saskatoon": so does a conjunction.
    if (verb !== null && t.kind === 'word' && CONJUNCTIONS.has(t.key)) break;
    // "📍Lyon": the pin says where the author is.
    if (n === 0 && t.kind === 'emoji' && t.text.startsWith(PIN)) return { role: 'home', cue: t };
    if (t.kind !== 'word') continue;
    n++;
    const k = cueKey(t);
    // ("now I'm in Nottingham": "now" before the subject is read too)
    if (inverted && !isCueWord(k) && !HERE_CUES.has(k)) break;
    // Which word lists hold the word: one look-up, not one per list.
    const b = CUE_BITS.get(k) ?? 0;
    // "Dad's in Tel Aviv", "my publisher's in London": the possessive's noun.
    const noun = POSSESSIVE.test(t.text) ? k.slice(0, -1) : k;
    // "Auburn, Washington, south of Seattle", "an hour north of Toronto": beside it, not in it.
    if (n === 2 && nearer?.key === 'of' && DIRECTIONS.has(k)) return { role: 'near', cue: t };
    // "Atlanta kid, Asheville adult": a noun right after another name describes that one.
    if (b & Cue.Other && i >= 0 && stop.has(segs[s]!.tokens[i]!)) break;
    // "my sister lives in", "a friend in": someone else's place, whatever verb is nearer.
    if (
      b & Cue.Other ||
      (noun !== k && (CUE_BITS.get(noun) ?? 0) & Cue.Other) ||
      (n === 2 && prep && b & Cue.SecondPerson)
    ) {
      if (!verb || verb.role === 'home' || verb.role === 'work') return { role: 'other', cue: t };
      continue;
    }
    // "och inte från Oslo": the preposition denied, before any verb ("not visiting" is a trip's).
    if (b & Cue.Not && !verb && prep !== null && n <= 3) return { role: 'negated', cue: t };
    // "I've lived in Raleigh for 20 years": a home still.
    if (verb?.role === 'past' && verb.cue?.key === 'lived' && b & Cue.Perfect)
      return { role: 'home', cue: verb.cue };
    // Right before the name, "i" is the Scandinavian "in", not the English "I".
    if (n === 1 && !verb && (locative.has(k) || b & Cue.To)) {
      prep = t;
      nearer = t;
      if (b & Cue.Away) sawAway = true;
      continue;
    }
    // The author is the subject: "I was born in", "we are visiting". Nothing further back counts,
    // except the verb of an inverted clause.
    if (b & Cue.FirstPerson) {
      if (inverted || verb || n > 3) break;
      inverted = true;
      continue;
    }
    if (verb) {
      // "No vivo en Lima", "I don't live in Leeds", "ne živim u Splitu": the home denied.
      if ((b & Cue.Not || k === 'no') && verb.role === 'home' && nearer === verb.cue)
        return { role: 'negated', cue: t };
      // "used to live in", "formerly based in": a home in the past.
      if (verb.role === 'home' && b & Cue.Past) return { role: 'past', cue: t };
      // "je viens de déménager à Calgary": moved, not a plan.
      if (
        verb.role === 'future' &&
        verb.cue &&
        MOVE_INFINITIVES.has(verb.cue.key) &&
        b & Cue.Recent
      )
        verb = { role: prep !== null && AWAY.has(prep.key) ? 'past' : 'home', cue: verb.cue };
      continue;
    }
    if (b & Cue.Away) sawAway = true;
    const away = prep !== null && AWAY.has(prep.key);
    // "home of Queen's University" is no one's home.
    if (k === 'home' && nearer?.key === 'of') {
      nearer = t;
      continue;
    }
    const nearerWas = nearer;
    nearer = t;
    if (b & Cue.Moved && prep !== null) verb = { role: away ? 'past' : 'home', cue: t };
    else if (b & Cue.Past) verb = { role: 'past', cue: t };
    else if (b & Cue.Home) verb = { role: 'home', cue: t };
    else if (b & Cue.Return) verb = { role: sawAway ? 'past' : 'home', cue: t };
    else if (b & Cue.Near) verb = { role: 'near', cue: t };
    // "here in Bilbao", "now I'm in Nottingham", "ahora estoy en Neuquén", but not "moved here
    // from Bilbao".
    else if (
      b & Cue.Here &&
      prep !== null &&
      !away &&
      (n === 2 || (n === 3 && (inverted || BEING.has(nearerWas?.key ?? ''))))
    )
      verb = { role: 'home', cue: t };
    // "we ship from Leipzig": where the sender is.
    else if (b & Cue.Shipping) verb = { role: away ? 'locative' : 'shipping', cue: t };
    else if (b & Cue.Trip) verb = { role: 'trip', cue: t };
    else if (b & Cue.Future) verb = { role: 'future', cue: t };
    else if (b & Cue.Work) verb = { role: 'work', cue: t };
    else if (b & Cue.Media && n <= 3) verb = { role: 'media', cue: t };
    else if (b & Cue.Comparison && n <= 2) verb = { role: 'comparison', cue: t };
    if (inverted) break;
  }
  if (verb) return verb;
  if (prep && NEAR_CUES.has(prep.key)) return { role: 'near', cue: prep };
  if (prep && locative.has(cueKey(prep))) return { role: 'locative', cue: prep };
  return { role: 'none', cue: null };
}

// "is where", "é onde", "es donde", "ist wo", "c'est là où": a relative clause after the name.
const COPULA = words(`is es e ist est cest`);
const WHERE = words(`where onde donde wo ou dove waar dar`);
const SLEEP = words(`sleep sleeps duermo durmo dors schlafe dormo`);
// "is (my / our / still / now / the new) home": the words between the copula and the noun.
const HOME_LEAD = words(`
  my our still now sweet new finally officially truly
  mein meine meiner unser unsere neue neues jetzt
  mi nuestro nuestra nueva nuevo ahora meu minha nosso nossa novo nova agora
  mon ma notre nouvelle nouveau mijn ons onze nieuwe min mitt mio mia nostra nuova il la
`);
const HOME_NOUNS = words(`home heimat zuhause hogar lar casa thuis hjem hem`);
// "Boston is home to…", "home of the Red Sox", "home game": another sense of home.
const HOME_NOT = words(`to of away game games`);
const WANT = words(`want wanted wish wished queria quero quiero queria voudrais mochte vorrei`);

/**
 * The role a clause after the name gives it: "#Hoboken is where I sleep" (home), "#NYC is where I
 * work" (work), "o Rio é onde eu queria morar" (a wish), "Dallas now, El Paso forever" (home).
 * Null when the words after the name say nothing of the kind.
 */
export function roleAfter(segs: Segment[], seg: number, end: number): RoleCue | null {
  // Only "now" or a copula can start such a clause: most names need no list of what follows.
  const lead = firstWordAfter(segs, seg, end, false);
  if (!lead || (lead.key !== 'now' && !COPULA.has(lead.key))) return null;
  const after = tokensAfter(segs, seg, end, false);
  const w = after.filter((t) => t.kind === 'word');
  // "Boulder is home", "Lemberg ist meine neue Heimat", "Quito es mi hogar": the name is home,
  // but not in "Boston is home to three universities".
  if (COPULA.has(w[0]?.key ?? '')) {
    let i = 1;
    while (i < w.length && i < 4 && HOME_LEAD.has(w[i]!.key)) i++;
    const noun = w[i];
    if (noun && HOME_NOUNS.has(noun.key) && !HOME_NOT.has(w[i + 1]?.key ?? ''))
      return { role: 'home', cue: noun };
  }
  // "Dallas now, …": "now" alone after the name.
  if (w.length === 1 && w[0]!.key === 'now' && after.length === 2)
    return { role: 'home', cue: w[0]! };
  if (w.length < 3 || !COPULA.has(w[0]!.key) || !WHERE.has(w[1]!.key)) return null;
  for (const t of w.slice(2)) {
    if (FIRST_PERSON.has(t.key)) continue;
    if (HOME_CUES.has(t.key) || SLEEP.has(t.key)) return { role: 'home', cue: t };
    if (WORK_CUES.has(t.key)) return { role: 'work', cue: t };
    if (WANT.has(t.key) || FUTURE_CUES.has(t.key)) return { role: 'future', cue: t };
    if (PAST_CUES.has(t.key)) return { role: 'past', cue: t };
    return null;
  }
  return null;
}

// The words after a name up to the end of its clause (the closing punctuation included, so a
// caller can tell "Dallas now," from "Dallas now is"), at most six words; `skipComma` reads past
// a comma right after the name ("Tromsø, där jag bor").
/** The first word tokensAfter would list, or null when it lists none. */
function firstWordAfter(
  segs: Segment[],
  seg: number,
  end: number,
  skipComma: boolean,
): Token | null {
  for (let s = seg, i = end; s < segs.length;) {
    if (i < segs[s]!.tokens.length) {
      const t = segs[s]!.tokens[i++]!;
      if (t.kind === 'punct' && skipComma && t.text === ',') continue;
      if (t.kind === 'punct' && (CLAUSE_END.has(t.text) || t.text === ',')) return null;
      if (t.kind === 'word') return t;
      continue;
    }
    if (s + 1 >= segs.length || !(segs[s]!.tag || segs[s + 1]!.tag)) break;
    s++;
    i = 0;
  }
  return null;
}

function tokensAfter(segs: Segment[], seg: number, end: number, skipComma: boolean): Token[] {
  const after: Token[] = [];
  for (let s = seg, i = end; s < segs.length && after.length < 6;) {
    if (i < segs[s]!.tokens.length) {
      const t = segs[s]!.tokens[i++]!;
      if (t.kind === 'punct' && skipComma && after.length === 0 && t.text === ',') continue;
      if (t.kind === 'punct' && (CLAUSE_END.has(t.text) || t.text === ',')) {
        after.push(t);
        break;
      }
      // "NYC now 🗽 Boston was years ago": an emoji closes the phrase as punctuation would.
      if (t.kind === 'emoji' && after.length > 0) {
        after.push(t);
        break;
      }
      if (t.kind === 'word') after.push(t);
      continue;
    }
    if (s + 1 >= segs.length || !(segs[s]!.tag || segs[s + 1]!.tag)) break;
    s++;
    i = 0;
  }
  return after;
}

// "Hobart since August", "in Berlin seit 2019", "à Lyon depuis trois ans".
const SINCE = words(`since seit depuis sinds sedan siden`);
// "for eight years", "pour une semaine", "für ein Wochenende".
const FOR = words(`for fur pour por durante per voor`);
// "for work", "pour le travail", "por trabajo", "zur Arbeit" is not after "für": the work itself.
const WORK_AFTER = words(
  `work business meetings standup travail boulot trabajo trabalho lavoro werk`,
);
// A stay this long is a life somewhere; a shorter one is a visit.
const LONG_SPANS = words(`
  year years yrs decade decades ages jahr jahre jahren jahrzehnt an ans annee annees ano anos
  anno anni jaar jaren ar manader
`);
const SHORT_SPANS = words(`
  week weeks weekend week-end fortnight day days night nights hour hours
  woche wochen wochenende tag tage tagen nacht semaine semaines jour jours nuit nuits
  semana semanas dia dias noche noches fin settimana settimane giorno giorni notte weekend dagen
`);
// "this weekend", "ce week-end", "diese Woche", "este fin de semana": a stay that ends soon.
const THIS = words(`this ce cette diese dieses diesen este esta questo questa dit deze`);
// "Boston was years ago", "Lisbon was a trip": the name as the subject of a past copula.
const WAS = words(`was war era fue foi etait`);
const BYGONE = words(`ago once before formerly fruher antes avant`);
// Nouns that make the place before them a journey: "stuck in Dallas airport", "my Lisbon trip".
const TRIP_NOUNS = words(
  `airport layover stopover trip vacation holiday getaway flight conference`,
);

/**
 * The role the words right after a name give it when nothing before it did: a stay that began
 * ("Hobart since August") or has lasted years ("Eugene for eight years now") is where the author
 * is; a short one ("in Kyoto for a week", "à Lyon ce week-end") or a journey noun ("Dallas
 * airport") is a trip; a relative clause ("Tromsø, där jag bor", "Leeds, where I live") is home.
 * Null when they say nothing of the kind.
 */
export function stayAfter(segs: Segment[], seg: number, end: number): RoleCue | null {
  // Every reading below starts from the first word: most first words start none.
  const lead = firstWordAfter(segs, seg, end, true);
  if (!lead || !STAY_LEADS.has(lead.key)) return null;
  const w = tokensAfter(segs, seg, end, true).filter((t) => t.kind === 'word');
  const first = w[0];
  if (!first) return null;
  // The cue quoted in the reason runs from the first word to the one that decides.
  const upTo = (role: Role, last: Token): RoleCue => ({
    role,
    cue: { ...first, end: last.end },
  });
  if (!first.capital && TRIP_NOUNS.has(first.key)) return { role: 'trip', cue: first };
  if (SINCE.has(first.key) && w.length > 1) return upTo('home', w[1]!);
  if (WAS.has(first.key))
    for (const t of w.slice(1, 5)) {
      if (TRIP_NOUNS.has(t.key)) return upTo('trip', t);
      if (BYGONE.has(t.key)) return upTo('past', t);
    }
  // "where I live", "där jag bor", "wo ich wohne", "où j'habite", "donde vivo".
  if (WHERE.has(first.key) && first.key !== 'ou') {
    for (const t of w.slice(1, 4)) {
      const k = cueKey(t);
      if (FIRST_PERSON.has(k)) continue;
      return HOME_CUES.has(k) ? upTo('home', t) : null;
    }
    return null;
  }
  // "où j'habite": "ou" is also "or", so it needs the verb right after.
  if (first.key === 'ou' && w[1] && HOME_CUES.has(cueKey(w[1]))) return upTo('home', w[1]);
  // "up to Seattle for work", "in Lyon pour le travail": a workplace, not home; "per lavoro questa
  // settimana", for work this week, is a trip.
  if (FOR.has(first.key) && w.slice(1, 3).some((t) => WORK_AFTER.has(t.key))) {
    const span = w.slice(2, 7).find((t) => SHORT_SPANS.has(t.key) || THIS.has(t.key));
    return span
      ? upTo('trip', span)
      : upTo(
          'work',
          w.find((t) => WORK_AFTER.has(t.key))!,
        );
  }
  if (FOR.has(first.key) || THIS.has(first.key)) {
    // The span is among the next few words: "for the past ten years", "für ein langes Wochenende".
    for (const t of w.slice(1, 5)) {
      const k = t.key.replace(/\s+/g, '');
      if (THIS.has(first.key) ? SHORT_SPANS.has(k) || k === 'fin' : false) return upTo('trip', t);
      if (!FOR.has(first.key)) continue;
      if (LONG_SPANS.has(k)) return upTo('home', t);
      if (SHORT_SPANS.has(k)) return upTo('trip', t);
    }
  }
  return null;
}

/**
 * "lived in Milwaukee since 2015": a stay that began and has not ended, after a name a past verb
 * governs, makes it the author's home still. Null when the words after the name are no "since".
 */
export function sinceAfter(segs: Segment[], seg: number, end: number): RoleCue | null {
  const stay = stayAfter(segs, seg, end);
  return stay?.role === 'home' && SINCE.has(stay.cue!.key) ? stay : null;
}

// The words a stay after a name starts with (stayAfter reads nothing else).
const STAY_LEADS: ReadonlySet<string> = new Set([
  ...TRIP_NOUNS,
  ...SINCE,
  ...WAS,
  ...WHERE,
  'ou',
  ...FOR,
  ...THIS,
]);

// "I'm a Liverpool fan" is a team, not a town.
const FANS = words(`fan fans supporter supporters fc`);
// "I'm a Chicago transplant": where the author came from.
const UPROOTED = words(`transplant transplants expat expats exile refugee emigrant`);

const STILL_WHERE = words(`here there live living in based`);

/** "Louisville born and still here", "born and bred, still living there": a birthplace still home. */
export function stillHereAfter(segs: Segment[], seg: number, end: number): boolean {
  const w = tokensAfter(segs, seg, end, true)
    .filter((t) => t.kind === 'word')
    .slice(0, 6);
  const at = w.findIndex((t) => t.key === 'still');
  return at >= 0 && at + 1 < w.length && STILL_WHERE.has(w[at + 1]!.key);
}

/** "a Chicagoan in exile", "a Londoner abroad": the words right after a demonym uproot it. */
export function uprootedAfter(segs: Segment[], seg: number, end: number): boolean {
  const w = tokensAfter(segs, seg, end, false)
    .slice(0, 3)
    .filter((t) => t.kind === 'word');
  return w.some((t) => UPROOTED.has(t.key) || t.key === 'abroad');
}

// "Atlanta kid, Asheville adult", "Leicester kid, Coventry teen, now a Bath adult": a stage of
// life after the name, closing its clause.
const LIFE_BEFORE = words(`kid child teen teenager youth`);
const LIFE_NOW = words(`adult resident local dweller`);

/** A stage of life right after the name, then its clause ends: past for a child, home for an adult. */
export function lifeStageAfter(segs: Segment[], seg: number, end: number): RoleCue | null {
  const toks = segs[seg]!.tokens;
  const noun = toks[end];
  if (noun?.kind !== 'word' || noun.capital) return null;
  const past = LIFE_BEFORE.has(noun.key);
  if (!past && !LIFE_NOW.has(noun.key)) return null;
  const next = toks[end + 1];
  if (next && !(next.kind === 'punct' || next.key === 'now')) return null;
  return { role: past ? 'past' : 'home', cue: noun };
}

/**
 * "We're a Valencia band", "I'm an Ottawa girl": the name as what the author is, after a
 * first-person copula and an article and before a lower-case noun, is the author's town.
 */
export function identityRole(
  segs: Segment[],
  seg: number,
  start: number,
  end: number,
): RoleCue | null {
  const toks = segs[seg]!.tokens;
  const article = toks[start - 1];
  const copula = toks[start - 2];
  const noun = toks[end];
  if (!article || !copula || !noun || noun.kind !== 'word' || noun.capital) return null;
  if (article.key !== 'a' && article.key !== 'an') return null;
  const self =
    copula.key === 'im' ||
    copula.key === 'were' ||
    ((copula.key === 'am' || copula.key === 'are') &&
      (toks[start - 3]?.key === 'i' || toks[start - 3]?.key === 'we'));
  if (!self || FANS.has(noun.key)) return null;
  return { role: UPROOTED.has(noun.key) ? 'past' : 'home', cue: { ...copula, end: noun.end } };
}

/**
 * "flying from Boston to Denver": a name right after "to" and another name shares that name's
 * trip or plan; "moved from Boston to Denver": the second is where the author lives now.
 */
export function chainedRole(before: RoleCue, between: Token[]): RoleCue | null {
  const words = between.filter((t) => t.kind === 'word');
  if (between.length === 0 || between.length > 3) return null;
  if (words.length === 1 && between.length === 1 && TO.has(words[0]!.key)) {
    if (before.role === 'trip' || before.role === 'future' || before.role === 'shipping')
      return before;
    if (
      before.role === 'past' &&
      before.cue &&
      (MOVED.has(before.cue.key) || MOVE_INFINITIVES.has(before.cue.key))
    )
      return { role: 'home', cue: before.cue };
  }
  // "moved to Leeds from Bristol": where the author came from.
  if (
    words.length === 1 &&
    AWAY.has(words[0]!.key) &&
    before.role === 'home' &&
    before.cue &&
    MOVED.has(before.cue.key)
  )
    return { role: 'past', cue: before.cue };
  // "my parents in Lyon and Paris", "à Paris et à Lyon": a list shares its first name's role.
  if (
    ELSEWHERE.has(before.role) &&
    between.some((t) => GLUE.has(t.key)) &&
    between.every((t) => GLUE.has(t.key) || TO.has(t.key) || AWAY.has(t.key) || t.key === 'in')
  )
    return before;
  return null;
}

// "…, then to Knoxville": the next step of a sequence of moves.
const THEN = words(
  `then later dann danach puis ensuite luego despues depois poi daarna sedan sitten`,
);

/**
 * "moved from Atlanta to Asheville in 2019, then to Knoxville": after a move's destination, "then
 * to" names the next one, so the earlier is where the author used to be and the later is home.
 */
export function thenMoved(before: RoleCue, between: Token[]): boolean {
  const w = between.filter((t) => t.kind === 'word');
  return (
    before.role === 'home' &&
    before.cue !== null &&
    MOVED.has(before.cue.key) &&
    between.length <= 8 &&
    w.length >= 2 &&
    TO.has(w[w.length - 1]!.key) &&
    w.some((t) => THEN.has(t.key)) &&
    !between.some((t) => t.kind === 'punct' && CLAUSE_END.has(t.text))
  );
}

/** What the reason says about a place in each role. */
export const ROLE_PHRASE: Record<Role, string> = {
  home: 'is where the author is',
  locative: 'is where the author is',
  none: 'is the place the post names',
  past: 'is where the author used to be',
  trip: 'is a trip, not home',
  future: 'is a plan, not home',
  other: 'is where someone else is',
  shipping: 'is where something is sent',
  media: 'is what the author reads or watches about',
  comparison: 'is a comparison',
  work: 'is where the author works',
  near: 'is a landmark nearby',
  negated: 'is where the author says they are not',
};

const ALL_CUES = [
  HOME_CUES,
  PAST_CUES,
  TRIP_CUES,
  FUTURE_CUES,
  WORK_CUES,
  SHIPPING_CUES,
  MEDIA_CUES,
  RETURN_CUES,
  NEAR_CUES,
  MOVED,
  NOT,
];
// One set for the question asked of every name: is it any of these words?
const CUE_WORDS: ReadonlySet<string> = new Set(ALL_CUES.flatMap((set) => [...set]));
/** Whether a word gives a place its role ("Bor", "Used", "Visiting"): then it is no town itself. */
export const isCueWord = (key: string): boolean => CUE_WORDS.has(key);
