import type { Logger } from 'pino';
import type { BackfillProgress, SourceStatus } from '../../shared/types.js';
import { initialSourceStatus } from './source-status.js';
import type { Clock } from '../clock.js';
import type { SourcePostQueries } from '../store/source-posts.js';
import type { Store } from '../store/store.js';
import { toDurationText } from './duration.js';
import { HttpError, NeedsTokenError, RateLimitedError } from './errors.js';
import { compareIds } from './ids.js';
import {
  createMastodonClient,
  type InstanceInfo,
  type MastodonClient,
  type RateLimit,
} from './mastodon-client.js';
import type { Batch, Pipeline } from './pipeline.js';
import { createRechecker, type RecheckTuning } from './recheck.js';
import { createSeenCounter } from './seen-counter.js';
import { createStatusReads } from './status-reads.js';
import { createTagPageDeletes } from './tag-page-deletes.js';
import { openWebSocketStream, type StreamMessage } from './web-socket-stream.js';

/** Knobs of the schedule; `collector.ts` fills them from its defaults. */
export interface WorkerTuning extends RecheckTuning {
  pageLimit: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  needsTokenRetryMs: number;
  rateLimitReserve: number;
  /** Our own budget when an instance sends no X-RateLimit-* headers; false = none. */
  budget: { requests: number; windowMs: number } | false;
  /** While streaming, poll this often anyway: it proves the stream is not silent and fills gaps. */
  streamCheckIntervalMs: number;
  /** A stream with no frame at all (not even a ping) for this long is reconnected. */
  streamSilenceMs: number;
  /** A hashtag stream found silent is tried again after this long, doubling while it stays silent… */
  silentStreamRetryMs: number;
  /** …up to this. */
  silentStreamRetryMaxMs: number;
  /** An advertised stream that cannot be opened (snac: none behind it) is off this long, doubling… */
  failedStreamRetryMs: number;
  /** …up to this; polling goes on meanwhile. */
  failedStreamRetryMaxMs: number;
  /** Connection attempts in a row that fail before the stream is switched off for a while. */
  streamConnectTries: number;
  streamConnectTimeoutMs: number;
  /** At most one backfill progress line per tag this often. */
  progressLogMs: number;
}

export interface InstanceWorkerOptions {
  origin: string;
  tags: string[];
  userAgent: string;
  /** Bearer token (never logged); enables streaming. */
  token: string | null;
  pollIntervalMs: number;
  backfill: { posts: number; days: number };
  store: Store;
  sourcePosts: SourcePostQueries | null;
  pipeline: Pipeline;
  log: Logger;
  clock: Clock;
  random: () => number;
  fetch?: typeof fetch;
  tuning: WorkerTuning;
}

interface TagState {
  status: SourceStatus;
  retryAt: number;
  nextPollAt: number;
  /** Stream `update`s for this tag since the stream (re)connected. */
  streamed: number;
  /** The hashtag stream delivers nothing while polling finds posts (GoToSocial): poll instead. */
  streamSilent: boolean;
  /** When a silent stream is tried again (ms). */
  silentRetryAt: number;
  /** Times in a row the stream was found silent: the wait before the next try doubles with each. */
  silentStrikes: number;
  /** Subscribed again after being silent: still polled as before until the stream delivers. */
  onProbation: boolean;
  /** snac: max_id while walking back over a gap after a page of only new posts. */
  gapMaxId: string | null;
  /** While waiting for the budget: the state and next attempt to show again afterwards. */
  beforeBudgetWait: Pick<SourceStatus, 'state' | 'nextAttemptAt'> | null;
  backfillStartedAt: number;
  backfillPages: number;
  oldestReachedAt: number;
  lastProgressLogAt: number;
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
  const tags = new Map<string, TagState>(
    options.tags.map((tag) => [
      tag,
      {
        status: { ...initialSourceStatus(origin, tag, 'poll'), streamRetryAt: null },
        retryAt: 0,
        nextPollAt: 0,
        streamed: 0,
        streamSilent: false,
        silentRetryAt: 0,
        silentStrikes: 0,
        onProbation: false,
        gapMaxId: null,
        beforeBudgetWait: null,
        backfillStartedAt: 0,
        backfillPages: 0,
        oldestReachedAt: Infinity,
        lastProgressLogAt: 0,
      },
    ]),
  );
  let domain = new URL(origin).host.toLowerCase();
  let info: InstanceInfo | null = null;
  let failures = 0;
  let rateLimit: RateLimit = { limit: null, remaining: null, resetAt: null };
  let lastRequestAt = 0;
  const requestTimes: number[] = [];
  let requestMsTotal = 0;
  let requestCount = 0;
  /** snac: ids are not ordered within a second, so re-read the newest page instead of min_id. */
  let unorderedIds = false;
  let stream: { connectedAt: number; close(): void } | null = null;
  let streamTask: Promise<void> | null = null;
  let streamDisabledUntil = 0;
  /** Times in a row the advertised stream could not be opened at all: its off time doubles with each. */
  let streamStrikes = 0;
  /** Whether the last tag timeline read was a JSON answer: an HTML 404 on a status read then means "gone". */
  let answering = false;
  let budgetWaitSaid = false;
  const seen = createSeenCounter();
  /** The open stream is being closed to subscribe again with tags that were silent: reconnect at once. */
  let resubscribe = false;
  const streamedUris = new Set<string>();
  let wake = new AbortController();

