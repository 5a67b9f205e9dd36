// Store and API at a million contributors in 30,000 cities: cluster, nearby and city-page latency over HTTP
// from this process against a server in a second process, autocannon load, SSE fan-out to 5,000 clients,
// ingest rate, server memory; baseline: clustering the million raw points instead of the cities.
// Run alone with `npx tsx bench/api.bench.ts`.
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Supercluster from 'supercluster';
import { createPrng } from '../server/demo/prng.js';
import { createCityIndex } from '../server/map/city-index.js';
import { openDb, type Db } from '../server/store/db.js';
import { createStore, type IngestItem } from '../server/store/store.js';
import type { Place } from '../shared/types.js';
import { account, located, post } from '../tests/helpers/posts.js';
import { createDatabase, findPostgresBin, startPostgres } from '../tests/helpers/postgres.js';
import { millionDb } from './fixtures/million.js';
import { loadIntoPostgres, type PgLoadReport } from './fixtures/million-pg.js';
import type { BenchResult } from './run.js';

const adminToken = 'bench-admin-token';
const sseClients = 5000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const r2 = (x: number) => Math.round(x * 100) / 100;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Time n calls of fn(i); returns per-call ms. */
async function timeEach(n: number, fn: (i: number) => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    out.push(ms(t0));
  }
  return out;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
/** Timed answers that were not 2xx, by path: a fast error must not pass for a fast answer. */
const failures: string[] = [];
function get(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) failures.push(`${status} ${path}`);
          resolve({ status, body });
        });
      })
      .on('error', reject);
  });
}

