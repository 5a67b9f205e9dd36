// Issue #14: the locator says why it placed no pin, in one line a moderator can check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases, toInput } from '../../bench/locate.bench.js';
import type { Gazetteer } from '../../server/geo/gazetteer.js';
import { createLocator } from '../../server/geo/locator.js';
import { FITTED } from '../../server/geo/scorer-weights.js';
import type { Explained, LocateInput } from '../../server/geo/types.js';
import { DEV_SETS } from '../../scripts/locate-sets.js';
import { ensureGazetteer } from './ensure-gazetteer.js';

let gazetteer: Gazetteer;
let hand: ReturnType<typeof createLocator>;
let fitted: ReturnType<typeof createLocator>;
beforeAll(async () => {
  gazetteer = await ensureGazetteer();
  hand = createLocator(gazetteer, { campaignTags: ['yourturn'], scorer: null });
  fitted = createLocator(gazetteer, { campaignTags: ['yourturn'], scorer: FITTED });
});
afterAll(() => gazetteer.close());

const why = (text: string, profileLocation?: string): Explained =>
  hand.explain({ text: `#yourturn ${text}`, profileLocation });
const reason = (text: string, profileLocation?: string): string => {
  const e = why(text, profileLocation);
  expect(e.located).toBeNull();
  return e.reason;
};

describe('why the hand rules placed no pin', () => {
  it('says the post names no place when it names none', () => {
    expect(reason('count me in!')).toBe('the post names no place');
    expect(reason('from the couch')).toBe('the post names no place');
  });

  it('says lower-case words that GeoNames knows as towns were read too weakly', () => {
    // A capital elsewhere: the author writes names with capitals, and did not here.
    expect(reason('I like portland a lot')).toBe(
      'the post names no place, only lower-case words read too weakly as towns (‘portland’ and ‘lot’)',
    );
  });

  it('says a region, a country or an area is not a city', () => {
    expect(reason('Greetings from Bavaria')).toBe('‘Bavaria’ is a region, not a city');
    expect(reason('We love France and Bavaria')).toBe(
      '‘France’ is a country, not a city; ‘Bavaria’ is a region, not a city',
    );
    expect(reason('Upstate New York')).toMatch(/^‘Upstate’ is an area, not a city/);
  });

  it("names the role that makes each city someone else's, a trip, the past, a plan or a denial", () => {
    expect(reason('Off to Lisbon next week for a conference')).toBe(
      '‘Off to Lisbon’ is a trip, not home',
    );
    expect(reason('My sister lives in Lisbon')).toBe('‘Lisbon’ is where someone else is');
    expect(reason('flying from Boston to Denver today')).toBe(
      '‘flying from Boston’ is a trip, not home; ‘Denver’ is a trip, not home',
    );
    expect(reason('I grew up in Lisbon')).toBe(
      '‘grew up in Lisbon’ is where the author used to be',
    );
    expect(reason('Moving to Denver next year')).toBe('‘Moving to Denver’ is a plan, not home');
    expect(reason('Not in Toronto anymore')).toBe(
      '‘Not in Toronto’ is where the author says they are not',
    );
  });

  it('names every city of a list of homes', () => {
    expect(reason('I live in Portland and Seattle')).toBe(
      '‘Portland’ and ‘Seattle’ are both named as home: no one pin',
    );
    expect(reason('I live in Paris, Rome and Vienna')).toBe(
      '‘Paris’, ‘Rome’ and ‘Vienna’ are all named as home: no one pin',
    );
  });

  it('says when two cities are named as strongly as each other', () => {
    expect(reason('I live in Berlin. I live in Paris.')).toBe(
      "‘Berlin’ and ‘Paris’ are both named strongly as the author's place: no one pin",
    );
  });

  it('calls a weak pick beside another plausible city a coin toss', () => {
    expect(reason('loving Cambridge today, also Seattle')).toBe(
      '‘Seattle’ is named too weakly beside ‘Cambridge’: a coin toss',
    );
  });

  it('says a name with namesakes could be several places, with its confidence and the threshold', () => {
    expect(reason('Cambridge')).toBe('‘Cambridge’ could be several places (0.49, below 0.5)');
  });

  it('says a name read too weakly, or weakened by a trip word, is below the threshold', () => {
    expect(reason('Greetings from Brive')).toBe(
      '‘Brive’ is read too weakly as a place (0.43, below 0.5)',
    );
    // Bretagne is a region now that regions have their local names (iso3166-2-db)
    expect(reason('Greetings from Bretagne')).toBe('‘Bretagne’ is a region, not a city');
    expect(reason('Denver. Loving this vacation')).toBe(
      '‘Denver’ is read as a place, but the post speaks of a trip (0.24, below 0.5)',
    );
  });

  it('says when the profile location field gives no city', () => {
    expect(reason('count me in', 'the internet')).toBe(
      "the post names no place; the profile's location field (‘the internet’) gives no city",
    );
    expect(reason('count me in', 'moving to Berlin')).toBe(
      "the post names no place; the profile's location field (‘moving to Berlin’) gives no city",
    );
  });

  it('says when the profile location field names only a region, a country or an area', () => {
    expect(reason('count me in', 'Earth')).toBe(
      "the post names no place; the profile's location field (‘Earth’) names an area, not a city",
    );
    expect(reason('count me in', 'Texas')).toBe(
      "the post names no place; the profile's location field (‘Texas’) names a region, not a city",
    );
    expect(reason('aquí estoy', 'Argentina 🇦🇷')).toBe(
      "the post names no place; the profile's location field (‘Argentina 🇦🇷’) names a country, not a city",
    );
  });

  it("says when the profile's city disagrees with the post", () => {
    expect(reason('I live in Berlin. I live in Paris.', 'Leeds, UK')).toBe(
      "‘Berlin’ and ‘Paris’ are both named strongly as the author's place: no one pin; " +
        "the profile's location field (‘Leeds, UK’) names a city the post does not claim",
    );
    expect(reason('Portland and Seattle folks unite', 'Leeds')).toBe(
      "‘Portland’ and ‘Seattle’ are both named as home: no one pin; the profile's location field (‘Leeds’) does not settle the post's list",
    );
  });

  it("gives a placed post's own reason", () => {
    const e = why('Vivo desde Bilbao; mi hermana vive en Donostia');
    expect(e.located?.place.name).toBe('Bilbao');
    expect(e.reason).toBe(e.located?.reason);
    expect(e.reason).toBe(
      '‘Vivo desde Bilbao’ is where the author is; ‘Donostia’ is where someone else is',
    );
  });
});