  const nowIso = () => new Date(clock.now()).toISOString();
  const state = (tag: string) => tags.get(tag)!;
  const streamLive = (tag: string) =>
    stream !== null && !state(tag).streamSilent && !state(tag).onProbation;

  function backoffMs(n: number): number {
    const base = Math.min(tuning.maxBackoffMs, tuning.minBackoffMs * 2 ** Math.min(n, 20));
    return Math.round(base * (0.5 + random())); // a jitter band: instances recovering are not stampeded
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

  /** snac and GoToSocial send no X-RateLimit-*: keep to Mastodon's paging bucket on our own. */
  function ownBudgetWaitMs(): number {
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
  function budgetExhausted(ownWaitMs: number): boolean {
    if (ownWaitMs > 0) return true;
    const { limit, remaining } = rateLimit;
    if (remaining === null || rateLimit.resetAt === null) return false;
    return remaining - Math.ceil((limit ?? remaining) * tuning.rateLimitReserve) <= 0;
  }

  /** Show a budget wait in every tag's status (and say it once per wait), so it is not "polling" in silence. */
  function startBudgetWait(until: number, own: boolean) {
    const at = new Date(until).toISOString();
    for (const t of tags.values()) {
      if (t.status.state === 'needs-token') continue;
      if (t.status.state !== 'waiting-for-budget')
        t.beforeBudgetWait = { state: t.status.state, nextAttemptAt: t.status.nextAttemptAt };
      Object.assign(t.status, { state: 'waiting-for-budget', nextAttemptAt: at });
    }
    if (budgetWaitSaid) return;
    budgetWaitSaid = true;
    const budget =
      own && tuning.budget
        ? `our own ${Math.floor(tuning.budget.requests * (1 - tuning.rateLimitReserve))} requests per ${toDurationText(tuning.budget.windowMs)} (it sends no rate-limit headers)`
        : `its rate limit, down to our reserve`;
    log.warn(
      `${origin} has used its request budget (${budget}): waiting ${toDurationText(until - clock.now())}, until ${at}; a longer --poll-interval avoids this`,
    );
  }

  function endBudgetWait() {
    for (const t of tags.values()) {
      if (t.status.state === 'waiting-for-budget' && t.beforeBudgetWait)
        Object.assign(t.status, t.beforeBudgetWait);
      t.beforeBudgetWait = null;
    }
  }

  /** Wait until the rate budget allows one more request, then run it and record how long it took. */
  async function paced<T>(signal: AbortSignal, request: () => Promise<T>): Promise<T> {
    const own = ownBudgetWaitMs();
    const wait = Math.max(lastRequestAt + spacingMs() - clock.now(), own);
    if (wait > 0) {
      const exhausted = budgetExhausted(own);
      if (exhausted) startBudgetWait(clock.now() + wait, own > 0);
      try {
        await clock.sleep(wait, signal);
      } finally {
        if (exhausted) endBudgetWait();
      }
    } else budgetWaitSaid = false;
    const started = clock.now();
    lastRequestAt = started;
    if (tuning.budget) requestTimes.push(started);
    try {
      return await request();
    } finally {
      requestMsTotal += clock.now() - started;
      requestCount++;
    }
  }

  const statusReads = createStatusReads({
    origin,
    client,
    log,
    clock,
    hasToken: !!options.token,
    retryMs: tuning.recheckBatchRetryMs,
    answering: () => answering,
    paced,
    onRateLimit: (got) => (rateLimit = got),
  });

  function saveStatuses(raws: unknown[]) {
    pipeline.save(pipeline.prepare(raws, { source: origin, domain, tag: null, isInstance: true }));
  }

  const tagPageDeletes = options.sourcePosts
    ? createTagPageDeletes({
        origin,
        queries: options.sourcePosts,
        statusReads,
        log,
        clock,
        save: saveStatuses,
        remove(localId, how) {
          const changes = pipeline.deleteLocal(origin, localId);
          log.info(
            `a post is gone from ${origin} (local id ${localId}, ${how}): removed${changes ? ', map updated' : ''}`,
          );
        },
      })
    : null;

  const recheck = options.sourcePosts
    ? createRechecker({
        origin,
        client,
        queries: options.sourcePosts,
        store,
        pipeline,
        log,
        clock,
        tuning,
        domain: () => domain,
        statusReads,
        paced,
        onRateLimit: (got) => (rateLimit = got),
      })
    : null;

  function succeeded(tag: string) {
    Object.assign(state(tag).status, {
      state: streamLive(tag) ? 'streaming' : 'polling',
      mode: streamLive(tag) ? 'stream' : 'poll',
      lastSuccessAt: nowIso(),
      rateLimitRemaining: rateLimit.remaining,
      nextAttemptAt: null,
    });
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

  /** While streaming, a poll that finds posts the stream never delivered means the stream is silent. */
  function checkSilence(tag: string, batch: Batch) {
    const t = state(tag);
    if (!stream || t.streamSilent || t.streamed > 0) return;
    const missed = batch.posts.filter(
      (p) => !streamedUris.has(p.uri) && Date.parse(p.createdAt) > stream!.connectedAt + 1000,
    );
    if (missed.length === 0) return;
    const wait = Math.min(
      tuning.silentStreamRetryMaxMs,
      tuning.silentStreamRetryMs * 2 ** Math.min(t.silentStrikes, 20),
    );
    Object.assign(t, {
      streamSilent: true,
      onProbation: false,
      silentStrikes: t.silentStrikes + 1,
      silentRetryAt: clock.now() + wait,
    });
    t.status.streamRetryAt = new Date(t.silentRetryAt).toISOString();
    log.warn(
      `the #${tag} stream on ${origin} delivers nothing although polling finds new posts: polling #${tag} instead, trying the stream again in ${toDurationText(wait)}`,
    );
    const all = [...tags.values()];
    if (all.every((s) => s.streamSilent)) {
      streamDisabledUntil = Math.min(...all.map((s) => s.silentRetryAt));
      stream.close();
    }
  }

  /** Subscribe again to silent streams whose wait is over; they stay polled until they deliver. */
  function retrySilentStreams() {
    let due = false;
    for (const [tag, t] of tags) {
      if (!t.streamSilent || clock.now() < t.silentRetryAt) continue;
      Object.assign(t, { streamSilent: false, onProbation: true });
      t.status.streamRetryAt = null;
      due = true;
      log.info(
        `trying the #${tag} stream on ${origin} again (it was silent); polling #${tag} until it delivers`,
      );
    }
    if (due && stream) {
      resubscribe = true;
      stream.close();
    }
  }

  function backfillHorizon(): number {
    return clock.now() - options.backfill.days * 86_400_000;
  }

  function backfillFinished(count: number, oldestAt: number): boolean {
    return count >= options.backfill.posts || oldestAt < backfillHorizon();
  }

  /** Posts read, oldest date reached and time left at the current pace (pages × time per page). */
  function progress(tag: string, postsRead: number): BackfillProgress {
    const t = state(tag);
    const pagesByCount = Math.ceil(
      Math.max(0, options.backfill.posts - postsRead) / tuning.pageLimit,
    );
    let pagesLeft = pagesByCount;
    if (Number.isFinite(t.oldestReachedAt) && t.backfillPages > 0) {
      const covered = clock.now() - t.oldestReachedAt;
      const toGo = t.oldestReachedAt - backfillHorizon();
      if (covered > 0)
        pagesLeft = Math.min(pagesLeft, Math.ceil((t.backfillPages * toGo) / covered));
    }
    const perPage = Math.max(requestCount ? requestMsTotal / requestCount : 0, spacingMs());
    return {
      postsRead,
      targetPosts: options.backfill.posts,
      horizon: new Date(backfillHorizon()).toISOString(),
      oldestReached: Number.isFinite(t.oldestReachedAt)
        ? new Date(t.oldestReachedAt).toISOString()
        : null,
      etaSeconds: requestCount ? Math.round((Math.max(0, pagesLeft) * perPage) / 1000) : null,
    };
  }

  function reportProgress(tag: string, count: number, done: boolean) {
    const t = state(tag);
    const p = progress(tag, count);
    t.status.backfill = done ? null : p;
    const now = clock.now();
    if (!done && now - t.lastProgressLogAt < tuning.progressLogMs) return;
    t.lastProgressLogAt = now;
    const reached = p.oldestReached ? p.oldestReached.slice(0, 10) : 'the start';
    const left =
      done || p.etaSeconds === null
        ? ''
        : `, about ${p.etaSeconds < 90 ? `${p.etaSeconds} s` : `${Math.round(p.etaSeconds / 60)} min`} left`;
    log.info(
      { backfill: p },
      `backfill #${tag} on ${origin}: ${count} posts read, back to ${reached}${done ? ` — done in ${Math.round((now - t.backfillStartedAt) / 1000)} s` : left}`,
    );
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
    const page = await paced(signal, () =>
      client.tagTimeline(tag, { ...query, limit: tuning.pageLimit }),
    );
    rateLimit = page.rateLimit;
    answering = true;
    if (page.items.length > 0 && !page.hasLink && !unorderedIds) {
      unorderedIds = true;
      log.info(
        `${origin} sends no Link header: reading its newest page each poll, since its ids may not be ordered within a second`,
      );
    }
    const batch = pipeline.prepare(page.items, { source: origin, domain, tag, isInstance: true });
    t.status.postsSeen += seen.add(
      tag,
      batch.posts.map((p) => p.uri),
    );
    const knownBefore =
      unorderedIds && options.sourcePosts
        ? batch.posts.filter((p) => options.sourcePosts!.knowsUri(p.uri)).length
        : 0;
    checkSilence(tag, batch);
    if (first) {
      if (batch.newest) {
        const done =
          page.items.length < tuning.pageLimit ||
          backfillFinished(page.items.length, batch.oldestAt);
        t.backfillStartedAt = clock.now();
        t.backfillPages = 1;
        t.oldestReachedAt = batch.oldestAt;
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
    if (!t.backfillStartedAt) t.backfillStartedAt = clock.now();
    const page = await paced(signal, () =>
      client.tagTimeline(tag, { maxId: cursor.oldestId!, limit: tuning.pageLimit }),
    );
    rateLimit = page.rateLimit;
    answering = true;
    const batch = pipeline.prepare(page.items, { source: origin, domain, tag, isInstance: true });
    t.status.postsSeen += seen.add(
      tag,
      batch.posts.map((p) => p.uri),
    );
    t.backfillPages++;
    t.oldestReachedAt = Math.min(t.oldestReachedAt, batch.oldestAt);
    const count = cursor.backfillCount + page.items.length;
    const done = page.items.length === 0 || backfillFinished(count, batch.oldestAt);
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

  function onStreamMessage(message: StreamMessage) {
    try {
      if (message.event === 'delete') {
        pipeline.deleteLocal(origin, message.payload);
        return;
      }
      if (message.event !== 'update' && message.event !== 'status.update') return;
      const named = message.stream[0]?.startsWith('hashtag')
        ? message.stream[1]?.toLowerCase()
        : null;
      const tag = named && tags.has(named) ? named : null;
      const batch = pipeline.prepare([JSON.parse(message.payload)], {
        source: origin,
        domain,
        tag,
        isInstance: true,
      });
      pipeline.save(batch);
      if (streamedUris.size > 10_000) streamedUris.clear();
      for (const post of batch.posts) {
        streamedUris.add(post.uri);
        for (const [name, t] of tags) {
          if (name !== tag && !post.tags.includes(name)) continue;
          t.streamed++;
          t.status.postsSeen += seen.add(name, [post.uri]);
          t.status.lastSuccessAt = nowIso();
          if (t.onProbation && !t.streamSilent) {
            Object.assign(t, { onProbation: false, silentStrikes: 0 });
            Object.assign(t.status, { state: 'streaming', mode: 'stream' });
            log.info(`the #${name} stream on ${origin} delivers again: streaming #${name}`);
          }
        }
      }
    } catch (err) {
      log.warn(`skipped a stream event from ${origin}: ${(err as Error).message}`);
    }
  }

  function setStreaming(on: boolean) {
    for (const t of tags.values()) {
      if (t.status.state === 'needs-token') continue;
      if (on && !t.streamSilent && !t.onProbation)
        Object.assign(t.status, { state: 'streaming', mode: 'stream' });
      if (!on && t.status.state === 'streaming')
        Object.assign(t.status, { state: 'polling', mode: 'poll' });
      t.streamed = 0;
      // Catch up by min_id after every (re)connect, so nothing falls between the last poll and the stream.
      t.nextPollAt = 0;
    }
    wake.abort();
  }

  /** Switch off an advertised stream that cannot be opened, for 15 min doubling to 4 h; polling goes on. */
  function streamOff(why: string) {
    const wait = Math.min(
      tuning.failedStreamRetryMaxMs,
      tuning.failedStreamRetryMs * 2 ** Math.min(streamStrikes, 20),
    );
    streamStrikes++;
    streamDisabledUntil = clock.now() + wait;
    const at = new Date(streamDisabledUntil).toISOString();
    for (const t of tags.values()) if (!t.streamSilent) t.status.streamRetryAt = at;
    const line = `${origin} advertises a stream (${info?.streamingUrl}) that cannot be opened (${why}): polling only, trying the stream again in ${toDurationText(wait)}`;
    if (streamStrikes === 1) log.warn(line);
    else log.info(line);
  }

  /** Keep a WebSocket stream open, reconnecting with backoff; returns when streaming is not possible. */
  async function streamLoop(signal: AbortSignal): Promise<void> {
    let streamFailures = 0;
    /** Attempts in a row that never opened; after a strike one more failure is enough. */
    let connectFailures = 0;
    let said = false;
    while (!signal.aborted && clock.now() >= streamDisabledUntil) {
      try {
        const conn = await openWebSocketStream({
          streamingUrl: info!.streamingUrl!,
          token: options.token!,
          userAgent: options.userAgent,
          tags: [...tags.keys()].filter((tag) => !state(tag).streamSilent),
          connectTimeoutMs: tuning.streamConnectTimeoutMs,
          silenceTimeoutMs: tuning.streamSilenceMs,
          onMessage: onStreamMessage,
        });
        const openedAt = clock.now();
        connectFailures = 0;
        if (streamStrikes > 0) {
          streamStrikes = 0;
          for (const t of tags.values()) if (!t.streamSilent) t.status.streamRetryAt = null;
          log.info(`the stream of ${origin} opens again`);
        }
        stream = { connectedAt: openedAt, close: conn.close };
        if (!said) log.info(`streaming #${[...tags.keys()].join(', #')} from ${origin}`);
        said = true;
        setStreaming(true);
        const stop = () => conn.close();
        signal.addEventListener('abort', stop, { once: true });
        const why = await conn.closed;
        signal.removeEventListener('abort', stop);
        stream = null;
        setStreaming(false);
        if (signal.aborted || clock.now() < streamDisabledUntil) return;
        if (resubscribe) {
          resubscribe = false;
          continue; // closed on purpose, to subscribe again to a tag that was silent
        }
        // A stream that stayed up a while was healthy: start the backoff over.
        streamFailures = clock.now() - openedAt > 60_000 ? 0 : streamFailures + 1;
        const wait = backoffMs(streamFailures);
        log.warn(`${why} — polling meanwhile, reconnecting in ${Math.round(wait / 1000)} s`);
        await clock.sleep(wait, signal);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof NeedsTokenError) {
          // 401/403: the token is not good for streaming. Poll instead.
          streamDisabledUntil = clock.now() + tuning.needsTokenRetryMs;
          log.warn(`${origin} offers no usable stream (HTTP ${err.status}): polling instead`);
          return;
        }
        connectFailures++;
        // An HTTP answer (snac's 404) is final at once; a reset or timeout gets a few tries.
        const limit = streamStrikes > 0 ? 1 : tuning.streamConnectTries;
        if (err instanceof HttpError || connectFailures >= limit) {
          streamOff(err instanceof HttpError ? `HTTP ${err.status}` : (err as Error).message);
          return;
        }
        streamFailures++;
        const wait = backoffMs(streamFailures);
        log.warn(
          `${(err as Error).message} — polling meanwhile, reconnecting in ${Math.round(wait / 1000)} s`,
        );
        await clock.sleep(wait, signal);
      }
    }
  }

  function maybeStartStream(signal: AbortSignal) {
    if (streamTask || !options.token || !info?.streamingUrl || clock.now() < streamDisabledUntil)
      return;
    if ([...tags.values()].every((t) => t.streamSilent)) return;
    streamTask = streamLoop(signal).finally(() => (streamTask = null));
  }

  function recordError(tag: string | null, err: unknown) {
    answering = false;
    const message = err instanceof Error ? err.message : String(err);
    const at = nowIso();
    if (err instanceof NeedsTokenError && tag) {
      const t = state(tag);
      if (t.status.state !== 'needs-token') {
        log.warn(
          `${origin} needs an access token for the #${tag} hashtag feed (HTTP ${err.status}); following the other instances meanwhile`,
        );
      }
      t.retryAt = clock.now() + tuning.needsTokenRetryMs;
      Object.assign(t.status, {
        state: 'needs-token',
        lastError: `needs an access token (HTTP ${err.status})`,
        lastErrorAt: at,
        nextAttemptAt: new Date(t.retryAt).toISOString(),
      });
      return;
    }
    failures++;
    const wait =
      err instanceof RateLimitedError && err.resetAt
        ? Math.max(err.resetAt.getTime() - clock.now(), 0) + 1000 + Math.round(random() * 5000)
        : backoffMs(failures);
    const retryAt = clock.now() + wait;
    const kind =
      err instanceof HttpError && err.status < 500 && !(err instanceof RateLimitedError)
        ? 'error'
        : 'backing-off';
    for (const t of tags.values()) {
      if (t.status.state === 'needs-token') continue;
      t.retryAt = retryAt;
      Object.assign(t.status, {
        state: kind,
        lastError: message,
        lastErrorAt: at,
        nextAttemptAt: new Date(retryAt).toISOString(),
      });
    }
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

  return {
    status(): SourceStatus[] {
      const needs = statusReads.needs();
      return [...tags.values()].map((t) => ({ ...t.status, needs }));
    },

    async run(signal: AbortSignal): Promise<void> {
      runSignal = signal;
      while (!signal.aborted) {
        if (!info) await loadInfo(signal);
        retrySilentStreams();
        maybeStartStream(signal);
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
          // Forward first so new posts are never stuck behind a long backfill.
          if (clock.now() >= t.nextPollAt) {
            const more = await step(tag, signal, () => forward(tag, signal));
            const interval = streamLive(tag)
              ? tuning.streamCheckIntervalMs
              : options.pollIntervalMs;
            t.nextPollAt = more ? 0 : clock.now() + Math.round(interval * (0.9 + 0.2 * random()));
            busy ||= more;
          }
          if (signal.aborted || t.retryAt > clock.now()) continue;
          busy = (await step(tag, signal, () => backfillPage(tag, signal))) || busy;
        }
        if (signal.aborted) return;
        if (recheck && [...tags.values()].some((t) => t.retryAt <= clock.now()))
          await step(null, signal, () => recheck.tick(signal));
        const next = Math.min(
          ...[...tags.values()].map((t) => Math.max(t.nextPollAt, t.retryAt)),
          recheck?.nextAt() ?? Infinity,
          ...[...tags.values()].filter((t) => t.streamSilent).map((t) => t.silentRetryAt),
          streamDisabledUntil > clock.now() && options.token && !streamTask
            ? streamDisabledUntil
            : Infinity,
        );
        const wait = busy ? 0 : Math.max(0, next - clock.now());
        if (wait > 0) {
          await clock.sleep(wait, AbortSignal.any([signal, wake.signal]));
          if (wake.signal.aborted) wake = new AbortController();
        }
      }
      await streamTask;
    },
  };
}
