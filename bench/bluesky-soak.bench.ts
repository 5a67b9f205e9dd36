// Bluesky: memory over a long run of the firehose. The real collector (Jetstream WebSocket, the
// filter, consent and profile look-ups at the AppView double, SQLite on a file, the hub and the live
// event log) follows a Jetstream double sending 1,000 events/s from another process
// (bench/fixtures/bluesky-firehose.ts: mostly posts without the tag, 1% campaign posts of which 30%
// by new authors, deletes, handle changes, accounts going and coming back). Every 10 s this process
// forces a full GC and samples heap used and RSS. Flat means: the median of the last 2 minutes
// against the first 2 (a ratio), and the least-squares slope over every sample after the first
// minute (MiB/min). FTO_BENCH_SOAK_SECONDS shortens it (default 600, the 10 minutes; the
// figure names then carry the duration); FTO_BENCH_SOAK_CACHE caps the profile cache and
// FTO_BENCH_SOAK_SNAPSHOTS=dir writes heap snapshots after a minute and at the end, to find a growth.
// Run alone with `npx tsx bench/run.ts bluesky-soak` (the machine is shared: say so with the figures).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { systemClock } from '../server/clock.js';
import { createBluesky } from '../server/collector/bluesky/index.js';
import { createHostResolver } from '../server/collector/host-resolver.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { createLocator } from '../server/geo/locator.js';
import { createHub } from '../server/hub.js';
import { openDb } from '../server/store/db.js';
import { createStore } from '../server/store/store.js';
import type { BenchResult } from './run.js';

export const soakDefaults = {
  seconds: 600, // the 10 minutes; FTO_BENCH_SOAK_SECONDS for a quick run
  eventsPerSecond: 1_000, // the rate (the real firehose: a few hundred posts/s)
  sampleEverySeconds: 10, // one forced GC and sample
  windowSeconds: 120, // first and last 2 minutes compared (shortened runs: a fifth of the run)
  profileTtlMs: 5 * 60_000, // profiles expire within the run (6 h in production) so re-reads happen
};

const root = fileURLToPath(new URL('..', import.meta.url));
const MiB = 2 ** 20;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** RSS split (Linux): anonymous memory the process owns, and file pages it maps (the database). */
function rssSplit(): { anonMiB: number; fileMiB: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { anonMiB: kb('RssAnon') / 1024, fileMiB: kb('RssFile') / 1024 };
  } catch {
    return { anonMiB: NaN, fileMiB: NaN };
  }
}

function forcedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export async function run(): Promise<BenchResult> {
  const seconds = Number(process.env.FTO_BENCH_SOAK_SECONDS ?? soakDefaults.seconds);
  if (!Number.isFinite(seconds) || seconds < 30)
    throw new Error(
      `FTO_BENCH_SOAK_SECONDS must be 30 or more, not ${process.env.FTO_BENCH_SOAK_SECONDS}`,
    );
  const windowSeconds = Math.min(soakDefaults.windowSeconds, seconds / 5);
  const gc = forcedGc();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'bench/fixtures/bluesky-firehose.ts'),
      String(soakDefaults.eventsPerSecond),
      String(seconds),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const urls = JSON.parse(String((await lines.next()).value)) as {
    jetstream: string;
    appView: string;
  };
  let sent: Record<string, number> | null = null;
  void (async () => {
    for await (const line of { [Symbol.asyncIterator]: () => lines })
      sent = (JSON.parse(line) as { sent: Record<string, number> }).sent;
  })();

  const dir = mkdtempSync(join(tmpdir(), 'fto-bench-soak-'));
  const dbPath = join(dir, 'soak.db');
  const db = openDb(dbPath);
  const store = createStore(db);
  store.ensureCampaigns(['yourturn']);
  const hub = createHub(store);
  const live = { contributor: 0, remove: 0 };
  hub.subscribe('yourturn', (e) => {
    if (e.type === 'contributor') live.contributor++;
    if (e.type === 'remove') live.remove++;
  });
  store.eventLog.start(() => {});
  const bluesky = createBluesky({
    jetstreams: [urls.jetstream],
    appViews: [urls.appView],
    tags: ['yourturn'],
    userAgent: 'FindTheOthers-bench/1.0',
    store,
    consentStore: store.consent,
    resolver: createHostResolver(),
    locator: createLocator(openGazetteer()),
    log: pino({ level: 'silent' }),
    clock: systemClock,
    // FTO_BENCH_SOAK_CACHE caps the profile cache (50,000 by default), to tell its growth from the rest.
    profileTuning: {
      ttlMs: soakDefaults.profileTtlMs,
      cacheSize: process.env.FTO_BENCH_SOAK_CACHE
        ? Number(process.env.FTO_BENCH_SOAK_CACHE)
        : undefined,
    },
  });
  const abort = new AbortController();
  const running = bluesky.run(abort.signal);

  const samples: {
    at: number;
    heapMiB: number;
    rssMiB: number;
    anonMiB: number;
    fileMiB: number;
    cached: number;
  }[] = [];
  const started = performance.now();
  const sample = () => {
    gc();
    const m = process.memoryUsage();
    samples.push({
      at: (performance.now() - started) / 1000,
      heapMiB: m.heapUsed / MiB,
      rssMiB: m.rss / MiB,
      ...rssSplit(),
      cached: bluesky.profiles.status().cached,
    });
  };
  sample();
  for (
    let t = soakDefaults.sampleEverySeconds;
    t <= seconds;
    t += soakDefaults.sampleEverySeconds
  ) {
    const wait = started + t * 1000 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sample();
    // FTO_BENCH_SOAK_SNAPSHOTS=dir: a heap snapshot after the first minute and at the end, to diff.
    if (
      process.env.FTO_BENCH_SOAK_SNAPSHOTS &&
      (t === 60 || t + soakDefaults.sampleEverySeconds > seconds)
    )
      writeHeapSnapshot(join(process.env.FTO_BENCH_SOAK_SNAPSHOTS, `soak-${t}s.heapsnapshot`));
  }
  const counters = bluesky.source.counters();
  const profiles = bluesky.profiles.status();
  const stored = {
    posts: (db.prepare('SELECT count(*) FROM posts').pluck().get() as number) ?? 0,
    people: store.contributors('yourturn').features.length,
  };
  const dbMiB = ['', '-wal'].reduce((s, ext) => {
    try {
      return s + statSync(dbPath + ext).size / MiB;
    } catch {
      return s;
    }
  }, 0);
  abort.abort();
  await running;
  await store.eventLog.stop();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  db.close();
  rmSync(dir, { recursive: true, force: true });

  const first = samples.filter((s) => s.at <= windowSeconds);
  const last = samples.filter((s) => s.at >= seconds - windowSeconds);
  const steady = samples.filter((s) => s.at >= Math.min(60, seconds / 5));
  const minutes = steady.map((s) => s.at / 60);
  const tag = seconds === soakDefaults.seconds ? '10min' : `${seconds}s`;
  const figures: Record<string, number> = {
    [`soakSeconds`]: seconds,
    [`heapFirstMiB_${tag}`]: +median(first.map((s) => s.heapMiB)).toFixed(1),
    [`heapLastMiB_${tag}`]: +median(last.map((s) => s.heapMiB)).toFixed(1),
    [`heapLastOverFirst_${tag}`]: +(
      median(last.map((s) => s.heapMiB)) / median(first.map((s) => s.heapMiB))
    ).toFixed(3),
    [`heapSlopeMiBPerMin_${tag}`]: +slope(
      minutes,
      steady.map((s) => s.heapMiB),
    ).toFixed(3),
    [`rssFirstMiB_${tag}`]: +median(first.map((s) => s.rssMiB)).toFixed(1),
    [`rssLastMiB_${tag}`]: +median(last.map((s) => s.rssMiB)).toFixed(1),
    [`rssLastOverFirst_${tag}`]: +(
      median(last.map((s) => s.rssMiB)) / median(first.map((s) => s.rssMiB))
    ).toFixed(3),
    [`rssSlopeMiBPerMin_${tag}`]: +slope(
      minutes,
      steady.map((s) => s.rssMiB),
    ).toFixed(3),
    [`rssAnonGrowthMiB_${tag}`]: +(
      median(last.map((s) => s.anonMiB)) - median(first.map((s) => s.anonMiB))
    ).toFixed(1),
    [`rssFileGrowthMiB_${tag}`]: +(
      median(last.map((s) => s.fileMiB)) - median(first.map((s) => s.fileMiB))
    ).toFixed(1),
    profilesCachedFirst: Math.round(median(first.map((s) => s.cached))),
    profilesCachedLast: Math.round(median(last.map((s) => s.cached))),
    eventsHandled: counters.events,
    eventsPerSecondReceived: Math.round(counters.events / seconds),
    campaignPostsSeen: counters.posts,
    deletesSeen: counters.deletes,
    accountEventsSeen: counters.accounts,
    getProfilesCalls: profiles.calls,
    profilesCachedAtEnd: profiles.cached,
    postsStored: stored.posts,
    peopleOnMap: stored.people,
    liveContributorEvents: live.contributor,
    liveRemoveEvents: live.remove,
    dbMiBAtEnd: +dbMiB.toFixed(1),
  };
  const f = (k: string) => figures[`${k}_${tag}`]!;
  return {
    name: 'bluesky-soak',
    figures,
    table: [
      {
        measure: `heap after a forced GC, median first vs last ${windowSeconds / 60} min (${tag})`,
        value: `${f('heapFirstMiB')} → ${f('heapLastMiB')} MiB (×${f('heapLastOverFirst')})`,
      },
      {
        measure: 'heap slope, after the first minute',
        value: `${f('heapSlopeMiBPerMin')} MiB/min`,
      },
      {
        measure: `RSS, median first vs last ${windowSeconds / 60} min`,
        value: `${f('rssFirstMiB')} → ${f('rssLastMiB')} MiB (×${f('rssLastOverFirst')})`,
      },
      { measure: 'RSS slope, after the first minute', value: `${f('rssSlopeMiBPerMin')} MiB/min` },
      {
        measure: 'RSS growth, anonymous + mapped file',
        value: `${f('rssAnonGrowthMiB')} + ${f('rssFileGrowthMiB')} MiB`,
      },
      {
        measure: 'profiles cached, median first vs last window (the cache holds at most 50,000)',
        value: `${figures.profilesCachedFirst} → ${figures.profilesCachedLast}`,
      },
      {
        measure: 'events received (rate)',
        value: `${counters.events} (${figures.eventsPerSecondReceived}/s)`,
      },
      {
        measure: 'campaign posts / deletes / account events seen',
        value: `${counters.posts} / ${counters.deletes} / ${counters.accounts}`,
      },
      {
        measure: 'getProfiles calls; profiles cached at the end',
        value: `${profiles.calls}; ${profiles.cached}`,
      },
      {
        measure: 'posts stored; people on the map; live contributor / remove events',
        value: `${stored.posts}; ${stored.people}; ${live.contributor} / ${live.remove}`,
      },
      { measure: 'database + WAL at the end', value: `${figures.dbMiBAtEnd} MiB` },
      { measure: 'sent by the double', value: JSON.stringify(sent) },
      {
        measure: 'samples (s: heap/RSS MiB)',
        value: samples
          .filter((_, i) => i % 6 === 0)
          .map((s) => `${Math.round(s.at)}:${s.heapMiB.toFixed(1)}/${s.rssMiB.toFixed(0)}`)
          .join(' '),
      },
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.table((await run()).table);
