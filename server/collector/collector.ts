import type { Logger } from 'pino';
import type { SourceStatus } from '../../shared/types.js';
import type { Hub } from '../hub.js';
import type { Locator } from '../geo/types.js';
import type { IngestItem, Store, StoredEvent } from '../store/store.js';
import { type Clock, systemClock } from '../clock.js';
import { consentRefusal, isAccountOptOut, profileLocation } from './consent.js';
import { HttpError, NeedsTokenError, RateLimitedError } from './errors.js';
import { createMastodonClient, type MastodonClient, type RateLimit } from './mastodon-client.js';
import { toPost } from './normalize.js';
import { compareIds } from './ids.js';

export interface CollectorOptions {
  store: Store;
  hub: Hub;
  locator: Locator;
  log: Logger;
  /** Instance origins. */
  instances: string[];
  /** Campaign tags, lower case. */
  tags: string[];
  userAgent: string;
  /** Wait after a round in which every tag was caught up. */
  pollIntervalMs: number;
  /** Access tokens by instance origin (never logged). */
  tokens?: Record<string, string>;
  /** Require `discoverable !== false` as well. */
  strictConsent?: boolean;
  fetch?: typeof fetch;
  clock?: Clock;
  /** 0..1, for jitter; injectable so tests are repeatable. */
  random?: () => number;
}

export type Collector = ReturnType<typeof createCollector>;

const tuning = {
  pageLimit: 40, // Mastodon's maximum page size
  minBackoffMs: 2_000, // first retry after a failure
  maxBackoffMs: 10 * 60_000, // never wait longer than this between retries
  needsTokenRetryMs: 30 * 60_000, // an instance that wants a token rarely changes its mind
  rateLimitReserve: 0.1, // keep 10% of the bucket for restarts and humans sharing our IP
};

/** Follows every campaign tag on every instance, forever, without crashing the server. */
export function createCollector(options: CollectorOptions) {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const workers = options.instances.map((origin) =>
    createInstanceWorker(origin, options, clock, random),
  );
  let abort: AbortController | null = null;
  let running: Promise<void>[] = [];

  return {
    /** Start polling every instance; returns at once. */
    start(): void {
      if (abort) return;
      abort = new AbortController();
      const signal = abort.signal;
      running = workers.map((w) => w.run(signal));
    },
    /** Stop and wait for in-flight requests to settle. */
    async stop(): Promise<void> {
      abort?.abort();
      abort = null;
      await Promise.allSettled(running);
    },
    status(): SourceStatus[] {
      return workers.flatMap((w) => w.status());
    },
  };
}

