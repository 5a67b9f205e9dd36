import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { WorkerTuning } from '../../server/collector/instance-worker.js';
import { collectorFixtures } from '../helpers/collector-harness.js';

const { instance, harness, closeAfter } = collectorFixtures();

const acct = (username: string, domain?: string) => ({ username, domain, displayName: username });
const places = (h: ReturnType<typeof harness>) =>
  h.store.contributors('yourturn').features.map((f) => f.properties.place.name);
// Polls so rare that only the stream (or a catch-up after a reconnect) can deliver in time.
const streamOnly = { pollIntervalMs: 60_000, tuning: { streamCheckIntervalMs: 60_000 } };

/** a.example with a token, and a collector that reads it only by streaming, once it streams. */
async function streamingOnly() {
  const a = await instance({ domain: 'a.example', tokens: ['secret'] });
  const h = harness({ instances: [a.url], tokens: { [a.url]: 'secret' }, ...streamOnly });
  h.collector.start();
  await expect.poll(() => h.collector.status()[0]?.state).toBe('streaming');
  // Open is not yet subscribed: the subscribe message may still be on its way to the server.
  await expect.poll(() => a.hashtagSubscriptions()).toBe(1);
  return { a, h };
}

/** A GoToSocial instance whose hashtag streams are silent, with one post, and a harness streaming it. */
async function silentGoToSocial(tuning: Partial<WorkerTuning> = {}) {
  const a = await instance({ software: 'gotosocial', domain: 'gts.example', tokens: ['secret'] });
  a.post({ account: acct('first'), text: '#YourTurn Accra' });
  const h = harness({
    instances: [a.url],
    tokens: { [a.url]: 'secret' },
    pollIntervalMs: 100,
    // Subscriptions apply at once here: a post over a second after the stream opened proves it silent.
    tuning: { streamCheckIntervalMs: 200, streamSubscribeSettleMs: 100, ...tuning },
  });
  return { a, h };
}

