import { foldName } from './fold.js';

// Slavic case endings, folded, longest first: "w Gdańsku", "z Krakowa", "z Wrocławia", "из Новосибирска".
const SLAVIC_ENDINGS = [
  'iach',
  'ach',
  'ami',
  'ia',
  'iu',
  'ie',
  'ow',
  'em',
  'u',
  'a',
  'y',
  'i',
  'e',
  'ом',
  'ой',
  'ем',
  'ью',
  'е',
  'а',
  'у',
  'и',
  'ы',
  'і',
];
// What the nominative may end in once the case ending is gone: "Krakowa" → Krakow, "Brna" → Brno.
const SLAVIC_RESTORE = ['', 'a', 'а', 'o', 'e', 'я'];

// Consonants that change before a Slavic locative or dative ending, as "ending>nominative end":
// Polish "w Sopocie" (Sopot), "w Madrycie", "w Pradze" (Praga), "w Jeleniej Górze", "w Ameryce";
// Czech and Slovak "v Praze" (Praha); Croatian and Serbian "u Rijeci" / "у Ријеци" (Rijeka);
// Ukrainian "у Ризі" (Рига), "у Бориславці"; Belarusian "у Магілёве" (Магілёў, whose ў folds to у).
const SLAVIC_ALTERNATIONS = foldEndings([
  'cie>t',
  'dzie>d',
  'rze>r',
  'rze>ra',
  'dze>ga',
  'ce>ka',
  'ze>ha',
  'ci>ka',
  'ци>ка',
  'ці>ка',
  'зі>га',
  'ве>ў',
  // Towns whose names are plurals: Russian "в Химках" (Химки), "в Люберцах" (Люберцы), Ukrainian
  // "у Броварах" (Бровари), Polish "w Tychach" (Tychy), Czech "v Pardubicích" (Pardubice).
  'ах>и',
  'ах>ы',
  'ях>и',
  'ach>y',
  'ich>e',
]);

// Adjectives that open a two-word name, as "ending>nominative end": Serbian "у Новом Саду" (Нови
// Сад), Croatian "u Velikoj Gorici" (Velika Gorica), Slovak "v Banskej Bystrici" (Banská Bystrica),
// Polish "w Jeleniej Górze", "w Nowym Sączu", Russian "в Нижнем Новгороде" (Нижний), "в Старом
// Осколе" (Старый), "в Белой Церкви" (Белая), "в Набережных Челнах", Ukrainian "у Білій Церкві"
// (Біла). Read only with the noun after it (adjectiveNounForms).
const ADJECTIVE_ENDINGS = foldEndings([
  'iej>ia',
  'ej>a',
  'ym>y',
  'im>i',
  'om>i',
  'om>y',
  'om>e',
  'oj>a',
  'em>y',
  'e>a',
  'ом>и',
  'ој>а',
  'ем>ий',
  'ом>ий',
  'ом>ый',
  'ом>ой',
  'ой>ая',
  'ых>ые',
  'их>ие',
  'ій>а',
  'ому>ий',
  'ім>ий',
]);
const CYRILLIC_VOWELS = 'аеиоуыэюяёіїє';

/** Languages whose place names take a case ending after a preposition ("z Krakowa"). */
export const SLAVIC = new Set(['pl', 'cs', 'sk', 'sl', 'hr', 'sr', 'bs', 'ru', 'uk', 'be', 'bg']);

/** Each ending folded as a post's words are (both sides of "ending>restore"), longest first. */
function foldAll(table: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [lang, list] of Object.entries(table)) out[lang] = foldEndings(list);
  return out;
}

/** Endings folded (both sides of "ending>restore"), the longest ending first. */
function foldEndings(list: string[]): string[] {
  return list
    .map((e) => e.split('>').map(foldName).join('>'))
    .sort((a, b) => b.split('>')[0]!.length - a.split('>')[0]!.length);
}

