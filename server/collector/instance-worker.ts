import type { SourceStatus } from '../../shared/types.js';
import { createBackfillProgress } from './backfill-progress.js';
import { createDeleteChecks } from './delete-checks.js';
import { jitteredBackoff } from './backoff.js';
import { HttpError, NeedsTokenError, RateLimitedError } from './errors.js';
import { compareIds } from './ids.js';
import { createInstanceStream, type StreamTuning } from './instance-stream.js';
import { createMastodonClient, type InstanceInfo, type MastodonClient } from './mastodon-client.js';
import { createRateBudget, type RateBudgetTuning } from './rate-budget.js';
import type { RecheckTuning } from './recheck.js';
import { createSourceStatuses } from './source-statuses.js';
import type { TimelineReaderDeps } from './timeline-reader.js';

/** Knobs of the schedule; `collector.ts` fills them from its defaults. */
export interface WorkerTuning extends RecheckTuning, RateBudgetTuning, StreamTuning {
  pageLimit: number;
  /** While streaming, poll this often anyway: it proves the stream is not silent and fills gaps. */
  streamCheckIntervalMs: number;
  /** At most one backfill progress line per tag this often. */
  progressLogMs: number;
}

export interface InstanceWorkerOptions extends TimelineReaderDeps {
  origin: string;
  /** Bearer token (never logged); enables streaming. */
  token: string | null;
  pollIntervalMs: number;
  tuning: WorkerTuning;
}

/** One tag's reading schedule (its status lives in the status holder, its backfill in its tracker). */
interface TagSchedule {
  retryAt: number;
  nextPollAt: number;
  /** snac: max_id while walking back over a gap after a page of only new posts. */
  gapMaxId: string | null;
  /**
   * A read from the cursor is owed once the stream's subscription has taken effect (at this time):
   * a post made after the stream opened but before the server applied the subscription is in the
   * timeline only. Cleared by the first read sent at or after it.
   */
  catchUpAt: number | null;
  backfill: ReturnType<typeof createBackfillProgress>;
}

export type InstanceWorker = ReturnType<typeof createInstanceWorker>;

