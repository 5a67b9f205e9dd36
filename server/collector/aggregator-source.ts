import type { SourceStatus } from '../../shared/types.js';
import { toDurationText } from './duration.js';
import { HttpError, NeedsTokenError, RateLimitedError } from './errors.js';
import { createMastodonClient, type MastodonClient } from './mastodon-client.js';
import { createSeenCounter } from './seen-counter.js';
import { initialSourceStatus } from './source-status.js';
import type { TimelineReaderDeps } from './timeline-reader.js';

/** Knobs of an aggregator's schedule; `collector.ts` fills them from its defaults. */
export interface AggregatorTuning {
  /** Wait between rounds over every tag. */
  pollIntervalMs: number;
  pageLimit: number;
  /** A response slower than this (or a timeout, a 5xx, a 429) makes the delay grow. */
  slowMs: number;
  /** The first extra delay when it is slow; it doubles while it stays slow… */
  slowDelayStepMs: number;
  /** …up to this, and halves with each fast answer until it is gone. */
  slowDelayMaxMs: number;
  /** The n-th request of a round waits up to min(n × gapStepMs, gapMaxMs), at random, as Fediwall does. */
  gapStepMs: number;
  gapMaxMs: number;
  /** A full page of posts we never saw may hide more: read at most this many older pages per tag and round. */
  gapPages: number;
  needsTokenRetryMs: number;
  /** Deadline of one request. */
  timeoutMs: number;
}

export interface AggregatorSourceOptions extends TimelineReaderDeps {
  /** Origin of a tag-search service that speaks `GET /api/v1/timelines/tag/:tag`, e.g. https://fedi.buzz. */
  url: string;
  token: string | null;
  tuning: AggregatorTuning;
}

/**
 * The next extra delay after an answer: doubled (from `slowDelayStepMs`) when it was slow or
 * failed, halved when it was fast, nothing once below the step. Pure, for the tests.
 */
export function nextSlowDelay(current: number, slow: boolean, tuning: AggregatorTuning): number {
  if (slow)
    return Math.min(tuning.slowDelayMaxMs, current > 0 ? current * 2 : tuning.slowDelayStepMs);
  const half = current / 2;
  return half < tuning.slowDelayStepMs ? 0 : Math.round(half);
}

export type AggregatorSource = ReturnType<typeof createAggregatorSource>;

/**
 * A tag-search aggregator (fedi.buzz): it implements only the tag timeline, serves statuses of
 * other servers with ids of its own, and is the home of no account. So it is never authoritative
 * for a profile or consent, needs no instance info, has no stream and no delete re-check, and is
 * read newest page first, deduplicated by uri, on its own schedule — slower while it is slow.
 */