// Locative and ablative endings where the ending itself says "in"/"from": no preposition.
// "ending>restore" puts back what the nominative ends in: Lithuanian "Vilniuje" is Vilnius.
const SUFFIXES: Record<string, string[]> = foldAll({
  // "Tampereelta", "Oulusta", "Helsingissä", "Espoossa"
  fi: ['ssa', 'sta', 'lla', 'lta', 'lle', 'ksi', 'han', 'hin', 'na', 'an', 'en'],
  // "Debrecenből", "Budapesten", "Szegedre", "Győrben"
  hu: [
    'bol',
    'rol',
    'tol',
    'ban',
    'ben',
    'nal',
    'nel',
    'hoz',
    'hez',
    'ba',
    'be',
    'ra',
    're',
    'on',
    'en',
    'n',
  ],
  // "Ankara'da", "İzmir'den"; Turkish writes an apostrophe before the ending of a proper name
  tr: [
    'dan',
    'den',
    'tan',
    'ten',
    'nin',
    'nun',
    'da',
    'de',
    'ta',
    'te',
    'ya',
    'ye',
    'yi',
    'a',
    'e',
    'i',
  ],
  // Estonian: "Tallinnas" (in), "Tartust" (from), "Pärnusse" (to), "Narvale"
  et: ['sse', 'st', 'lt', 'le', 's', 'l'],
  // Azerbaijani: "Bakıda" (in), "Gəncədən" (from), "Sumqayıta" (to)
  az: ['dan', 'dən', 'nın', 'nin', 'da', 'də', 'ya', 'yə', 'a', 'ə'],
  // Uzbek: "Samarqandda" (in), "Toshkentdan" (from), "Buxoroga" (to)
  uz: ['ning', 'dan', 'da', 'ga', 'ka', 'qa'],
  // Kazakh and Kyrgyz: "Алматыда" (in), "Астанадан" (from), "Бишкекте"
  kk: [
    'дан',
    'ден',
    'тан',
    'тен',
    'нан',
    'нен',
    'ның',
    'нің',
    'да',
    'де',
    'та',
    'те',
    'ға',
    'ге',
    'қа',
    'ке',
  ],
  ky: [
    'дан',
    'ден',
    'тан',
    'тен',
    'дон',
    'дөн',
    'тон',
    'төн',
    'да',
    'де',
    'та',
    'те',
    'до',
    'дө',
    'го',
    'гө',
    'га',
    'ге',
  ],
  // Basque: "Gasteizen", "Bilbon", "Donostian" (in), "Iruñetik" (from), "Bilbora" (to)
  eu: ['etik', 'rako', 'tik', 'era', 'ko', 'go', 'ra', 'an', 'en', 'n'],
  // Lithuanian: "Vilniuje" / "iš Vilniaus" (Vilnius), "Kaune" / "iš Kauno" (Kaunas),
  // "Klaipėdoje" / "iš Klaipėdos" (Klaipėda), "Panevėžyje" (Panevėžys)
  lt: ['uje>us', 'aus>us', 'yje>ys', 'oje>a', 'os>a', 'e>as', 'o>as'],
  // Latvian: "no Rīgas" (Rīga), "Daugavpilī" (Daugavpils); "Rīgā" folds to its own name
  lv: ['as>a', 'i>s'],
});

