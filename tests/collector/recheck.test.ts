import { describe, expect, it } from 'vitest';
import type { Fault, MastodonInstance } from '../helpers/mastodon-instance.js';
import { collectorFixtures } from '../helpers/collector-harness.js';

const { instance, harness } = collectorFixtures();

const cities = ['Lagos', 'Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco', 'Nairobi'];
const BATCH_PATH = /^\/api\/v1\/statuses$/;
// Re-checks every 30 ms and rounds back to back; no budget of our own (the instances send no headers).
const quick = {
  budget: false as const,
  recheckIntervalMs: 30,
  recheckSingleIntervalMs: 30,
  recheckRoundMs: 0,
};

function seed(a: MastodonInstance, n: number) {
  return Array.from({ length: n }, (_, i) =>
    a.post({ account: { username: `u${i}` }, text: `#YourTurn ${cities[i % cities.length]}` }),
  );
}

const batches = (a: MastodonInstance, from = 0) =>
  a.requestLog.slice(from).filter((r) => r.path === '/api/v1/statuses');
const singles = (a: MastodonInstance, from = 0) =>
  a.requestLog.slice(from).filter((r) => r.path.startsWith('/api/v1/statuses/'));
const askedIds = (r: { query: Record<string, string | string[]> }) =>
  [r.query['id[]'] ?? []].flat();

function onMap(h: ReturnType<typeof harness>) {
  return h.store.contributors('yourturn').features.map((f) => f.properties.acct);
}

function deletedUris(h: ReturnType<typeof harness>) {
  const rows = h.db.prepare('SELECT uri FROM posts WHERE deleted_at IS NOT NULL').all();
  return (rows as { uri: string }[]).map((r) => r.uri).sort();
}

