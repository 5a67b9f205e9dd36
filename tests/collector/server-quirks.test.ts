import { describe, expect, it } from 'vitest';
import type { MastodonInstance } from '../helpers/mastodon-instance.js';
import { collectorFixtures } from '../helpers/collector-harness.js';

const { instance, harness } = collectorFixtures();

const cities = ['Lagos', 'Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco'];
// Re-check on (it is off by default in the harness), one batch try, then one post an hour at most:
// a delete must be noticed from the tag page, not by waiting for the slow one-at-a-time round.
const recheck = {
  budget: false as const,
  recheckIntervalMs: 20,
  recheckSingleIntervalMs: 3_600_000,
  recheckRoundMs: 0,
};

function seed(a: MastodonInstance, n: number) {
  return Array.from({ length: n }, (_, i) =>
    a.post({ account: { username: `u${i}` }, text: `#YourTurn ${cities[i % cities.length]}` }),
  );
}

const onMap = (h: ReturnType<typeof harness>) =>
  h.store.contributors('yourturn').features.map((f) => f.properties.acct);
const tagReads = (a: MastodonInstance, from = 0) =>
  a.requestLog.slice(from).filter((r) => r.path.startsWith('/api/v1/timelines/tag/'));
const streamTries = (a: MastodonInstance) =>
  a.requestLog.filter((r) => r.path.startsWith('/api/v1/streaming'));