function createInstanceWorker(
  origin: string,
  options: CollectorOptions,
  clock: Clock,
  random: () => number,
) {
  const log = options.log.child({ instance: origin });
  const client: MastodonClient = createMastodonClient({
    origin,
    userAgent: options.userAgent,
    token: options.tokens?.[origin] ?? null,
    fetch: options.fetch,
  });
  const sources = new Map<string, SourceStatus & { retryAt: number }>(
    options.tags.map((tag) => [
      tag,
      {
        instance: origin,
        tag,
        state: 'starting',
        lastSuccessAt: null,
        lastError: null,
        lastErrorAt: null,
        postsSeen: 0,
        rateLimitRemaining: null,
        retryAt: 0,
      },
    ]),
  );
  let domain = new URL(origin).host.toLowerCase();
  let haveInfo = false;
  let failures = 0;
  let rateLimit: RateLimit = { limit: null, remaining: null, resetAt: null };

  function nowIso() {
    return new Date(clock.now()).toISOString();
  }

  function backoffMs(): number {
    const base = Math.min(tuning.maxBackoffMs, tuning.minBackoffMs * 2 ** Math.min(failures, 20));
    return Math.round(base * (0.5 + random())); // full jitter band: instances recovering are not stampeded
  }

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

  function setAll(patch: Partial<SourceStatus>) {
    for (const s of sources.values()) Object.assign(s, patch);
  }

  function publish(events: StoredEvent[]) {
    for (const e of events) options.hub.publish(e);
  }

  async function loadInfo(): Promise<void> {
    try {
      const info = await client.instanceInfo();
      domain = info.domain;
      haveInfo = true;
      log.info(
        { domain, version: info.version },
        `connected to ${origin} (${info.domain}${info.version ? `, ${info.version}` : ''})`,
      );
    } catch (err) {
      // Not fatal: local handles fall back to the URL host, and we try again next round.
      log.debug({ err: (err as Error).message }, `could not read instance info from ${origin}`);
    }
  }

  /** One request for one tag. Returns true when more pages are waiting right now. */
  async function pollTag(tag: string): Promise<boolean> {
    const source = sources.get(tag)!;
    const cursor = options.store.cursor(origin, tag);
    const page = await client.tagTimeline(
      tag,
      cursor ? { minId: cursor, limit: tuning.pageLimit } : { limit: tuning.pageLimit },
    );
    rateLimit = page.rateLimit;
    const items: IngestItem[] = [];
    const optOuts = new Set<string>();
    let newest = cursor;
    for (const raw of page.items) {
      let post;
      try {
        post = toPost(raw, { domain });
      } catch (err) {
        log.warn({ tag }, `skipped a malformed status from ${origin}: ${(err as Error).message}`);
        continue;
      }
      if (!newest || compareIds(post.localId, newest) > 0) newest = post.localId;
      source.postsSeen++;
      const refusal = consentRefusal(post, { strict: options.strictConsent ?? false });
      if (refusal) {
        if (isAccountOptOut(refusal)) optOuts.add(post.account.acct);
        continue;
      }
      const campaignTags = options.tags.filter((t) => post.tags.includes(t) || t === tag);
      const located = options.locator.locate({
        html: post.rawContent,
        tags: post.tags,
        language: post.language,
        profileLocation: profileLocation(post),
        campaignTags: options.tags,
      });
      items.push({ post, located, source: origin, campaignTags });
    }
    const events = options.store.ingest(
      items,
      newest ? { source: origin, tag, newestId: newest } : undefined,
    );
    for (const acct of optOuts) events.push(...options.store.forgetAccount(acct));
    publish(events);

    Object.assign(source, {
      state: 'polling',
      lastSuccessAt: nowIso(),
      rateLimitRemaining: rateLimit.remaining,
    });
    if (page.tagUnknown) return false;
    // Only a forward walk (min_id) can have more waiting; the first page without a cursor is the newest.
    return cursor !== null && page.items.length >= tuning.pageLimit;
  }

  function recordError(tag: string | null, err: unknown): 'instance' | 'tag' {
    const message = err instanceof Error ? err.message : String(err);
    const at = nowIso();
    if (err instanceof NeedsTokenError && tag) {
      const source = sources.get(tag)!;
      if (source.state !== 'needs-token') {
        log.warn(
          `${origin} needs an access token for the #${tag} hashtag feed (HTTP ${err.status}); following the other instances meanwhile`,
        );
      }
      Object.assign(source, {
        state: 'needs-token',
        lastError: `needs an access token (HTTP ${err.status})`,
        lastErrorAt: at,
        retryAt: clock.now() + tuning.needsTokenRetryMs,
      });
      return 'tag';
    }
    failures++;
    const wait =
      err instanceof RateLimitedError && err.resetAt
        ? Math.max(err.resetAt.getTime() - clock.now(), 0) + 1000 + Math.round(random() * 5000)
        : backoffMs();
    const retryAt = clock.now() + wait;
    const kind =
      err instanceof HttpError && err.status < 500 && !(err instanceof RateLimitedError)
        ? 'error'
        : 'backing-off';
    setAll({ state: kind, lastError: message, lastErrorAt: at });
    for (const s of sources.values()) if (s.state !== 'needs-token') s.retryAt = retryAt;
    log.warn(`${message} — retrying in ${Math.round(wait / 1000)} s`);
    return 'instance';
  }

  return {
    status(): SourceStatus[] {
      return [...sources.values()].map(({ retryAt: _retryAt, ...s }) => ({ ...s }));
    },

    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        if (!haveInfo) await loadInfo();
        let more = false;
        for (const tag of options.tags) {
          if (signal.aborted) return;
          const source = sources.get(tag)!;
          if (source.retryAt > clock.now()) continue;
          try {
            more = (await pollTag(tag)) || more;
            failures = 0;
          } catch (err) {
            if (signal.aborted) return;
            recordError(tag, err);
          }
          await clock.sleep(spacingMs(), signal);
        }
        if (signal.aborted) return;
        const nextRetry = Math.min(...[...sources.values()].map((s) => s.retryAt));
        const idle = more ? 0 : Math.round(options.pollIntervalMs * (0.9 + 0.2 * random()));
        const wait = Math.max(idle, nextRetry - clock.now());
        await clock.sleep(wait, signal);
      }
    },
  };
}
