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
const SLAVIC_RESTORE = ['', 'a', 'а', 'o', 'e'];

/** Languages whose place names take a case ending after a preposition ("z Krakowa"). */
export const SLAVIC = new Set(['pl', 'cs', 'sk', 'sl', 'hr', 'sr', 'bs', 'ru', 'uk', 'be', 'bg']);

// Locative and ablative endings (folded) where the ending itself says "in"/"from": no preposition.
const SUFFIXES: Record<string, string[]> = {
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
};
const APOSTROPHE = /['’]/;
// A Turkish case ending with a personal ending after it, folded: "İstanbul'dayım" (I am in),
// "Ankara'dayız" (we are in), "İzmir'liyim" (I am from), "Bursa'lıyız" (we are from).
const TURKISH_PERSONAL = /^(?:[dt][ae]|l[iu])y[iu][mz]$|^l[iu]$/;

// Scripts whose place names take a letter glued on for "in"/"from"/"and", whatever the post's
// language tag says: Hebrew prefixes ("בחיפה" in Haifa, "מתל אביב" from Tel Aviv), Arabic and
// Persian prefixes and enclitics ("وبغداد", "شیرازم" I am [in] Shiraz), Bengali case endings
// ("ঢাকায়" in Dhaka, "চট্টগ্রামে" in Chattogram). Folded, longest first.
const fold = (list: string): string[] =>
  list
    .trim()
    .split(/\s+/)
    .map((x) => foldName(x))
    .sort((a, b) => b.length - a.length);
const SCRIPT_AFFIXES: { script: RegExp; prefixes: string[]; suffixes: string[] }[] = [
  { script: /\p{Script=Hebrew}/u, prefixes: fold('וב ומ ול שב ב ל מ ה ו כ ש'), suffixes: [] },
  {
    script: /\p{Script=Arabic}/u,
    prefixes: fold('وب ول فب و ب ل ف'),
    suffixes: fold('ام ست م ه ی ي'),
  },
  { script: /\p{Script=Bengali}/u, prefixes: [], suffixes: fold('তে য় এ ে র ের') },
];

// The shortest name left once an affix is gone: "سلام" (hello) less "م" is "سلا", an old name of Salé.
const MIN_STEM = 4;

/** Base forms of a word in a script that glues "in"/"from" onto names; empty when none. */
export function scriptForms(key: string, minStem = MIN_STEM): string[] {
  const forms: string[] = [];
  for (const { script, prefixes, suffixes } of SCRIPT_AFFIXES) {
    if (!script.test(key)) continue;
    const len = [...key].length;
    for (const p of prefixes)
      if (key.startsWith(p) && len - p.length >= minStem) forms.push(key.slice(p.length));
    for (const x of suffixes)
      if (key.endsWith(x) && len - x.length >= minStem) forms.push(key.slice(0, -x.length));
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
      if (!key.endsWith(ending) || key.length - ending.length < 3) continue;
      const stem = key.slice(0, -ending.length);
      forms.push(...(lang === 'fi' ? finnishRepairs(stem) : [stem]));
    }
  }
  forms.push(...scriptForms(key));
  if (afterLocative) {
    for (const ending of SLAVIC_ENDINGS) {
      if (!key.endsWith(ending) || key.length - ending.length < 3) continue;
      const stem = key.slice(0, -ending.length);
      for (const r of SLAVIC_RESTORE) forms.push(stem + r);
      // Ukrainian closes the last syllable's о or е to і in the nominative: "з Києва" (Київ),
      // "зі Львова" (Львів), "з Харкова" (Харків).
      const last = stem.length - 2;
      if (last > 0 && 'оеє'.includes(stem[last]!))
        forms.push(`${stem.slice(0, last)}і${stem.slice(last + 1)}`);
    }
  }
  return forms;
}

/** Whether the post's language marks place with an ending rather than a preposition. */
export const hasLocativeSuffixes = (lang: string): boolean => lang in SUFFIXES;
