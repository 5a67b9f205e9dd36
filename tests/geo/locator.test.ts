import { describe, expect, it } from 'vitest';
import { TAG, hashtag, post, useCampaignLocator } from './campaign-locator.js';

const locator = useCampaignLocator();

const placeOf = (html: string, extra: object = {}) =>
  locator().locate({ html, language: 'en', ...extra });

describe('locator', () => {
  it("places '#YourTurn Portland' in Portland, Oregon, not Portland, Maine", () => {
    const r = placeOf(post('Portland'));
    expect(r?.place).toMatchObject({
      id: 5746545,
      name: 'Portland',
      admin1: 'Oregon',
      country: 'US',
    });
    expect(r?.matched).toBe('Portland');
  });

  it('places Portland, Maine when the post says Maine, ME or the profile says Maine', () => {
    expect(placeOf(post('Portland, Maine'))?.place.id).toBe(4975802);
    expect(placeOf(post('Portland ME'))?.place.id).toBe(4975802);
    expect(placeOf(post('Portland'), { profileLocation: 'Maine, USA' })?.place.id).toBe(4975802);
  });

  it('returns the whole qualified span so a moderator sees why', () => {
    expect(placeOf(post('Greetings from Paris, Texas!'))?.matched).toBe('Paris, Texas');
    expect(placeOf(post('Melbourne 🇦🇺'))?.matched).toBe('Melbourne 🇦🇺');
  });

  it("puts no pin for '#YourTurn from the couch'", () => {
    expect(placeOf(post('from the couch'))).toBeNull();
  });

  it.each([
    ['a country', 'from Canada'],
    ['a state', 'from Texas!'],
    ['an area', 'the Bay Area'],
    ['two home cities', 'Portland and Seattle, we have two chapters'],
    ['a trip', 'visiting Rome this week, anyone around?'],
    ['a common word that is a town', 'Reading the book everyone recommended'],
    ['"Nice work"', 'Nice work everyone'],
    ['a joke with a real tiny town', 'greetings from Hell lol'],
    ['a same-name city with no hint', 'Springfield'],
  ])('abstains on %s: "%s"', (_what, text) => {
    expect(placeOf(post(text))).toBeNull();
  });

  it.each([
    ['#NewYorkCity', hashtag('NewYorkCity'), 5128581],
    ['#SanFrancisco', hashtag('SanFrancisco'), 5391959],
    ['#sanfrancisco', hashtag('sanfrancisco'), 5391959],
    ['NYC', 'NYC', 5128581],
    ['CDMX', 'desde CDMX', 3530597],
    ['KL', 'KL', 1735161],
    ['Bombay', 'Bombay', 1275339],
    ['Kiev', 'Kiev', 703448],
  ])('reads the hashtag or alias %s', (_what, text, id) => {
    expect(placeOf(post(text))?.place.id).toBe(id);
  });

  it.each([
    ['Zürich', 'Zurich', 2657896],
    ['São Paulo', 'Sao Paulo', 3448439],
  ])('folds diacritics: %s = %s', (a, b, id) => {
    expect(placeOf(post(a))?.place.id).toBe(id);
    expect(placeOf(post(b))?.place.id).toBe(id);
  });

  it.each([
    ['aus Köln', 'de', 2886242],
    ['Grüße aus München!', 'de', 2867714],
    ['Groeten uit Den Haag', 'nl', 2747373],
    ['Москва', 'ru', 524901],
    ['我在上海', 'zh', 1796236],
    ['Pozdrowienia z Krakowa', 'pl', 3094802],
  ])('understands "%s" (%s)', (text, language, id) => {
    expect(locator().locate({ html: post(text), language })?.place.id).toBe(id);
  });

  it('ignores mentions and link text', () => {
    const html = `<p>${TAG} <span class="h-card"><a href="https://m.example/@paris" class="u-url mention">@<span>paris</span></a></span> <a href="https://example.org/berlin" rel="nofollow">example.org/berlin</a></p>`;
    expect(placeOf(html)).toBeNull();
  });

  it('never throws, whatever it is given', () => {
    const odd = [
      {},
      { html: '<p><a href="' },
      { text: '\u0000\uffff#'.repeat(1000) },
      { html: null as unknown as string },
      { tags: 5 as unknown as string[] },
    ];
    for (const input of odd) expect(() => locator().locate(input)).not.toThrow();
  });

  it('looks places up by GeoNames id', () => {
    expect(locator().placeById(2950159)).toMatchObject({ name: 'Berlin', country: 'DE' });
    expect(locator().placeById(-1)).toBeNull();
  });

  it('puts a same-name city in the home country of a non-English post (Valencia in Spanish is in Spain)', () => {
    expect(placeOf(post('Valencia'), { language: 'es' })?.place.country).toBe('ES');
    expect(placeOf(post('Valencia, Venezuela'), { language: 'es' })?.place.country).toBe('VE');
  });

  it('reads a province whose namesake city is a small part of it as the province, and abstains', () => {
    expect(placeOf(post('from Quebec'))).toBeNull();
    expect(placeOf(post('from Quebec City'))?.place.id).toBe(6325494);
    expect(placeOf(post('from Zürich'))?.place.id).toBe(2657896);
  });

  it('does not pin a town whose name is followed by City or another place noun', () => {
    expect(placeOf(post('from Gotham City'))).toBeNull();
    expect(placeOf(post('Kansas City'))?.place.name).toBe('Kansas City');
  });

  it('reads "NYC, Queens" as one place but "Berlin, Hamburg, Köln" as a list', () => {
    expect(placeOf(post('in NYC, Queens to be exact'))?.place.id).toBe(5128581);
    expect(placeOf(post('Queens, NYC'))?.place.id).toBe(5128581);
    expect(placeOf(post('Berlin, Hamburg, Köln'), { language: 'de' })).toBeNull();
  });

  it('skips a city the post says someone came from', () => {
    expect(placeOf(post('Calgary, though I grew up in Regina'))?.place.id).toBe(5913490);
    expect(placeOf(post('born in Regina'))).toBeNull();
  });

  it('reads Finnish, Hungarian and Turkish case endings and Polish genitives', () => {
    expect(placeOf(post('Asun Tampereella'), { language: 'fi' })?.place.id).toBe(634963);
    expect(placeOf(post('Szegeden élek'), { language: 'hu' })?.place.name).toBe('Szeged');
    expect(placeOf(post("Konya'dan selamlar"), { language: 'tr' })?.place.name).toBe('Konya');
    expect(placeOf(post('z Wrocławia'), { language: 'pl' })?.place.id).toBe(3081368);
  });

  it("prefers a primary name to a big city's alternate: Frisco is not San Francisco", () => {
    expect(placeOf(post('Frisco'))?.place.id).not.toBe(5391959);
  });
});
