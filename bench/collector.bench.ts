// Collector: backfill throughput into SQLite with locating (against a bare HTTP read of the same
// pages as baseline), live latency from a post on an instance to the SSE event at a map client
// (streaming and polling), requests per hour per instance in steady state (simulated hour), and
// the time a polled instance's delete takes to leave the map, re-checking 20 posts per request
// against one at a time (simulated time). Run alone with `npx tsx bench/collector.bench.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Clock } from '../server/clock.js';
import { createCollector, type CollectorOptions } from '../server/collector/collector.js';
import { readEventStream } from '../server/collector/event-stream.js';
import { parseConfig } from '../server/config/index.js';
import { startMastodonInstance, type MastodonInstance } from '../server/demo/mastodon/index.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { createLocator } from '../server/geo/locator.js';
import { createPrng } from '../server/demo/prng.js';
import { createHub } from '../server/hub.js';
import { startServer } from '../server/main.js';
import { openDb, type Db } from '../server/store/db.js';
import { createSourcePostQueries } from '../server/store/source-posts.js';
import { createConsentStore } from '../server/store/consent-store.js';
import { createStore, type Store } from '../server/store/store.js';

const log = pino({ level: 'silent' });
const locator = createLocator(openGazetteer());

/** A collector reading #yourturn from the one fake instance into `db`; `run` adds the run's own options. */
function benchCollector(
  db: Db,
  store: Store,
  a: MastodonInstance,
  run: Partial<CollectorOptions> & Pick<CollectorOptions, 'pollIntervalMs'>,
) {
  return createCollector({
    store,
    locator,
    log,
    instances: [a.url],
    tags: ['yourturn'],
    userAgent: 'FindTheOthers-bench/1.0',
    sourcePosts: createSourcePostQueries(db),
    consentStore: createConsentStore(db),
    ...run,
  });
}
const cities = ['Lagos', 'Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco', 'Nairobi'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function seeded(n: number): Promise<MastodonInstance> {
  const a = await startMastodonInstance({ domain: 'bench.example', rateLimit: false });
  for (let i = 0; i < n; i++)
    a.post({
      account: { username: `u${i}` },
      text: `#YourTurn ${cities[i % cities.length]}, here since spring`,
      createdAt: Date.now() - (n - i) * 60_000,
    });
  return a;
}

/** Statuses/s: first start to backfill done, every post validated, consent-checked, located and stored. */
async function backfillRun(a: MastodonInstance, n: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'fto-bench-'));
  const db = openDb(join(dir, 'bench.db'));
  const store = createStore(db);
  store.ensureCampaigns(['yourturn']);
  const collector = benchCollector(db, store, a, {
    pollIntervalMs: 3600_000,
    backfill: { posts: n, days: 36_500 },
    tuning: { budget: false, recheckIntervalMs: 0 },
  });
  const started = performance.now();
  collector.start();
  while (!store.cursor(a.url, 'yourturn').backfillDone) await new Promise((r) => setTimeout(r, 2));
  const seconds = (performance.now() - started) / 1000;
  await collector.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return n / seconds;
}

/** Baseline: the same pages fetched and parsed, nothing else. */
async function fetchOnlyRun(a: MastodonInstance, n: number): Promise<number> {
  const started = performance.now();
  let maxId: string | undefined;
  for (let read = 0; read < n;) {
    const url = `${a.url}/api/v1/timelines/tag/yourturn?limit=40${maxId ? `&max_id=${maxId}` : ''}`;
    const page = (await (await fetch(url)).json()) as { id: string }[];
    if (page.length === 0) break;
    read += page.length;
    maxId = page.at(-1)!.id;
  }
  return n / ((performance.now() - started) / 1000);
}

