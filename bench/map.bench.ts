// The map's budget from issue #6, in headless Chromium with the server on loopback in a second process and
// 1,000,000 contributors in 30,000 cities: navigation → first clusters drawn, JS transferred, JS heap, and
// frame times during a scripted pan and zoom. Baseline in the same run: client-side clustering with
// Leaflet.markercluster of the same contributors, at 50,000 (every 20th) and at 1,000,000.
// Run alone with `npx tsx bench/run.ts map`.
import Database from 'better-sqlite3';
import compression from 'compression';
import express from 'express';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { packageRoot } from '../server/paths.js';
import { launchBrowser } from '../tests/helpers/chromium.js';
import {
  contributorSelect,
  toFeature,
  type ContributorRow,
} from '../server/store/contributor-feature.js';
import { millionDb } from './fixtures/million.js';
import type { BenchResult } from './run.js';

const defaults = {
  ourLoads: 7, // cold loads of our map, median reported (plus one warm-up)
  sampleLoads: 3, // cold loads of the baseline at 50,000 (each takes seconds)
  sampleEvery: 20, // the 50,000 sample: every 20th contributor of the million
  capMs: 120_000, // the baseline at a million gets this long to draw its first clusters
  settleMs: 1_000, // after first clusters, before reading the heap: let late requests and SSE land
  viewport: { width: 1280, height: 800 },
};

const tag = 'yourturn'; // the million fixture's campaign
const r1 = (x: number) => Math.round(x * 10) / 10;
const mib = (bytes: number) => r1(bytes / 2 ** 20);
const kib = (bytes: number) => r1(bytes / 1024);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: number[]) => pct(xs, 50);

// The query behind store.contributors, iterated so a million rows never sit in memory.
const contributorsSql = `${contributorSelect} WHERE c.tag = ? ORDER BY c.joined_at, c.acct`;

/** The API's no-bbox answer (every contributor as GeoJSON) written to two files: all, and every nth. */
export function writeBaselineData(dbPath: string, dir: string, every: number) {
  const db = new Database(dbPath, { readonly: true });
  const files = { all: join(dir, 'all.json'), sample: join(dir, 'sample.json') };
  const out = { all: openSync(files.all, 'w'), sample: openSync(files.sample, 'w') };
  const counts = { all: 0, sample: 0 };
  const chunks = { all: [] as string[], sample: [] as string[] };
  const flush = (k: 'all' | 'sample') => {
    writeSync(out[k], chunks[k].join(''));
    chunks[k].length = 0;
  };
  const head = '{"type":"FeatureCollection","features":[';
  writeSync(out.all, head);
  writeSync(out.sample, head);
  let i = 0;
  for (const row of db.prepare(contributorsSql).iterate(tag) as Iterable<ContributorRow>) {
    const json = JSON.stringify(toFeature(row));
    chunks.all.push(counts.all++ ? ',' : '', json);
    if (i++ % every === 0) chunks.sample.push(counts.sample++ ? ',' : '', json);
    if (chunks.all.length > 20_000) flush('all');
    if (chunks.sample.length > 20_000) flush('sample');
  }
  flush('all');
  flush('sample');
  writeSync(out.all, ']}');
  writeSync(out.sample, ']}');
  closeSync(out.all);
  closeSync(out.sample);
  db.close();
  return {
    all: { path: files.all, count: counts.all, bytes: statSync(files.all).size },
    sample: { path: files.sample, count: counts.sample, bytes: statSync(files.sample).size },
  };
}

/** `find-the-others serve` as an operator runs it; the instance URL points nowhere, so the collector only backs off. */
function startOurServer(dbPath: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      join(packageRoot, 'bin', 'find-the-others.js'),
      'serve',
      ...['--db', dbPath, '--tag', tag, '--instance', 'http://127.0.0.1:1', '--tiles', 'none'],
      ...['--port', '0', '--host', '127.0.0.1', '--log-level', 'info', '--no-bluesky'],
    ],
    {
      // One client IP makes every request here; the rate limit would be measuring itself.
      env: { ...process.env, FTO_RATE_LIMIT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`find-the-others serve exited with ${code}`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /map for #\S+ at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) resolve({ url: m[1]!, child });
    });
  });
}

