import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { locatePost, unplacedReasons } from '../../server/collector/locate-post.js';
import type { Locator } from '../../server/geo/types.js';
import { post, useCampaignLocator } from '../geo/campaign-locator.js';

const lines: string[] = [];
const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line).msg) });
const uri = 'https://a.example/users/ada/statuses/1';

describe('locating a post for the store: its city and why, or why none', () => {
  const locator = useCampaignLocator();

  it("keeps the locator's reason with the city it found", () => {
    const found = locatePost(locator(), { html: post('Greetings from Lagos!') }, log, uri);
    expect(found.located?.place.name).toBe('Lagos');
    expect(found.located?.reason).toMatch(/‘[^’]*Lagos’/);
    expect(found.unplaced).toBeUndefined();
  });

  it("keeps the locator's own reason for no pin", () => {
    expect(locatePost(locator(), { html: post('from the couch') }, log, uri)).toEqual({
      located: null,
      unplaced: 'the post names no place',
    });
    expect(
      locatePost(locator(), { html: post('I live in Portland and Seattle') }, log, uri),
    ).toEqual({
      located: null,
      unplaced: '‘Portland’ and ‘Seattle’ are both named as home: no one pin',
    });
    expect(
      locatePost(locator(), { html: post('Off to Lisbon next week for a conference') }, log, uri),
    ).toEqual({ located: null, unplaced: '‘Off to Lisbon’ is a trip, not home' });
  });

  it('says the locator found no city when the locator cannot say why', () => {
    const bare: Locator = { locate: () => null, placeById: () => null };
    expect(locatePost(bare, { text: 'from the couch' }, log, uri)).toEqual({
      located: null,
      unplaced: unplacedReasons.abstained,
    });
  });

  it('keeps a post the locator failed on without a city, says so, and logs the failure', () => {
    const broken: Locator = {
      locate: () => {
        throw new Error('a bug');
      },
      placeById: () => null,
    };
    lines.length = 0;
    expect(locatePost(broken, { text: 'Lagos' }, log, uri)).toEqual({
      located: null,
      unplaced: unplacedReasons.failed,
    });
    expect(lines).toEqual(['the locator failed on a post; it is kept without a city']);
  });
});