function startServer(dbPath: string): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./fixtures/api-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dbPath], {
    env: { ...process.env, FTO_ADMIN_TOKEN: adminToken },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`api server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve({ url: (JSON.parse(line) as { url: string }).url, child }),
    );
  });
}

/** The server's memory from /metrics. RSS includes the pages of the mmapped db file the OS keeps resident. */
async function serverMemMiB(base: string): Promise<{ rss: number; heap: number }> {
  const { body } = await get(base, '/metrics');
  const read = (name: string) =>
    r2(Number(new RegExp(`^${name} (\\d+)`, 'm').exec(body)![1]) / 2 ** 20);
  return { rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_used_bytes') };
}

/** 5,000 SSE clients; resolves with each client's ms from `trigger()` to receiving `event: <name>`. */
async function fanOut(base: string, trigger: () => Promise<void>, eventName: string) {
  const url = new URL(`${base}/api/campaigns/yourturn/events`);
  const sockets: http.ClientRequest[] = [];
  const received: number[] = [];
  let started = 0n;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  const ready: Promise<void>[] = [];
  for (let i = 0; i < sseClients; i++) {
    ready.push(
      new Promise<void>((resolve, reject) => {
        let got = false;
        let buffer = '';
        const req = http.get(
          { host: url.hostname, port: url.port, path: url.pathname, agent: false },
          (res) => {
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              buffer += chunk;
              if (buffer.includes('event: stats')) resolve();
              if (!got && started > 0n && buffer.includes(`event: ${eventName}`)) {
                got = true;
                received.push(ms(started));
                if (received.length === sseClients) resolveAll();
              }
              if (buffer.length > 4096) buffer = buffer.slice(-512);
            });
          },
        );
        req.on('error', reject);
        sockets.push(req);
      }),
    );
    if (i % 500 === 499) await Promise.all(ready.slice(-500));
  }
  await Promise.all(ready);
  const memWith = await serverMemMiB(base);
  started = process.hrtime.bigint();
  await trigger();
  await Promise.race([all, new Promise((r) => setTimeout(r, 10_000))]);
  for (const s of sockets) s.destroy();
  return { received, memWith };
}

async function cannon(base: string, paths: string[], seconds: number) {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections: 10,
    duration: seconds,
    requests: [
      { method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) },
    ],
  });
  return result;
}

/** Where an ingest run writes: a fresh SQLite file, or a fresh database on the bench's cluster. */
interface IngestTarget {
  open(): Promise<{ db: Db; drop(): Promise<void> | void }>;
}

const sqliteTarget: IngestTarget = {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'fto-ingest-'));
    const db = openDb(join(dir, 'ingest.db'));
    return { db, drop: () => rmSync(dir, { recursive: true, force: true }) };
  },
};

/** An empty database per run on the cluster at adminUrl, opened as `serve --db postgres://…` does. */
function postgresTarget(adminUrl: string): IngestTarget {
  let n = 0;
  return {
    async open() {
      const name = `fto_ingest_${process.pid}_${n++}`;
      await createDatabase(adminUrl, name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        db: openDb(url.href),
        async drop() {
          const admin = new pg.Client({ connectionString: adminUrl });
          await admin.connect();
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await admin.end();
        },
      };
    },
  };
}

/** Ingest rate: located posts of new people in batches, as the collector sends pages. */
async function ingestRate(
  cities: Place[],
  target: IngestTarget,
  batches: number,
): Promise<{ perSecond: number; batchMedian: number }> {
  const { db, drop } = await target.open();
  const store = createStore(db);
  store.ensureCampaigns(['yourturn']);
  const rand = createPrng(7);
  const batch = 500;
  const rates: number[] = [];
  let n = 0;
  let busyMs = 0;
  for (let b = 0; b < batches; b++) {
    const items: IngestItem[] = [];
    for (let k = 0; k < batch; k++, n++) {
      const place = cities[rand.int(cities.length)]!;
      const acct = `p${n}@i${n % 300}.example`;
      items.push({
        post: post({
          uri: `https://i${n % 300}.example/users/p${n}/statuses/${n}`,
          url: `https://i${n % 300}.example/@p${n}/${n}`,
          localId: String(n),
          createdAt: new Date(Date.UTC(2026, 10, 1) + n * 1000).toISOString(),
          rawContent: `<p>#YourTurn ${place.name}</p>`,
          content: `<p>#YourTurn ${place.name}</p>`,
          account: account({
            acct,
            displayName: `P ${n}`,
            url: `https://x.example/@p${n}`,
            avatar: '',
          }),
        }),
        located: located(place),
        source: 'https://x.example',
        campaignTags: ['yourturn'],
      });
    }
    const tb = process.hrtime.bigint();
    store.ingest(items, {
      source: 'https://x.example',
      tag: 'yourturn',
      newestId: String(n),
      oldestId: null,
      backfillCount: n,
      backfillDone: false,
    });
    const took = ms(tb);
    busyMs += took;
    rates.push(batch / (took / 1000));
  }
  // Time inside store.ingest only: building the test posts is not the store's work.
  const perSecond = Math.round(n / (busyMs / 1000));
  db.close();
  await drop();
  return { perSecond, batchMedian: Math.round(pct(rates, 50)) };
}

/** Median of three ingest runs (the slowest and fastest are reported beside it). */
async function ingestMedian(cities: Place[], target: IngestTarget, batches: number) {
  const runs: { perSecond: number; batchMedian: number }[] = [];
  for (let i = 0; i < 3; i++) runs.push(await ingestRate(cities, target, batches));
  runs.sort((a, b) => a.perSecond - b.perSecond);
  return { median: runs[1]!, runs, posts: batches * 500 };
}

/** What one `serve` process answered, on one engine. */
interface ServerFigures {
  startMs: number; // spawn until listening with the index warmed (read from the db)
  firstMapMs: number; // spawn until the first world map's answer is in
  httpWorld: number[];
  httpCity: number[];
  nearby: number[];
  nearText: number[];
  pageFirst: number[];
  pageNext: number[];
  summary: number[];
  load: Awaited<ReturnType<typeof autocannon>>;
  memIdle: { rss: number; heap: number };
  memLoaded: { rss: number; heap: number };
  memWith: { rss: number; heap: number };
  received: number[];
  /** Timed requests answered with something other than 2xx (the first few, quoted). */
  notOk: string[];
}

type CityBox = (i: number) => [number, number, number, number];

/** A server in a second process on `db` (a file or a postgres:// URL), and every HTTP measurement. */
async function measureServer(
  db: string,
  cities: Place[],
  bigCities: Place[],
  cityBox: CityBox,
): Promise<ServerFigures> {
  const rand = createPrng(42); // the same questions on every engine
  failures.length = 0;
  const tb = process.hrtime.bigint();
  const { url: base, child } = await startServer(db);
  const startMs = ms(tb);
  try {
    await get(base, '/api/campaigns/yourturn/contributors?bbox=-180,-85,180,85&zoom=1');
    const firstMapMs = ms(tb);
    const memIdle = await serverMemMiB(base);
    const httpWorld = await timeEach(300, (i) =>
      get(base, `/api/campaigns/yourturn/contributors?bbox=-180,-85,180,85&zoom=${i % 3}`),
    );
    const httpCity = await timeEach(300, (i) => {
      const [w, s, e, n] = cityBox(i);
      return get(
        base,
        `/api/campaigns/yourturn/contributors?bbox=${w},${s},${e},${n}&zoom=${10 + (i % 3)}`,
      );
    });
    const nearby = await timeEach(500, (i) => {
      const c = cities[rand.int(cities.length)]!;
      return get(
        base,
        `/api/campaigns/yourturn/nearby?lat=${(c.lat + 0.3).toFixed(3)}&lng=${(c.lng - 0.3).toFixed(3)}&limit=${i % 2 ? 20 : 50}`,
      );
    });
    const nearText = await timeEach(200, (i) =>
      get(
        base,
        `/api/campaigns/yourturn/nearby?near=${encodeURIComponent(bigCities[i]!.name)}&limit=20`,
      ),
    );
    const cursors: string[] = [];
    const pageFirst = await timeEach(500, async (i) => {
      const c = i % 2 ? bigCities[i % bigCities.length]! : cities[rand.int(cities.length)]!;
      const res = await get(base, `/api/campaigns/yourturn/places/${c.id}/contributors?limit=50`);
      const next = (JSON.parse(res.body) as { nextCursor: string | null }).nextCursor;
      if (next)
        cursors.push(`/api/campaigns/yourturn/places/${c.id}/contributors?limit=50&cursor=${next}`);
    });
    const pageNext = await timeEach(Math.min(300, cursors.length), (i) => get(base, cursors[i]!));
    const summary = await timeEach(20, () => get(base, '/api/campaigns/yourturn'));

    const mix = [
      ...Array.from({ length: 50 }, (_, i) => {
        const [w, s, e, n] = cityBox(i * 7);
        return `/api/campaigns/yourturn/contributors?bbox=${w},${s},${e},${n}&zoom=11`;
      }),
      ...Array.from(
        { length: 50 },
        (_, i) => `/api/campaigns/yourturn/places/${bigCities[i * 3]!.id}/contributors`,
      ),
      ...Array.from({ length: 50 }, (_, i) => {
        const c = bigCities[i * 5]!;
        return `/api/campaigns/yourturn/nearby?lat=${c.lat}&lng=${c.lng}`;
      }),
      '/api/campaigns/yourturn/contributors?bbox=-180,-85,180,85&zoom=1',
    ];
    const load = await cannon(base, mix, 10);
    const memLoaded = await serverMemMiB(base);

    const victim = 'u123@i123.example';
    const { received, memWith } = await fanOut(
      base,
      async () => {
        await new Promise<void>((resolve, reject) => {
          const req = http.request(
            `${base}/api/admin/accounts/${victim}/hide`,
            { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } },
            (res) => {
              res.resume();
              res.on('end', () => resolve());
            },
          );
          req.on('error', reject);
          req.end();
        });
      },
      'remove',
    );
    return {
      startMs,
      firstMapMs,
      httpWorld,
      httpCity,
      nearby,
      nearText,
      pageFirst,
      pageNext,
      summary,
      load,
      memIdle,
      memLoaded,
      memWith,
      received,
      notOk: [...failures],
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/**
 * The PostgreSQL side's server settings: a real server's durability (fsync, synchronous_commit,
 * full_page_writes on, WAL for a replica), autovacuum on, and memory sized for a small dedicated
 * host, over startPostgres's throwaway test defaults. The cluster lives on disk, not /dev/shm.
 */
export const pgBenchSettings: Record<string, string> = {
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  wal_level: 'replica',
  max_wal_senders: '10',
  autovacuum: 'on',
  shared_buffers: "'512MB'",
  effective_cache_size: "'4GB'",
  work_mem: "'16MB'",
  maintenance_work_mem: "'256MB'",
  max_wal_size: "'4GB'", // no forced checkpoint in the middle of the load
};

const benchDefaults = {
  contributors: 1_000_000, // FTO_BENCH_API_CONTRIBUTORS: the size on both engines
  postgres: true, // FTO_BENCH_API_PG=0 skips the PostgreSQL side
  ingestBatches: 100, // of 500 posts: 50,000 per ingest run on SQLite
  // On PostgreSQL every statement is a round trip and every batch a durable commit: ~300 posts/s
  // here, so 50,000 would take minutes a run; 10,000 measures the same rate.
  pgIngestBatches: 20, // FTO_BENCH_API_PG_INGEST_BATCHES
};

/** Where a minutes-long run is, on stderr (the table comes at the end). */
const progress = (step: string) =>
  process.stderr.write(`[api bench ${new Date().toISOString().slice(11, 19)}] ${step}\n`);

export async function run(): Promise<BenchResult> {
  const contributors = Number(process.env.FTO_BENCH_API_CONTRIBUTORS ?? benchDefaults.contributors);
  if (!Number.isInteger(contributors) || contributors < 30_000)
    throw new Error(
      `FTO_BENCH_API_CONTRIBUTORS must be a whole number of at least 30,000 (one per city), not ${process.env.FTO_BENCH_API_CONTRIBUTORS}`,
    );
  const withPg =
    (process.env.FTO_BENCH_API_PG ?? (benchDefaults.postgres ? '1' : '0')) !== '0' &&
    findPostgresBin() !== null;
  const t0 = process.hrtime.bigint();
  const path = await millionDb({ contributors });
  const dbBuildMs = ms(t0);
  const table: BenchResult['table'] = [];
  const figures: Record<string, number> = {};
  // One shape for every row, so the table stays readable: latency rows fill n/p50/p95, others
  // value/unit; the engine column pairs SQLite's row with PostgreSQL's.
  const row = (
    what: string,
    engine: string,
    samples: number[] | null,
    value: number | string = '',
    unit = samples ? 'ms' : '',
  ) =>
    table.push({
      what,
      engine,
      n: samples?.length ?? '',
      'p50 ms': samples ? r2(pct(samples, 50)) : '',
      'p95 ms': samples ? r2(pct(samples, 95)) : '',
      value,
      unit,
    });

  // In-process: our index (cities weighted by people) against the baseline (a million raw points).
  const ro = new Database(path, { readonly: true });
  const store = createStore(ro);
  const cities = store.queries.cityCounts('yourturn').map((c) => c.place);
  // Ingest first, before the baseline's half-gigabyte heap makes every GC slower; median of 3.
  progress('ingest on SQLite');
  const ingest = await ingestMedian(cities, sqliteTarget, benchDefaults.ingestBatches);
  let tb = process.hrtime.bigint();
  const index = createCityIndex(store, store.queries, { staleMs: 1e9 });
  index.warm('yourturn');
  const indexBuildMs = ms(tb);
  const bigCities = [...cities].sort((a, b) => b.population - a.population).slice(0, 2000);
  const cityBox: CityBox = (i) => {
    const c = bigCities[i % bigCities.length]!;
    return [c.lng - 0.4, c.lat - 0.25, c.lng + 0.4, c.lat + 0.25];
  };
  const worldOurs = await timeEach(300, (i) => index.view('yourturn', [-180, -85, 180, 85], i % 3));
  const cityOurs = await timeEach(300, (i) => index.view('yourturn', cityBox(i), 10 + (i % 3)));

  const cityPoints = store.queries.cityCounts('yourturn').map((c) => ({
    type: 'Feature' as const,
    geometry: { type: 'Point' as const, coordinates: [c.place.lng, c.place.lat] },
    properties: { count: c.count, population: c.place.population, name: c.place.name },
  }));
  const rebuildOurs = await timeEach(5, () =>
    new Supercluster<{ count: number; population: number; name: string }, { count: number }>({
      radius: 60,
      maxZoom: 12,
      map: (p) => ({ count: p.count }),
      reduce: (a, p) => {
        a.count += p.count;
      },
    }).load(cityPoints),
  );
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  tb = process.hrtime.bigint();
  const raw = new Supercluster({ radius: 60, maxZoom: 12 });
  const points = ro
    .prepare(
      "SELECT pl.lng, pl.lat FROM contributors c JOIN places pl ON pl.id = c.place_id WHERE c.tag = 'yourturn'",
    )
    .raw()
    .all() as [number, number][];
  raw.load(
    points.map(([lng, lat]) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [lng, lat] },
      properties: {},
    })),
  );
  const rawBuildMs = ms(tb);
  const rawHeapMiB = r2((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
  const worldRaw = await timeEach(100, (i) => raw.getClusters([-180, -85, 180, 85], i % 3));
  const cityRaw = await timeEach(100, (i) => raw.getClusters(cityBox(i), 10 + (i % 3)));
  points.length = 0;
  ro.close();

  // A real server in a second process, on a copy (the fan-out step hides and unhides someone).
  const dir = mkdtempSync(join(tmpdir(), 'fto-bench-'));
  const copy = join(dir, 'million.db');
  copyFileSync(path, copy);
  let lite: ServerFigures;
  progress('HTTP on SQLite');
  try {
    lite = await measureServer(copy, cities, bigCities, cityBox);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // The same on PostgreSQL: a private cluster with a real server's settings, loaded from the file.
  let pgSide: {
    server: ServerFigures;
    ingest: Awaited<ReturnType<typeof ingestMedian>>;
    indexBuildMs: number;
    load: PgLoadReport;
  } | null = null;
  if (withPg) {
    const cluster = await startPostgres({
      database: 'fto_bench',
      settings: pgBenchSettings,
      root: tmpdir(),
    });
    try {
      progress(`load into PostgreSQL (${cluster.url})`);
      const load = await loadIntoPostgres(path, cluster.url);
      const pgDb = openDb(cluster.url);
      const pgStore = createStore(pgDb);
      tb = process.hrtime.bigint();
      createCityIndex(pgStore, pgStore.queries, { staleMs: 1e9 }).warm('yourturn');
      const pgIndexMs = ms(tb);
      pgDb.close();
      progress('HTTP on PostgreSQL');
      const server = await measureServer(cluster.url, cities, bigCities, cityBox);
      progress('ingest on PostgreSQL');
      const pgIngest = await ingestMedian(
        cities,
        postgresTarget(cluster.adminUrl),
        Number(process.env.FTO_BENCH_API_PG_INGEST_BATCHES ?? benchDefaults.pgIngestBatches),
      );
      pgSide = { server, ingest: pgIngest, indexBuildMs: pgIndexMs, load };
    } finally {
      await cluster.stop();
    }
  }
  agent.destroy();

  const sides: [string, ServerFigures, Awaited<ReturnType<typeof ingestMedian>>, number][] = [
    ['sqlite', lite, ingest, indexBuildMs],
  ];
  if (pgSide) sides.push(['postgres', pgSide.server, pgSide.ingest, pgSide.indexBuildMs]);
  const paired = (
    what: string,
    pick: (s: ServerFigures, side: (typeof sides)[number]) => number[] | [number, string],
  ) => {
    for (const side of sides) {
      const got = pick(side[1], side);
      if (got.length === 2 && typeof got[1] === 'string') row(what, side[0], null, got[0], got[1]);
      else row(what, side[0], got as number[]);
    }
  };

  paired(`index load in-process: SQL counts + clusters of ${cities.length} cities`, (_, side) => [
    r2(side[3]),
    'ms',
  ]);
  paired('server start, index warmed (second process)', (s) => [r2(s.startMs), 'ms']);
  paired('server start to first world map answered', (s) => [r2(s.firstMapMs), 'ms']);
  paired('HTTP clusters, world zoom 0-2', (s) => s.httpWorld);
  paired('HTTP clusters, city zoom 10-12', (s) => s.httpCity);
  paired('HTTP nearby lat/lng, 20-50 people', (s) => s.nearby);
  paired('HTTP nearby ?near=<city name>', (s) => s.nearText);
  paired('HTTP city page, first 50', (s) => s.pageFirst);
  paired('HTTP city page, next 50 (cursor)', (s) => s.pageNext);
  paired('HTTP campaign summary (cached 5 s)', (s) => s.summary);
  paired('autocannon, 10 connections × 10 s, mixed views/pages/nearby', (s) => [
    Math.round(s.load.requests.average),
    `req/s; latency p50 ${s.load.latency.p50}, p97.5 ${s.load.latency.p97_5}, p99 ${s.load.latency.p99} ms; ${s.load.errors + s.load.non2xx} errors`,
  ]);
  for (const side of sides) {
    const s = side[1];
    row(
      `SSE fan-out to ${sseClients} clients: admin hide → remove event`,
      side[0],
      s.received,
      r2(Math.max(...s.received)),
      `ms until the last client had it (${s.received.length} of ${sseClients})`,
    );
  }
  paired('ingest of located posts of new people, batches of 500 (median of 3 runs)', (_, side) => [
    side[2].median.perSecond,
    `posts/s (3 × ${side[2].posts.toLocaleString('en')} posts; runs ${side[2].runs.map((r) => r.perSecond).join(', ')})`,
  ]);
  paired('timed HTTP answers that were not 2xx', (s) => [
    s.notOk.length,
    s.notOk.slice(0, 3).join('; ') || 'none',
  ]);
  paired('server memory idle after warm-up', (s) => [
    s.memIdle.rss,
    `MiB RSS (heap ${s.memIdle.heap})`,
  ]);
  paired('server memory after the load run', (s) => [
    s.memLoaded.rss,
    `MiB RSS (heap ${s.memLoaded.heap})`,
  ]);
  paired(`server memory with ${sseClients} SSE clients`, (s) => [
    s.memWith.rss,
    `MiB RSS (heap ${s.memWith.heap})`,
  ]);
  row('cluster rebuild after a change: cities weighted (ours)', 'in memory', rebuildOurs);
  row(
    `cluster build: ${contributors.toLocaleString('en')} raw points (baseline)`,
    'in memory',
    null,
    r2(rawBuildMs),
    `ms, +${rawHeapMiB} MiB heap`,
  );
  row('clusters, world zoom 0-2, in-process (ours)', 'in memory', worldOurs);
  row('clusters, world zoom 0-2, in-process (baseline)', 'in memory', worldRaw);
  row('clusters, city zoom 10-12, in-process (ours)', 'in memory', cityOurs);
  row('clusters, city zoom 10-12, in-process (baseline)', 'in memory', cityRaw);
  row(
    `${contributors.toLocaleString('en')}-contributor db: build or cached`,
    'sqlite',
    null,
    r2(dbBuildMs),
    'ms',
  );
  if (pgSide) {
    const l = pgSide.load;
    row(
      'load from the SQLite file: schema, batched INSERT … unnest, setval',
      'postgres',
      null,
      l.copyMs,
      `ms (${Object.values(l.rows)
        .reduce((a, b) => a + b, 0)
        .toLocaleString(
          'en',
        )} rows in ${Object.keys(l.rows).length} tables), then VACUUM ANALYZE ${l.vacuumMs} ms; ${l.sizeMiB} MiB`,
    );
    row(
      'PostgreSQL settings',
      'postgres',
      null,
      '',
      Object.entries(pgBenchSettings)
        .map(([k, v]) => `${k}=${v.replace(/'/g, '')}`)
        .join(' '),
    );
  } else {
    row('PostgreSQL side', 'postgres', null, 'skipped', 'FTO_BENCH_API_PG=0 or no initdb here');
  }

  const serverFigures = (s: ServerFigures, ing: typeof ingest, indexMs: number) => ({
    cluster_world_p95_ms: r2(pct(s.httpWorld, 95)),
    cluster_city_p95_ms: r2(pct(s.httpCity, 95)),
    nearby_p95_ms: r2(pct(s.nearby, 95)),
    nearby_text_p95_ms: r2(pct(s.nearText, 95)),
    city_page_p95_ms: r2(pct(s.pageFirst, 95)),
    city_page_cursor_p95_ms: r2(pct(s.pageNext, 95)),
    load_req_per_s: Math.round(s.load.requests.average),
    load_p99_ms: s.load.latency.p99,
    sse_clients_reached: s.received.length,
    sse_fanout_p95_ms: r2(pct(s.received, 95)),
    sse_fanout_max_ms: r2(Math.max(...s.received)),
    ingest_posts_per_s: ing.median.perSecond,
    index_build_ms: r2(indexMs),
    server_start_ms: r2(s.startMs),
    server_first_map_ms: r2(s.firstMapMs),
    server_rss_idle_mib: s.memIdle.rss,
    server_rss_loaded_mib: s.memLoaded.rss,
    server_rss_sse_mib: s.memWith.rss,
    server_heap_sse_mib: s.memWith.heap,
  });
  const liteFigures = serverFigures(lite, ingest, indexBuildMs);
  Object.assign(figures, liteFigures, {
    contributors,
    cluster_world_inprocess_p95_ms: r2(pct(worldOurs, 95)),
    cluster_city_inprocess_p95_ms: r2(pct(cityOurs, 95)),
    baseline_raw_world_p95_ms: r2(pct(worldRaw, 95)),
    baseline_raw_city_p95_ms: r2(pct(cityRaw, 95)),
    baseline_raw_build_ms: r2(rawBuildMs),
    cluster_rebuild_ours_p50_ms: r2(pct(rebuildOurs, 50)),
  });
  if (pgSide) {
    const pgFigures = serverFigures(pgSide.server, pgSide.ingest, pgSide.indexBuildMs);
    for (const [k, v] of Object.entries(pgFigures)) {
      figures[`pg_${k}`] = v;
      const base = liteFigures[k as keyof typeof liteFigures];
      if (base > 0 && !k.startsWith('sse_clients')) figures[`pg_sqlite_ratio_${k}`] = r2(v / base);
    }
    figures.pg_copy_ms = pgSide.load.copyMs;
    figures.pg_vacuum_analyze_ms = pgSide.load.vacuumMs;
    figures.pg_db_size_mib = pgSide.load.sizeMiB;
  }
  return { name: 'api', table, figures };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await run();
  console.table(result.table);
  console.log(result.figures);
}