/** The baseline page, Leaflet and the plugin from node_modules, and the data files, on 127.0.0.1. */
function startBaselineServer(data: { all: string; sample: string }): Promise<http.Server> {
  const app = express();
  const modules = join(packageRoot, 'node_modules');
  // Scripts gzipped as our server sends them; the data files are sent as they are, which spares the
  // baseline hundreds of MB of gzip on loopback.
  app.use(
    compression({
      filter: (req, res) => !req.path.startsWith('/data/') && compression.filter(req, res),
    }),
  );
  app.use(
    express.static(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'map-baseline')),
  );
  app.use('/leaflet', express.static(join(modules, 'leaflet', 'dist')));
  app.use('/markercluster', express.static(join(modules, 'leaflet.markercluster', 'dist')));
  app.get('/data/all.json', (_req, res) => res.sendFile(data.all));
  app.get('/data/sample.json', (_req, res) => res.sendFile(data.sample));
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

interface Load {
  /** ms from navigation start to the mark, or null when it did not come within the cap. */
  firstMs: number | null;
  failure: string | null;
  /** Bytes on the wire for scripts (as sent: gzipped when the server gzips) and for everything. */
  jsBytes: number;
  jsGzipped: boolean;
  allBytes: number;
  /** JSHeapUsedSize after a forced GC, once the page settled. */
  heapBytes: number | null;
  frames: FrameTimes | null;
  /** Every performance mark of the page, ms from navigation start (the baseline marks its stages). */
  marks: Record<string, number>;
}

interface FrameTimes {
  n: number;
  p50: number;
  p95: number;
  max: number;
  over50: number;
}

/** One cold load in a fresh context; with `mapSelector`, then a scripted pan and zoom over that element. */
async function load(
  browser: Browser,
  url: string,
  mark: string,
  capMs: number,
  mapSelector?: string,
): Promise<Load> {
  const context = await browser.newContext({ viewport: defaults.viewport });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const scripts = new Set<string>();
    const result: Load = {
      firstMs: null,
      failure: null,
      jsBytes: 0,
      jsGzipped: true,
      allBytes: 0,
      heapBytes: null,
      frames: null,
      marks: {},
    };
    cdp.on('Network.responseReceived', (e) => {
      if (e.type !== 'Script') return;
      scripts.add(e.requestId);
      const headers = Object.fromEntries(
        Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]),
      );
      if (!/gzip|br/.test(String(headers['content-encoding'] ?? ''))) result.jsGzipped = false;
    });
    cdp.on('Network.loadingFinished', (e) => {
      result.allBytes += e.encodedDataLength;
      if (scripts.has(e.requestId)) result.jsBytes += e.encodedDataLength;
    });
    await page.goto(url, { waitUntil: 'commit' });
    const got = await page
      .waitForFunction(
        (names) => names.some((n) => performance.getEntriesByName(n).length > 0),
        [mark, 'baseline-failed'],
        { timeout: capMs, polling: 50 },
      )
      .then(() => null)
      .catch((err: Error) =>
        // A renderer that runs out of memory ends the wait too, with its own message.
        /Timeout/.test(err.message)
          ? `no clusters within ${capMs / 1000} s`
          : err.message.split('\n')[0]!,
      );
    if (got !== null) {
      result.failure = got;
      return result;
    }
    const at = await page.evaluate(
      (name) => performance.getEntriesByName(name)[0]?.startTime ?? null,
      mark,
    );
    if (at === null) {
      result.failure = await page.title();
      return result;
    }
    result.firstMs = at;
    result.marks = await page.evaluate(() =>
      Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
    );
    await page.waitForTimeout(defaults.settleMs);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    result.heapBytes = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
    if (mapSelector) result.frames = await panAndZoom(page, mapSelector);
    return result;
  } finally {
    // A renderer still busy clustering does not answer the close; its browser is closed instead.
    await Promise.race([context.close(), new Promise((r) => setTimeout(r, 5_000))]).catch(() => {});
  }
}

/** Drag, zoom in three steps, drag back, zoom out; requestAnimationFrame deltas over all of it. */
async function panAndZoom(page: Page, selector: string): Promise<FrameTimes> {
  const box = (await page.locator(selector).first().boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`{
    window.ftoFrames = [];
    window.ftoStop = false;
    let last = performance.now();
    const tick = (t) => {
      window.ftoFrames.push(t - last);
      last = t;
      if (!window.ftoStop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }`);
  // Moves a frame apart, as a hand drags, so the map redraws along the way.
  const drag = async (dx: number, dy: number) => {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await page.mouse.move(cx + (dx * i) / 20, cy + (dy * i) / 20);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    await page.waitForTimeout(500);
  };
  const zoom = async (deltaY: number) => {
    for (let i = 0; i < 3; i++) {
      await page.mouse.move(cx, cy);
      await page.mouse.wheel(0, deltaY);
      await page.waitForTimeout(600);
    }
  };
  await drag(300, 100);
  await zoom(-120);
  await drag(-400, -150);
  await zoom(120);
  await page.waitForTimeout(1000);
  const frames = (await page.evaluate(
    '(window.ftoStop = true), window.ftoFrames.slice(1)',
  )) as number[];
  return {
    n: frames.length,
    p50: r1(pct(frames, 50)),
    p95: r1(pct(frames, 95)),
    max: r1(Math.max(...frames)),
    over50: frames.filter((f) => f > 50).length,
  };
}

