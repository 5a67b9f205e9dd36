import { describe, expect, it } from 'vitest';
import { baseForms } from '../../server/geo/inflection.js';
import { foldName } from '../../server/geo/fold.js';

const forms = (word: string, lang: string, afterLocative = false): string[] =>
  baseForms(word, foldName(word), lang, afterLocative);

describe('baseForms', () => {
  it('undoes Finnish vowel lengthening and nk/ng gradation', () => {
    expect(forms('Tampereelta', 'fi')).toContain('tampere');
    expect(forms('Helsingissä', 'fi')).toContain('helsinki');
  });

  it("splits a Turkish ending at the apostrophe whatever the post's language", () => {
    expect(forms("Ankara'da", 'en')).toEqual(['ankara']);
  });

  it('strips Slavic case endings only after a locative word', () => {
    expect(forms('Brna', 'cs', true)).toContain('brno');
    expect(forms('Brna', 'cs', false)).toEqual([]);
  });

  it('strips the letters Hebrew, Arabic-script and Bengali glue onto a name, whatever the language tag', () => {
    expect(forms('בחיפה', 'en')).toContain(foldName('חיפה'));
    expect(forms('شیرازم', 'en')).toContain(foldName('شیراز'));
    expect(forms('ঢাকায়', 'en')).toContain(foldName('ঢাকা'));
  });

  it('leaves too short a stem: “سلام” (hello) is no town', () => {
    expect(forms('سلام', 'fa')).toEqual([]);
  });

  it('leaves words in languages without locative endings alone', () => {
    expect(forms('Boston', 'en')).toEqual([]);
  });
});