/** Post → `contributor` SSE event at a client of our server, in ms. */
async function latencyRun(streaming: boolean, pollIntervalMs: number, posts: number) {
  const a = await startMastodonInstance({
    domain: 'live.example',
    rateLimit: false,
    tokens: ['t'],
  });
  a.post({ account: { username: 'seed' }, text: '#YourTurn Lima' });
  const dir = mkdtempSync(join(tmpdir(), 'fto-bench-'));
  const config = parseConfig({}, [
    'node',
    'fto',
    'serve',
    ...['--instance', a.url, '--db', join(dir, 'live.db'), '--port', '0', '--host', '127.0.0.1'],
    ...['--poll-interval', String(pollIntervalMs), '--tiles', 'none', '--no-bluesky'],
  ]);
  const server = await startServer(config, {
    log,
    locator,
    tokens: streaming ? { [a.url]: 't' } : {},
  });
  const want = streaming ? 'streaming' : 'polling';
  const ready = () => server.collection.status();
  while (!(ready().length > 0 && ready().every((s) => s.state === want)))
    await new Promise((r) => setTimeout(r, 10));
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/campaigns/yourturn/events`, {
    signal: controller.signal,
  });
  const arrived = new Map<string, number>();
  void readEventStream(res.body!, {
    onEvent(e) {
      if (e.event !== 'contributor') return;
      const acct = (JSON.parse(e.data) as { id: string }).id;
      if (!arrived.has(acct)) arrived.set(acct, performance.now());
    },
  }).catch(() => {});
  const latencies: number[] = [];
  for (let i = 0; i < posts; i++) {
    const acct = `p${i}@live.example`;
    const sent = performance.now();
    a.post({ account: { username: `p${i}` }, text: `#YourTurn ${cities[i % cities.length]}` });
    while (!arrived.has(acct)) await new Promise((r) => setTimeout(r, 2));
    latencies.push(arrived.get(acct)! - sent);
    // Spread the posts over the poll cycle, as real posts are.
    await new Promise((r) =>
      setTimeout(r, 50 + Math.random() * (streaming ? 50 : pollIntervalMs / 3)),
    );
  }
  controller.abort();
  await server.close();
  await a.close();
  rmSync(dir, { recursive: true, force: true });
  return { p50: median(latencies), p95: pct(latencies, 0.95) };
}

