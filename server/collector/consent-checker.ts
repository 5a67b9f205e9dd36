import type { Logger } from 'pino';
import type { ConsentStatus } from '../../shared/types.js';
import type { Clock } from '../clock.js';
import { homeOf, type ConsentRow, type ConsentStore } from '../store/consent-store.js';
import type { ConsentRefusal } from './consent.js';
import {
  createHomeGet,
  homeBackoff,
  homeRecovered,
  HomeUnavailable,
  newHomeState,
  type HomeState,
} from './consent-home-http.js';
import { createHomeKinds } from './consent-home-kind.js';
import { createHomeReaders, type HomeRefusal, type Outcome } from './consent-home-readers.js';
import type { HostResolver } from './host-resolver.js';

/** What to do with an author whose home stays unreachable past `unreachableMs`. */
export type UnreachablePolicy = 'wait' | 'show';

export interface ConsentTuning {
  ttlMs: number;
  unreachableMs: number;
  unreachablePolicy: UnreachablePolicy;
  paceMs: number;
  concurrency: number;
  timeoutMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  scanLimit: number;
}

export const consentDefaults: ConsentTuning = {
  ttlMs: 24 * 3600_000, // an answer is trusted a day: a later noindex or #nomap leaves within 24 h
  unreachableMs: 6 * 3600_000, // a home down this long is "unreachable" (status, and the show policy)
  unreachablePolicy: 'wait', // nobody is shown before their home says yes (docs/decisions.md)
  paceMs: 2_000, // at least 2 s between two requests to one home: ≤ 1,800 an hour, far inside 300 / 5 min
  concurrency: 4, // at most 4 requests in flight over all homes
  timeoutMs: 15_000, // the same deadline as an instance request
  minBackoffMs: 60_000, // a failing home is tried again after 1 min, 2, 4…
  maxBackoffMs: 3600_000, // …at most every hour
  scanLimit: 1000, // due rows looked at per scheduling pass
};

export interface ConsentCheckerOptions {
  consent: ConsentStore;
  resolver: HostResolver;
  userAgent: string;
  log: Logger;
  clock: Clock;
  random?: () => number;
  fetch?: typeof fetch;
  /** Also require `discoverable !== false`, as for the delivered copy. */
  strict: boolean;
  tuning?: Partial<ConsentTuning>;
  /** The home said yes (or the show policy applies): publish what waits. */
  onKnown(acct: string): void;
  /** The home said no: forget the account everywhere. */
  onRefused(acct: string, reason: HomeRefusal): void;
}

export type ConsentChecker = ReturnType<typeof createConsentChecker>;

/**
 * Asks each author's home server whether they may be shown, and asks again every TTL. One queue per
 * home (its own pace and backoff), a few requests in flight overall. docs/consent.md.
 */
