import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import NodeGeocoder from 'node-geocoder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOnlineFallback, locateWithFallback } from '../../server/geo/fallback.js';
import type { Gazetteer } from '../../server/geo/gazetteer.js';
import { createLocator } from '../../server/geo/locator.js';
import { openDb } from '../../server/store/db.js';
import { ensureGazetteer } from './ensure-gazetteer.js';

interface FakeNominatim {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  reply: (q: string) => { status: number; body: string; headers?: Record<string, string> };
  close(): Promise<void>;
}

// Nominatim's /search?format=json&addressdetails=1 shape, trimmed to what node-geocoder reads.
const hoodRiver = JSON.stringify([
  {
    place_id: 298765,
    lat: '45.7054',
    lon: '-121.5215',
    display_name: 'Hood River, Oregon, United States',
    name: 'Hood River',
    address: { town: 'Hood River', state: 'Oregon', country: 'United States', country_code: 'us' },
  },
]);

async function startFakeNominatim(name: string): Promise<FakeNominatim> {
  const fake: FakeNominatim = {
    url: '',
    requests: [],
    reply: () => ({ status: 200, body: hoodRiver }),
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    fake.requests.push({ path: req.url ?? '', headers: req.headers });
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
    const { status, body, headers } = fake.reply(q);
    res.writeHead(status, { 'content-type': 'application/json', 'x-server': name, ...headers });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

const UA = 'find-the-others-test/0.1 (+https://example.org/contact)';
let a: FakeNominatim;
let b: FakeNominatim;
let gazetteer: Gazetteer;
let clock = 1_000_000;
const sleeps: number[] = [];
const fakeTime = {
  now: () => clock,
  sleep: async (ms: number) => void (sleeps.push(ms), (clock += ms)),
};

/** A fallback to `serverUrl` with our User-Agent and the fake clock, caching in a fresh database unless `extra` names one. */
const fallbackTo = (
  serverUrl: string,
  extra: Partial<Parameters<typeof createOnlineFallback>[0]> = {},
) =>
  createOnlineFallback({
    serverUrl,
    userAgent: UA,
    ...extra,
    db: extra.db ?? openDb(':memory:'),
    ...fakeTime,
  });

beforeAll(async () => {
  [a, b, gazetteer] = await Promise.all([
    startFakeNominatim('a'),
    startFakeNominatim('b'),
    ensureGazetteer(),
  ]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  gazetteer.close();
});
afterEach(() => {
  a.requests.length = 0;
  b.requests.length = 0;
  sleeps.length = 0;
  a.reply = () => ({ status: 200, body: hoodRiver });
});

describe('online fallback', () => {
  it('sends our identifying User-Agent, not the fake browser one node-geocoder 4.4.1 sets', async () => {
    const fb = fallbackTo(a.url);
    await fb.geocode('Hood River');
    expect(a.requests).toHaveLength(1);
    expect(a.requests[0]!.headers['user-agent']).toBe(UA);
    expect(a.requests[0]!.path).toMatch(/^\/search\?.*q=Hood\+River/);
  });

  it('keeps two fallbacks with different servers apart, though node-geocoder shares one server per process', async () => {
    const fa = fallbackTo(a.url);
    const fb = fallbackTo(b.url);
    // A third, plain node-geocoder instance moves the shared prototype endpoint elsewhere.
    NodeGeocoder({ provider: 'openstreetmap', osmServer: 'http://127.0.0.1:9' });
    await fa.geocode('Hood River');
    await fb.geocode('Hood River');
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
  });

  it('snaps an answer to the nearest gazetteer town so the id is a GeoNames id', async () => {
    const fb = fallbackTo(a.url, { gazetteer });
    expect(await fb.geocode('Hood River')).toMatchObject({
      id: 5731777,
      name: 'Hood River',
      country: 'US',
      admin1: 'Oregon',
    });
  });

  it('caches every answer in SQLite, misses included, across instances on the same db', async () => {
    const db = openDb(':memory:');
    a.reply = (q) =>
      q === 'Hood River' ? { status: 200, body: hoodRiver } : { status: 200, body: '[]' };
    const first = fallbackTo(a.url, { db });
    const hit = await first.geocode('Hood River');
    expect(await first.geocode('Nowhere-upon-Nothing')).toBeNull();
    const second = fallbackTo(a.url, { db });
    expect(await second.geocode('hood river')).toEqual(hit);
    expect(await second.geocode('Nowhere-upon-Nothing')).toBeNull();
    expect(a.requests).toHaveLength(2);
    expect(db.prepare('SELECT COUNT(*) AS n FROM geocode_cache').get()).toEqual({ n: 2 });
  });

  it('sends at most one request per second', async () => {
    const fb = fallbackTo(a.url);
    await Promise.all(['One', 'Two', 'Three'].map((q) => fb.geocode(q)));
    expect(a.requests).toHaveLength(3);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('notices a 429 that node-geocoder would swallow, backs off for Retry-After, and does not cache it', async () => {
    const db = openDb(':memory:');
    a.reply = () => ({
      status: 429,
      body: '<html>Too Many Requests</html>',
      headers: { 'retry-after': '120' },
    });
    const fb = fallbackTo(a.url, { db });
    expect(await fb.geocode('Hood River')).toBeNull();
    expect(fb.blockedUntil).toBe(clock + 120_000);
    expect(await fb.geocode('Hood River')).toBeNull();
    expect(a.requests).toHaveLength(1);
    clock += 120_001;
    a.reply = () => ({ status: 200, body: hoodRiver });
    expect(await fb.geocode('Hood River')).toMatchObject({ name: 'Hood River' });
    expect(a.requests).toHaveLength(2);
  });

  it('asks only about what the gazetteer does not know, and never for trips or known places', async () => {
    const locator = createLocator(gazetteer, { campaignTags: ['yourturn'] });
    const fb = fallbackTo(a.url, { gazetteer });
    const r = await locateWithFallback(locator, gazetteer, fb, {
      text: '#yourturn from Xyzzyville',
      campaignTags: ['yourturn'],
    });
    expect(r).toMatchObject({ matched: 'Xyzzyville', place: { id: 5731777 } });
    expect(
      await locateWithFallback(locator, gazetteer, fb, {
        text: '#yourturn from Canada',
        campaignTags: ['yourturn'],
      }),
    ).toBeNull();
    expect(
      await locateWithFallback(locator, gazetteer, fb, {
        text: '#yourturn visiting Xyzzyville',
        campaignTags: ['yourturn'],
      }),
    ).toBeNull();
    expect(a.requests).toHaveLength(1);
  });
});
