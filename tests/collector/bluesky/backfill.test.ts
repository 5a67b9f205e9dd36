import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blueskyDoubles, closeBluesky, followBluesky } from './harness.js';

afterEach(closeBluesky);

const doubles = blueskyDoubles;
const follow = followBluesky;

const day = 86_400_000;
const did = (n: number) => `did:plc:back${String(n).padStart(20, '0')}`;

describe('Bluesky search backfill', () => {
  it('with an app password, fills the map back to the horizon from searchPosts, once, and never logs the password', async () => {
    const { jetstream, appView } = await doubles();
    appView.setLogin('operator.bsky.social', 'abcd-efgh-ijkl-mnop');
    const cities = ['Lisbon', 'Lima', 'Osaka'];
    for (let n = 0; n < 3; n++) {
      appView.setProfile({ did: did(n), handle: `p${n}.bsky.social` });
      appView.addSearchable({
        did: did(n),
        rkey: `3kold${n}`,
        text: `#YourTurn ${cities[n]}`,
        createdAt: new Date(Date.now() - (n + 1) * day).toISOString(),
      });
    }
    // Older than the 10-day horizon: not read.
    appView.setProfile({ did: did(9), handle: 'p9.bsky.social' });
    appView.addSearchable({
      did: did(9),
      rkey: '3kancient',
      text: '#YourTurn Quito',
      createdAt: new Date(Date.now() - 40 * day).toISOString(),
    });
    // Both runs on one database: the second must not search again.
    const dir = mkdtempSync(join(tmpdir(), 'fto-bsky-back-'));
    const options = {
      dir,
      jetstreams: [jetstream.url],
      appViews: [appView.url],
      pds: appView.url,
      login: { identifier: 'operator.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' },
      backfill: { posts: 100, days: 10 },
    };
    const first = follow(options);
    await expect
      .poll(() => first.people())
      .toEqual({ [did(0)]: 'Lisbon', [did(1)]: 'Lima', [did(2)]: 'Osaka' });
    expect(appView.searches.every((s) => s.authorized && s.q === '#yourturn')).toBe(true);
    expect(JSON.stringify(first.lines)).not.toContain('abcd-efgh');
    await first.close();

    const searched = appView.searches.length;
    const second = follow(options);
    await expect.poll(() => jetstream.requests.length).toBe(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(appView.searches.length).toBe(searched);
    expect(second.people()).toEqual({ [did(0)]: 'Lisbon', [did(1)]: 'Lima', [did(2)]: 'Osaka' });
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('without an app password, says Bluesky starts from now in the log and the status, and never searches', async () => {
    const { jetstream, appView } = await doubles();
    const b = follow({
      jetstreams: [jetstream.url],
      appViews: [appView.url],
      pds: appView.url,
    });
    await expect.poll(() => jetstream.connections()).toBe(1);
    expect(b.lines.map((l) => l.msg)).toContain(
      'Bluesky starts from now: no app password given, so no search backfill',
    );
    expect(b.bluesky.status()[0]!.needs).toEqual([
      'a Bluesky app password (--bluesky-identifier, --bluesky-app-password) to search back: Bluesky starts from now',
    ]);
    expect(appView.searches).toEqual([]);
    await b.close();
  });

  it('with a wrong app password, says so without the password and goes on from now', async () => {
    const { jetstream, appView } = await doubles();
    appView.setLogin('operator.bsky.social', 'right-pass');
    const b = follow({
      jetstreams: [jetstream.url],
      appViews: [appView.url],
      pds: appView.url,
      login: { identifier: 'operator.bsky.social', appPassword: 'wrong-pass-1234' },
    });
    await expect
      .poll(() => b.lines.find((l) => l.msg.startsWith('Bluesky search backfill failed'))?.msg)
      .toMatch(
        /HTTP 401 from http:\/\/127\.0\.0\.1:\d+\/xrpc\/com\.atproto\.server\.createSession/,
      );
    expect(JSON.stringify(b.lines)).not.toContain('wrong-pass-1234');
    await b.close();
  });
});
