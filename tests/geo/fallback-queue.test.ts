import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Place } from '../../shared/types.js';
import type { OnlineFallback } from '../../server/geo/fallback.js';
import { createFallbackQueue, type FallbackQueue } from '../../server/geo/fallback-queue.js';
import type { Gazetteer } from '../../server/geo/gazetteer.js';
import type { LocateInput, Located } from '../../server/geo/types.js';
import { openDb, type Db } from '../../server/store/db.js';
import { locator } from '../helpers/collector-harness.js';
import { ensureGazetteer } from './ensure-gazetteer.js';

// Posts naming a place the gazetteer lacks wait for the online geocoder (1 request/s). With a
// database the wait survives a restart and a backlog longer than the queue.

const hoodRiver: Place = {
  id: 5731777,
  name: 'Hood River',
  admin1: 'Oregon',
  country: 'US',
  lat: 45.7054,
  lng: -121.52146,
  population: 7167,
};
const input = (n: number): LocateInput => ({
  html: `<p>#YourTurn from Xyzzyville${'abcdefghij'[n % 10]} too</p>`,
  campaignTags: ['yourturn'],
});

/** A geocoder that answers Hood River for everything, when the test lets it. */
function fakeGeocoder() {
  const asked: string[] = [];
  let release: (() => void) | null = null;
  let gate: Promise<void> | null = null;
  const fallback: OnlineFallback & { blockedUntil: number } = {
    blockedUntil: 0,
    async geocode(text) {
      asked.push(text);
      if (gate) await gate;
      return hoodRiver;
    },
  };
  return {
    fallback,
    asked,
    hold() {
      gate = new Promise((r) => (release = r));
    },
    letGo() {
      gate = null;
      release?.();
    },
  };
}

let gazetteer: Gazetteer;
let dir: string;
let db: Db;
let queues: FallbackQueue[] = [];
beforeAll(async () => {
  gazetteer = await ensureGazetteer();
});
afterAll(() => gazetteer.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fto-geoqueue-'));
  db = openDb(join(dir, 'q.db')); // migration 8 makes the queue's table
});
afterEach(() => {
  for (const q of queues) q.stop();
  queues = [];
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function queue(geocoder: ReturnType<typeof fakeGeocoder>, placed: Map<string, Located>, more = {}) {
  const q = createFallbackQueue({
    locator: locator(),
    gazetteer,
    fallback: geocoder.fallback,
    setPostPlace: (uri, found) => placed.set(uri, found),
    db,
    ...more,
  });
  queues.push(q);
  return q;
}

describe('the online geocoder queue', () => {
  it('resumes after a restart the posts it had not asked about yet', async () => {
    const geo = fakeGeocoder();
    geo.hold();
    const placed = new Map<string, Located>();
    const first = queue(geo, placed);
    for (let n = 0; n < 3; n++) first.enqueue(`https://x.example/${n}`, input(n));
    await expect.poll(() => geo.asked.length).toBe(1);
    first.stop(); // the server stops while the first answer is still on its way
    expect(placed.size).toBe(0);

    const again = fakeGeocoder();
    const placedAfter = new Map<string, Located>();
    const second = queue(again, placedAfter);
    expect(second.pending).toBe(3);
    await second.idle();
    expect([...placedAfter.keys()].sort()).toEqual([0, 1, 2].map((n) => `https://x.example/${n}`));
    expect(placedAfter.get('https://x.example/0')?.place.id).toBe(hoodRiver.id);
    expect(second.pending).toBe(0);
    geo.letGo();
  });

  it('keeps a backlog longer than the queue on disk instead of dropping it', async () => {
    const geo = fakeGeocoder();
    const placed = new Map<string, Located>();
    const q = queue(geo, placed, { maxPending: 2 });
    for (let n = 0; n < 7; n++) q.enqueue(`https://x.example/${n}`, input(n));
    await q.idle();
    expect(placed.size).toBe(7);
    expect(geo.asked).toHaveLength(7);
  });

  it('drops a backlog beyond the queue when it has no database, as before', async () => {
    const geo = fakeGeocoder();
    const placed = new Map<string, Located>();
    const q = queue(geo, placed, { maxPending: 2, db: undefined });
    for (let n = 0; n < 7; n++) q.enqueue(`https://x.example/${n}`, input(n));
    await q.idle();
    expect(placed.size).toBe(2);
  });

  it('asks again after a rate limit instead of taking "no answer" for "no such place"', async () => {
    let clock = 1_000_000;
    let calls = 0;
    const geo = fakeGeocoder();
    geo.fallback.geocode = async () => {
      calls++;
      if (calls === 1) {
        geo.fallback.blockedUntil = clock + 20; // a 429 with Retry-After
        return null;
      }
      return hoodRiver;
    };
    const placed = new Map<string, Located>();
    const q = queue(geo, placed, { now: () => clock });
    q.enqueue('https://x.example/limited', input(0));
    setTimeout(() => (clock += 50), 5);
    await q.idle();
    expect(calls).toBe(2);
    expect(placed.get('https://x.example/limited')?.place.id).toBe(hoodRiver.id);
  });
});
