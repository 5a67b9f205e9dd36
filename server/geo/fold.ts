const SPECIAL: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const SPECIAL_RE = /[ßøæœłđðþıħ]/g;
// Apostrophes vanish inside a name ("St. John's" = "st johns"); every other mark separates words.
const APOSTROPHES = /['’ʼ`´]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/gu;

/** Fold a name for lookup: lower case, no diacritics, words separated by one space. */
export function foldName(text: string): string {
  // Decompose before lower-casing too: compatibility forms ("ᴬ", "Ⅻ") decompose to capitals.
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(APOSTROPHES, '')
    .replace(SEPARATORS, ' ')
    .trim();
}

/** Fold a hashtag form: like foldName, with the spaces removed ("#NewYork" = "new york"). */
export function foldTag(text: string): string {
  return foldName(text).replace(/ /g, '');
}
