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
const SEPARATORS = /[^\p{L}\p{M}\p{N}]+/gu;
const MARKS = /\p{M}/gu;
const ASCII = /^[\x20-\x7e]*$/;
// Devanagari to Sinhala: their vowel signs are letters of the word, not accents. Dropping them
// made "में" ("in") and "मैं" ("I") both "म", a town (Mau), and "के" Caen.
const INDIC_FROM = '\u0900';
const INDIC_TO = '\u0DFF';
// Kana voicing marks: "ば" is not "は" ("こんにちは" holds no "ちば", Chiba).
const DAKUTEN = '\u3099';
const HANDAKUTEN = '\u309A';

const ALNUM = /^[A-Za-z0-9]*$/;

/** Fold a name for lookup: lower case, no diacritics, words separated by one space. */
export function foldName(text: string): string {
  // Most words are plain ASCII letters: nothing to strip. (The fold of a post's every word is a hot path.)
  if (ALNUM.test(text)) return text.toLowerCase();
  // Other ASCII: nothing to decompose.
  if (ASCII.test(text))
    return text.toLowerCase().replace(APOSTROPHES, '').replace(SEPARATORS, ' ').trim();
  // Decompose before lower-casing too: compatibility forms ("ᴬ", "Ⅻ") decompose to capitals.
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c)
    .normalize('NFKD')
    .replace(MARKS, (c) =>
      (c >= INDIC_FROM && c <= INDIC_TO) || c === DAKUTEN || c === HANDAKUTEN ? c : '',
    )
    .replace(APOSTROPHES, '')
    .replace(SEPARATORS, ' ')
    .trim();
}

/** Fold a hashtag form: like foldName, with the spaces removed ("#NewYork" = "new york"). */
export function foldTag(text: string): string {
  return foldName(text).replace(/ /g, '');
}
