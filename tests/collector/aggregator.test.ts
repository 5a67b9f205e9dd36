import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nextSlowDelay, type AggregatorTuning } from '../../server/collector/aggregator-source.js';
import { startTagAggregator, type TagAggregator } from '../../server/demo/tag-aggregator.js';
import { createReachQueries } from '../../server/store/reach.js';
import type { ServerStatus } from '../../shared/types.js';
import { collectorFixtures } from '../helpers/collector-harness.js';
import { startTestServer } from '../helpers/test-server.js';

const { instance, harness, closeAfter } = collectorFixtures();

async function aggregator(): Promise<TagAggregator> {
  const agg = await startTagAggregator();
  closeAfter(agg);
  return agg;
}

const acct = (username: string, domain?: string, displayName = username) => ({
  username,
  domain,
  displayName,
});

const profile = (h: ReturnType<typeof harness>, acct: string) =>
  h.db.prepare('SELECT display_name, avatar FROM accounts WHERE acct = ?').get(acct) as
    { display_name: string; avatar: string } | undefined;

const fast = { pollIntervalMs: 30, gapStepMs: 0, gapMaxMs: 0 } satisfies Partial<AggregatorTuning>;

describe('tag aggregator', () => {
  it('puts an author seen only through the aggregator on the map, as user@their-home, without asking for instance info', async () => {
    const small = await instance({ domain: 'small.example' });
    const agg = await aggregator();
    agg.add(small.post({ account: acct('zoe'), text: '#YourTurn Lagos' }), { home: small.domain });
    const h = harness({ instances: [], aggregators: [agg.url], aggregatorTuning: fast });
    h.collector.start();
    await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(1);
    const f = h.store.contributors('yourturn').features[0]!;
    expect(f.properties.acct).toBe('zoe@small.example');
    expect(f.properties.place).toMatchObject({ name: 'Lagos', country: 'NG' });
    const status = h.collector.status();
    expect(status).toMatchObject([
      { instance: agg.url, tag: 'yourturn', mode: 'aggregator', state: 'polling', lastError: null },
    ]);
    // Only the tag timeline: no /api/v2/instance, no re-check by id, no stream.
    expect(new Set(agg.requestLog.map((r) => r.path))).toEqual(
      new Set(['/api/v1/timelines/tag/yourturn']),
    );
  });

  it('keeps going when the aggregator answers 404 to /api/v2/instance and everything but the tag timeline', async () => {
    const agg = await aggregator();
    for (const path of ['/api/v2/instance', '/api/v1/instance', '/api/v1/statuses/1'])
      expect((await fetch(`${agg.url}${path}`)).status).toBe(404);
    const small = await instance({ domain: 'small.example' });
    agg.add(small.post({ account: acct('zoe'), text: '#YourTurn Lyon' }), { home: small.domain });
    const h = harness({ instances: [], aggregators: [agg.url], aggregatorTuning: fast });
    h.collector.start();
    await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(1);
    expect(h.lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('never overwrites the profile read from the home instance, and the home overwrites its copy', async () => {
    const home = await instance({ domain: 'a.example' });
    const agg = await aggregator();
    const stale = { display_name: 'Old Ada', avatar: 'https://cache.example/old-ada.png' };
    // The aggregator delivers first: its copy is the only one we have, until the home's arrives.
    agg.add(
      home.post({ account: acct('ada', undefined, 'Ada Lovelace'), text: '#YourTurn Lagos' }),
      {
        home: home.domain,
        account: stale,
      },
    );
    const h = harness({ instances: [], aggregators: [agg.url], aggregatorTuning: fast });
    h.collector.start();
    await expect.poll(() => profile(h, 'ada@a.example')?.display_name).toBe('Old Ada');
    await h.close();

    const both = harness(
      { instances: [home.url], aggregators: [agg.url], aggregatorTuning: fast },
      h.path,
    );
    both.collector.start();
    await expect.poll(() => profile(both, 'ada@a.example')?.display_name).toBe('Ada Lovelace');
    // A new post seen only by the aggregator, with its stale profile, changes nothing.
    agg.add(home.post({ account: 'ada', text: '#YourTurn Portland, Oregon' }), {
      home: home.domain,
      account: stale,
    });
    await expect
      .poll(() => both.db.prepare('SELECT count(*) AS n FROM posts').get())
      .toEqual({ n: 2 });
    await expect
      .poll(() => both.collector.status().find((s) => s.instance === agg.url)?.postsSeen)
      .toBeGreaterThanOrEqual(2);
    expect(profile(both, 'ada@a.example')).toEqual({
      display_name: 'Ada Lovelace',
      avatar: home.account('ada')!.avatar,
    });
    rmSync(join(h.path, '..'), { recursive: true, force: true });
  });

  it('walks back with max_id on the first start, then reads only the newest page while it knows the posts', async () => {
    const small = await instance({ domain: 'small.example' });
    const agg = await aggregator();
    for (let n = 0; n < 100; n++)
      agg.add(small.post({ account: acct(`u${n}`), text: '#YourTurn Lagos' }), {
        home: small.domain,
      });
    const h = harness({ instances: [], aggregators: [agg.url], aggregatorTuning: fast });
    h.collector.start();
    // 100 authors, each confirmed by one look-up on their home, one at a time.
    await expect
      .poll(() => h.store.contributors('yourturn').features.length, { timeout: 20_000 })
      .toBe(100);
    await expect.poll(() => agg.requestLog.length).toBeGreaterThanOrEqual(6);
    const maxIds = agg.requestLog.filter((r) => r.query.max_id).length;
    expect(maxIds).toBe(2); // 40 + 40 + 20: two older pages, then every round one page
    expect(agg.requestLog.every((r) => r.query.limit === '40')).toBe(true);
  });

  it('skips statuses whose account names no home server, and says so once', async () => {
    const agg = await aggregator();
    const small = await instance({ domain: 'small.example' });
    const status = small.post({ account: acct('zoe'), text: '#YourTurn Lagos' });
    // A broken aggregator that passes a local acct through: it cannot say whose home that is.
    agg.add(
      { ...status, account: { ...status.account, acct: 'zoe' } },
      { home: '', account: { acct: 'zoe' } },
    );
    agg.add(small.post({ account: acct('yan'), text: '#YourTurn Lyon' }), { home: small.domain });
    const h = harness({ instances: [], aggregators: [agg.url], aggregatorTuning: fast });
    h.collector.start();
    await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(1);
    await expect.poll(() => agg.requestLog.length).toBeGreaterThanOrEqual(3);
    expect(h.store.contributors('yourturn').features[0]!.properties.acct).toBe('yan@small.example');
    expect(h.lines.filter((l) => l.msg.includes('no domain'))).toHaveLength(1);
  });

  it('waits longer and longer while the aggregator is slow, and returns to its pace when it is fast', async () => {
    const agg = await aggregator();
    const small = await instance({ domain: 'small.example' });
    agg.add(small.post({ account: acct('zoe'), text: '#YourTurn Lagos' }), { home: small.domain });
    agg.setDelay(80);
    const tuning = { ...fast, slowMs: 40, slowDelayStepMs: 50, slowDelayMaxMs: 400 };
    const h = harness({ instances: [], aggregators: [agg.url], aggregatorTuning: tuning });
    const delays: number[] = [];
    h.collector.start();
    await expect
      .poll(
        () => {
          const d = h.collector.status()[0]!.slowDelayMs!;
          if (delays.at(-1) !== d) delays.push(d);
          return d;
        },
        { timeout: 5_000, interval: 5 },
      )
      .toBe(400);
    expect(delays.filter((d) => d > 0)).toEqual([50, 100, 200, 400]);
    // With random() = 0.5 the jitter factor is 1: the wait before a request is the delay itself.
    const times = agg.requestLog.map((r) => r.time);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(80 + 200 + tuning.pollIntervalMs * 0.9 - 5);
    expect(h.lines.filter((l) => l.msg.includes('is slow'))).toHaveLength(1);

    agg.setDelay(0);
    await expect
      .poll(() => h.collector.status()[0]!.slowDelayMs, { timeout: 5_000, interval: 5 })
      .toBe(0);
    expect(h.lines.some((l) => l.msg.includes('answers fast again'))).toBe(true);
  });

  it('counts a timeout as slow, backs off, and reads again once it answers', async () => {
    const agg = await aggregator();
    const small = await instance({ domain: 'small.example' });
    agg.add(small.post({ account: acct('zoe'), text: '#YourTurn Lagos' }), { home: small.domain });
    agg.setDelay(300);
    const tuning = { ...fast, slowMs: 40, slowDelayStepMs: 30, slowDelayMaxMs: 60, timeoutMs: 100 };
    const h = harness({ instances: [], aggregators: [agg.url], aggregatorTuning: tuning });
    h.collector.start();
    await expect
      .poll(() => h.collector.status()[0], { timeout: 3_000 })
      .toMatchObject({ state: 'backing-off', slowDelayMs: 60 });
    expect(h.collector.status()[0]!.lastError).toMatch(/100 ms/);
    agg.setDelay(0);
    await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(1);
    await expect.poll(() => h.collector.status()[0]!.state).toBe('polling');
  });
});

describe('nextSlowDelay', () => {
  const t = { slowDelayStepMs: 5_000, slowDelayMaxMs: 40_000 } as AggregatorTuning;
  it('starts at the step, doubles while slow, and stops at the maximum', () => {
    const seen = [0];
    for (let i = 0; i < 5; i++) seen.push(nextSlowDelay(seen.at(-1)!, true, t));
    expect(seen).toEqual([0, 5_000, 10_000, 20_000, 40_000, 40_000]);
  });
  it('halves with each fast answer and is gone below the step', () => {
    const seen = [40_000];
    for (let i = 0; i < 4; i++) seen.push(nextSlowDelay(seen.at(-1)!, false, t));
    expect(seen).toEqual([40_000, 20_000, 10_000, 5_000, 0]);
  });
});

describe('reach end to end', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('counts which of two instances and an aggregator delivered each post first and which posts only one saw', async () => {
    const a = await instance({ domain: 'a.example' });
    const b = await instance({ domain: 'b.example' });
    const small = await instance({ domain: 'small.example' });
    const agg = await aggregator();
    const uri = (n: number) => `https://a.example/users/ada${n}/statuses/${n}`;
    // Phase 1, only A has posts: p1, p2 and p5 are A's first.
    for (const n of [1, 2, 5])
      a.post({ account: acct(`ada${n}`), text: `#YourTurn Lagos`, uri: uri(n) });
    dir = mkdtempSync(join(tmpdir(), 'fto-reach-'));
    const server = await startTestServer({
      instances: [a.url, b.url],
      dir,
      name: 'reach',
      args: ['--aggregator', agg.url],
    });
    closeAfter(server);
    const countPosts = () =>
      (server.db.prepare('SELECT count(*) AS n FROM post_sources').get() as { n: number }).n;
    await expect.poll(countPosts, { timeout: 5_000 }).toBe(3);
    // Phase 2: B also has p1 and its own p3; the aggregator has p5 and p4 from an unfollowed server.
    b.post({ account: acct('ada1', 'a.example'), text: '#YourTurn Lagos', uri: uri(1) });
    b.post({ account: acct('bo'), text: '#YourTurn Lyon' });
    const p5 = a.statusByUri(uri(5))!;
    agg.add(p5, { home: a.domain });
    agg.add(small.post({ account: acct('zoe'), text: '#YourTurn Osaka' }), { home: small.domain });
    await expect.poll(countPosts, { timeout: 5_000 }).toBe(7);

    const status = (await (await fetch(`${server.url}/api/status`)).json()) as ServerStatus;
    expect(status.reach).toEqual({
      sources: [
        { source: a.url, kind: 'instance', postsFirst: 3, postsOnlyHere: 1 },
        { source: agg.url, kind: 'aggregator', postsFirst: 1, postsOnlyHere: 1 },
        { source: b.url, kind: 'instance', postsFirst: 1, postsOnlyHere: 1 },
      ].sort((x, y) => y.postsFirst - x.postsFirst || x.source.localeCompare(y.source)),
      postsTotal: 5,
      postsSeenByOneSourceOnly: 3,
      postsFirstUnknown: 0,
      countedAt: expect.any(String),
    });
    // The counters ingest keeps agree with counting the posts themselves.
    const reach = createReachQueries(server.db);
    expect({ ...reach.counts(), countedAt: null }).toEqual({ ...reach.recount(), countedAt: null });
    expect(status.sources.filter((s) => s.mode === 'aggregator')).toHaveLength(1);
  });
});