describe('collector: delete re-check', () => {
  it('removes a post deleted on a polled instance within one round of 20-post batches', async () => {
    const a = await instance({ domain: 'a.example' });
    const posts = seed(a, 60);
    const h = harness({ instances: [a.url], pollIntervalMs: 5_000, tuning: quick });
    h.collector.start();
    await expect.poll(() => onMap(h).length).toBe(60);
    await expect.poll(() => batches(a).length).toBeGreaterThan(0);
    const from = a.requestLog.length;
    const gone = [posts[3]!, posts[31]!, posts[58]!];
    for (const s of gone) a.delete(s.id);
    await expect
      .poll(() => deletedUris(h), { timeout: 5_000 })
      .toEqual(gone.map((s) => s.uri).sort());

    expect(onMap(h)).toHaveLength(57);
    // 60 posts are three batches; the one under way when the posts went may not have seen them.
    const lastConfirm = a.requestLog.findLastIndex((r) => r.path.startsWith('/api/v1/statuses/'));
    expect(
      batches(a, from).filter((r) => a.requestLog.indexOf(r) < lastConfirm).length,
    ).toBeLessThanOrEqual(4);
    expect(Math.max(...batches(a).map((r) => askedIds(r).length))).toBe(20);
    // Each absent post was confirmed with its own URL before it was removed, and only those.
    expect(
      singles(a, from)
        .map((r) => r.path.split('/').at(-1))
        .sort(),
    ).toEqual(gone.map((s) => s.id).sort());
    expect(h.lines.some((l) => /re-checking recent posts on .* 20 at a time/.test(l.msg))).toBe(
      true,
    );
  });

  it.each([
    ['Mastodon before 4.3', { version: '4.2.10' }, /HTTP 404: Record not found/, {}],
    // snac shows a status only to a token, and a deleted one as its HTML 404 page.
    ['snac', { software: 'snac' as const }, /HTTP 404: 404 Not Found/, { tokens: { t: 'x' } }],
  ])(
    'falls back to one post at a time on %s, which has no batch endpoint, and says so once',
    async (_name, options, why, auth) => {
      const a = await instance({ domain: 'a.example', ...options });
      const posts = seed(a, 5);
      const tokens = 'tokens' in auth ? { [a.url]: 'x' } : {};
      const h = harness({ instances: [a.url], pollIntervalMs: 5_000, tokens, tuning: quick });
      h.collector.start();
      await expect.poll(() => onMap(h).length).toBe(5);
      a.delete(posts[2]!.id);
      await expect.poll(() => deletedUris(h), { timeout: 5_000 }).toEqual([posts[2]!.uri]);
      expect(onMap(h)).toHaveLength(4);
      expect(batches(a)).toHaveLength(1); // asked once; the next try is a day later
      expect(singles(a).length).toBeGreaterThanOrEqual(3);
      const said = h.lines.filter((l) => /cannot re-check several posts at once/.test(l.msg));
      expect(said).toHaveLength(1);
      expect(said[0]!.msg).toMatch(why);
      expect(said[0]!.msg).toContain('re-checking one post every 30 ms instead');
    },
  );

  it.each<[string, (a: MastodonInstance) => Fault, RegExp]>([
    ['an empty list for posts that exist', () => ({ kind: 'json', body: [] }), /left out 2 of/],
    ['an object', () => ({ kind: 'json', body: { statuses: [] } }), /answered an object/],
    [
      'statuses it was not asked for (the id[] ignored)',
      (a) => ({
        kind: 'json',
        body: [a.post({ account: { username: 'other' }, text: 'not the campaign' })],
      }),
      /statuses that were not asked for/,
    ],
    [
      'a 502 every time',
      () => ({ kind: 'status', status: 502 }),
      /failed 3 times in a row, last HTTP 502/,
    ],
  ])(
    'removes nothing that still exists when the batch endpoint answers %s',
    async (_name, fault, why) => {
      const a = await instance({ domain: 'a.example' });
      const posts = seed(a, 4);
      const h = harness({
        instances: [a.url],
        pollIntervalMs: 5_000,
        tuning: { ...quick, minBackoffMs: 20, maxBackoffMs: 40 },
      });
      a.setFault(fault(a), BATCH_PATH);
      h.collector.start();
      await expect.poll(() => onMap(h).length).toBe(4);
      a.delete(posts[3]!.id);
      // Only the post really deleted leaves, once the collector re-checks one post at a time.
      await expect.poll(() => deletedUris(h), { timeout: 5_000 }).toEqual([posts[3]!.uri]);
      expect(onMap(h).sort()).toEqual(['u0@a.example', 'u1@a.example', 'u2@a.example']);
      expect(h.lines.some((l) => /cannot re-check several posts at once/.test(l.msg))).toBe(true);
      expect(h.lines.find((l) => /cannot re-check/.test(l.msg))!.msg).toMatch(why);
    },
  );

  it('moves the pin when a re-checked post shows a newer edited_at', async () => {
    const a = await instance({ domain: 'a.example' });
    const [s] = seed(a, 1);
    const h = harness({ instances: [a.url], pollIntervalMs: 5_000, tuning: quick });
    h.collector.start();
    await expect
      .poll(() => h.store.contributors('yourturn').features[0]?.properties.place.name)
      .toBe('Lagos');
    await new Promise((r) => setTimeout(r, 5)); // edited_at must be later than created_at
    a.edit(s!.id, { text: '#YourTurn Quito' });
    await expect
      .poll(() => h.store.contributors('yourturn').features[0]?.properties.place.name)
      .toBe('Quito');
    expect(singles(a)).toEqual([]);
  });

  it('continues the round from the saved cursor after a restart instead of starting over', async () => {
    const a = await instance({ domain: 'a.example' });
    seed(a, 100);
    // Batches 150 ms apart and one round an hour: the first run stops somewhere inside the round.
    const tuning = { ...quick, recheckIntervalMs: 150, recheckRoundMs: 3_600_000 };
    const first = harness({ instances: [a.url], pollIntervalMs: 60_000, tuning });
    first.collector.start();
    await expect.poll(() => batches(a).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    await first.collector.stop();
    const cursor = first.store.recheckCursor(a.url);
    expect(cursor).toBeGreaterThan(0);
    const roundStart = askedIds(batches(a)[0]!);
    const from = a.requestLog.length;

    const second = harness({ instances: [a.url], pollIntervalMs: 60_000, tuning }, first.path);
    second.collector.start();
    await expect.poll(() => batches(a, from).length, { timeout: 5_000 }).toBeGreaterThan(0);
    const next = second.db
      .prepare('SELECT local_id FROM post_sources WHERE post_id > ? ORDER BY post_id LIMIT 20')
      .all(cursor) as { local_id: string }[];
    const resumed = askedIds(batches(a, from)[0]!);
    expect(resumed).toEqual(next.map((r) => r.local_id));
    expect(resumed).not.toEqual(roundStart);
  });
});