/** Polls (and with a token, streams) every campaign tag on one instance, inside its rate budget. */
export function createInstanceWorker(options: InstanceWorkerOptions) {
  const { origin, clock, random, pipeline, store, tuning } = options;
  const log = options.log.child({ instance: origin });
  let runSignal: AbortSignal | undefined;
  const client: MastodonClient = createMastodonClient({
    origin,
    userAgent: options.userAgent,
    token: options.token,
    fetch: options.fetch,
    // Stopping the collector must not wait out a hung instance's 15 s deadline.
    stopSignal: () => runSignal,
  });
  const statuses = createSourceStatuses(origin, options.tags);
  const tags = new Map<string, TagSchedule>(
    options.tags.map((tag) => [
      tag,
      {
        retryAt: 0,
        nextPollAt: 0,
        gapMaxId: null,
        catchUpAt: null,
        backfill: createBackfillProgress({
          origin,
          tag,
          backfill: options.backfill,
          pageLimit: tuning.pageLimit,
          progressLogMs: tuning.progressLogMs,
          clock,
          log,
        }),
      },
    ]),
  );
  let domain = new URL(origin).host.toLowerCase();
  let info: InstanceInfo | null = null;
  let failures = 0;
  /** snac: ids are not ordered within a second, so re-read the newest page instead of min_id. */
  let unorderedIds = false;
  /** Whether the last tag timeline read was a JSON answer: an HTML 404 on a status read then means "gone". */
  let answering = false;
  let wake = new AbortController();

  const budget = createRateBudget({
    origin,
    clock,
    log,
    tuning,
    onWaitStart: (until) => statuses.waitForBudget(until),
    onWaitEnd: () => statuses.budgetWaitOver(),
  });
  const paced = budget.paced;
  const stream = createInstanceStream({
    origin,
    tags: options.tags,
    token: options.token,
    userAgent: options.userAgent,
    tuning,
    log,
    clock,
    random,
    pipeline,
    statuses,
    domain: () => domain,
    streamingUrl: () => info?.streamingUrl ?? null,
    onConnectionChange(open) {
      // Catch up by min_id after every (re)connect, once the subscription has had time to take
      // effect (no acknowledgement comes), so nothing falls between the last poll and the stream;
      // after a close, poll at once.
      for (const t of tags.values()) {
        if (open) t.catchUpAt = clock.now() + tuning.streamSubscribeSettleMs;
        else {
          t.nextPollAt = 0;
          t.catchUpAt = null;
        }
      }
      wake.abort();
    },
  });
  const state = (tag: string) => tags.get(tag)!;

  const { statusReads, tagPageDeletes, recheck } = createDeleteChecks({
    origin,
    client,
    sourcePosts: options.sourcePosts,
    store,
    pipeline,
    log,
    clock,
    tuning,
    hasToken: !!options.token,
    domain: () => domain,
    answering: () => answering,
    budget,
  });

  function succeeded(tag: string) {
    statuses.succeeded(tag, clock.now(), stream.live(tag), budget.rateLimit.remaining);
  }

  /** The backfill progress to show after `count` posts, at the pace requests take now. */
  function reportProgress(tag: string, count: number, done: boolean) {
    const mean = budget.meanRequestMs();
    const perPage = mean === null ? null : Math.max(mean, budget.spacingMs());
    statuses.backfill(tag, state(tag).backfill.report(count, done, perPage));
  }

  async function loadInfo(signal: AbortSignal): Promise<void> {
    try {
      const got = await paced(signal, () => client.instanceInfo());
      info = got;
      domain = got.domain;
      if (got.version && /snac/i.test(got.version)) unorderedIds = true;
      log.info(
        { domain, version: got.version },
        `connected to ${origin} (${got.domain}${got.version ? `, ${got.version}` : ''})`,
      );
    } catch (err) {
      // Not fatal: local handles fall back to the URL host, and we try again next round.
      log.debug({ err: (err as Error).message }, `could not read instance info from ${origin}`);
    }
  }

  /** Mastodon 4.5 says up front when hashtag feeds need a signed-in user; without a token, say so once. */
  function feedsNeedToken(): boolean {
    const feeds = info?.hashtagFeeds;
    return !options.token && !!feeds && feeds.local !== 'public' && feeds.remote !== 'public';
  }

  /** Read what is new for one tag. Returns true when more pages are waiting now. */
  async function forward(tag: string, signal: AbortSignal): Promise<boolean> {
    const t = state(tag);
    const cursor = store.cursor(origin, tag);
    const first = cursor.newestId === null;
    const query = first
      ? {}
      : unorderedIds
        ? t.gapMaxId
          ? { maxId: t.gapMaxId }
          : {} // the newest page again, overlapping what we have; dedup by uri does the rest
        : { minId: cursor.newestId! };
    // The newest page read again (snac): what it should hold and does not may be deleted.
    const newestRead = !first && !('minId' in query) && !('maxId' in query);
    const storedBefore = newestRead && tagPageDeletes ? tagPageDeletes.stored(tag) : null;
    let sentAt = 0;
    const page = await paced(signal, () => {
      sentAt = clock.now();
      return client.tagTimeline(tag, { ...query, limit: tuning.pageLimit });
    });
    budget.record(page.rateLimit);
    // Read from the cursor after the subscription took effect: the stream has the rest.
    if (t.catchUpAt !== null && sentAt >= t.catchUpAt) t.catchUpAt = null;
    answering = true;
    if (page.items.length > 0 && !page.hasLink && !unorderedIds) {
      unorderedIds = true;
      log.info(
        `${origin} sends no Link header: reading its newest page each poll, since its ids may not be ordered within a second`,
      );
    }
    const batch = pipeline.prepare(page.items, { source: origin, domain, tag, isInstance: true });
    statuses.saw(tag, batch.posts);
    const knownBefore =
      unorderedIds && options.sourcePosts
        ? batch.posts.filter((p) => options.sourcePosts!.knowsUri(p.uri)).length
        : 0;
    stream.checkSilence(tag, batch);
    if (first) {
      if (batch.newest) {
        const done =
          page.items.length < tuning.pageLimit ||
          t.backfill.finished(page.items.length, batch.oldestAt);
        t.backfill.firstPage(batch.oldestAt);
        pipeline.save(batch, {
          source: origin,
          tag,
          newestId: batch.newest,
          oldestId: batch.oldest,
          backfillCount: page.items.length,
          backfillDone: done,
        });
        reportProgress(tag, page.items.length, done);
      }
      succeeded(tag);
      return false;
    }
    const newest =
      batch.newest && compareIds(batch.newest, cursor.newestId!) > 0
        ? batch.newest
        : cursor.newestId;
    pipeline.save(batch, { source: origin, tag, ...cursor, newestId: newest });
    succeeded(tag);
    if (tagPageDeletes && storedBefore && !page.tagUnknown) {
      const full = page.items.length >= tuning.pageLimit;
      await tagPageDeletes.check(tag, storedBefore, page.items, full, signal);
    }
    if (unorderedIds) {
      // A full page of only new posts may hide more behind it: walk back until we meet one we know.
      const gap =
        page.items.length >= tuning.pageLimit && knownBefore === 0 && !!options.sourcePosts;
      t.gapMaxId = gap ? (batch.posts.at(-1)?.localId ?? null) : null;
      return gap;
    }
    return page.items.length >= tuning.pageLimit;
  }

  /** Read one older page for one tag (max_id walk), until the horizon. Returns true while unfinished. */
  async function backfillPage(tag: string, signal: AbortSignal): Promise<boolean> {
    const t = state(tag);
    const cursor = store.cursor(origin, tag);
    if (cursor.backfillDone || !cursor.oldestId) return false;
    t.backfill.begin();
    const page = await paced(signal, () =>
      client.tagTimeline(tag, { maxId: cursor.oldestId!, limit: tuning.pageLimit }),
    );
    budget.record(page.rateLimit);
    answering = true;
    const batch = pipeline.prepare(page.items, { source: origin, domain, tag, isInstance: true });
    statuses.saw(tag, batch.posts);
    t.backfill.page(batch.oldestAt);
    const count = cursor.backfillCount + page.items.length;
    const done = page.items.length === 0 || t.backfill.finished(count, batch.oldestAt);
    // snac pages in arrival order: continue from the page's last id, as it has no Link header.
    const last = unorderedIds ? (batch.posts.at(-1)?.localId ?? null) : batch.oldest;
    const oldestId = last && compareIds(last, cursor.oldestId) < 0 ? last : cursor.oldestId;
    pipeline.save(batch, {
      source: origin,
      tag,
      ...cursor,
      oldestId,
      backfillCount: count,
      backfillDone: done,
    });
    succeeded(tag);
    reportProgress(tag, count, done);
    return !done;
  }

  function recordError(tag: string | null, err: unknown) {
    answering = false;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof NeedsTokenError && tag) {
      if (!statuses.needsToken(tag)) {
        log.warn(
          `${origin} needs an access token for the #${tag} hashtag feed (HTTP ${err.status}); following the other instances meanwhile`,
        );
      }
      const t = state(tag);
      t.retryAt = clock.now() + tuning.needsTokenRetryMs;
      statuses.needToken(tag, err.status, clock.now(), t.retryAt);
      return;
    }
    failures++;
    const wait =
      err instanceof RateLimitedError && err.resetAt
        ? Math.max(err.resetAt.getTime() - clock.now(), 0) + 1000 + Math.round(random() * 5000)
        : jitteredBackoff(tuning, failures, random);
    const retryAt = clock.now() + wait;
    const kind =
      err instanceof HttpError && err.status < 500 && !(err instanceof RateLimitedError)
        ? 'error'
        : 'backing-off';
    for (const [name, t] of tags) if (!statuses.needsToken(name)) t.retryAt = retryAt;
    statuses.failed(kind, message, clock.now(), retryAt);
    log.warn(`${message} — retrying in ${Math.round(wait / 1000)} s`);
  }

  async function step(tag: string | null, signal: AbortSignal, run: () => Promise<boolean | void>) {
    try {
      const more = await run();
      failures = 0;
      return more === true;
    } catch (err) {
      if (!signal.aborted) recordError(tag, err);
      return false;
    }
  }

  /** Read one tag: what is new first, so new posts are never stuck behind a long backfill; then one older page. */
  async function readTag(tag: string, t: TagSchedule, signal: AbortSignal): Promise<boolean> {
    let busy = false;
    if (clock.now() >= t.nextPollAt || (t.catchUpAt !== null && clock.now() >= t.catchUpAt)) {
      const more = await step(tag, signal, () => forward(tag, signal));
      const interval = stream.live(tag) ? tuning.streamCheckIntervalMs : options.pollIntervalMs;
      t.nextPollAt = more ? 0 : clock.now() + Math.round(interval * (0.9 + 0.2 * random()));
      busy = more;
    }
    if (signal.aborted || t.retryAt > clock.now()) return busy;
    return (await step(tag, signal, () => backfillPage(tag, signal))) || busy;
  }

  return {
    status(): SourceStatus[] {
      return statuses.snapshot(statusReads.needs());
    },

    async run(signal: AbortSignal): Promise<void> {
      runSignal = signal;
      while (!signal.aborted) {
        if (!info) await loadInfo(signal);
        stream.retrySilent();
        stream.maybeStart(signal);
        let busy = false;
        for (const [tag, t] of tags) {
          if (signal.aborted) break;
          if (t.retryAt > clock.now()) continue;
          if (feedsNeedToken()) {
            recordError(
              tag,
              new NeedsTokenError(
                401,
                `${origin}/api/v2/instance`,
                'timelines_access: authenticated',
              ),
            );
            continue;
          }
          busy = (await readTag(tag, t, signal)) || busy;
        }
        if (signal.aborted) return;
        if (recheck && [...tags.values()].some((t) => t.retryAt <= clock.now()))
          await step(null, signal, () => recheck.tick(signal));
        const next = Math.min(
          ...[...tags.values()].map((t) =>
            Math.max(Math.min(t.nextPollAt, t.catchUpAt ?? Infinity), t.retryAt),
          ),
          recheck?.nextAt() ?? Infinity,
          stream.nextWakeAt(),
        );
        const wait = busy ? 0 : Math.max(0, next - clock.now());
        if (wait > 0) {
          await clock.sleep(wait, AbortSignal.any([signal, wake.signal]));
          if (wake.signal.aborted) wake = new AbortController();
        }
      }
      await stream.done();
    },
  };
}