export function createAggregatorSource(options: AggregatorSourceOptions) {
  const { url, clock, random, pipeline, store, tuning } = options;
  const log = options.log.child({ aggregator: url });
  const domain = new URL(url).host.toLowerCase();
  const seen = createSeenCounter();
  let runSignal: AbortSignal | undefined;
  const client: MastodonClient = createMastodonClient({
    origin: url,
    userAgent: options.userAgent,
    token: options.token,
    fetch: options.fetch,
    timeoutMs: tuning.timeoutMs,
    stopSignal: () => runSignal,
  });
  const statuses = new Map<string, SourceStatus>(
    options.tags.map((tag) => [
      tag,
      { ...initialSourceStatus(url, tag, 'aggregator'), slowDelayMs: 0 },
    ]),
  );
  let slowDelayMs = 0;
  let saidSlow = false;
  let saidLocal = false;
  let needsTokenUntil = 0;
  const nowIso = () => new Date(clock.now()).toISOString();

  function setAll(patch: Partial<SourceStatus>) {
    for (const s of statuses.values()) Object.assign(s, patch);
  }

  function answered(slow: boolean, elapsedMs: number) {
    const before = slowDelayMs;
    slowDelayMs = nextSlowDelay(slowDelayMs, slow, tuning);
    setAll({ slowDelayMs });
    if (slowDelayMs > before && !saidSlow) {
      saidSlow = true;
      log.warn(
        `aggregator ${url} is slow (${Math.round(elapsedMs)} ms): waiting ${toDurationText(slowDelayMs)} more before each request while it stays slow`,
      );
    } else if (slowDelayMs === 0 && before > 0) {
      saidSlow = false;
      log.info(`aggregator ${url} answers fast again: back to its normal pace`);
    }
  }

  /** Wait the round's small random gap plus the slow delay (with jitter), then read one page. */
  async function readPage(tag: string, n: number, maxId: string | undefined, signal: AbortSignal) {
    const gap = random() * Math.min(tuning.gapMaxMs, tuning.gapStepMs * n);
    const extra = slowDelayMs * (0.5 + random());
    if (gap + extra > 0) await clock.sleep(Math.round(gap + extra), signal);
    if (signal.aborted) return null;
    const started = clock.now();
    try {
      const page = await client.tagTimeline(tag, { maxId, limit: tuning.pageLimit });
      const elapsed = clock.now() - started;
      answered(elapsed > tuning.slowMs, elapsed);
      return page;
    } catch (err) {
      if (signal.aborted) return null;
      // A server that is overloaded times out, resets, answers 5xx or 429: all mean "slower".
      const overloaded =
        !(err instanceof HttpError) || err.status >= 500 || err instanceof RateLimitedError;
      if (overloaded) answered(true, clock.now() - started);
      throw err;
    }
  }

  /** An aggregator has no local accounts: a bare `user` names no server, so it cannot be placed. */
  function withHomes(items: unknown[]): unknown[] {
    const kept = items.filter((raw) => {
      const acct = (raw as { account?: { acct?: unknown } } | null)?.account?.acct;
      return typeof acct !== 'string' || acct.replace(/^@/, '').includes('@');
    });
    if (kept.length < items.length && !saidLocal) {
      saidLocal = true;
      log.warn(
        `aggregator ${url} sent statuses whose account has no domain: skipped, since an aggregator is no one's home server`,
      );
    }
    return kept;
  }

  /** Read one tag: the newest page, then older pages while a full page was all new to us. */
  async function readTag(tag: string, n: number, signal: AbortSignal): Promise<number> {
    const status = statuses.get(tag)!;
    const cursor = store.cursor(url, tag);
    const first = cursor.newestId === null;
    const horizon = clock.now() - options.backfill.days * 86_400_000;
    const maxPages = first
      ? Math.max(1, Math.ceil(options.backfill.posts / tuning.pageLimit))
      : 1 + tuning.gapPages;
    let maxId: string | undefined;
    let read = 0;
    let newestId = cursor.newestId;
    for (let page = 0; page < maxPages && !signal.aborted; page++) {
      const got = await readPage(tag, n + page, maxId, signal);
      if (!got) break;
      const items = withHomes(got.items);
      const batch = pipeline.prepare(items, { source: url, domain, tag, isInstance: false });
      const known = options.sourcePosts
        ? batch.posts.filter((p) => options.sourcePosts!.knowsUri(p.uri)).length
        : batch.posts.length;
      newestId ??= batch.posts[0]?.localId ?? null;
      read += got.items.length;
      pipeline.save(batch, {
        source: url,
        tag,
        newestId,
        oldestId: batch.posts.at(-1)?.localId ?? cursor.oldestId,
        backfillCount: cursor.backfillCount + read,
        backfillDone: true,
      });
      status.postsSeen += seen.add(
        tag,
        batch.posts.map((p) => p.uri),
      );
      const last = batch.posts.at(-1);
      // First start: back to the horizon. Later: only past a full page of posts never seen.
      // The same page again (an aggregator that ignores max_id) ends the walk either way.
      const more =
        got.items.length >= tuning.pageLimit &&
        !!last &&
        last.localId !== maxId &&
        (first ? read < options.backfill.posts && batch.oldestAt >= horizon : known === 0);
      if (!more) break;
      maxId = last.localId;
    }
    Object.assign(status, {
      state: 'polling',
      lastSuccessAt: nowIso(),
      nextAttemptAt: null,
      rateLimitRemaining: null,
    });
    return read;
  }

  function recordError(err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    const needsToken = err instanceof NeedsTokenError;
    if (needsToken) {
      needsTokenUntil = clock.now() + tuning.needsTokenRetryMs;
      log.warn(
        `aggregator ${url} wants an access token (HTTP ${err.status}); following the other sources meanwhile`,
      );
    } else {
      log.warn(`${message} — waiting ${toDurationText(Math.max(slowDelayMs, 1000))} or more`);
    }
    setAll({
      state: needsToken ? 'needs-token' : 'backing-off',
      lastError: needsToken ? `needs an access token (HTTP ${err.status})` : message,
      lastErrorAt: nowIso(),
    });
  }

  return {
    status(): SourceStatus[] {
      return [...statuses.values()].map((s) => ({ ...s }));
    },

    /** Read every tag, round after round, until the signal fires. Never throws for the aggregator's failures. */
    async run(signal: AbortSignal): Promise<void> {
      runSignal = signal;
      log.info(`reading aggregator ${url} for #${options.tags.join(', #')}`);
      while (!signal.aborted) {
        if (clock.now() >= needsTokenUntil) {
          let n = 0;
          for (const tag of options.tags) {
            if (signal.aborted) return;
            try {
              await readTag(tag, n, signal);
            } catch (err) {
              if (signal.aborted) return;
              recordError(err);
              if (err instanceof NeedsTokenError) break;
            }
            n++;
          }
        }
        const wait = Math.max(
          Math.round(tuning.pollIntervalMs * (0.9 + 0.2 * random())),
          needsTokenUntil - clock.now(),
        );
        setAll({ nextAttemptAt: new Date(clock.now() + wait).toISOString() });
        await clock.sleep(wait, signal);
      }
    },
  };
}
