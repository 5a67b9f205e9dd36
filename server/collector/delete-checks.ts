import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { SourcePostQueries } from '../store/source-posts.js';
import type { Store } from '../store/store.js';
import type { MastodonClient } from './mastodon-client.js';
import type { Pipeline } from './pipeline.js';
import type { RateBudget } from './rate-budget.js';
import { createRechecker, type RecheckTuning } from './recheck.js';
import { createStatusReads } from './status-reads.js';
import { createTagPageDeletes } from './tag-page-deletes.js';

export interface DeleteChecksOptions {
  origin: string;
  client: MastodonClient;
  /** Where the posts read from this instance are kept; null: no delete checks at all. */
  sourcePosts: SourcePostQueries | null;
  store: Store;
  pipeline: Pipeline;
  log: Logger;
  clock: Clock;
  tuning: RecheckTuning;
  hasToken: boolean;
  /** The instance's LOCAL_DOMAIN, for `user` → `user@domain`. */
  domain(): string;
  /** Whether the last tag timeline read was a JSON answer: an HTML 404 then means "gone". */
  answering(): boolean;
  /** The instance's request budget: the checks' requests are paced with the rest. */
  budget: RateBudget;
}

/**
 * How an instance's deletes and edits are noticed: the scheduled re-check of recent posts in
 * rounds (recheck.ts), the check of a re-read newest page (tag-page-deletes.ts, snac), and the
 * single status reads both share (status-reads.ts).
 */
export function createDeleteChecks(options: DeleteChecksOptions) {
  const { origin, client, sourcePosts, store, pipeline, log, clock, tuning, budget } = options;
  const domain = options.domain;

  function saveStatuses(raws: unknown[]) {
    pipeline.save(
      pipeline.prepare(raws, { source: origin, domain: domain(), tag: null, isInstance: true }),
    );
  }

  const statusReads = createStatusReads({
    origin,
    client,
    log,
    clock,
    hasToken: options.hasToken,
    retryMs: tuning.recheckBatchRetryMs,
    answering: options.answering,
    paced: budget.paced,
    onRateLimit: budget.record,
  });

  const tagPageDeletes = sourcePosts
    ? createTagPageDeletes({
        origin,
        queries: sourcePosts,
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

  const recheck = sourcePosts
    ? createRechecker({
        origin,
        client,
        queries: sourcePosts,
        store,
        pipeline,
        log,
        clock,
        tuning,
        domain,
        statusReads,
        paced: budget.paced,
        onRateLimit: budget.record,
      })
    : null;

  return { statusReads, tagPageDeletes, recheck };
}
