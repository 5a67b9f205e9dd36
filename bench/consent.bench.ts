// Consent look-ups against a local home double: N new authors an hour across M home servers, on a
// clock that runs SCALE times faster than the wall clock (pace, TTL and arrival times scale with
// it; loopback request times are multiplied by it too, so the delays are slight overestimates).
import { pino } from 'pino';
import type { Clock } from '../server/clock.js';
import { systemClock } from '../server/clock.js';
import { createConsentChecker } from '../server/collector/consent-checker.js';
import { createHostResolver } from '../server/collector/host-resolver.js';
import { startMastodonInstance } from '../server/demo/mastodon/index.js';
import { createPrng } from '../server/demo/prng.js';
import { createConsentStore } from '../server/store/consent-store.js';
import { openDb } from '../server/store/db.js';

const log = pino({ level: 'silent' });
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** A clock `scale` times faster than the wall clock, starting now. */
function scaledClock(scale: number): Clock {
  const t0 = Date.now();
  return {
    now: () => t0 + (Date.now() - t0) * scale,
    sleep: (ms, signal) => systemClock.sleep(ms / scale, signal),
  };
}

async function scenario(opts: { authors: number; homes: number; spreadMs: number; scale: number }) {
  const domains = Array.from({ length: opts.homes }, (_, i) => `home${i}.example`);
  const home = await startMastodonInstance({
    domain: domains[0]!,
    homeFor: domains,
    rateLimit: false,
  });
  const random = createPrng(42);
  const people = Array.from({ length: opts.authors }, (_, i) => {
    const domain = domains[Math.floor(random.next() * domains.length)]!;
    home.putAccount({ username: `p${i}`, domain, noindex: i % 10 === 0 });
    return { acct: `p${i}@${domain}`, at: random.next() * opts.spreadMs };
  });
  people.sort((a, b) => a.at - b.at);
  const db = openDb(':memory:');
  const consent = createConsentStore(db);
  const clock = scaledClock(opts.scale);
  const asked = new Map<string, number>();
  const decided: number[] = [];
  const done = (acct: string) => void decided.push(clock.now() - asked.get(acct)!);
  const checker = createConsentChecker({
    consent,
    resolver: createHostResolver(Object.fromEntries(domains.map((d) => [d, home.url]))),
    userAgent: 'FindTheOthers-bench/1.0',
    log,
    clock,
    strict: false,
    onKnown: done,
    onRefused: done,
  });
  const abort = new AbortController();
  const started = clock.now();
  const running = checker.run(abort.signal);
  for (const p of people) {
    const wait = started + p.at - clock.now();
    if (wait > 0) await clock.sleep(wait);
    asked.set(p.acct, clock.now());
    checker.ask(p.acct, `https://${p.acct.split('@')[1]}/@${p.acct.split('@')[0]}`);
  }
  while (decided.length < people.length) await systemClock.sleep(5);
  const elapsedMs = clock.now() - started;
  abort.abort();
  await running;
  const requests = home.requestLog.length;
  await home.close();
  db.close();
  return {
    requests,
    requestsPerHour: Math.round((requests / Math.max(elapsedMs, opts.spreadMs)) * 3600_000),
    p50Sec: pct(decided, 0.5) / 1000,
    p95Sec: pct(decided, 0.95) / 1000,
    maxSec: Math.max(...decided) / 1000,
    allDecidedSec: elapsedMs / 1000,
  };
}

export async function run() {
  // 600 an hour: a quarter of an hour of arrivals (150 authors) on a 30× clock, 30 s of wall time.
  const steady = await scenario({ authors: 150, homes: 50, spreadMs: 15 * 60_000, scale: 30 });
  const burst = await scenario({ authors: 600, homes: 50, spreadMs: 0, scale: 5 });
  const figures = {
    steadyAuthorsPerHour: Math.round(150 / 0.25),
    steadyHomes: 50,
    steadyRequestsPerHour: steady.requestsPerHour,
    steadyWaitP50Sec: Number(steady.p50Sec.toFixed(1)),
    steadyWaitP95Sec: Number(steady.p95Sec.toFixed(1)),
    burstRequests: burst.requests,
    burstWaitP50Sec: Number(burst.p50Sec.toFixed(1)),
    burstWaitP95Sec: Number(burst.p95Sec.toFixed(1)),
    burstAllDecidedSec: Number(burst.allDecidedSec.toFixed(1)),
  };
  return {
    name: 'consent',
    table: [
      {
        measure: '600 new authors an hour over 50 homes: look-up requests per hour',
        value: `${figures.steadyRequestsPerHour}`,
        target: '≤ 2 per author',
      },
      {
        measure: '…the wait of a new pin for its home’s answer, p50 / p95',
        value: `${figures.steadyWaitP50Sec} / ${figures.steadyWaitP95Sec} s`,
        target: 'p95 ≤ 10 s',
      },
      {
        measure: '600 authors at once (a first start) over 50 homes: requests',
        value: `${figures.burstRequests}`,
        target: '',
      },
      {
        measure: '…wait p50 / p95, and until all are decided',
        value: `${figures.burstWaitP50Sec} / ${figures.burstWaitP95Sec} s, ${figures.burstAllDecidedSec} s`,
        target: '2 s pace per home',
      },
    ],
    figures,
  };
}
