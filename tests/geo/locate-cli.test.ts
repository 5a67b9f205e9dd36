import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gazetteer } from '../../server/geo/gazetteer.js';
import { runLocateCli } from '../../server/geo/locate-cli.js';
import { createLocator } from '../../server/geo/locator.js';
import { profileLocation } from '../../server/geo/profile-location.js';
import type { Locator } from '../../server/geo/types.js';
import { ensureGazetteer } from './ensure-gazetteer.js';

let gazetteer: Gazetteer;
beforeAll(async () => {
  gazetteer = await ensureGazetteer();
});
afterAll(() => gazetteer.close());

async function run(lines: string[]) {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  const summary = await runLocateCli(
    Readable.from(lines.map((l) => `${l}\n`)),
    out,
    createLocator(gazetteer),
    { campaignTags: ['YourTurn'] },
  );
  return {
    summary,
    rows: chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

// A Mastodon status as GET /api/v1/statuses/:id returns it, trimmed to the fields the CLI reads.
const status = {
  id: '113311223344556677',
  content:
    '<p><a href="https://mastodon.social/tags/YourTurn" class="mention hashtag" rel="tag">#<span>YourTurn</span></a> Portland</p>',
  tags: [{ name: 'yourturn', url: 'https://mastodon.social/tags/yourturn' }],
  language: 'en',
  account: {
    acct: 'amy@example.social',
    fields: [{ name: 'Location', value: 'Maine', verified_at: null }],
  },
};

describe('locate CLI', () => {
  it('writes one line per status, using the profile Location field as a hint', async () => {
    const { summary, rows } = await run([
      JSON.stringify(status),
      JSON.stringify({ id: 'x2', text: '#yourturn from the couch' }),
    ]);
    expect(summary).toEqual({ lines: 2, errors: 0 });
    expect(rows[0]).toMatchObject({
      id: '113311223344556677',
      place: { id: 4975802, name: 'Portland', admin1: 'Maine' },
      matched: 'Portland',
    });
    expect(rows[0]!.confidence).toBeGreaterThan(0.5);
    expect(rows[1]).toEqual({
      id: 'x2',
      place: null,
      confidence: 0,
      matched: null,
      reason: 'the post names no place',
    });
  });

  it("prints why: which name is the author's place and what the others are", async () => {
    const { rows } = await run([
      JSON.stringify({
        id: 'r1',
        text: '#yourturn Vivo desde Bilbao; mi hermana vive en Donostia',
      }),
      JSON.stringify({ id: 'r2', text: '#yourturn count me in!', profileLocation: 'Lyon, France' }),
    ]);
    expect(rows[0]).toMatchObject({ place: { name: 'Bilbao' } });
    expect(rows[0]!.reason).toBe(
      '‘Vivo desde Bilbao’ is where the author is; ‘Donostia’ is where someone else is',
    );
    expect(rows[1]).toMatchObject({ place: { name: 'Lyon', country: 'FR' } });
    expect(rows[1]!.reason).toBe("from the profile's location field (‘Lyon, France’)");
  });

  it('prints why there is no pin too: a trip, a list of homes, a region', async () => {
    const { rows } = await run([
      JSON.stringify({ id: 'n1', text: '#yourturn Off to Lisbon next week for a conference' }),
      JSON.stringify({ id: 'n2', text: '#yourturn I live in Portland and Seattle' }),
      JSON.stringify({ id: 'n3', text: '#yourturn count me in', profileLocation: 'Texas' }),
    ]);
    expect(rows.map((r) => [r.id, r.place, r.reason])).toEqual([
      ['n1', null, '‘Off to Lisbon’ is a trip, not home'],
      ['n2', null, '‘Portland’ and ‘Seattle’ are both named as home: no one pin'],
      [
        'n3',
        null,
        "the post names no place; the profile's location field (‘Texas’) names a region, not a city",
      ],
    ]);
  });

  it('prints a null reason for no pin when the locator cannot explain itself', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const bare: Locator = { locate: () => null, placeById: () => null };
    await runLocateCli(Readable.from(['{"id":1,"text":"Lisbon"}\n']), out, bare);
    expect(JSON.parse(chunks.join(''))).toEqual({
      id: 1,
      place: null,
      confidence: 0,
      matched: null,
      reason: null,
    });
  });

  it('answers a bad line with an error line and keeps going', async () => {
    const { summary, rows } = await run([
      '{"id": 1, "text": "Lyon"',
      '[1,2]',
      '',
      JSON.stringify({ id: 3, text: '#yourturn Lyon' }),
    ]);
    expect(summary).toEqual({ lines: 3, errors: 2 });
    expect(rows[0]).toMatchObject({ line: 1 });
    expect(rows[0]!.error).toEqual(expect.any(String));
    expect(rows[1]).toMatchObject({ line: 2, error: expect.stringMatching(/JSON object/) });
    expect(rows[2]).toMatchObject({ id: 3, place: { name: 'Lyon', country: 'FR' } });
  });

  it('finds the location field under other names and strips its HTML', () => {
    expect(
      profileLocation([
        { name: 'Website', value: '<a href="https://x">x</a>' },
        { name: 'Ort', value: '<p>Köln</p>' },
      ]),
    ).toBe('Köln');
    expect(profileLocation(undefined)).toBeNull();
  });
});
