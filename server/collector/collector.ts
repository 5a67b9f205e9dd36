import type { Logger } from 'pino';
import type { SourceStatus } from '../../shared/types.js';
import type { Hub } from '../hub.js';
import type { Locator } from '../geo/types.js';
import type { CursorUpdate, IngestItem, Store } from '../store/store.js';
import { type Clock, systemClock } from '../clock.js';
import { consentRefusal, isAccountOptOut, profileLocationOf } from './consent.js';
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
  /** How far back to read on first start, per instance and tag: whichever limit comes first. */
  backfill?: { posts: number; days: number };
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
  backfill: { posts: 2000, days: 365 }, // a campaign's first year, at most 50 pages per instance and tag
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
  const backfill = options.backfill ?? tuning.backfill;

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

  /** Validate, filter by consent and locate one page of statuses. */
  function processPage(tag: string, raws: unknown[]) {
    const source = sources.get(tag)!;
    const items: IngestItem[] = [];
    const optOuts = new Set<string>();
    let newest: string | null = null;
    let oldest: string | null = null;
    let oldestAt = Infinity;
    for (const raw of raws) {
      let post;
      try {
        post = toPost(raw, { domain });
      } catch (err) {
        log.warn({ tag }, `skipped a malformed status from ${origin}: ${(err as Error).message}`);
        continue;
      }
      if (!newest || compareIds(post.localId, newest) > 0) newest = post.localId;
      if (!oldest || compareIds(post.localId, oldest) < 0) oldest = post.localId;
      oldestAt = Math.min(oldestAt, Date.parse(post.createdAt));
      source.postsSeen++;
      const refusal = consentRefusal(post, { strict: options.strictConsent ?? false });
      if (refusal) {
        if (isAccountOptOut(refusal)) optOuts.add(post.account.acct);
        continue;
      }
      const campaignTags = options.tags.filter((t) => t === tag || post.tags.includes(t));
      const located = options.locator.locate({
        html: post.rawContent,
        tags: post.tags,
        language: post.language,
        profileLocation: profileLocationOf(post),
        campaignTags: options.tags,
      });
      const authoritative = post.account.acct.endsWith(`@${domain}`);
      items.push({ post, located, source: origin, campaignTags, authoritative });
    }
    return { items, optOuts, newest, oldest, oldestAt };
  }

  function save(page: ReturnType<typeof processPage>, cursor: CursorUpdate | undefined) {
    const events = options.store.ingest(page.items, cursor);
    for (const acct of page.optOuts) events.push(...options.store.forgetAccount(acct));
    for (const e of events) options.hub.publish(e);
  }

  function succeeded(tag: string) {
    Object.assign(sources.get(tag)!, {
      state: 'polling',
      lastSuccessAt: nowIso(),
      rateLimitRemaining: rateLimit.remaining,
    });
  }

  function backfillFinished(count: number, oldestAt: number): boolean {
    return count >= backfill.posts || oldestAt < clock.now() - backfill.days * 86_400_000;
  }

  /** Read what is new for one tag (min_id walk). Returns true when more pages are waiting now. */
  async function forward(tag: string): Promise<boolean> {
    const cursor = options.store.cursor(origin, tag);
    const page = await client.tagTimeline(tag, {
      minId: cursor.newestId ?? undefined,
      limit: tuning.pageLimit,
    });
    rateLimit = page.rateLimit;
    const got = processPage(tag, page.items);
    if (cursor.newestId === null) {
      // First read: the newest page; the backfill walks back from its oldest status.
      if (got.newest) {
        const done =
          page.items.length < tuning.pageLimit || backfillFinished(page.items.length, got.oldestAt);
        save(got, {
          source: origin,
          tag,
          newestId: got.newest,
          oldestId: got.oldest,
          backfillCount: page.items.length,
          backfillDone: done,
        });
      }
      succeeded(tag);
      return false;
    }
    const newest =
      got.newest && compareIds(got.newest, cursor.newestId) > 0 ? got.newest : cursor.newestId;
    save(got, { source: origin, tag, ...cursor, newestId: newest });
    succeeded(tag);
    return page.items.length >= tuning.pageLimit;
  }

  /** Read one older page for one tag (max_id walk), until the horizon. Returns true while unfinished. */
  async function backfillPage(tag: string): Promise<boolean> {
    const cursor = options.store.cursor(origin, tag);
    if (cursor.backfillDone || !cursor.oldestId) return false;
    const page = await client.tagTimeline(tag, { maxId: cursor.oldestId, limit: tuning.pageLimit });
    rateLimit = page.rateLimit;
    const got = processPage(tag, page.items);
    const count = cursor.backfillCount + page.items.length;
    const done = page.items.length === 0 || backfillFinished(count, got.oldestAt);
    const oldestId =
      got.oldest && compareIds(got.oldest, cursor.oldestId) < 0 ? got.oldest : cursor.oldestId;
    save(got, {
      source: origin,
      tag,
      ...cursor,
      oldestId,
      backfillCount: count,
      backfillDone: done,
    });
    succeeded(tag);
    const reached = Number.isFinite(got.oldestAt)
      ? new Date(got.oldestAt).toISOString().slice(0, 10)
      : 'the start';
    log.info(
      `backfill #${tag} on ${origin}: ${count} posts read, back to ${reached}${done ? ' — done' : ''}`,
    );
    return !done;
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
          // Forward first so new posts are never stuck behind a long backfill.
          for (const step of [forward, backfillPage]) {
            if (signal.aborted || source.retryAt > clock.now()) break;
            try {
              more = (await step(tag)) || more;
              failures = 0;
            } catch (err) {
              if (signal.aborted) return;
              recordError(tag, err);
            }
            await clock.sleep(spacingMs(), signal);
          }
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
