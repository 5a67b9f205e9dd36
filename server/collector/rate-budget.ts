import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { toDurationText } from './duration.js';
import type { RateLimit } from './mastodon-client.js';

/** Knobs of one instance's request budget; `collector.ts` fills them from its defaults. */
export interface RateBudgetTuning {
  /** The share of the server's X-RateLimit-* budget (or of ours) kept back for other clients. */
  rateLimitReserve: number;
  /** Our own budget when an instance sends no X-RateLimit-* headers; false = none. */
  budget: { requests: number; windowMs: number } | false;
}

export interface RateBudgetOptions {
  origin: string;
  clock: Clock;
  log: Logger;
  tuning: RateBudgetTuning;
  /** The budget is used up until `until` (ms): show it in the sources' status. */
  onWaitStart(until: number): void;
  /** The wait is over: the sources show what they showed before it. */
  onWaitEnd(): void;
}

export type RateBudget = ReturnType<typeof createRateBudget>;

/**
 * One instance's request budget: paces requests by the server's X-RateLimit-* headers
 * (https://docs.joinmastodon.org/api/rate-limits/), or by our own window where it sends none
 * (snac, GoToSocial), always keeping a reserve. Measures how long requests take, for backfill ETAs.
 */
export function createRateBudget(options: RateBudgetOptions) {
  const { origin, clock, log, tuning } = options;
  let rateLimit: RateLimit = { limit: null, remaining: null, resetAt: null };
  let lastRequestAt = 0;
  const requestTimes: number[] = [];
  let requestMsTotal = 0;
  let requestCount = 0;
  let waitSaid = false;

  /** Spread the remaining budget over the time left in the window, keeping a reserve. */
  function spacingMs(): number {
    const { limit, remaining, resetAt } = rateLimit;
    if (remaining === null || resetAt === null) return 0;
    const untilReset = Math.max(0, resetAt.getTime() - clock.now());
    const reserve = Math.ceil((limit ?? remaining) * tuning.rateLimitReserve);
    const usable = remaining - reserve;
    if (usable <= 0) return untilReset + 1000;
    return Math.ceil(untilReset / usable);
  }

  /** snac and GoToSocial send no X-RateLimit-*: keep to Mastodon's paging bucket on our own. */
  function ownWaitMs(): number {
    if (!tuning.budget) return 0;
    const { requests, windowMs } = tuning.budget;
    const now = clock.now();
    // Pruned whether or not the instance sends headers: otherwise the list grows for months.
    while (requestTimes.length && requestTimes[0]! <= now - windowMs) requestTimes.shift();
    if (rateLimit.remaining !== null) return 0;
    const usable = Math.floor(requests * (1 - tuning.rateLimitReserve));
    return requestTimes.length < usable ? 0 : requestTimes[0]! + windowMs - now;
  }

  /** Whether the budget is used up (ours, or the server's X-RateLimit-* down to the reserve). */
  function exhausted(ownWait: number): boolean {
    if (ownWait > 0) return true;
    const { limit, remaining } = rateLimit;
    if (remaining === null || rateLimit.resetAt === null) return false;
    return remaining - Math.ceil((limit ?? remaining) * tuning.rateLimitReserve) <= 0;
  }

  /** Show the wait in the status, and say it once per wait, so it is not "polling" in silence. */
  function startWait(until: number, own: boolean) {
    options.onWaitStart(until);
    if (waitSaid) return;
    waitSaid = true;
    const budget =
      own && tuning.budget
        ? `our own ${Math.floor(tuning.budget.requests * (1 - tuning.rateLimitReserve))} requests per ${toDurationText(tuning.budget.windowMs)} (it sends no rate-limit headers)`
        : `its rate limit, down to our reserve`;
    log.warn(
      `${origin} has used its request budget (${budget}): waiting ${toDurationText(until - clock.now())}, until ${new Date(until).toISOString()}; a longer --poll-interval avoids this`,
    );
  }

  return {
    /** The X-RateLimit-* headers of the last answer. */
    get rateLimit(): RateLimit {
      return rateLimit;
    },

    /** Take the X-RateLimit-* headers of an answer into account. */
    record(got: RateLimit): void {
      rateLimit = got;
    },

    spacingMs,

    /** Mean time a request took so far, or null before the first. */
    meanRequestMs(): number | null {
      return requestCount ? requestMsTotal / requestCount : null;
    },

    /** Wait until the budget allows one more request, then run it and record how long it took. */
    async paced<T>(signal: AbortSignal, request: () => Promise<T>): Promise<T> {
      const own = ownWaitMs();
      const wait = Math.max(lastRequestAt + spacingMs() - clock.now(), own);
      if (wait > 0) {
        const used = exhausted(own);
        if (used) startWait(clock.now() + wait, own > 0);
        try {
          await clock.sleep(wait, signal);
        } finally {
          if (used) options.onWaitEnd();
        }
      } else waitSaid = false;
      const started = clock.now();
      lastRequestAt = started;
      if (tuning.budget) requestTimes.push(started);
      try {
        return await request();
      } finally {
        requestMsTotal += clock.now() - started;
        requestCount++;
      }
    },
  };
}