const APOSTROPHE = /['’]/;
// A Turkish case ending with a personal ending after it, folded: "İstanbul'dayım" (I am in),
// "Ankara'dayız" (we are in), "İzmir'liyim" (I am from), "Bursa'lıyız" (we are from).
const TURKISH_PERSONAL = /^(?:[dt][ae]|l[iu])y[iu][mz]$|^l[iu]$/;

// Scripts whose place names take a letter glued on for "in"/"from"/"and", whatever the post's
// language tag says: Hebrew prefixes ("בחיפה" in Haifa, "מתל אביב" from Tel Aviv), Arabic and
// Persian prefixes and enclitics ("وبغداد", "شیرازم" I am [in] Shiraz), Bengali case endings
// ("ঢাকায়" in Dhaka, "চট্টগ্রামে" in Chattogram). Folded, longest first.
const fold = (list: string): string[] => foldEndings(list.trim().split(/\s+/));
const SCRIPT_AFFIXES: { script: RegExp; prefixes: string[]; suffixes: string[] }[] = [
  { script: /\p{Script=Hebrew}/u, prefixes: fold('וב ומ ול שב ב ל מ ה ו כ ש'), suffixes: [] },
  {
    script: /\p{Script=Arabic}/u,
    prefixes: fold('وب ول فب و ب ل ف'),
    suffixes: fold('ام ست م ه ی ي'),
  },
  { script: /\p{Script=Bengali}/u, prefixes: [], suffixes: fold('তে য় এ ে র ের') },
  // Armenian: "Երևանում" (in Yerevan), "Գյումրիից" (from Gyumri)
  { script: /\p{Script=Armenian}/u, prefixes: [], suffixes: fold('ում ից ի') },
  // Georgian: "ქუთაისში" (in Kutaisi: the nominative's ი goes before ში), "თბილისიდან" (from)
  { script: /\p{Script=Georgian}/u, prefixes: [], suffixes: fold('ში>ი დან იდან>ი ში') },
  // Nepali writes "in" and "from" on the name: "काठमाडौंमा", "पोखराबाट" (Hindi writes "में" apart)
  { script: /\p{Script=Devanagari}/u, prefixes: [], suffixes: fold('मा बाट') },
  // Telugu "విజయవాడలో", Gujarati "અમદાવાદમાં", Kannada "ಮೈಸೂರಿನಲ್ಲಿ" (ಮೈಸೂರು: -ು becomes -ಿನ),
  // Malayalam "കൊച്ചിയിൽ", "കൊച്ചിയിലാണ്" (is in): "in" written on the name
  { script: /\p{Script=Telugu}/u, prefixes: [], suffixes: fold('లో నుండి') },
  { script: /\p{Script=Gujarati}/u, prefixes: [], suffixes: fold('માં થી') },
  { script: /\p{Script=Kannada}/u, prefixes: [], suffixes: fold('ಿನಲ್ಲಿ>ು ನಲ್ಲಿ ದಲ್ಲಿ>ು ಯಲ್ಲಿ ಲ್ಲಿ') },
  {
    script: /\p{Script=Malayalam}/u,
    prefixes: [],
    suffixes: fold('യിലാണ് യിൽ ിലാണ്>് ിൽ>്'),
  },
  // Tamil: "சென்னையில்" (in Chennai), "கோயம்புத்தூரில்" (the final ர் takes the vowel),
  // "சேலத்தில்" (Salem: -ம் becomes -த்த்-), and the same with -இலிருந்து (from)
  {
    script: /\p{Script=Tamil}/u,
    prefixes: [],
    suffixes: fold('த்திலிருந்து>ம் த்தில்>ம் யிலிருந்து யில் விலிருந்து வில் ிலிருந்து>் ில்>்'),
  },
];

// The shortest name left once an affix is gone: "سلام" (hello) less "م" is "سلا", an old name of Salé.
const MIN_STEM = 4;

/** "ending>restore" split in two; a plain ending restores nothing. */
const splitEnding = (e: string): [string, string] => {
  const at = e.indexOf('>');
  return at < 0 ? [e, ''] : [e.slice(0, at), e.slice(at + 1)];
};

/** The stem of `key` less `ending` ("ending>restore" puts back the nominative's end), or null. */
function strip(key: string, ending: string, minStem: number): string | null {
  const [cut, restore] = splitEnding(ending);
  if (!key.endsWith(cut) || [...key].length - [...cut].length < minStem) return null;
  return key.slice(0, key.length - cut.length) + restore;
}

/** Base forms of a word in a script that glues "in"/"from" onto names; empty when none. */
export function scriptForms(key: string, minStem = MIN_STEM): string[] {
  const forms: string[] = [];
  for (const { script, prefixes, suffixes } of SCRIPT_AFFIXES) {
    if (!script.test(key)) continue;
    const len = [...key].length;
    for (const p of prefixes)
      if (key.startsWith(p) && len - p.length >= minStem) forms.push(key.slice(p.length));
    for (const x of suffixes) {
      const stem = strip(key, x, minStem);
      if (stem !== null) forms.push(stem);
    }
  }
  return forms;
}

/** Whether a word is in a script scriptForms reads. */
export const hasScriptAffixes = (text: string): boolean =>
  SCRIPT_AFFIXES.some((a) => a.script.test(text));

function finnishRepairs(stem: string): string[] {
  const forms = [stem];
  // Tampere → Tampereelta: the stem's last vowel is doubled before the ending.
  if (stem.length > 3 && stem.at(-1) === stem.at(-2)) forms.push(stem.slice(0, -1));
  // Helsinki → Helsingissä: consonant gradation nk → ng.
  const ng = stem.lastIndexOf('ng');
  if (ng > 0) forms.push(`${stem.slice(0, ng)}nk${stem.slice(ng + 2)}`);
  return forms;
}

/** Nominative forms an inflected word may stand for, most likely first; empty when it is not inflected. */
export function baseForms(
  text: string,
  key: string,
  lang: string,
  afterLocative: boolean,
): string[] {
  const forms: string[] = [];
  const parts = text.split(APOSTROPHE);
  // The apostrophe marks the ending in any language's post: "Ankara'da" is unambiguous.
  if (
    parts.length === 2 &&
    (SUFFIXES.tr!.includes(foldName(parts[1]!)) || TURKISH_PERSONAL.test(foldName(parts[1]!)))
  )
    forms.push(foldName(parts[0]!));
  const suffixes = SUFFIXES[lang];
  if (suffixes) {
    for (const ending of suffixes) {
      const stem = strip(key, ending, 3);
      if (stem === null) continue;
      forms.push(...(lang === 'fi' ? finnishRepairs(stem) : [stem]));
    }
  }
  forms.push(...scriptForms(key));
  if (afterLocative) {
    for (const ending of SLAVIC_ENDINGS) {
      if (!key.endsWith(ending) || key.length - ending.length < 3) continue;
      const stem = key.slice(0, -ending.length);
      for (const r of SLAVIC_RESTORE) forms.push(stem + r);
      // A fleeting vowel comes back in the nominative: "ve Vídni" (Vídeň), "v Plzni" (Plzeň),
      // "w Wiedniu" (Wiedeń), "u Sisku" (Sisak), "у Крагујевцу" (Крагујевац), "в Орле" (Орёл).
      if (stem.length > 3) {
        const cyrillic = stem.at(-1)! >= '\u0400';
        const vowels = cyrillic ? CYRILLIC_VOWELS : 'aeiouy';
        if (!vowels.includes(stem.at(-2)!) && !vowels.includes(stem.at(-1)!))
          for (const v of cyrillic ? 'еао' : 'ea')
            forms.push(`${stem.slice(0, -1)}${v}${stem.at(-1)}`);
      }
      // Ukrainian closes the last syllable's о or е to і in the nominative: "з Києва" (Київ),
      // "зі Львова" (Львів), "з Харкова" (Харків).
      const last = stem.length - 2;
      // A soft stem keeps its ь: "в Ірпені" (Ірпінь), "у Рівному"… (Рівне is an adjective).
      if (last > 0 && 'оеє'.includes(stem[last]!)) {
        const closed = `${stem.slice(0, last)}і${stem.slice(last + 1)}`;
        forms.push(closed, `${closed}ь`);
      }
    }
    // Two letters may stay before the changed ending: "у Ризі" is Рига.
    for (const e of SLAVIC_ALTERNATIONS) {
      const stem = strip(key, e, 2);
      if (stem !== null) forms.push(stem);
    }
  }
  return forms;
}

/** A Slavic adjective as written, then its nominatives (ADJECTIVE_ENDINGS): "новом" → "нови", … */
function adjectiveForms(key: string): string[] {
  const forms = [key];
  for (const e of ADJECTIVE_ENDINGS) {
    const stem = strip(key, e, 3);
    if (stem !== null) forms.push(stem);
  }
  return forms;
}

/**
 * Nominative forms of an inflected adjective-and-noun name after a Slavic preposition ("Новом
 * Саду" → "нови сад"), most likely first; the caller keeps those the gazetteer knows.
 */
export function adjectiveNounForms(
  adjective: { text: string; key: string },
  noun: { text: string; key: string },
  lang: string,
): string[] {
  const firsts = adjectiveForms(adjective.key);
  const seconds = [noun.key, ...baseForms(noun.text, noun.key, lang, true)];
  const out: string[] = [];
  for (const a of new Set(firsts))
    for (const b of new Set(seconds))
      if (a !== adjective.key || b !== noun.key) out.push(`${a} ${b}`);
  return out;
}

/**
 * Nominative forms of a hyphenated name inflected after a Slavic preposition, its key already
 * folded to words ("w Bielsku-Białej" → "bielsko biala", "в Ростове-на-Дону" → "ростов на дону"):
 * the first and the last word may each carry an ending (the last as an adjective too), the words
 * between stay as written.
 */
export function hyphenatedForms(key: string, lang: string): string[] {
  const parts = key.split(' ');
  if (parts.length < 2) return [];
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).join(' ');
  const firsts = [first, ...baseForms(first, first, lang, true)];
  const lasts = [last, ...baseForms(last, last, lang, true), ...adjectiveForms(last).slice(1)];
  const out: string[] = [];
  for (const a of new Set(firsts))
    for (const b of new Set(lasts)) {
      if (a === first && b === last) continue;
      out.push(middle ? `${a} ${middle} ${b}` : `${a} ${b}`);
    }
  return out;
}

