import { describe, expect, it } from 'vitest';
import { adjectiveNounForms, baseForms } from '../../server/geo/inflection.js';
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

  it('undoes the consonant a Slavic locative ending changes', () => {
    expect(forms('Sopocie', 'pl', true)).toContain('sopot');
    expect(forms('Pradze', 'pl', true)).toContain('praga');
    expect(forms('Praze', 'cs', true)).toContain('praha');
    expect(forms('Rijeci', 'hr', true)).toContain('rijeka');
    expect(forms('Ризі', 'uk', true)).toContain(foldName('Рига'));
    expect(forms('Магілёве', 'be', true)).toContain(foldName('Магілёў'));
    expect(forms('Sopocie', 'pl', false)).toEqual([]);
  });

  it('gives the nominative of a plural town name after a Slavic preposition', () => {
    expect(forms('Химках', 'ru', true)).toContain(foldName('Химки'));
    expect(forms('Люберцах', 'ru', true)).toContain(foldName('Люберцы'));
    expect(forms('Tychach', 'pl', true)).toContain('tychy');
    expect(forms('Pardubicích', 'cs', true)).toContain('pardubice');
  });

  it('gives the nominative of an inflected adjective and noun together, and nothing for one word', () => {
    const pair = (a: string, b: string, lang: string) =>
      adjectiveNounForms({ text: a, key: foldName(a) }, { text: b, key: foldName(b) }, lang);
    expect(pair('Новом', 'Саду', 'sr')).toContain(foldName('Нови Сад'));
    expect(pair('Banskej', 'Bystrici', 'sk')).toContain('banska bystrica');
    expect(pair('Jeleniej', 'Górze', 'pl')).toContain('jelenia gora');
    expect(pair('Нижнем', 'Новгороде', 'ru')).toContain(foldName('Нижний Новгород'));
    expect(pair('Zielonej', 'Górze', 'pl')).toContain('zielona gora');
    expect(pair('Старом', 'Осколе', 'ru')).toContain(foldName('Старый Оскол'));
  });

  it('brings back the fleeting vowel of a Croatian or Serbian nominative', () => {
    expect(forms('Sisku', 'hr', true)).toContain('sisak');
    expect(forms('Чачку', 'sr', true)).toContain(foldName('Чачак'));
    expect(forms('Крагујевцу', 'sr', true)).toContain(foldName('Крагујевац'));
  });

  it('strips the letters Hebrew, Arabic-script and Bengali glue onto a name, whatever the language tag', () => {
    expect(forms('בחיפה', 'en')).toContain(foldName('חיפה'));
    expect(forms('شیرازم', 'en')).toContain(foldName('شیراز'));
    expect(forms('ঢাকায়', 'en')).toContain(foldName('ঢাকা'));
  });

  it('leaves too short a stem: “سلام” (hello) is no town', () => {
    expect(forms('سلام', 'fa')).toEqual([]);
  });

  it('strips the endings that say "in" or "from" in Estonian, Azerbaijani, Uzbek, Kazakh and Basque', () => {
    expect(forms('Tartus', 'et')).toContain('tartu');
    expect(forms('Gəncədə', 'az')).toContain(foldName('Gəncə'));
    expect(forms('Buxoroda', 'uz')).toContain('buxoro');
    expect(forms('Шымкентте', 'kk')).toContain(foldName('Шымкент'));
    expect(forms('Iruñetik', 'eu')).toContain(foldName('Iruñe'));
  });

  it('puts back the nominative ending a Lithuanian case form replaced', () => {
    expect(forms('Kaune', 'lt')).toContain('kaunas');
    expect(forms('Klaipėdoje', 'lt')).toContain('klaipeda');
  });

  it('reads Armenian, Georgian, Nepali and Tamil case endings by their script, whatever the tag', () => {
    expect(forms('Գյումրիում', 'en')).toContain(foldName('Գյումրի'));
    expect(forms('ბათუმში', '')).toContain(foldName('ბათუმი'));
    expect(forms('पोखरामा', 'hi')).toContain(foldName('पोखरा'));
    expect(forms('மதுரையில்', 'en')).toContain(foldName('மதுரை'));
    expect(forms('திருச்சியிலிருந்து', 'ta')).toContain(foldName('திருச்சி'));
    expect(forms('கும்பகோணத்தில்', 'ta')).toContain(foldName('கும்பகோணம்'));
  });

  it('brings back a Slavic fleeting e: "v Plzni" is Plzeň', () => {
    expect(forms('Plzni', 'cs', true)).toContain('plzen');
  });

  it('leaves words in languages without locative endings alone', () => {
    expect(forms('Boston', 'en')).toEqual([]);
  });
});
