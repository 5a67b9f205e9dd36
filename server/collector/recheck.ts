import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { SourcePost, SourcePostQueries } from '../store/source-posts.js';
import type { Store } from '../store/store.js';
import { toDurationText } from './duration.js';
import { BadResponseError, HttpError } from './errors.js';
import type { MastodonClient, RateLimit } from './mastodon-client.js';
import type { Pipeline } from './pipeline.js';
import type { StatusReads } from './status-reads.js';

/** Knobs of the delete re-check; `collector.ts` fills them from its defaults. */
export interface RecheckTuning {
  /** One re-check request this often while a round is under way; 0 = never re-check. */
  recheckIntervalMs: number;
  /** Posts per `GET /api/v1/statuses?id[]=` (Mastodon takes at most 20). */
  recheckBatch: number;
  /** On a server without that endpoint, one `GET /api/v1/statuses/:id` this often instead. */
  recheckSingleIntervalMs: number;
  /** A new round over the recent posts starts at most this often after the last one started. */
  recheckRoundMs: number;
  /** Posts written in the last this-many days are re-checked. */
  recheckDays: number;
  /** A server that could not answer a batch is offered one again after this long (it may be upgraded). */
  recheckBatchRetryMs: number;
}

export interface RecheckOptions {
  origin: string;
  client: MastodonClient;
  queries: SourcePostQueries;
  store: Store;
  pipeline: Pipeline;
  log: Logger;
  clock: Clock;
  tuning: RecheckTuning;
  /** The instance's LOCAL_DOMAIN, for `user` → `user@domain`. */
  domain(): string;
  /** Single status reads, shared with the tag-page delete check (it knows about 401s and HTML 404s). */
  statusReads: StatusReads;
  /** Run one request inside the instance's rate budget (the worker's pacing). */
  paced<T>(signal: AbortSignal, request: () => Promise<T>): Promise<T>;
  /** The rate-limit headers of an answer, for the worker's pacing. */
  onRateLimit(rateLimit: RateLimit): void;
}

export type Rechecker = ReturnType<typeof createRechecker>;

/** Batch failures in a row (5xx, garbled bodies) after which a server is asked one post at a time. */
const failuresBeforeFallback = 3;

/**
 * Notices deletes and edits on an instance we poll: walks through the posts written there in the
 * last days, a batch at a time, in rounds, and saves how far it got so a restart continues the
 * round. A post absent from a batch answer is only removed once `GET /api/v1/statuses/:id` says it
 * is gone too: Mastodon also leaves out statuses it merely hides from that list (limited accounts),
 * and a server that misreads the request would otherwise empty the map.
 */
