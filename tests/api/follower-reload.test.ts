import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../server/store/store.js';
import { listen, type Listening } from '../helpers/listen.js';
import { account, located, places, post } from '../helpers/posts.js';
import { readSse } from '../helpers/sse.js';
import { openTestDb } from '../helpers/test-db.js';
import { apiFixture } from './fixture.js';

// A serving process that follows another process's writes (the change feed) and falls behind
// past the log's cap: what it serves must match the database again, not stay wrong until restart.

describe('a serving process whose unread events another process pruned', () => {
  let cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.reverse()) await fn();
    cleanup = [];
  });

  it('resets its live clients and serves figures equal to a fresh reading of the database', async () => {
    // Summaries cached for a minute: only the reload can bring the arrivals in before then.
    const f = apiFixture({ summaryTtlMs: 60_000 }, { changeFeed: { intervalMs: 20 } });
    cleanup.push(() => f.close());
    const stop = f.store.followOthers((err) => {
      throw err;
    });
    cleanup.push(stop);
    const writerDb = openTestDb(join(f.dir, 'api.db'));
    cleanup.push(() => void writerDb.close());
    const writer = createStore(writerDb, { eventLog: { maxPerCampaign: 5 } });
    const server: Listening = await listen(f.app);
    cleanup.push(() => server.close());

    const summary = async () =>
      (await (await fetch(`${server.url}/api/campaigns/yourturn`)).json()) as {
        contributors: number;
        topCities: { count: number }[];
      };
    f.join('ada@a.example', places.lagos);
    expect((await summary()).contributors).toBe(1);
    const sse = await readSse(`${server.url}/api/campaigns/yourturn/events`);
    cleanup.push(() => sse.close());
    await sse.next((e) => e.event === 'stats');

    // Between two looks of the follower's feed: 20 arrivals, all but the newest 5 events pruned.
    for (let n = 0; n < 20; n++) {
      const acct = `p${n}@b.example`;
      writer.ingest([
        {
          post: post({
            uri: `https://b.example/statuses/${n}`,
            localId: `${n}`,
            account: account({ acct }),
          }),
          located: located(places.lyon),
          source: 'https://b.example',
          campaignTags: ['yourturn'],
        },
      ]);
    }
    expect(await writer.eventLog.prune()).toBe(16);

    const reset = await sse.next((e) => e.event === 'reset');
    expect(reset).toMatchObject({ id: String(writer.eventLog.newestId()), data: '{}' });
    const got = await summary();
    expect(got.contributors).toBe(21);
    expect(got.topCities.map((c) => c.count)).toEqual([20, 1]);
  });
});