describe('why the fitted scorer placed no pin', () => {
  it('gives its best reading, its score and its threshold when it turns down the hand rules’ pick', () => {
    // The hand rules read "Savossa" (Finnish: in Savonia, a region) as Savona, Italy.
    const text = '#yourturn Asun Savossa, järviä joka suunnassa.';
    expect(hand.locate({ text, language: 'fi' })?.place.name).toBe('Savona');
    const e = fitted.explain({ text, language: 'fi' });
    expect(e.located).toBeNull();
    expect(e.reason).toMatch(
      /^the fitted scorer's best reading, ‘Savossa’, scored 0\.\d+ \(below /,
    );
    expect(e.reason).toContain(`(below ${FITTED.threshold}): too unsure to pin`);
  });

  it('says what the post holds when the hand rules find no place of the author’s either', () => {
    expect(fitted.explain({ text: '#yourturn Off to Lisbon next week' }).reason).toBe(
      '‘Off to Lisbon’ is a trip, not home',
    );
  });

  it('falls back to the hand reasons when there is nothing to score', () => {
    expect(fitted.explain({ text: '#yourturn count me in!' }).reason).toBe(
      'the post names no place',
    );
    expect(fitted.explain({ text: '#yourturn We love France and Bavaria' }).reason).toBe(
      '‘France’ is a country, not a city; ‘Bavaria’ is a region, not a city',
    );
  });
});

describe('explain answers as locate does', () => {
  const inputs = (): LocateInput[] => DEV_SETS.flatMap(([, path]) => loadCases(path).map(toInput));

  it('over every development post, with the hand rules and with the fitted scorer, and always gives a reason', () => {
    const all = inputs();
    expect(all.length).toBeGreaterThan(2000);
    let abstained = 0;
    for (const locator of [hand, fitted])
      for (const input of all) {
        const { located, reason } = locator.explain(input);
        expect(located).toEqual(locator.locate(input));
        expect(reason.length).toBeGreaterThan(0);
        if (located) expect(reason).toBe(located.reason);
        else abstained++;
      }
    expect(abstained).toBeGreaterThan(200);
  }, 60_000);

  it('attributes every development abstention to a rule, not the generic line', () => {
    const generic = inputs().filter((input) => {
      const e = hand.explain(input);
      return !e.located && e.reason.startsWith('the locator found no city');
    });
    expect(generic.length).toBe(0);
  }, 60_000);
});
