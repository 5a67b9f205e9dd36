import { describe, expect, it } from 'vitest';
import { foldName, foldNameWhole } from '../../server/geo/fold.js';

// Blocks whose characters posts and GeoNames names are written in, and the compatibility forms
// that decompose: Latin, IPA and modifiers, Greek, Cyrillic, Hebrew, Arabic, Indic scripts, Thai,
// Hangul jamo, general punctuation, letterlike and number forms, kana, CJK symbols, Hangul
// syllables (a sample), presentation and halfwidth forms, mathematical letters.
const BLOCKS: [number, number][] = [
  [0x0000, 0x07ff],
  [0x0900, 0x0e7f],
  [0x1100, 0x11ff],
  [0x1e00, 0x21ff],
  [0x2460, 0x24ff],
  [0x3000, 0x30ff],
  [0xac00, 0xac40],
  [0xfb00, 0xfdff],
  [0xfe70, 0xffef],
  [0x1d400, 0x1d7ff],
];
// Neighbours a character may interact with: a letter, a combining acute, a Devanagari virama
// cluster, a halfwidth voicing mark, a Greek capital, a sigma.
const CONTEXTS = ['a', '\u0301', 'क्', 'ﾞ', 'Α', 'Σ'];

describe('foldName', () => {
  it('folds words as lower case without diacritics, in any script', () => {
    expect(foldName('München')).toBe('munchen');
    expect(foldName('Kraków')).toBe('krakow');
    expect(foldName("St. John's")).toBe('st johns');
    expect(foldName('Łódź')).toBe('lodz');
    expect(foldName('Winston-Salem')).toBe('winston salem');
    expect(foldName('ΟΔΟΣ')).toBe('οδος');
    expect(foldName('Москва')).toBe('москва');
  });

  it('folds every word character by character exactly as it folds the whole word', () => {
    let checked = 0;
    for (const [from, to] of BLOCKS)
      for (let cp = from; cp <= to; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        const c = String.fromCodePoint(cp);
        for (const n of CONTEXTS)
          for (const word of [c, n + c, c + n]) {
            expect(foldName(word), `U+${cp.toString(16)} in ${JSON.stringify(word)}`).toBe(
              foldNameWhole(word),
            );
            checked++;
          }
      }
    expect(checked).toBeGreaterThan(100_000);
  });

  it('keeps the whole-word fold where a character depends on its neighbours', () => {
    for (const word of [
      'ΟΔΟΣ.Α', // a final sigma is lower-cased by what follows it
      'ΑΣ',
      'Ϲ𝚺Α', // characters that decompose to a sigma
      'ｶﾞｷﾞ', // halfwidth voicing marks decompose to combining marks
      'e\u0323\u0301', // marks reordered by their combining class
      'क\u094d\u093c', // a virama and a nukta, kept and reordered
      'ﬁ①Ⅻᴬ¼', // compatibility forms
      '\uD842', // a lone surrogate
    ])
      expect(foldName(word), JSON.stringify(word)).toBe(foldNameWhole(word));
  });
});
