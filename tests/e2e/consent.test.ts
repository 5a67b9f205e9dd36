import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  startMastodonInstance,
  type AccountInput,
  type MastodonInstance,
} from '../helpers/mastodon-instance.js';
import { openSse } from '../helpers/mastodon-instance.js';
import { spawnServe } from '../helpers/server-process.js';

// The real `find-the-others serve` process follows one instance, cw.example. Every author below is
// remote there; their homes are two other test instances, reached only through --resolve. The
// remote copies are all clean: only the homes know who said no.

let cw: MastodonInstance;
let home: MastodonInstance;
let snac: MastodonInstance;
let dir: string;

const PEOPLE: Record<string, Partial<AccountInput> & { home: string; city: string }> = {
  ada: { home: 'home.example', city: 'Lagos' }, // fine: on the map
  nix: { home: 'home.example', city: 'Lima', noindex: true },
  tag: { home: 'home.example', city: 'Osaka', fields: [{ name: 'Maps', value: 'no #nomap' }] },
  sus: { home: 'home.example', city: 'Quito', suspended: true },
  sam: { home: 'snac.example', city: 'Accra', noindex: true }, // a snac home: the robots meta says it
  sol: { home: 'snac.example', city: 'Hanoi' },
};
const REFUSED = ['nix@home.example', 'tag@home.example', 'sus@home.example', 'sam@snac.example'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fto-e2e-consent-'));
  cw = await startMastodonInstance({ domain: 'cw.example', rateLimit: false });
  home = await startMastodonInstance({ domain: 'home.example', rateLimit: false });
  snac = await startMastodonInstance({
    domain: 'snac.example',
    software: 'snac',
    rateLimit: false,
  });
  for (const [username, p] of Object.entries(PEOPLE)) {
    const { city, home: domain, ...profile } = p;
    (domain === 'snac.example' ? snac : home).putAccount({ username, ...profile });
    cw.post({ account: { username, domain, displayName: username }, text: `#YourTurn ${city}` });
  }
});

afterAll(async () => {
  await Promise.all([cw, home, snac].map((i) => i?.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function publicAnswers(base: string): Promise<string> {
  const paths = [
    '/api/campaigns/yourturn',
    '/api/campaigns/yourturn/contributors',
    '/api/campaigns/yourturn/contributors?bbox=-180,-85,180,85&zoom=2',
    '/api/campaigns/yourturn/countries',
    '/api/campaigns/yourturn/cities',
    '/api/campaigns/yourturn/nearby?lat=6.5&lng=3.4',
    '/api/campaigns/yourturn/nearby?near=Lima',
    '/api/campaigns/yourturn/export.geojson',
    '/api/campaigns/yourturn/export.csv',
    // Every city of the test, by GeoNames id: Lagos, Lima, Osaka, Quito, Accra, Hanoi.
    ...[2332459, 3936456, 1853909, 3652462, 2306104, 1581130].map(
      (id) => `/api/campaigns/yourturn/places/${id}/contributors`,
    ),
  ];
  const bodies = await Promise.all(
    paths.map(async (p) => `${p}\n${await (await fetch(base + p)).text()}`),
  );
  return bodies.join('\n');
}

describe('consent through the real serve command', () => {
  it('never shows authors their home refused, in any answer or live event, and removes a later opt-out within one TTL', async () => {
    const db = join(dir, 'consent.db');
    const serve = spawnServe([
      ...['--tag', 'yourturn', '--instance', cw.url, '--db', db],
      ...['--poll-interval', '200', '--consent-ttl', '2000', '--consent-pace', '50'],
      ...['--resolve', `home.example=${home.url}`, '--resolve', `snac.example=${snac.url}`],
    ]);
    const base = await serve.url;
    const sse = await openSse(`${base}/api/campaigns/yourturn/events`);
    await vi.waitFor(
      async () => {
        const summary = (await (await fetch(`${base}/api/campaigns/yourturn`)).json()) as {
          contributors: number;
        };
        expect(summary.contributors).toBe(2);
      },
      { timeout: 20_000, interval: 200 },
    );
    const status = (await (await fetch(`${base}/api/status`)).json()) as {
      consent: { refused: number; known: number };
    };
    expect(status.consent).toMatchObject({ refused: 4, known: 2 });

    const everything = (await publicAnswers(base)) + JSON.stringify(sse.events);
    expect(everything).toContain('ada@home.example');
    expect(everything).toContain('sol@snac.example');
    for (const acct of REFUSED)
      expect(everything, `${acct} appeared`).not.toContain(acct.split('@')[0] + '@');

    // Ada adds #nomap to her bio on her home: gone everywhere within one TTL (2 s), with a live remove.
    home.putAccount({ username: 'ada', note: 'Reading, walking. #nomap' });
    const before = sse.events.length;
    await vi.waitFor(
      async () => {
        const summary = (await (await fetch(`${base}/api/campaigns/yourturn`)).json()) as {
          contributors: number;
        };
        expect(summary.contributors).toBe(1);
      },
      { timeout: 10_000, interval: 200 },
    );
    await sse.waitFor(
      () => sse.events.slice(before).find((e) => e.event === 'remove'),
      'an SSE remove',
      3_000,
    );
    expect(await publicAnswers(base)).not.toContain('ada@');
    sse.close();
    await serve.stop();
  }, 60_000);
});
