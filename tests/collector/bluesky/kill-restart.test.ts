import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAppViewDouble,
  type AppViewDouble,
} from '../../../server/demo/bluesky/appview-double.js';
import {
  startJetstreamDouble,
  type JetstreamDouble,
} from '../../../server/demo/bluesky/jetstream-double.js';
import { startMastodonInstance, type MastodonInstance } from '../../helpers/mastodon-instance.js';
import { dbSnapshot, queryDb, spawnServe } from '../../helpers/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'fto-bsky-kill-'));
let jetstream: JetstreamDouble;
let appView: AppViewDouble;
let quiet: MastodonInstance;
const cities = ['Lagos', 'Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco', 'Nairobi'];
const did = (n: number) => `did:plc:kill${String(n).padStart(20, '0')}`;

beforeAll(async () => {
  jetstream = await startJetstreamDouble();
  appView = await startAppViewDouble();
  for (let n = 0; n < 60; n++) appView.setProfile({ did: did(n), handle: `p${n}.bsky.social` });
  // The fediverse side must follow something local: an instance with no posts.
  quiet = await startMastodonInstance({ domain: 'quiet.example', rateLimit: false });
}, 60_000);

afterAll(async () => {
  await jetstream?.close();
  await appView?.close();
  await quiet?.close();
  rmSync(dir, { recursive: true, force: true });
});

const serve = (db: string) =>
  spawnServe([
    ...['--instance', quiet.url, '--db', db, '--poll-interval', '1000'],
    ...['--jetstream', jetstream.url, '--bsky-appview', appView.url],
  ]);

/** `count` posts, one every `everyMs`, by 60 authors in nine cities; resolves with their at-uris. */
async function postSlowly(from: number, count: number, everyMs: number): Promise<string[]> {
  const uris: string[] = [];
  for (let n = from; n < from + count; n++) {
    const author = did(n % 60);
    const { rkey } = jetstream.post({
      did: author,
      text: `#YourTurn ${cities[n % cities.length]}`,
    });
    uris.push(`at://${author}/app.bsky.feed.post/${rkey}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return uris;
}

describe('Bluesky: kill and restart', () => {
  it('loses nothing and duplicates nothing when find-the-others serve is SIGKILLed while Jetstream flows', async () => {
    const db = join(dir, 'killed.db');
    const first = serve(db);
    await first.url;
    await expect.poll(() => jetstream.connections(), { timeout: 30_000 }).toBe(1);
    const before = await postSlowly(0, 150, 4);
    await expect
      .poll(() => queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM posts')[0]?.n ?? 0, {
        timeout: 30_000,
        interval: 20,
      })
      .toBeGreaterThan(0);
    // Killed while posts keep coming: some are read but not saved, some arrive while it is down.
    const during = postSlowly(150, 100, 4);
    await new Promise((r) => setTimeout(r, 150));
    await first.kill();
    const all = [...before, ...(await during)];

    const second = serve(db);
    await second.url;
    await expect
      .poll(() => dbSnapshot(db).posts.length, { timeout: 60_000, interval: 100 })
      .toBe(all.length);
    await second.stop();
    const after = dbSnapshot(db);
    expect(after.duplicates).toBe(0);
    expect(after.posts.map((p) => p.uri)).toEqual([...all].sort());
    expect(after.contributors).toHaveLength(60);
    expect(
      queryDb<{ n: number }>(
        db,
        "SELECT count(*) AS n FROM post_sources WHERE source = 'bluesky:jetstream'",
      )[0]!.n,
    ).toBe(all.length);
    // The restart asked Jetstream to replay from a little before the cursor it had saved.
    expect(jetstream.requests).toHaveLength(2);
    expect(jetstream.requests[0]!.cursor).toBeNull();
    expect(Number(jetstream.requests[1]!.cursor)).toBeGreaterThan(0);
    expect(queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM consent_pending')[0]!.n).toBe(0);
  }, 120_000);
});
