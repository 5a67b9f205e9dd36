import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { MastodonInstance } from '../helpers/mastodon-instance.js';
import { collectorFixtures, locator } from '../helpers/collector-harness.js';

const { instance, harness } = collectorFixtures();

const acct = (username: string, domain?: string) => ({ username, domain, displayName: username });

function tagRequests(i: MastodonInstance) {
  return i.requestLog.filter((r) => r.path.startsWith('/api/v1/timelines/tag/'));
}

describe('collector', () => {
  it('puts a "#YourTurn Lagos" post on the map at Lagos, Nigeria, with user@domain', async () => {
    const a = await instance({ domain: 'a.example' });
    a.post({ account: acct('ada'), text: '#YourTurn Lagos' });
    const h = harness({ instances: [a.url] });
    h.collector.start();
    await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(1);
    const f = h.store.contributors('yourturn').features[0]!;
    expect(f.properties.acct).toBe('ada@a.example');
    expect(f.properties.place).toMatchObject({ name: 'Lagos', country: 'NG' });
    expect(h.published.map((e) => e.type)).toEqual(['contributor']);
  });

  it('keeps going when the locator fails on one post: that post is kept without a city, and said in the log', async () => {
    const a = await instance({ domain: 'a.example' });
    a.post({ account: acct('ada'), text: '#YourTurn Lagos' });
    a.post({ account: acct('bo'), text: '#YourTurn Lyon TRIGGER-BUG' });
    const real = locator();
    const h = harness({
      instances: [a.url],
      locator: {
        ...real,
        locate: (input) => {
          if (input.html?.includes('TRIGGER-BUG')) throw new Error('index out of range');
          return real.locate(input);
        },
        // The collector asks explain (the answer and why there is none): the same bug throws there.
        explain: (input) => {
          if (input.html?.includes('TRIGGER-BUG')) throw new Error('index out of range');
          return real.explain!(input);
        },
      },
    });
    h.collector.start();
    await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(1);
    await expect
      .poll(() => h.lines.find((l) => l.msg.startsWith('the locator failed on a post')))
      .toMatchObject({ level: 50 });
    expect(h.store.contributors('yourturn').features[0]!.properties.acct).toBe('ada@a.example');
    // bo's post is stored, unlocated, not lost.
    expect(h.store.queries.unlocatedCount('yourturn')).toBe(1);
  });

  it('merges two instances: the same uri with different local ids is one post and one pin', async () => {
    const a = await instance({ domain: 'a.example' });
    const b = await instance({ domain: 'b.example' });
    const uri = 'https://a.example/users/ada/statuses/1';
    const onA = a.post({ account: acct('ada'), text: '#YourTurn Portland, Oregon', uri });
    const onB = b.post({
      account: acct('ada', 'a.example'),
      text: '#YourTurn Portland, Oregon',
      uri,
    });
    expect(onA.id).not.toBe(onB.id);
    const h = harness({ instances: [a.url, b.url] });
    h.collector.start();
    await expect.poll(() => h.collector.status().every((s) => s.postsSeen === 1)).toBe(true);
    expect(h.db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 1 });
    expect(h.store.contributors('yourturn').features.map((f) => f.properties.acct)).toEqual([
      'ada@a.example',
    ]);
    expect(h.published).toHaveLength(1);
  });

  it('walks forward with min_id and misses nothing when more than a page arrives between polls', async () => {
    const a = await instance({ domain: 'a.example' });
    a.post({ account: acct('first'), text: '#YourTurn Lyon' });
    const h = harness({ instances: [a.url], pollIntervalMs: 300 });
    h.collector.start();
    await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(1);
    for (let n = 0; n < 95; n++)
      a.post({ account: acct(`u${n}`), text: `#YourTurn ${['Lagos', 'Lyon', 'Osaka'][n % 3]}` });
    await expect
      .poll(() => h.store.contributors('yourturn').features.length, { timeout: 10_000 })
      .toBe(96);
    const minIds = tagRequests(a).filter((r) => r.query.min_id);
    expect(minIds.length).toBeGreaterThanOrEqual(3); // 95 new posts need at least three 40-post pages
    expect(h.db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 96 });
  });

  it('backfills with max_id to the configured horizon, then never re-reads after a restart', async () => {
    const a = await instance({ domain: 'a.example' });
    for (let n = 0; n < 130; n++)
      a.post({
        account: acct(`u${n}`),
        text: '#YourTurn Nairobi',
        createdAt: Date.now() - (130 - n) * 60_000,
      });
    const h = harness({ instances: [a.url], backfill: { posts: 100, days: 30 } });
    h.collector.start();
    await expect.poll(() => h.store.cursor(a.url, 'yourturn').backfillDone).toBe(true);
    const cursor = h.store.cursor(a.url, 'yourturn');
    expect(cursor.backfillCount).toBeGreaterThanOrEqual(100);
    expect(cursor.backfillCount).toBeLessThan(130);
    expect(tagRequests(a).some((r) => r.query.max_id)).toBe(true);
    await h.collector.stop();

    const before = tagRequests(a).length;
    const again = harness({ instances: [a.url] }, h.path);
    again.collector.start();
    await expect.poll(() => tagRequests(a).length).toBeGreaterThan(before);
    const after = tagRequests(a).slice(before);
    expect(after[0]!.query.min_id).toBe(cursor.newestId);
    expect(after.some((r) => r.query.max_id)).toBe(false);
  });

  it('sends an identifying User-Agent on every request', async () => {
    const a = await instance({
      software: 'gotosocial',
      requireToken: false,
      hashtagFeedsAccess: 'public',
    });
    const h = harness({ instances: [a.url] });
    h.collector.start();
    await expect.poll(() => tagRequests(a).length).toBeGreaterThan(0);
    expect(a.requestLog.every((r) => r.userAgent === 'FindTheOthers-test/1.0')).toBe(true);
    expect(a.requestLog.some((r) => r.status === 418)).toBe(false);
  });

  it('says once, clearly, that an instance needs a token, and keeps following the others', async () => {
    const locked = await instance({ domain: 'locked.example', software: 'gotosocial' });
    const a = await instance({ domain: 'a.example' });
    a.post({ account: acct('ada'), text: '#YourTurn Accra' });
    const h = harness({ instances: [locked.url, a.url] });
    h.collector.start();
    await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(1);
    await expect
      .poll(() => h.collector.status().find((s) => s.instance === locked.url)?.state)
      .toBe('needs-token');
    const said = h.lines.filter((l) => /needs an access token/.test(l.msg));
    expect(said).toHaveLength(1);
    expect(said[0]!.msg).toContain(locked.url);
  });

  it('backs off from an instance that cannot be reached, says why, and keeps the others going', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const dead = `http://127.0.0.1:${port}`;
    const a = await instance({ domain: 'a.example' });
    a.post({ account: acct('ada'), text: '#YourTurn Quito' });
    const h = harness({ instances: [dead, a.url] });
    h.collector.start();
    await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(1);
    await expect
      .poll(() => h.collector.status().find((s) => s.instance === dead)?.state)
      .toBe('backing-off');
    const status = h.collector.status().find((s) => s.instance === dead)!;
    expect(status.lastError).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+.*ECONNREFUSED/);
    expect(
      h.lines.some((l) => l.level === 40 && /ECONNREFUSED.*retrying in \d+ s/.test(l.msg)),
    ).toBe(true);
  });

  it.each([
    ['an HTML 502 page', { kind: 'status', status: 502 } as const, /HTTP 502/],
    ['malformed JSON', { kind: 'malformed-json' } as const, /not JSON/],
    [
      'truncated JSON',
      { kind: 'truncated-json' } as const,
      /body cut off after \d+ bytes|connection closed mid-response/,
    ],
  ])('recovers after %s', async (_name, fault, message) => {
    const a = await instance({ domain: 'a.example' });
    a.post({ account: acct('ada'), text: '#YourTurn Lima' });
    a.failNext(1, fault, '/api/v1/timelines/tag/yourturn');
    const h = harness({ instances: [a.url], random: () => 0 }); // smallest jitter: retry after ~1 s
    h.collector.start();
    await expect
      .poll(() => h.store.contributors('yourturn').features.length, { timeout: 8000 })
      .toBe(1);
    expect(h.lines.some((l) => message.test(l.msg))).toBe(true);
    expect(h.collector.status()[0]!.state).toBe('polling');
  });

  it('waits for X-RateLimit-Reset after a 429 instead of hammering the instance', async () => {
    const a = await instance({ domain: 'a.example', rateLimit: { limit: 3, windowMs: 2_000 } });
    a.post({ account: acct('ada'), text: '#YourTurn Cusco' });
    const h = harness({ instances: [a.url], pollIntervalMs: 10 });
    h.collector.start();
    await new Promise((r) => setTimeout(r, 3_000));
    const limited = a.requestLog.filter((r) => r.status === 429).length;
    const total = a.requestLog.length;
    // Spacing by X-RateLimit-Remaining keeps us inside the bucket: 3 per 2 s is at most ~6 in 3 s, plus the info request.
    expect(total).toBeLessThanOrEqual(9);
    expect(limited).toBeLessThanOrEqual(1);
    expect(h.store.contributors('yourturn').features).toHaveLength(1);
  });

  it('skips bots and takes off the map anyone whose bio says #nomap', async () => {
    const a = await instance({ domain: 'a.example' });
    a.post({ account: { username: 'robot', bot: true }, text: '#YourTurn Berlin' });
    a.post({ account: { username: 'ada' }, text: '#YourTurn Hamburg' });
    const h = harness({ instances: [a.url], pollIntervalMs: 100 });
    h.collector.start();
    await expect
      .poll(() => h.store.contributors('yourturn').features.map((f) => f.properties.acct))
      .toEqual(['ada@a.example']);
    a.post({ account: { username: 'ada', note: 'Writer. #nomap' }, text: 'Still here #YourTurn' });
    await expect.poll(() => h.store.contributors('yourturn').features).toEqual([]);
    expect(h.published.at(-1)).toMatchObject({ type: 'remove', data: { acct: 'ada@a.example' } });
  });

  it('stops without waiting out a request to an instance that hangs', async () => {
    const a = await instance({ domain: 'a.example' });
    a.setFault({ kind: 'hang' }, '/api/v1/timelines/tag/yourturn');
    const h = harness({ instances: [a.url] });
    h.collector.start();
    await expect.poll(() => tagRequests(a).length).toBeGreaterThan(0);
    // The request deadline is 15 s; stopping must abort the request in flight instead.
    const stopped = await Promise.race([
      h.collector.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000)),
    ]);
    expect(stopped).toBe('stopped');
  });
});
