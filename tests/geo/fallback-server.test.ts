import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/main.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';
import { startTestServer } from '../helpers/test-server.js';

// Nominatim's /search answer for a hamlet too small for cities500; it snaps to Hood River, Oregon.
const answer = JSON.stringify([
  {
    place_id: 298766,
    lat: '45.7054',
    lon: '-121.5215',
    display_name: 'Xyzzyville, Oregon, United States',
    name: 'Xyzzyville',
    address: { town: 'Xyzzyville', state: 'Oregon', country: 'United States', country_code: 'us' },
  },
]);
const HOOD_RIVER = 5731777;

let nominatim: Server;
let nominatimUrl: string;
const requests: string[] = [];
let dir: string;
let instance: MastodonInstance;
let server: RunningServer | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fto-geocoder-'));
  nominatim = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(answer);
  });
  await new Promise<void>((r) => nominatim.listen(0, '127.0.0.1', () => r()));
  nominatimUrl = `http://127.0.0.1:${(nominatim.address() as AddressInfo).port}`;
  instance = await startMastodonInstance({ domain: 'geo.example', rateLimit: false });
});
afterEach(async () => {
  await server?.close();
  server = null;
  requests.length = 0;
});
afterAll(async () => {
  await instance.close();
  await new Promise<void>((r) => nominatim.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(db: string, extra: string[]): Promise<RunningServer> {
  return startTestServer({
    instances: [instance.url],
    dir,
    name: db.replace(/\.db$/, ''),
    env: { FTO_POLL_INTERVAL_MS: '100' },
    args: extra,
  });
}

const pinOf = (s: RunningServer, acct: string): number | undefined =>
  s.store.contributors('yourturn').features.find((f) => f.properties.acct === acct)?.properties
    .place.id;

describe('online geocoder wired into the server', () => {
  it('pins a post naming a place the gazetteer lacks once Nominatim answers', async () => {
    server = await start('on.db', ['--geocoder', 'nominatim', '--geocoder-url', nominatimUrl]);
    instance.post({ account: { username: 'xy' }, text: '#YourTurn from Xyzzyville' });
    await expect.poll(() => pinOf(server!, 'xy@geo.example'), { timeout: 10_000 }).toBe(HOOD_RIVER);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toContain('q=Xyzzyville');
  });

  it('sends nothing to a geocoder when none is configured (the default)', async () => {
    server = await start('off.db', []);
    instance.post({ account: { username: 'zz' }, text: '#YourTurn from Xyzzyville too' });
    await expect
      .poll(() => server!.store.unlocatedPosts('yourturn').length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(pinOf(server, 'zz@geo.example')).toBeUndefined();
    expect(requests).toEqual([]);
  });
});
