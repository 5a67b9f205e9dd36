import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAppViewDouble,
  type AppViewDouble,
} from '../../server/demo/bluesky/appview-double.js';
import {
  startJetstreamDouble,
  type JetstreamDouble,
} from '../../server/demo/bluesky/jetstream-double.js';
import type { ContributorFeature } from '../../shared/types.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';
import { spawnServe } from '../helpers/server-process.js';
import { readSse } from '../helpers/sse.js';

// #16 end to end: `find-the-others serve` reads a Mastodon test instance and the Bluesky doubles;
// Ada's Mastodon field names her Bluesky handle, her Bluesky description names her fediverse
// address, and she posts on both. The API and the live stream show her once; when her Bluesky
// description stops naming the address, the next profile re-read splits her in two.

const dir = mkdtempSync(join(tmpdir(), 'fto-linked-'));
const did = 'did:plc:linkedada00000000000000';
let instance: MastodonInstance;
let jetstream: JetstreamDouble;
let appView: AppViewDouble;

beforeAll(async () => {
  instance = await startMastodonInstance({ domain: 'linked.example', rateLimit: false });
  jetstream = await startJetstreamDouble();
  appView = await startAppViewDouble();
}, 60_000);

afterAll(async () => {
  await instance?.close();
  await jetstream?.close();
  await appView?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What an open map holds after the events so far: acct → feature. */
function replay(events: { event: string; data: string }[]): Map<string, ContributorFeature> {
  const people = new Map<string, ContributorFeature>();
  for (const e of events) {
    const data = JSON.parse(e.data) as ContributorFeature & { acct?: string };
    if (e.event === 'contributor') people.set(data.properties.acct, data);
    if (e.event === 'remove') people.delete(data.acct!);
  }
  return people;
}

describe('linked accounts, end to end', () => {
  it('shows someone linked on both networks once over the API and SSE, and twice once they unsay it', async () => {
    appView.setProfile({
      did,
      handle: 'ada.bsky.social',
      displayName: 'Ada',
      description: 'Maps. Also on the fediverse: @ada@linked.example',
    });
    const server = spawnServe([
      ...['--instance', instance.url, '--db', join(dir, 'linked.db'), '--poll-interval', '500'],
      ...['--jetstream', jetstream.url, '--bsky-appview', appView.url],
    ]);
    const url = await server.url;
    const sse = await readSse(`${url}/api/campaigns/yourturn/events`);
    await expect.poll(() => jetstream.connections(), { timeout: 30_000 }).toBe(1);

    instance.post({
      account: {
        username: 'ada',
        displayName: 'Ada',
        fields: [
          {
            name: 'Bluesky',
            value:
              '<a href="https://bsky.app/profile/ada.bsky.social" rel="nofollow noopener me" target="_blank"><span class="invisible">https://</span><span class="">bsky.app/profile/ada.bsky.social</span><span class="invisible"></span></a>',
          },
        ],
      },
      text: '#YourTurn Lima',
      createdAt: new Date(Date.now() - 3600_000),
    });
    jetstream.post({ did, text: '#YourTurn Osaka' });

    const summary = async () =>
      (await (await fetch(`${url}/api/campaigns/yourturn`)).json()) as {
        contributors: number;
        networks: Record<string, number>;
      };
    await expect
      .poll(summary, { timeout: 30_000, interval: 100 })
      .toMatchObject({ contributors: 1, networks: { fediverse: 1, bluesky: 1 } });
    const all = (await (await fetch(`${url}/api/campaigns/yourturn/contributors`)).json()) as {
      features: ContributorFeature[];
    };
    expect(all.features).toHaveLength(1);
    expect(all.features[0]!.properties).toMatchObject({
      acct: did,
      place: { name: 'Osaka' },
      linked: { acct: 'ada@linked.example', network: 'fediverse' },
    });
    await expect.poll(() => [...replay(sse.events).keys()], { timeout: 10_000 }).toEqual([did]);
    expect(replay(sse.events).get(did)!.properties.linked?.acct).toBe('ada@linked.example');

    // Ada takes the address out of her Bluesky description: the next re-read (here at once, after
    // an identity event) splits the pair.
    appView.setProfile({
      did,
      handle: 'ada.bsky.social',
      displayName: 'Ada',
      description: 'Maps.',
    });
    jetstream.identity(did, 'ada.bsky.social');
    await expect
      .poll(summary, { timeout: 30_000, interval: 100 })
      .toMatchObject({ contributors: 2, networks: { fediverse: 1, bluesky: 1 } });
    await expect
      .poll(() => [...replay(sse.events).keys()].sort(), { timeout: 10_000 })
      .toEqual(['ada@linked.example', did]);
    expect(replay(sse.events).get(did)!.properties.linked).toBeUndefined();
    sse.close();
    await server.stop();
  }, 90_000);
});