describe('collector: snac, which has no id[]=, no streaming and shows statuses only to a token', () => {
  it.each([
    ['without a token', null],
    ['with a token', 'secret'],
  ])(
    'removes a post deleted on snac %s within one re-check round, with the usual remove event',
    async (_name, token) => {
      const a = await instance({ software: 'snac', domain: 'snac.example' });
      const posts = seed(a, 5);
      const h = harness({
        instances: [a.url],
        pollIntervalMs: 30,
        tokens: token ? { [a.url]: token } : {},
        tuning: recheck,
      });
      h.collector.start();
      await expect.poll(() => onMap(h).length).toBe(5);
      // Let the batch attempt and the first single read happen before the delete.
      await expect
        .poll(() => h.lines.some((l) => /cannot re-check several/.test(l.msg)))
        .toBe(true);
      const from = a.requestLog.length;
      // The newest too: the real snac check deleted that one, which a page's id range alone misses.
      a.delete(posts[2]!.id);
      a.delete(posts[4]!.id);
      await expect.poll(() => onMap(h).length, { timeout: 3_000 }).toBe(3);
      expect(onMap(h)).not.toContain('u2@snac.example');
      expect(onMap(h)).not.toContain('u4@snac.example');
      const removes = h.published.filter((e) => e.type === 'remove');
      expect(removes.map((e) => (e.data as { acct: string }).acct).sort()).toEqual([
        'u2@snac.example',
        'u4@snac.example',
      ]);
      // Missing from a re-read that should hold it, then confirmed: by its own URL with a token,
      // else by missing again from the next re-read.
      expect(tagReads(a, from).length).toBeLessThanOrEqual(token ? 2 : 3);
      if (token) {
        for (const gone of [posts[2]!, posts[4]!]) {
          const own = a.requestLog.slice(from).filter((r) => r.path.endsWith(`/${gone.id}`));
          expect(own.map((r) => r.status)).toEqual([404]);
        }
      }
      // An HTML 404 on a status read is "gone" here, not a proxy error to retry for ever.
      expect(h.collector.status()[0]).toMatchObject({ state: 'polling', lastError: null });
      expect(onMap(h)).toHaveLength(3);
    },
  );

  it('says once, in the log and the status, that deletes need a token after a 401', async () => {
    const a = await instance({ software: 'snac', domain: 'snac.example' });
    seed(a, 3);
    const h = harness({
      instances: [a.url],
      pollIntervalMs: 20,
      tuning: { ...recheck, recheckSingleIntervalMs: 20 },
    });
    h.collector.start();
    await expect.poll(() => onMap(h).length).toBe(3);
    await expect.poll(() => a.requestLog.filter((r) => r.status === 401).length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 400));
    const said = h.lines.filter((l) => /token/.test(l.msg));
    expect(said).toHaveLength(1);
    expect(said[0]!.msg).toMatch(/snac\.example|127\.0\.0\.1/);
    expect(said[0]!.msg).toContain('an access token to re-check deleted posts');
    // Asked once: a token does not appear without a restart.
    expect(a.requestLog.filter((r) => r.status === 401)).toHaveLength(1);
    expect(h.collector.status()[0]).toMatchObject({
      state: 'polling',
      lastError: null,
      needs: ['an access token to re-check deleted posts (HTTP 401)'],
    });
  });

  it('stops opening an advertised stream that resets, polls meanwhile, and says when it tries again', async () => {
    const a = await instance({ software: 'snac', domain: 'snac.example' });
    const h = harness({
      instances: [a.url],
      tokens: { [a.url]: 'secret' },
      pollIntervalMs: 30,
      tuning: { budget: false, minBackoffMs: 10, maxBackoffMs: 20 },
    });
    h.collector.start();
    await expect.poll(() => streamTries(a).length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 800));
    // A few quick tries, then off for 15 min: not a reconnect loop.
    expect(streamTries(a).length).toBeLessThanOrEqual(3);
    const status = h.collector.status()[0]!;
    expect(status).toMatchObject({ state: 'polling', mode: 'poll' });
    const retryIn = Date.parse(status.streamRetryAt!) - Date.now();
    expect(retryIn).toBeGreaterThan(14 * 60_000);
    expect(retryIn).toBeLessThanOrEqual(15 * 60_000);
    const off = h.lines.filter((l) =>
      /polling only, trying the stream again in 15 min/.test(l.msg),
    );
    expect(off).toHaveLength(1);
    a.post({ account: { username: 'ada' }, text: '#YourTurn Lagos' });
    await expect.poll(() => onMap(h)).toEqual(['ada@snac.example']);
  });

  it('shows a wait for its own request budget in the status, with the time it ends', async () => {
    const a = await instance({ software: 'snac', domain: 'snac.example' });
    seed(a, 1);
    const h = harness({
      instances: [a.url],
      pollIntervalMs: 10,
      tuning: { budget: { requests: 6, windowMs: 1_500 } },
    });
    h.collector.start();
    await expect.poll(() => h.collector.status()[0]!.state).toBe('waiting-for-budget');
    const waiting = h.collector.status()[0]!;
    const endsIn = Date.parse(waiting.nextAttemptAt!) - Date.now();
    expect(endsIn).toBeGreaterThan(0);
    expect(endsIn).toBeLessThanOrEqual(1_500);
    expect(h.lines.filter((l) => /request budget/.test(l.msg)).length).toBeGreaterThanOrEqual(1);
    await expect.poll(() => h.collector.status()[0]!.state, { timeout: 3_000 }).toBe('polling');
  });

  it('counts each post once in postsSeen, however often the newest page is read again', async () => {
    const a = await instance({ software: 'snac', domain: 'snac.example' });
    seed(a, 7);
    const h = harness({ instances: [a.url], pollIntervalMs: 5, tuning: { budget: false } });
    h.collector.start();
    await expect.poll(() => tagReads(a).length).toBeGreaterThan(20);
    expect(h.collector.status()[0]!.postsSeen).toBe(7);
    a.post({ account: { username: 'late' }, text: '#YourTurn Lima' });
    await expect.poll(() => h.collector.status()[0]!.postsSeen).toBe(8);
  });
});

describe('collector: GoToSocial, whose statuses need a token and whose hashtag streams get no deletes', () => {
  it('removes a deleted post by re-checking it with the token (a JSON 404)', async () => {
    const a = await instance({ software: 'gotosocial', domain: 'gts.example', tokens: ['secret'] });
    const posts = seed(a, 3);
    const h = harness({
      instances: [a.url],
      tokens: { [a.url]: 'secret' },
      pollIntervalMs: 30,
      tuning: { ...recheck, recheckSingleIntervalMs: 20 },
    });
    h.collector.start();
    await expect.poll(() => onMap(h).length).toBe(3);
    a.delete(posts[0]!.id);
    await expect.poll(() => onMap(h).length, { timeout: 3_000 }).toBe(2);
    expect(h.collector.status()[0]).toMatchObject({ lastError: null, needs: [] });
  });
});