/** Whether the post's language marks place with an ending rather than a preposition. */
export const hasLocativeSuffixes = (lang: string): boolean => lang in SUFFIXES;

// Irish and Welsh change a name's first letters after some words ("i mBaile Átha Cliath", "i
// gCorcaigh", "ó Chorcaigh"; "yng Nghaerdydd", "i Gaerdydd", "ym Mangor"). Each rule gives the
// letters written and the ones the name starts with; the name is read back only when the gazetteer
// knows it.
const MUTATIONS: Record<string, [RegExp, string][]> = {
  // Eclipsis (a lower-case letter or two before the capital) and lenition (an h after the first letter)
  ga: [
    [/^(?:bh|[mgndbt])-?(?=\p{Lu})/u, ''],
    [/^n-(?=[aeiouáéíóú])/iu, ''],
    [/^h-?(?=[AEIOUÁÉÍÓÚ])/u, ''],
    [/^([BCDFGMPST])h/u, '$1'],
  ],
  // Nasal, soft and aspirate mutations
  cy: [
    [/^Ngh/u, 'C'],
    [/^Mh/u, 'P'],
    [/^Nh/u, 'T'],
    [/^Ng/u, 'G'],
    [/^M(?!h)/u, 'B'],
    [/^N(?![gh])/u, 'D'],
    [/^Ch/u, 'C'],
    [/^Ph/u, 'P'],
    [/^Th/u, 'T'],
    [/^Dd/u, 'D'],
    [/^G/u, 'C'],
    [/^B/u, 'P'],
    [/^D(?!d)/u, 'T'],
    [/^F(?!f)/u, 'B'],
    [/^F(?!f)/u, 'M'],
    [/^L(?!l)/u, 'Ll'],
    [/^R(?!h)/u, 'Rh'],
    [/^(?=[AEIOUWY])/u, 'G'],
  ],
};

/** The unmutated forms of an Irish or Welsh word, most likely first; empty in other languages. */
export function unmutatedForms(text: string, lang: string): string[] {
  const rules = MUTATIONS[lang];
  if (!rules) return [];
  const forms: string[] = [];
  for (const [from, to] of rules) if (from.test(text)) forms.push(text.replace(from, to));
  return forms;
}
