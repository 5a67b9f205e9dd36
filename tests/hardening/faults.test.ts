import request from 'supertest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { TimeoutError } from '../../server/collector/errors.js';
import { createMastodonClient } from '../../server/collector/mastodon-client.js';
import { isEnglishWord } from '../../server/geo/english-words.js';
import { createHub } from '../../server/hub.js';
import { collectorFixtures } from '../helpers/collector-harness.js';
import type { MastodonInstance } from '../helpers/mastodon-instance.js';

const fixtures = collectorFixtures();
const instance = (domain: string) => fixtures.instance({ domain });
const { harness } = fixtures;

// Retries come quickly here, so a test sees many rounds of a fault in a few seconds.
const quickRetries = { minBackoffMs: 20, maxBackoffMs: 200 };

const TAG_PATH = '/api/v1/timelines/tag/';
const tagRequests = (i: MastodonInstance) =>
  i.requestLog.filter((r) => r.path.startsWith(TAG_PATH)).length;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Heap and buffers still held after a full collection: what a leak would keep. */
function retainedMiB(): number {
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

const cities = ['Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco', 'Nairobi', 'Lyon'];

describe('instances that misbehave', () => {
  it('keeps memory bounded and the other instance delivering while one sends endless bodies', async () => {
    const bad = await instance('endless.example');
    const good = await instance('good.example');
    bad.setFault({ kind: 'endless-body' }, TAG_PATH);
    const h = harness({ instances: [bad.url, good.url], tuning: quickRetries });
    // The locator reads the English word list (SCOWL, several MiB) on its first use, once per
    // process: loaded before measuring, so what is retained is what the bad instance leaves.
    isEnglishWord('warm');
    const before = retainedMiB();
    let peakRssMiB = 0;
    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    const sampler = setInterval(() => {
      peakRssMiB = Math.max(peakRssMiB, process.memoryUsage().rss / 2 ** 20 - rssBefore);
    }, 10);
    h.collector.start();
    for (let n = 0; n < 12; n++) {
      good.post({ account: { username: `g${n}` }, text: `#YourTurn ${cities[n % cities.length]}` });
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    // Twelve cut-off bodies are 96 MB read: a leak of them would show in what stays retained.
    await expect.poll(() => tagRequests(bad), { timeout: 20_000 }).toBeGreaterThanOrEqual(12);
    await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(12);
    clearInterval(sampler);
    const growth = retainedMiB() - before;
    console.log(
      `endless bodies: ${tagRequests(bad)} cut off at 8 MB; retained growth ${growth.toFixed(1)} MiB, peak RSS growth ${peakRssMiB.toFixed(0)} MiB`,
    );
    expect(growth).toBeLessThan(32);
    expect(peakRssMiB).toBeLessThan(256);
    const badStatus = h.collector.status().find((s) => s.instance === bad.url)!;
    expect(badStatus.lastError).toMatch(/body larger than 8388608 bytes/);
    expect(h.collector.status().find((s) => s.instance === good.url)!.lastError).toBeNull();
  }, 40_000);

  it('reads the other instance on time while one hangs, resets, and truncates its JSON', async () => {
    const bad = await instance('flaky.example');
    const good = await instance('good.example');
    bad.post({ account: { username: 'f' }, text: '#YourTurn Lima' });
    bad.failNext(1, { kind: 'reset' }, TAG_PATH);
    bad.failNext(1, { kind: 'truncated-json' }, TAG_PATH);
    bad.failNext(1, { kind: 'malformed-json' }, TAG_PATH);
    bad.failNext(1, { kind: 'hang' }, TAG_PATH);
    const h = harness({ instances: [bad.url, good.url], tuning: quickRetries });
    h.collector.start();
    await expect.poll(() => tagRequests(bad)).toBe(4);
    const said = h.lines.filter((l) => /ECONNRESET|closed mid-response|not JSON/.test(l.msg));
    expect(said).toHaveLength(3);
    // The bad instance's worker now waits on a hung request; the good one goes on.
    for (const [n, city] of ['Osaka', 'Quito', 'Accra'].entries()) {
      good.post({ account: { username: `g${n}` }, text: `#YourTurn ${city}` });
      await expect
        .poll(() => h.store.contributors('yourturn').features.length, { timeout: 2_000 })
        .toBe(n + 1);
    }
    expect(h.store.contributors('yourturn').features.map((f) => f.properties.acct)).not.toContain(
      'f@flaky.example',
    );
  });

  it('gives up on a request that hangs at its deadline, and on an endless body at its size cap', async () => {
    const bad = await instance('hang.example');
    const client = createMastodonClient({
      origin: bad.url,
      userAgent: 'FindTheOthers-test/1.0',
      timeoutMs: 300,
      maxBodyBytes: 1024 * 1024,
    });
    bad.failNext(1, { kind: 'hang' }, TAG_PATH);
    await expect(client.tagTimeline('yourturn')).rejects.toBeInstanceOf(TimeoutError);
    bad.failNext(1, { kind: 'endless-body' }, TAG_PATH);
    await expect(client.tagTimeline('yourturn')).rejects.toThrow(/body larger than 1048576/);
    expect((await client.tagTimeline('yourturn')).items).toEqual([]);
  });
});

describe('a database that cannot be written', () => {
  for (const [what, fail, heal, message] of [
    [
      'full',
      'max_page_count = %PAGES%',
      'max_page_count = 1073741823',
      /the disk is full \(database or disk is full\)/,
    ],
    ['read-only', 'query_only = 1', 'query_only = 0', /the database is read-only/],
  ] as const) {
    it(`says so when ${what}, keeps serving reads, and resumes collecting when writable again`, async () => {
      const a = await instance('a.example');
      for (const [n, city] of ['Lagos', 'Lima', 'Osaka'].entries())
        a.post({ account: { username: `u${n}` }, text: `#YourTurn ${city}` });
      const h = harness({ instances: [a.url], tuning: quickRetries });
      const app = createApp({
        store: h.store,
        hub: createHub(),
        tags: ['yourturn'],
        tileUrl: null,
        tileAttribution: '',
        sourceStatus: () => h.collector.status(),
        log: { error: () => {} },
        rateLimit: null,
      });
      h.collector.start();
      await expect.poll(() => h.store.contributors('yourturn').features.length).toBe(3);

      const pages = h.db.pragma('page_count', { simple: true }) as number;
      h.db.pragma(fail.replace('%PAGES%', String(pages)));
      // New cities, so a failed write also had places to save; long posts, so they need new pages.
      for (const [n, city] of ['Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco', 'Nairobi'].entries())
        a.post({
          account: { username: `v${n}` },
          text: `#YourTurn ${city} ${'and the people doing the work '.repeat(60)}`,
        });
      await expect
        .poll(async () => (await request(app).get('/api/status')).body.sources[0].lastError)
        .toMatch(message);
      expect(h.lines.some((l) => l.level >= 40 && message.test(l.msg))).toBe(true);
      const summary = await request(app).get('/api/campaigns/yourturn');
      expect(summary.status).toBe(200);
      expect(summary.body.contributors).toBe(3);
      const exported = await request(app).get('/api/campaigns/yourturn/export.csv');
      expect(exported.status).toBe(200);
      expect(exported.text.trim().split('\r\n')).toHaveLength(4);

      h.db.pragma(heal);
      await expect
        .poll(() => h.store.contributors('yourturn').features.length, { timeout: 10_000 })
        .toBe(9);
      expect(h.db.prepare('SELECT count(*) - count(DISTINCT uri) AS n FROM posts').get()).toEqual({
        n: 0,
      });
      expect((await request(app).get('/api/status')).body.sources[0].state).toBe('polling');
    });
  }
});