describe('collector: streaming', () => {
  it('streams with a token: a new post reaches hub subscribers without waiting for a poll', async () => {
    const { a, h } = await streamingOnly();
    a.post({ account: acct('ada'), text: '#YourTurn Lagos' });
    await expect.poll(() => h.published.map((e) => e.type)).toEqual(['contributor']);
    expect(h.collector.status()[0]).toMatchObject({ mode: 'stream', postsSeen: 1 });
    const upgrade = a.requestLog.find((r) => r.status === 101)!;
    expect(upgrade).toMatchObject({ userAgent: 'FindTheOthers-test/1.0', authorized: true });
    expect(JSON.stringify(upgrade.query)).not.toContain('secret');
    expect(h.lines.map((l) => l.msg).join('\n')).not.toContain('secret');
  });

  it('collects a post made after the stream opened but before its subscription took effect, without waiting for the stream check', async () => {
    // The instance applies a subscription 600 ms after it is asked for, and acknowledges none.
    const a = await instance({ domain: 'a.example', tokens: ['secret'], subscribeDelayMs: 600 });
    const h = harness({
      instances: [a.url],
      tokens: { [a.url]: 'secret' },
      ...streamOnly,
      tuning: { ...streamOnly.tuning, streamSubscribeSettleMs: 1_000 },
    });
    const tagReads = () => a.requestLog.filter((r) => r.path.startsWith('/api/v1/timelines/tag/'));
    h.collector.start();
    await expect.poll(() => h.collector.status()[0]?.state).toBe('streaming');
    await new Promise((r) => setTimeout(r, 200)); // any read made as the stream opened is done
    expect(a.hashtagSubscriptions()).toBe(0);
    a.post({ account: acct('ada'), text: '#YourTurn Lagos' });
    await expect.poll(() => a.hashtagSubscriptions()).toBe(1);
    await expect.poll(() => places(h), { timeout: 3_000 }).toEqual(['Lagos']);
    // One catch-up read per subscription, after the start's first read: no loop of polls.
    await new Promise((r) => setTimeout(r, 300));
    expect(tagReads()).toHaveLength(2);
  });

  it('does not take a post made before a slow subscription took effect for a silent stream', async () => {
    const a = await instance({ domain: 'a.example', tokens: ['secret'], subscribeDelayMs: 1_500 });
    const h = harness({
      instances: [a.url],
      tokens: { [a.url]: 'secret' },
      ...streamOnly,
      tuning: { ...streamOnly.tuning, streamSubscribeSettleMs: 2_000 },
    });
    h.collector.start();
    await expect.poll(() => h.collector.status()[0]?.state).toBe('streaming');
    await new Promise((r) => setTimeout(r, 1_200)); // past the second a post is dated within
    expect(a.hashtagSubscriptions()).toBe(0);
    a.post({ account: acct('ada'), text: '#YourTurn Lagos' });
    await expect.poll(() => places(h), { timeout: 3_000 }).toEqual(['Lagos']);
    expect(h.lines.filter((l) => /delivers nothing/.test(l.msg))).toEqual([]);
    expect(h.collector.status()[0]).toMatchObject({ state: 'streaming', mode: 'stream' });
  });

  it('stores a post once when both the stream and the catch-up read after subscribing bring it', async () => {
    const a = await instance({ domain: 'a.example', tokens: ['secret'] });
    a.post({ account: acct('first'), text: '#YourTurn Accra' }); // gives the cursor a min_id
    const h = harness({
      instances: [a.url],
      tokens: { [a.url]: 'secret' },
      ...streamOnly,
      tuning: { ...streamOnly.tuning, streamSubscribeSettleMs: 600 },
    });
    const tagReads = () => a.requestLog.filter((r) => r.path.startsWith('/api/v1/timelines/tag/'));
    h.collector.start();
    await expect.poll(() => a.hashtagSubscriptions()).toBe(1);
    expect(tagReads()).toHaveLength(1);
    a.post({ account: acct('ada'), text: '#YourTurn Lagos' });
    await expect.poll(() => places(h).sort()).toEqual(['Accra', 'Lagos']);
    await expect.poll(() => tagReads().length, { timeout: 3_000 }).toBe(2);
    expect(tagReads()[1]!.query).toMatchObject({ min_id: expect.any(String) }); // from the cursor
    await new Promise((r) => setTimeout(r, 100));
    expect(h.db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 2 });
    expect(h.published.filter((e) => e.type === 'contributor')).toHaveLength(2);
  });

  it('keeps the catch-up read after subscribing inside the rate limit: it waits for the window, and the post still arrives', async () => {
    // Three requests per 2 s window, one kept in reserve: the catch-up read must wait for a new window.
    const a = await instance({
      domain: 'a.example',
      tokens: ['secret'],
      subscribeDelayMs: 400,
      rateLimit: { limit: 3, windowMs: 2_000 },
    });
    const h = harness({
      instances: [a.url],
      tokens: { [a.url]: 'secret' },
      ...streamOnly,
      tuning: { ...streamOnly.tuning, streamSubscribeSettleMs: 500 },
    });
    h.collector.start();
    await expect.poll(() => h.collector.status()[0]?.state).toBe('streaming');
    a.post({ account: acct('ada'), text: '#YourTurn Lagos' });
    await expect.poll(() => places(h), { timeout: 6_000 }).toEqual(['Lagos']);
    expect(a.requestLog.filter((r) => r.status === 429)).toEqual([]);
    // Three a window, one kept in reserve: after a read, the next is spaced to the window's end.
    const reads = a.requestLog.filter((r) => r.path.startsWith('/api/v1/timelines/tag/'));
    expect(reads).toHaveLength(2);
    expect(new Set(reads.map((r) => Math.floor(r.time / 2_000))).size).toBe(2);
  });

  it('reconnects a silent stream and catches up by min_id, so posts made while it was down arrive', async () => {
    const a = await instance({ domain: 'a.example', tokens: ['secret'], heartbeatMs: 60_000 });
    const h = harness({
      instances: [a.url],
      tokens: { [a.url]: 'secret' },
      pollIntervalMs: 60_000,
      tuning: { streamCheckIntervalMs: 60_000, streamSilenceMs: 300, minBackoffMs: 100 },
    });
    h.collector.start();
    await expect.poll(() => h.collector.status()[0]?.state).toBe('streaming');
    const cities = ['Lagos', 'Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi'];
    // 400 ms apart: the 300 ms silence drops the stream between posts, and some land in the gap.
    for (const [n, city] of cities.entries()) {
      a.post({ account: acct(`u${n}`), text: `#YourTurn ${city}` });
      await new Promise((r) => setTimeout(r, 400));
    }
    await expect.poll(() => places(h).sort(), { timeout: 5_000 }).toEqual([...cities].sort());
    const connects = a.requestLog.filter((r) => r.status === 101).length;
    expect(connects).toBeGreaterThanOrEqual(2);
    expect(h.lines.some((l) => /was silent for 0 s/.test(l.msg))).toBe(true);
    // Every (re)connect is followed by a catch-up read of the tag timeline.
    const tagReads = a.requestLog.filter((r) => r.path.startsWith('/api/v1/timelines/tag/'));
    expect(tagReads.length).toBeGreaterThanOrEqual(connects);
  });

  it('falls back to polling when a GoToSocial hashtag stream stays silent while polling finds posts', async () => {
    const { a, h } = await silentGoToSocial();
    h.collector.start();
    await expect.poll(() => h.collector.status()[0]?.state).toBe('streaming');
    await new Promise((r) => setTimeout(r, 1_100)); // created_at has whole-second precision here
    a.post({ account: acct('ada'), text: '#YourTurn Nairobi' });
    await expect.poll(() => places(h).sort(), { timeout: 5_000 }).toEqual(['Accra', 'Nairobi']);
    await expect.poll(() => h.collector.status()[0]?.state).toBe('polling');
    expect(
      h.lines.some((l) => /delivers nothing although polling finds new posts/.test(l.msg)),
    ).toBe(true);
  });

  it('tries a silent stream again after a wait that doubles, and streams once it delivers', async () => {
    const { a, h } = await silentGoToSocial({ silentStreamRetryMs: 600 });
    const status = () => h.collector.status()[0]!;
    const connects = () => a.requestLog.filter((r) => r.status === 101).length;
    const said = (pattern: RegExp) => h.lines.filter((l) => pattern.test(l.msg)).map((l) => l.msg);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    h.collector.start();
    await expect.poll(() => status().state).toBe('streaming');
    await sleep(1_100); // only posts dated over a second after the stream opened prove it silent
    a.post({ account: acct('ada'), text: '#YourTurn Nairobi' });
    await expect.poll(() => status().state).toBe('polling');
    expect(status().streamRetryAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(said(/delivers nothing/)).toEqual([
      expect.stringMatching(/polling #yourturn instead, trying the stream again in 600 ms$/),
    ]);

    // The retry subscribes again but keeps polling until the stream delivers; still silent here.
    await expect.poll(() => connects(), { timeout: 3_000 }).toBe(2);
    expect(said(/trying the #yourturn stream on .* again \(it was silent\)/)).toHaveLength(1);
    await sleep(1_100);
    expect(status()).toMatchObject({ state: 'polling', streamRetryAt: null });
    a.post({ account: acct('bo'), text: '#YourTurn Quito' });
    await expect.poll(() => said(/delivers nothing/).length).toBe(2);
    expect(said(/delivers nothing/)[1]).toMatch(/trying the stream again in 1 s$/);

    // The server is fixed: the next retry streams, and a post arrives while polls hang.
    a.setSilentHashtagStreams(false);
    await expect.poll(() => connects(), { timeout: 4_000 }).toBe(3);
    a.setFault({ kind: 'hang' }, '/api/v1/timelines/tag/');
    await sleep(50);
    a.post({ account: acct('cy'), text: '#YourTurn Lima' });
    await expect.poll(() => places(h).sort()).toEqual(['Accra', 'Lima', 'Nairobi', 'Quito']);
    expect(status()).toMatchObject({ state: 'streaming', mode: 'stream', streamRetryAt: null });
    expect(said(/delivers again: streaming #yourturn/)).toHaveLength(1);
  });

  it('removes a post deleted on the instance when the stream says delete, and tells live clients', async () => {
    const { a, h } = await streamingOnly();
    const s = a.post({ account: acct('ada'), text: '#YourTurn Lagos' });
    await expect.poll(() => places(h)).toEqual(['Lagos']);
    a.delete(s.id);
    await expect
      .poll(() => h.published.at(-1))
      .toMatchObject({
        type: 'remove',
        data: { acct: 'ada@a.example' },
      });
    expect(places(h)).toEqual([]);
  });

  it('moves the pin when an edit arrives live as status.update', async () => {
    const { a, h } = await streamingOnly();
    const s = a.post({ account: acct('ada'), text: '#YourTurn Lagos' });
    await expect.poll(() => places(h)).toEqual(['Lagos']);
    await new Promise((r) => setTimeout(r, 5)); // edited_at must be later than created_at
    a.edit(s.id, { text: '#YourTurn Osaka' });
    await expect.poll(() => places(h)).toEqual(['Osaka']);
  });
});

describe('collector: polled instances', () => {
  it('never misses a snac post that arrives later with a smaller id in the same second', async () => {
    const second = Date.UTC(2026, 0, 5, 12, 0, 0);
    const a = await instance({ software: 'snac', domain: 'snac.example', now: () => second });
    const cities = ['Lagos', 'Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco'];
    const ids: string[] = [];
    const h = harness({ instances: [a.url], pollIntervalMs: 20 });
    h.collector.start();
    for (const [n, city] of cities.entries()) {
      ids.push(a.post({ account: acct(`u${n}`), text: `#YourTurn ${city}` }).id);
      await expect.poll(() => places(h).length).toBe(n + 1);
    }
    expect(places(h).sort()).toEqual([...cities].sort());
    // The test is only worth something if some later post really had a smaller id.
    expect(ids.some((id, n) => n > 0 && ids.slice(0, n).some((earlier) => earlier > id))).toBe(
      true,
    );
  });

  it('dates a post from the future at the moment it was first seen, so it cannot pin forever', async () => {
    const a = await instance({ domain: 'a.example' });
    a.post({
      account: acct('ada'),
      text: '#YourTurn Lagos',
      createdAt: Date.UTC(2099, 0, 1),
    });
    const h = harness({ instances: [a.url], pollIntervalMs: 20 });
    h.collector.start();
    await expect.poll(() => places(h)).toEqual(['Lagos']);
    const stored = h.db.prepare('SELECT created_at FROM posts').get() as { created_at: string };
    expect(Date.parse(stored.created_at)).toBeLessThanOrEqual(Date.now());
    await new Promise((r) => setTimeout(r, 5));
    a.post({ account: acct('ada'), text: '#YourTurn Lima' });
    await expect.poll(() => places(h)).toEqual(['Lima']);
  });

  it('treats a GoToSocial 404 for a tag never used there as nothing yet, not an error', async () => {
    const a = await instance({ software: 'gotosocial', tokens: ['secret'] });
    const h = harness({
      instances: [a.url],
      tokens: { [a.url]: 'secret' },
      pollIntervalMs: 20,
      tuning: { streamCheckIntervalMs: 20 },
    });
    h.collector.start();
    await expect
      .poll(() => a.requestLog.filter((r) => r.path.startsWith('/api/v1/timelines')).length)
      .toBeGreaterThan(1);
    expect(a.requestLog.some((r) => r.status === 404)).toBe(true);
    expect(h.collector.status()[0]).toMatchObject({ lastError: null });
    expect(['polling', 'streaming']).toContain(h.collector.status()[0]!.state);
  });

  it('keeps to its own request budget on an instance that sends no rate-limit headers', async () => {
    const a = await instance({ software: 'snac', domain: 'snac.example' });
    a.post({ account: acct('ada'), text: '#YourTurn Lagos' });
    const h = harness({
      instances: [a.url],
      pollIntervalMs: 10,
      tuning: { budget: { requests: 10, windowMs: 60_000 } },
    });
    h.collector.start();
    await expect.poll(() => places(h)).toEqual(['Lagos']);
    await new Promise((r) => setTimeout(r, 1_000));
    // 10 per minute with a 10% reserve: 9 requests, then it waits for the window to move. Reading
    // the instance info is one of them but two HTTP requests, as snac has no /api/v2/instance.
    const ours = a.requestLog.filter(
      (r) => r.path.startsWith('/api/') && r.path !== '/api/v2/instance',
    );
    expect(ours.length).toBe(9);
  });

  it('shows backfill progress in /api/status and a readable progress line', async () => {
    const a = await instance({ domain: 'a.example' });
    for (let n = 0; n < 200; n++)
      a.post({
        account: acct(`u${n}`),
        text: '#YourTurn Nairobi',
        createdAt: Date.now() - (200 - n) * 3_600_000,
      });
    a.setFault({ kind: 'delay', ms: 60 }, '/api/v1/timelines/tag/');
    const h = harness({ instances: [a.url], backfill: { posts: 160, days: 365 } });
    h.collector.start();
    await expect.poll(() => h.collector.status()[0]?.backfill?.postsRead ?? 0).toBeGreaterThan(40);
    const during = h.collector.status()[0]!.backfill!;
    expect(during.targetPosts).toBe(160);
    expect(during.oldestReached).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(during.etaSeconds).toBeTypeOf('number');
    await expect.poll(() => h.store.cursor(a.url, 'yourturn').backfillDone).toBe(true);
    expect(h.collector.status()[0]!.backfill).toBeNull();
    const lines = h.lines.map((l) => l.msg).filter((m) => m.startsWith('backfill #yourturn'));
    expect(lines[0]).toMatch(/: 40 posts read, back to \d{4}-\d\d-\d\d, about \d+ s left$/);
    expect(lines.at(-1)).toMatch(/: 160 posts read, back to .* — done in \d+ s$/);
  });
});

describe('collector: relays', () => {
  it('reads a relay firehose over SSE, keeps only the campaign hashtag, and honours its deletes', async () => {
    // A relay is no one's home: its authors are remote (origin.example, whose home this double also plays).
    const a = await instance({
      domain: 'relay.example',
      homeFor: ['origin.example'],
      streamingRequiresToken: false,
    });
    const relay = `${a.url}/api/v1/streaming/public`;
    const h = harness({ instances: [], relays: [relay] });
    h.collector.start();
    await expect.poll(() => h.collector.status()[0]?.state).toBe('streaming');
    a.post({ account: acct('bob', 'origin.example'), text: 'Lunch in #Paris' });
    const s = a.post({ account: acct('ada', 'origin.example'), text: '#YourTurn Lagos' });
    await expect.poll(() => places(h)).toEqual(['Lagos']);
    expect(h.db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 1 });
    expect(h.collector.status()[0]).toMatchObject({ instance: relay, mode: 'relay', postsSeen: 1 });
    a.delete(s.id);
    await expect.poll(() => places(h)).toEqual([]);
  });

  it('reconnects to a relay that drops mid-event, and the next connection delivers', async () => {
    const source = await instance({ domain: 'origin.example', homeFor: ['far.example'] });
    const status = source.post({ account: acct('ada', 'far.example'), text: '#YourTurn Lima' });
    let connections = 0;
    const server: Server = createServer((_req, res) => {
      connections++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (connections === 1) {
        res.write('event: update\ndata: {"id":"1","uri":"https://x');
        setTimeout(() => res.socket?.destroy(), 20);
      } else res.write(`:)\nevent: update\ndata: ${JSON.stringify(status)}\n\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closeAfter({
      close: () => {
        server.closeAllConnections();
        return new Promise((r) => server.close(() => r()));
      },
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
    const h = harness({ instances: [], relays: [url], tuning: { minBackoffMs: 50 } });
    h.collector.start();
    await expect.poll(() => places(h)).toEqual(['Lima']);
    expect(connections).toBe(2);
    expect(h.lines.some((l) => /reconnecting in \d+ s/.test(l.msg))).toBe(true);
  });
});