export function createConsentChecker(options: ConsentCheckerOptions) {
  const tuning = { ...consentDefaults, ...options.tuning };
  const { consent, clock, log } = options;
  const random = options.random ?? Math.random;
  const homes = new Map<string, HomeState>();
  const inFlight = new Set<Promise<void>>();
  let wakeUp: AbortController | null = null;
  const saidUnreachable = new Set<string>();
  const get = createHomeGet({
    resolver: options.resolver,
    userAgent: options.userAgent,
    clock,
    fetch: options.fetch ?? fetch,
    paceMs: tuning.paceMs,
    timeoutMs: tuning.timeoutMs,
  });
  const askHome = createHomeReaders({
    get,
    kindOf: createHomeKinds(get, clock, tuning.ttlMs),
    strict: options.strict,
  });

  const homeState = (home: string): HomeState => {
    let h = homes.get(home);
    if (!h) {
      h = newHomeState();
      homes.set(home, h);
    }
    return h;
  };

  function wake(): void {
    wakeUp?.abort();
  }

  async function check(row: ConsentRow, h: HomeState, signal: AbortSignal): Promise<void> {
    const home = homeOf(row.acct);
    let outcome: Outcome;
    try {
      outcome = await askHome(row, h, signal);
    } catch (err) {
      if (signal.aborted) return;
      const e = err instanceof HomeUnavailable ? err : new HomeUnavailable((err as Error).message);
      const now = clock.now();
      const until = now + homeBackoff(h, e, tuning, random);
      h.nextAt = until;
      h.lastError = e.message;
      consent.fail(row.acct, e.message, until);
      consent.deferHome(home, until);
      if (h.failures === 1)
        log.warn(
          `cannot ask ${home} about consent: ${e.message}; its authors wait (retrying in ${Math.round((until - now) / 1000)} s)`,
        );
      const waited = now - row.firstSeenAt;
      if (row.state === 'unknown' && waited >= tuning.unreachableMs) {
        if (!saidUnreachable.has(home)) {
          saidUnreachable.add(home);
          log.warn(
            tuning.unreachablePolicy === 'show'
              ? `${home} has not answered for ${Math.round(waited / 60_000)} min: showing its authors (--consent-unreachable show)`
              : `${home} has not answered for ${Math.round(waited / 60_000)} min: its authors stay off the map until it does`,
          );
        }
        if (tuning.unreachablePolicy === 'show') {
          consent.decide(row.acct, 'known', 'unreachable', now, until);
          options.onKnown(row.acct);
        }
      }
      return;
    }
    const now = clock.now();
    if (homeRecovered(h)) log.info(`${home} answers consent look-ups again`);
    saidUnreachable.delete(home);
    consent.decide(row.acct, outcome.state, outcome.reason, now, now + tuning.ttlMs);
    if (outcome.state === 'known') {
      if (row.state !== 'known' || consent.hasPending(row.acct)) options.onKnown(row.acct);
    } else {
      if (row.state !== 'refused')
        log.info(`${row.acct} is kept off the map: their home says ${outcome.reason}`);
      options.onRefused(row.acct, outcome.reason);
    }
  }

  return {
    /** Answer from the home's own copy (a followed instance's local account): no look-up needed. */
    recordHomeCopy(acct: string, refusal: ConsentRefusal | null, profileUrl: string): void {
      const now = clock.now();
      consent.decide(
        acct,
        refusal ? 'refused' : 'known',
        refusal ?? 'home-copy',
        now,
        now + tuning.ttlMs,
        profileUrl,
      );
    },

    /** Make sure an author will be asked; wakes the scheduler for a new one. */
    ask(acct: string, profileUrl: string): void {
      const before = consent.state(acct);
      consent.ask(acct, profileUrl, clock.now());
      if (before === null) wake();
    },

    /** Run until `signal` aborts: ask due authors, at most `concurrency` at a time, one per home. */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        // Made before the scan, so a task that ends during it still wakes the sleep below.
        const controller = new AbortController();
        wakeUp = controller;
        const now = clock.now();
        let soonest = now + 1000;
        if (inFlight.size < tuning.concurrency) {
          for (const row of consent.due(now, tuning.scanLimit)) {
            if (inFlight.size >= tuning.concurrency) break;
            const h = homeState(homeOf(row.acct));
            if (h.busy) continue;
            if (h.nextAt > now) {
              soonest = Math.min(soonest, h.nextAt);
              continue;
            }
            h.busy = true;
            const task: Promise<void> = check(row, h, signal)
              .catch((err: unknown) =>
                log.error(
                  { err },
                  `consent check of ${row.acct} failed: ${(err as Error).message}`,
                ),
              )
              .finally(() => {
                h.busy = false;
                h.nextAt = Math.max(h.nextAt, h.lastRequestAt + tuning.paceMs);
                inFlight.delete(task);
                wake();
              });
            inFlight.add(task);
          }
        }
        const nextDue = consent.nextDue();
        if (nextDue !== null && nextDue > now) soonest = Math.min(soonest, nextDue);
        const onAbort = () => controller.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        await clock.sleep(Math.max(1, soonest - clock.now()), controller.signal);
        signal.removeEventListener('abort', onAbort);
      }
      await Promise.allSettled([...inFlight]);
    },

    status(): ConsentStatus {
      const counts = consent.counts();
      const now = clock.now();
      const waiting = consent.waitingByHome();
      return {
        unreachablePolicy: tuning.unreachablePolicy,
        ttlMs: tuning.ttlMs,
        unreachableAfterMs: tuning.unreachableMs,
        known: counts.known,
        refused: counts.refused,
        waiting: counts.unknown,
        unreachable: consent.waitingSince(now - tuning.unreachableMs),
        waitingPosts: consent.pendingCount(),
        homes: waiting.map((w) => {
          const h = homes.get(w.home);
          return {
            home: w.home,
            waiting: w.authors,
            since: new Date(w.since).toISOString(),
            failures: Math.max(w.failures, h?.failures ?? 0),
            lastError: h?.lastError ?? w.lastError,
            nextAttemptAt: h && h.nextAt > now ? new Date(h.nextAt).toISOString() : null,
          };
        }),
      };
    },
  };
}
