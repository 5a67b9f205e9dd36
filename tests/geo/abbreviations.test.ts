// Hashtags that shorten a big city's name to its consonants (issue #14): read from GeoNames
// names, not from a list of nicknames.
import { describe, expect, it } from 'vitest';
import { afterAll, beforeAll } from 'vitest';
import { abbreviatedTown, clippedTown } from '../../server/geo/abbreviations.js';
import { isEnglishWord } from '../../server/geo/english-words.js';
import type { Gazetteer } from '../../server/geo/gazetteer.js';
import { ensureGazetteer } from './ensure-gazetteer.js';
import { hashtag, post, useCampaignLocator } from './campaign-locator.js';

const locator = useCampaignLocator();
let g: Gazetteer;
beforeAll(async () => {
  g = await ensureGazetteer();
});
afterAll(() => g.close());
const gazetteer = (): Gazetteer => g;
const locate = (html: string, language = 'en') => locator().locate({ html, language });

describe('a hashtag that shortens a big city’s name', () => {
  it.each([
    ['Phx', 'Phoenix'],
    ['Dtrt', 'Detroit'],
    ['Hbg', 'Hamburg'],
  ])('#%s is %s', (tag, city) => {
    const r = locate(post(`${hashtag(tag)} 🌵 hello from here`));
    expect(r?.place.name).toBe(city);
    expect(r?.matched).toBe(`#${tag}`);
  });

  it('is read in any case, as hashtags are', () => {
    expect(locate(post(`${hashtag('PHX')} checking in`))?.place.name).toBe('Phoenix');
  });

  it('is not an English word with one vowel', () => {
    // B…d in order is Baghdad; "bad" is a word.
    expect(isEnglishWord('bad')).toBe(true);
    expect(abbreviatedTown(gazetteer(), 'Bad')).toBeNull();
    expect(abbreviatedTown(gazetteer(), 'Bgdd')?.name).toBe('Baghdad');
  });

  it('is not a tag with two vowels or more', () => {
    // D…d in order is Dhanbad; a tag written like a word is read as a word.
    expect(abbreviatedTown(gazetteer(), 'Dhnbd')?.name).toBe('Dhanbad');
    expect(abbreviatedTown(gazetteer(), 'Daobd')).toBeNull();
  });

  it('does not shorten a name of several words, which people write as initials', () => {
    // G…a in order is Greater Noida; #GTA is the Greater Toronto Area, a region.
    expect(locate(post(`Anyone else in the ${hashtag('GTA')} doing this? 🍁`))).toBeNull();
  });

  it('may stop before the name ends in a post not in English, as German writers shorten Leipzig', () => {
    expect(locate(post(`Wieder Regen. ${hashtag('Lpz')}`), 'de')?.place.name).toBe('Leipzig');
    expect(abbreviatedTown(gazetteer(), 'Lpz', 'de')?.name).toBe('Leipzig');
  });

  it('does not stop before the end in English, where such tags are slang (#Brb would be Brisbane)', () => {
    expect(abbreviatedTown(gazetteer(), 'Brb', 'en')).toBeNull();
    expect(abbreviatedTown(gazetteer(), 'Lpz', 'en')).toBeNull();
    // …nor for a tag in capitals, which is a code
    expect(abbreviatedTown(gazetteer(), 'LPZ', 'de')).toBeNull();
  });

  it('is only a hashtag: the same letters in the text name nothing', () => {
    expect(locate(post('phx checking in'))).toBeNull();
  });
});

describe('a hashtag that clips a big city’s name', () => {
  it.each([
    ['Sheff', 'Sheffield'],
    ['Manc', 'Manchester'],
    ['Adelaidey', null],
    ['Brissie', 'Brisbane'],
    ['Sydders', null],
  ])('#%s is %s', (tag, city) => {
    expect(clippedTown(gazetteer(), tag)?.name ?? null).toBe(city);
  });

  it('may keep a first letter or two and the last syllable (#Lpool, #Soton)', () => {
    expect(clippedTown(gazetteer(), 'Lpool')?.name).toBe('Liverpool');
    expect(clippedTown(gazetteer(), 'Soton')?.name).toBe('Southampton');
  });

  it('places a post by such a tag', () => {
    const r = locate(post(`Rain on the tram again ${hashtag('Manc')} 🐝`));
    expect(r?.place.name).toBe('Manchester');
    expect(r?.matched).toBe('#Manc');
  });

  it('is no English word nor its plural, and no town’s own name', () => {
    expect(clippedTown(gazetteer(), 'Moms')).toBeNull();
    expect(clippedTown(gazetteer(), 'Tally')).toBeNull();
    expect(clippedTown(gazetteer(), 'Berlin')).toBeNull();
  });

  it('stands for one town only, or one far bigger than the next', () => {
    // "Ind…" begins Indore and Indianapolis, neither three times the other.
    expect(clippedTown(gazetteer(), 'Indy')).toBeNull();
  });

  it('leaves common hashtags alone', () => {
    for (const tag of ['Caturday', 'Bookstodon', 'Gardening', 'Coffee', 'Linux', 'Silly', 'Brexit'])
      expect(clippedTown(gazetteer(), tag)).toBeNull();
  });
});

describe('local codes (data/local-codes.tsv)', () => {
  it.each([
    ['de', `Schloss, Fächerstadt und zu viele Baustellen. ${hashtag('KA')}`, 'Karlsruhe'],
    ['de', `Prinzipalmarkt, Fahrräder überall, Regen sowieso. ${hashtag('MS')}`, 'Münster'],
    ['it', `Piazza delle Erbe e l'Adige sotto casa. ${hashtag('VR')}`, 'Verona'],
    ['it', `Granita e brioche, il mare di Ognina. ${hashtag('CT')}`, 'Catania'],
  ])(
    '%s: reads a car-plate or province code as its town in a post in that country’s language',
    (language, text, name) => {
      expect(locate(post(text), language)?.place.name).toBe(name);
    },
  );

  it('reads no plate code in a post in another language', () => {
    expect(
      locate(post(`Castle, canals and too much construction. ${hashtag('KA')}`), 'en'),
    ).toBeNull();
    expect(
      locate(post(`Granita and brioche by the sea. ${hashtag('CT')}`), 'en')?.place.name,
    ).not.toBe('Catania');
  });
});

describe('nicknames (data/nicknames.tsv)', () => {
  it.each([
    [`Incline railway and river walks, best summer yet ${hashtag('Nooga')}`, 'Chattanooga'],
    [`Deep dish pizza tonight, obviously ${hashtag('chi')}`, 'Chicago'],
    [`火锅和熊猫，${hashtag('蓉城')} 的秋天`, 'Chengdu'],
  ])('reads a nickname hashtag as its city: “%s”', (text, name) => {
    expect(locate(post(text))?.place.name).toBe(name);
  });

  it('reads a “text” nickname anywhere in the post, in any case', () => {
    expect(
      locate(post('Checking in from the Windy City, lake effect snow again'))?.place.name,
    ).toBe('Chicago');
  });

  it('reads a “tag” nickname only as a hashtag, and an area nickname as no pin', () => {
    expect(locate(post('Chi is a word my yoga teacher uses a lot')))?.toBeNull();
    expect(locate(post(`Sunshine and freeways, that is ${hashtag('SoCal')} for you`))).toBeNull();
  });
});