export function createRechecker(options: RecheckOptions) {
  const { origin, client, queries, pipeline, log, clock, tuning, paced } = options;
  const enabled = tuning.recheckIntervalMs > 0;
  /** posts.id the round continues after; read from the store on first use. */
  let cursor: number | null = null;
  let roundStartedAt = 0;
  let nextAt = 0;
  /** 'yes' once a batch answer held a status we asked for; 'no' after it failed us. */
  let batch: 'unknown' | 'yes' | 'no' = 'unknown';
  let batchRetryAt = 0;
  let batchFailures = 0;
  let saidNotOffered = false;

  function save(raws: unknown[]): void {
    pipeline.save(
      pipeline.prepare(raws, {
        source: origin,
        domain: options.domain(),
        tag: null,
        isInstance: true,
      }),
    );
  }

  function remove(row: SourcePost): void {
    const changes = pipeline.deleteLocal(origin, row.localId);
    log.info(
      `a post is gone from ${origin} (local id ${row.localId}): removed${changes ? ', map updated' : ''}`,
    );
  }

  function moveCursor(afterPostId: number): void {
    if (cursor === afterPostId) return;
    pipeline.saveRecheckCursor(origin, afterPostId);
    cursor = afterPostId;
  }

  function endRound(): void {
    // A quiet instance finishes a round in a request or two: the next one waits out the round time.
    nextAt = Math.max(nextAt, roundStartedAt + tuning.recheckRoundMs);
    roundStartedAt = 0;
    moveCursor(0);
  }

  function notOffered(why: string): void {
    batch = 'no';
    batchRetryAt = clock.now() + tuning.recheckBatchRetryMs;
    batchFailures = 0;
    const line = `${origin} cannot re-check several posts at once (GET /api/v1/statuses?id[]=: ${why}); re-checking one post every ${toDurationText(tuning.recheckSingleIntervalMs)} instead`;
    if (saidNotOffered) log.debug(line);
    else log.info(line);
    saidNotOffered = true;
  }

  /** One post, the pre-4.3 way: a 404 or a 410 means it is gone. */
  async function checkOne(row: SourcePost, signal: AbortSignal): Promise<void> {
    const got = await options.statusReads.check(row.localId, signal);
    if (got.state === 'gone') return remove(row);
    if (got.state === 'there') save([got.raw]);
  }

  /** A batch of posts in one request. Returns false when the answer cannot be used (then nothing is removed). */
  async function checkBatch(rows: SourcePost[], signal: AbortSignal): Promise<boolean> {
    const ids = rows.map((r) => r.localId);
    let answer: Awaited<ReturnType<MastodonClient['statuses']>>;
    try {
      answer = await paced(signal, () => client.statuses(ids));
    } catch (err) {
      // Now and then a server has a bad moment; every time, and it is not the endpoint for us.
      if (isServerFault(err) && ++batchFailures >= failuresBeforeFallback) {
        notOffered(`failed ${batchFailures} times in a row, last ${(err as Error).message}`);
        return false;
      }
      throw err;
    }
    options.onRateLimit(answer.rateLimit);
    if (!answer.offered) {
      notOffered(answer.why);
      return false;
    }
    batchFailures = 0;
    const asked = new Set(ids);
    const returned = new Set(answer.items.map(idOf));
    if ([...returned].some((id) => id === null || !asked.has(id))) {
      notOffered('answered statuses that were not asked for');
      return false;
    }
    if (returned.size > 0 && batch !== 'yes') {
      batch = 'yes';
      log.info(
        `re-checking recent posts on ${origin} ${tuning.recheckBatch} at a time (GET /api/v1/statuses?id[]=)`,
      );
    }
    if (answer.items.length > 0) save(answer.items);
    let stillThere = 0;
    for (const row of rows) {
      if (returned.has(row.localId)) continue;
      // Absent is not yet gone: only the status's own URL can say that.
      const got = await options.statusReads.check(row.localId, signal);
      if (got.state === 'gone') {
        remove(row);
        continue;
      }
      if (got.state === 'unreadable') continue; // the tag-page check decides instead
      save([got.raw]);
      stillThere++;
      // One such post is a limited account; more of them than the answer held is a server that
      // ignores the ids, and every batch would cost as many requests as asking one at a time.
      if (stillThere >= 2 && stillThere > returned.size) {
        notOffered(`left out ${stillThere} of ${rows.length} posts that are still there`);
        return false;
      }
    }
    return true;
  }

  return {
    /** When the next re-check request is due (ms since the epoch); Infinity when re-checking is off. */
    nextAt(): number {
      return enabled ? nextAt : Infinity;
    },

    /** Re-check the next batch of recent posts (or the next post) if it is time to. */
    async tick(signal: AbortSignal): Promise<void> {
      const now = clock.now();
      if (!enabled || now < nextAt) return;
      if (batch === 'no' && now >= batchRetryAt) batch = 'unknown';
      const useBatch = batch !== 'no';
      // No batch and no single reads (snac without a token): the tag-page check is all there is.
      if (!useBatch && !options.statusReads.readable()) {
        nextAt = now + tuning.recheckSingleIntervalMs;
        return;
      }
      nextAt = now + (useBatch ? tuning.recheckIntervalMs : tuning.recheckSingleIntervalMs);
      cursor ??= options.store.recheckCursor(origin);
      if (roundStartedAt === 0) roundStartedAt = now;
      const since = new Date(now - tuning.recheckDays * 86_400_000).toISOString();
      const size = useBatch ? tuning.recheckBatch : 1;
      const rows = queries.recent(origin, since, cursor, size);
      if (rows.length === 0) return endRound();
      // Results first, then the cursor: after a crash a batch is re-checked twice, never skipped.
      const advance = () => (rows.length < size ? endRound() : moveCursor(rows.at(-1)!.postId));
      if (useBatch) {
        // An unusable answer: the same posts again at the next tick, one at a time.
        if (await checkBatch(rows, signal)) advance();
        return;
      }
      try {
        await checkOne(rows[0]!, signal);
      } catch (err) {
        // One post the server fails to show must not stall the round: it is re-checked next round.
        if (!signal.aborted) advance();
        throw err;
      }
      advance();
    },
  };
}

function idOf(item: unknown): string | null {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

/** 5xx and bodies that are not JSON: the server's fault, not the network's, a token's or the budget's. */
function isServerFault(err: unknown): boolean {
  return err instanceof BadResponseError || (err instanceof HttpError && err.status >= 500);
}