/** The API's own no-bbox answer at a million: how long, how big, whether it works at all. */
function timeFullAnswer(base: string, capMs: number) {
  return new Promise<{ status: number; ms: number; bytes: number; error: string | null }>(
    (resolve) => {
      const t0 = performance.now();
      let bytes = 0;
      const req = http.get(
        `${base}/api/campaigns/${tag}/contributors`,
        { headers: { 'Accept-Encoding': 'gzip' } },
        (res) => {
          res.on('data', (c: Buffer) => (bytes += c.length));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              ms: performance.now() - t0,
              bytes,
              error: null,
            }),
          );
        },
      );
      req.setTimeout(capMs, () => req.destroy(new Error(`no answer within ${capMs / 1000} s`)));
      req.on('error', (err) =>
        resolve({ status: 0, ms: performance.now() - t0, bytes, error: err.message }),
      );
    },
  );
}

export async function run(): Promise<BenchResult> {
  // `npm run bench` builds first; rebuilding here would fail the bench on someone's half-edited source.
  for (const built of ['dist/server/cli.js', 'dist/client/index.html'])
    if (!existsSync(join(packageRoot, built)))
      throw new Error(`${built} is missing: run "npm run build" first`);
  const source = await millionDb();
  const dir = mkdtempSync(join(tmpdir(), 'fto-map-bench-'));
  const table: BenchResult['table'] = [];
  const figures: Record<string, number> = {};
  const row = (
    what: string,
    ours: string | number,
    baseline50k: string | number,
    baseline1m: string | number,
  ) => table.push({ what, ours, 'markercluster 50k': baseline50k, 'markercluster 1M': baseline1m });

  // A copy: the server migrates and writes cursors; the cached fixture stays as built.
  const copy = join(dir, 'million.db');
  copyFileSync(source, copy);
  let tb = performance.now();
  const data = writeBaselineData(source, dir, defaults.sampleEvery);
  const dataMs = performance.now() - tb;
  const ours = await startOurServer(copy);
  const baselineServer = await startBaselineServer({
    all: data.all.path,
    sample: data.sample.path,
  });
  const baseline = `http://127.0.0.1:${(baselineServer.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  try {
    // Warm-up: the server's summary cache and the browser's own first start, not part of a cold page.
    await load(browser, `${ours.url}/`, 'fto-first-clusters', 30_000);
    const ourLoads: Load[] = [];
    for (let i = 0; i < defaults.ourLoads; i++)
      ourLoads.push(
        await load(
          browser,
          `${ours.url}/`,
          'fto-first-clusters',
          30_000,
          i === defaults.ourLoads - 1 ? 'fto-map' : undefined,
        ),
      );
    const sampleLoads: Load[] = [];
    for (let i = 0; i < defaults.sampleLoads; i++)
      sampleLoads.push(
        await load(
          browser,
          `${baseline}/?data=/data/sample.json`,
          'baseline-first-clusters',
          defaults.capMs,
          i === defaults.sampleLoads - 1 ? '#map' : undefined,
        ),
      );
    // Its own browser, closed with everything in it: a page stuck clustering a million markers
    // does not let its context close.
    const millionBrowser = await launchBrowser();
    tb = performance.now();
    const million = await load(
      millionBrowser,
      `${baseline}/?data=/data/all.json`,
      'baseline-first-clusters',
      defaults.capMs,
      '#map',
    );
    const millionWallMs = performance.now() - tb;
    await millionBrowser.close();
    const full = await timeFullAnswer(ours.url, defaults.capMs);

    const okOurs = ourLoads.filter((l) => l.firstMs !== null);
    const okSample = sampleLoads.filter((l) => l.firstMs !== null);
    const firstOf = (ls: Load[]) => (ls.length ? r1(median(ls.map((l) => l.firstMs!))) : NaN);
    const heapOf = (ls: Load[]) => mib(median(ls.map((l) => l.heapBytes ?? NaN)));
    const frameOf = (f: FrameTimes | null) =>
      f
        ? `p50 ${f.p50} / p95 ${f.p95} / max ${f.max} ms, ${f.over50} of ${f.n} over 50 ms`
        : 'not measured';
    const ourFirst = firstOf(okOurs);
    const sampleFirst = firstOf(okSample);
    const ourFrames = ourLoads.at(-1)!.frames;
    const sampleFrames = sampleLoads.at(-1)!.frames;
    const millionCell = (value: string | number) =>
      million.firstMs === null ? (million.failure ?? 'failed') : value;

    row(
      `navigation → first clusters drawn, ms (median of ${okOurs.length} / ${okSample.length} / 1 cold loads)`,
      ourFirst,
      sampleFirst,
      millionCell(r1(million.firstMs ?? NaN)),
    );
    row(
      'JS transferred, KiB on the wire (gzipped)',
      `${kib(median(ourLoads.map((l) => l.jsBytes)))}${ourLoads[0]!.jsGzipped ? '' : ' (not gzipped)'}`,
      `${kib(median(sampleLoads.map((l) => l.jsBytes)))}${sampleLoads[0]!.jsGzipped ? '' : ' (not gzipped)'}`,
      kib(million.jsBytes),
    );
    row(
      'everything transferred until settled, KiB (data sent uncompressed to the baseline)',
      kib(median(ourLoads.map((l) => l.allBytes))),
      kib(median(sampleLoads.map((l) => l.allBytes))),
      kib(million.allBytes),
    );
    row(
      'JS heap after load and a forced GC, MiB (whole page)',
      heapOf(okOurs),
      heapOf(okSample),
      millionCell(mib(million.heapBytes ?? NaN)),
    );
    row(
      'frame times during a scripted pan and zoom (rAF deltas)',
      frameOf(ourFrames),
      frameOf(sampleFrames),
      millionCell(frameOf(million.frames)),
    );
    row(
      'API answer without bbox at 1M (what client-side clustering must fetch)',
      full.error ?? `HTTP ${full.status}, ${mib(full.bytes)} MiB gzipped in ${r1(full.ms)} ms`,
      `${data.sample.count} people, ${mib(data.sample.bytes)} MiB JSON`,
      `${data.all.count} people, ${mib(data.all.bytes)} MiB JSON (page given up after ${r1(millionWallMs / 1000)} s)`,
    );
    row('baseline data files written from the db, ms', r1(dataMs), '', '');

    Object.assign(figures, {
      map_first_clusters_ms: ourFirst,
      map_first_clusters_p95_ms: r1(
        pct(
          okOurs.map((l) => l.firstMs!),
          95,
        ),
      ),
      map_js_transferred_bytes: median(ourLoads.map((l) => l.jsBytes)),
      map_all_transferred_bytes: median(ourLoads.map((l) => l.allBytes)),
      map_heap_mb: heapOf(okOurs),
      map_frame_p50_ms: ourFrames?.p50 ?? NaN,
      map_frame_p95_ms: ourFrames?.p95 ?? NaN,
      map_frame_max_ms: ourFrames?.max ?? NaN,
      map_frames_over_50ms: ourFrames?.over50 ?? NaN,
      baseline_50k_first_clusters_ms: sampleFirst,
      baseline_50k_js_transferred_bytes: median(sampleLoads.map((l) => l.jsBytes)),
      baseline_50k_heap_mb: heapOf(okSample),
      baseline_50k_frame_p95_ms: sampleFrames?.p95 ?? NaN,
      baseline_50k_frame_max_ms: sampleFrames?.max ?? NaN,
      baseline_50k_frames_over_50ms: sampleFrames?.over50 ?? NaN,
      baseline_1m_first_clusters_ms: million.firstMs === null ? NaN : r1(million.firstMs),
      baseline_1m_heap_mb: million.heapBytes === null ? NaN : mib(million.heapBytes),
      baseline_1m_frame_p95_ms: million.frames?.p95 ?? NaN,
      baseline_1m_frame_max_ms: million.frames?.max ?? NaN,
      baseline_1m_frames_over_50ms: million.frames?.over50 ?? NaN,
      baseline_1m_data_bytes: data.all.bytes,
      api_full_answer_ms: full.error ? NaN : r1(full.ms),
      api_full_answer_gzipped_bytes: full.bytes,
    });
  } finally {
    await browser.close();
    ours.child.kill('SIGTERM');
    await new Promise((r) => ours.child.once('exit', r));
    await new Promise((r) => baselineServer.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'map', table, figures };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await run();
  console.table(result.table);
  console.log(result.figures);
}