/** A clock that jumps ahead by every sleep: a simulated hour passes in a few real seconds. */
function jumpingClock() {
  let now = Date.now();
  const clock: Clock = {
    now: () => now,
    sleep: async (ms, signal) => {
      if (!signal?.aborted && ms > 0) now += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
  /** Let the collector run until `done` holds or `ms` of simulated time pass. */
  async function runFor(ms: number, done: () => boolean = () => false) {
    const end = now + ms;
    while (now < end && !done()) await new Promise((r) => setTimeout(r, 1));
  }
  return { clock, now: () => now, runFor };
}

/** An instance with Mastodon's rate limits on a jumping clock, and one polling collector (streaming with `token`). */
async function steadyCollector(posts: number, options: { streaming?: boolean; batch?: boolean }) {
  const time = jumpingClock();
  const a = await startMastodonInstance({
    domain: 'steady.example',
    tokens: ['t'],
    now: time.now,
    multipleStatuses: options.batch ?? true,
  });
  for (let i = 0; i < posts; i++)
    a.post({
      account: { username: `s${i}` },
      text: `#YourTurn ${cities[i % cities.length]}`,
      createdAt: time.now() - (posts - i) * 60_000,
    });
  const db = openDb(':memory:');
  const store = createStore(db);
  store.ensureCampaigns(['yourturn']);
  const hub = createHub(store);
  const collector = benchCollector(db, store, a, {
    pollIntervalMs: 30_000,
    tokens: options.streaming ? { [a.url]: 't' } : {},
    clock: time.clock,
  });
  collector.start();
  return {
    a,
    hub,
    time,
    async close() {
      await collector.stop();
      await a.close();
      db.close();
    },
  };
}

/** Requests one instance receives in one simulated hour of steady state. */
async function requestsPerHour(streaming: boolean, posts = 30): Promise<number> {
  const s = await steadyCollector(posts, { streaming });
  // Warm up (first read, backfill), then count one simulated hour.
  await s.time.runFor(10 * 60_000);
  const from = s.a.requestLog.length;
  await s.time.runFor(3600_000);
  const count = s.a.requestLog.slice(from).filter((r) => r.status !== 101).length;
  await s.close();
  return count;
}

/**
 * Simulated seconds from a delete on a polled instance to the post leaving the map (its author's
 * `remove` event), for `deletes` posts picked at random among `posts` recent ones, one after another.
 */
async function timeToNoticeDelete(batch: boolean, posts: number, deletes: number) {
  const s = await steadyCollector(posts, { batch });
  const removed = new Set<string>();
  s.hub.subscribe('yourturn', (e) => {
    if (e.type === 'remove') removed.add(e.data.acct);
  });
  await s.time.runFor(10 * 60_000); // backfill done, the re-check under way
  const prng = createPrng(batch ? 7 : 11);
  const statuses = s.a.statuses();
  const seconds: number[] = [];
  for (let i = 0; i < deletes; i++) {
    const status = statuses.splice(prng.int(statuses.length), 1)[0]!;
    const acct = `${status.account.acct}@steady.example`;
    const deletedAt = s.time.now();
    s.a.delete(status.id);
    await s.time.runFor(12 * 3600_000, () => removed.has(acct));
    if (!removed.has(acct)) throw new Error(`a delete was not noticed within 12 simulated hours`);
    seconds.push((s.time.now() - deletedAt) / 1000);
  }
  await s.close();
  return { median: median(seconds), max: Math.max(...seconds) };
}

export async function run() {
  const n = 6000;
  const a = await seeded(n);
  const collector: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < 3; i++) {
    baseline.push(await fetchOnlyRun(a, n));
    collector.push(await backfillRun(a, n));
  }
  await a.close();
  const streamed = await latencyRun(true, 30_000, 40);
  const polled = await latencyRun(false, 1_000, 20);
  const pollingPerHour = await requestsPerHour(false);
  const streamingPerHour = await requestsPerHour(true);
  const busyPollingPerHour = await requestsPerHour(false, 500);
  const recent = 500;
  const noticeBatch = await timeToNoticeDelete(true, recent, 15);
  const noticeSingle = await timeToNoticeDelete(false, recent, 15);
  const figures = {
    backfillStatusesPerSec: Math.round(median(collector)),
    baselineFetchOnlyStatusesPerSec: Math.round(median(baseline)),
    streamingLatencyP50Ms: Math.round(streamed.p50),
    streamingLatencyP95Ms: Math.round(streamed.p95),
    pollingLatencyP50Ms: Math.round(polled.p50),
    pollingLatencyP95Ms: Math.round(polled.p95),
    pollingRequestsPerHour: pollingPerHour,
    streamingRequestsPerHour: streamingPerHour,
    busyPollingRequestsPerHour: busyPollingPerHour,
    deleteNoticedMedianSec: Math.round(noticeBatch.median),
    deleteNoticedMaxSec: Math.round(noticeBatch.max),
    baselineDeleteNoticedMedianSec: Math.round(noticeSingle.median),
    baselineDeleteNoticedMaxSec: Math.round(noticeSingle.max),
  };
  const minutes = (sec: number) => `${(sec / 60).toFixed(1)} min`;
  return {
    name: 'collector',
    table: [
      {
        measure: `backfill ${n} statuses, end to end into SQLite with locating (median of 3)`,
        value: `${figures.backfillStatusesPerSec}/s`,
        target: '≥ 2000/s',
      },
      {
        measure: 'baseline: the same pages fetched and parsed only',
        value: `${figures.baselineFetchOnlyStatusesPerSec}/s`,
        target: '',
      },
      {
        measure: 'live latency, streaming (post → SSE event), p50 / p95',
        value: `${figures.streamingLatencyP50Ms} / ${figures.streamingLatencyP95Ms} ms`,
        target: 'p95 ≤ 1000 ms',
      },
      {
        measure: 'live latency, polling every 1 s, p50 / p95',
        value: `${figures.pollingLatencyP50Ms} / ${figures.pollingLatencyP95Ms} ms`,
        target: 'p95 ≤ 2000 ms',
      },
      {
        measure: 'requests/hour/instance, steady state, polling 1 tag every 30 s + re-check',
        value: pollingPerHour,
        target: '≤ 1200 (paging bucket)',
      },
      {
        measure: 'requests/hour/instance, steady state, streaming 1 tag + re-check',
        value: streamingPerHour,
        target: '',
      },
      {
        measure: `requests/hour/instance, polling 1 tag + re-check, ${recent} recent posts`,
        value: busyPollingPerHour,
        target: '≤ 3600 (API bucket, 300 per 5 min)',
      },
      {
        measure: `time to notice a delete, polled instance, ${recent} recent posts, median / max of 15 (simulated)`,
        value: `${minutes(figures.deleteNoticedMedianSec)} / ${minutes(figures.deleteNoticedMaxSec)}`,
        target: 'minutes, not hours',
      },
      {
        measure:
          'baseline: one post at a time (server without GET /api/v1/statuses?id[]), median / max of 15',
        value: `${minutes(figures.baselineDeleteNoticedMedianSec)} / ${minutes(figures.baselineDeleteNoticedMaxSec)}`,
        target: '',
      },
    ],
    figures,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.table((await run()).table);
