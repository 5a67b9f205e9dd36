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

/** Every step of folding but the last two (separators to one space, then trim). */
const foldSteps = (text: string): string =>
  // Decompose before lower-casing too: compatibility forms ("ᴬ", "Ⅻ") decompose to capitals.
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c)
    .normalize('NFKD')
    .replace(MARKS, (c) =>
      (c >= INDIC_FROM && c <= INDIC_TO) || c === DAKUTEN || c === HANDAKUTEN ? c : '',
    )
    .replace(APOSTROPHES, '');

// Folding a word is folding its code points one by one and putting the pieces together, unless a
// code point interacts with its neighbours: a combining mark (canonical reordering), one that
// decomposes to a mark first ("ﾞ"), or a sigma (lower-cased by its place in the word). The piece
// of each code point seen is kept (bounded: at most `MAX_PIECES` code points); null marks one that
// needs the whole word. Two ICU normalisations per word become a map look-up per character: the
// Han, kana and Hangul runs are folded once per substring tried as a name.
const PIECES = new Map<number, string | null>();
const MAX_PIECES = 1 << 16;
const MARK = /\p{M}/u;
const CLEAN_PIECE = /^[\p{L}\p{M}\p{N}]*$/u;
// Pieces with separators in them: the joined word then needs the separator pass.
const SEPARATED = new Set<string>();

function pieceOf(cp: number): string | null | undefined {
  const had = PIECES.get(cp);
  if (had !== undefined || PIECES.size >= MAX_PIECES) return had;
  let piece: string | null = null;
  if (cp < 0xd800 || cp > 0xdfff) {
    const c = String.fromCodePoint(cp);
    const d = c.normalize('NFKD');
    const lowered = d
      .toLowerCase()
      .replace(SPECIAL_RE, (x) => SPECIAL[x] ?? x)
      .normalize('NFKD');
    if (!MARK.test(c) && !d.includes('Σ') && startsBare(d) && startsBare(lowered)) {
      piece = foldSteps(c);
      if (!CLEAN_PIECE.test(piece)) SEPARATED.add(piece);
    }
  }
  PIECES.set(cp, piece);
  return piece;
}

// Whether a decomposed string starts with a starter: a character no canonical reordering moves
// (probed with U+0345, of the highest combining class, 240: any mark of a lower class before it
// would be moved ahead of it).
function startsBare(d: string): boolean {
  if (d === '') return true;
  const first = String.fromCodePoint(d.codePointAt(0)!);
  return !MARK.test(first) && `\u0345${first}`.normalize('NFD') === `\u0345${first}`;
}

/** Fold a name for lookup: lower case, no diacritics, words separated by one space. */
export function foldName(text: string): string {
  // Most words are plain ASCII letters: nothing to strip. (The fold of a post's every word is a hot path.)
  if (ALNUM.test(text)) return text.toLowerCase();
  // Other ASCII: nothing to decompose.
  if (ASCII.test(text))
    return text.toLowerCase().replace(APOSTROPHES, '').replace(SEPARATORS, ' ').trim();
  let out = '';
  let separated = false;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const piece = pieceOf(cp);
    if (piece == null) return foldSteps(text).replace(SEPARATORS, ' ').trim();
    if (!separated && SEPARATED.has(piece)) separated = true;
    out += piece;
    i += cp > 0xffff ? 2 : 1;
  }
  return separated ? out.replace(SEPARATORS, ' ').trim() : out;
}

/** foldName without its per-character shortcut: the definition it is tested against. */
export const foldNameWhole = (text: string): string =>
  foldSteps(text).replace(SEPARATORS, ' ').trim();

/** Fold a hashtag form: like foldName, with the spaces removed ("#NewYork" = "new york"). */
export function foldTag(text: string): string {
  return foldName(text).replace(/ /g, '');
}
