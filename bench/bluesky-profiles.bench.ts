// Bluesky: how many getProfiles calls the real profile reader (server/collector/bluesky/profiles.ts)
// makes at the AppView for N new authors an hour, on a simulated clock (time moves only when the
// reader sleeps or the next author arrives; every call is a real HTTP request to the AppView
// double). New authors arrive at random times; every author known is read again after the 6 h TTL,
// so hour 7 carries the re-reads of hour 1's authors. Figures:
// calls and actors per simulated hour, actors per call, and the most calls seen in any one second.
// Baseline: the bound, 1 call/s × 25 actors = 90,000 actors an hour. Run alone with
// `npx tsx bench/bluesky-profiles.bench.ts`.
import { pino } from 'pino';
import type { Clock } from '../server/clock.js';
import { createAppViewClient, maxActorsPerCall } from '../server/collector/bluesky/appview.js';
import { createBlueskyProfiles, profileDefaults } from '../server/collector/bluesky/profiles.js';
import { startAppViewDouble } from '../server/demo/bluesky/appview-double.js';
import { createPrng } from '../server/demo/prng.js';
import { openDb } from '../server/store/db.js';
import { createStore } from '../server/store/store.js';
import type { BenchResult } from './run.js';

export const profilesBenchDefaults = {
  rates: [100, 1_000, 10_000], // new authors per hour
  hours: 7, // simulated: hour 7 has the first re-reads (of hour 1's authors)
  reported: [1, 7], // the hours shown
};

const hourMs = 3600_000;

/** A clock whose time moves only when the driver says: every sleep is a timer on simulated time. */
function simulatedClock(start: number) {
  let now = start;
  const timers: { at: number; resolve: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    sleep(ms, signal) {
      return new Promise((resolve) => {
        if (signal?.aborted || ms <= 0) return resolve();
        const done = () => {
          signal?.removeEventListener('abort', done);
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          resolve();
        };
        const timer = { at: now + ms, resolve: done };
        timers.push(timer);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
  };
  return {
    clock,
    now: () => now,
    nextTimer: () => (timers.length ? Math.min(...timers.map((t) => t.at)) : Infinity),
    /** Move to `at` and wake every sleep due by then. */
    advance(at: number) {
      now = Math.max(now, at);
      for (const timer of timers.filter((t) => t.at <= now)) timer.resolve();
    },
  };
}

async function simulate(perHour: number, hours: number) {
  const appView = await startAppViewDouble();
  const db = openDb(':memory:');
  const store = createStore(db);
  const start = Date.UTC(2026, 0, 1);
  const time = simulatedClock(start);
  const client = createAppViewClient({
    urls: [appView.url],
    userAgent: 'bench',
    timeoutMs: 15_000,
  });
  let inFlight = 0;
  const calls: { at: number; actors: number }[] = [];
  const profiles = createBlueskyProfiles({
    appView: {
      async getProfiles(dids, signal) {
        inFlight++;
        calls.push({ at: time.now(), actors: dids.length });
        try {
          return await client.getProfiles(dids, signal);
        } finally {
          inFlight--;
        }
      },
    },
    consent: store.consent,
    dids: store.blueskyConsent,
    log: pino({ level: 'silent' }),
    clock: time.clock,
    onKnown: () => {},
    onRefused: () => {},
  });
  // New authors at random moments (uniform over the run: a Poisson process, near enough).
  const rnd = createPrng(perHour);
  const total = perHour * hours;
  const arrivals = Array.from({ length: total }, () => start + rnd.next() * hours * hourMs).sort(
    (a, b) => a - b,
  );
  const dids = arrivals.map((_, i) => `did:plc:new${String(i).padStart(20, '0')}`);
  for (const [i, did] of dids.entries()) appView.setProfile({ did, handle: `n${i}.bsky.social` });

  const abort = new AbortController();
  const running = profiles.run(abort.signal);
  /** Let the reader run until it waits on the clock again (no call in flight, nothing queued). */
  const settle = async () => {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (inFlight > 0) {
        await new Promise((r) => setTimeout(r, 0));
        continue;
      }
      await new Promise((r) => setImmediate(r));
      if (inFlight === 0) return;
    }
  };
  const end = start + hours * hourMs;
  let next = 0;
  await settle();
  while (time.now() < end) {
    const at = Math.min(time.nextTimer(), arrivals[next] ?? Infinity, end);
    time.advance(at);
    // As the pipeline does for a post whose author is not known: ask the profile reader.
    while (next < arrivals.length && arrivals[next]! <= time.now()) profiles.ask(dids[next++]!);
    await settle();
  }
  abort.abort();
  await running;
  db.close();
  await appView.close();

  const perHourRows = Array.from({ length: hours }, (_, h) => {
    const inHour = calls.filter(
      (c) => c.at >= start + h * hourMs && c.at < start + (h + 1) * hourMs,
    );
    const ats = inHour.map((c) => c.at);
    let maxInSecond = 0;
    for (let i = 0, j = 0; i < ats.length; i++) {
      while (ats[i]! - ats[j]! >= 1000) j++;
      maxInSecond = Math.max(maxInSecond, i - j + 1);
    }
    const gaps = ats.slice(1).map((t, i) => t - ats[i]!);
    const actors = inHour.reduce((n, c) => n + c.actors, 0);
    return {
      hour: h + 1,
      calls: inHour.length,
      actors,
      actorsPerCall: inHour.length ? actors / inHour.length : 0,
      maxCallsInOneSecond: maxInSecond,
      minGapMs: gaps.length ? Math.min(...gaps) : NaN,
    };
  });
  return perHourRows;
}

export async function run(): Promise<BenchResult> {
  const { rates, hours, reported } = profilesBenchDefaults;
  const table: BenchResult['table'] = [];
  const figures: Record<string, number> = {};
  for (const n of rates) {
    const rows = await simulate(n, hours);
    for (const r of rows.filter((row) => reported.includes(row.hour))) {
      table.push({
        'new authors/h': n,
        hour: r.hour,
        'calls/h': r.calls,
        'actors/h': r.actors,
        'actors/call': +r.actorsPerCall.toFixed(2),
        'max calls in 1 s': r.maxCallsInOneSecond,
        'min gap (ms)': r.minGapMs,
      });
      figures[`callsPerHour_${n}_hour${r.hour}`] = r.calls;
      figures[`actorsPerCall_${n}_hour${r.hour}`] = +r.actorsPerCall.toFixed(2);
      figures[`maxCallsPerSecond_${n}_hour${r.hour}`] = r.maxCallsInOneSecond;
    }
  }
  const bound = (hourMs / profileDefaults.paceMs) * maxActorsPerCall;
  figures.actorsPerHourBound = bound;
  table.push({
    'new authors/h': `bound: ${bound} actors/h (1 call per ${profileDefaults.paceMs} ms × ${maxActorsPerCall})`,
  });
  return { name: 'bluesky-profiles', figures, table };
}

if (import.meta.url === `file://${process.argv[1]}`) console.table((await run()).table);
