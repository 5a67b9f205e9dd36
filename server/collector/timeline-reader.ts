import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { SourcePostQueries } from '../store/source-posts.js';
import type { Store } from '../store/store.js';
import type { Pipeline } from './pipeline.js';

/**
 * What every source that reads tag timelines into the pipeline (an instance worker, an
 * aggregator) is given by the collector, besides its own address, token and tuning: one list, so
 * the collector builds it once and the two option types cannot drift apart.
 */
export interface TimelineReaderDeps {
  tags: string[];
  userAgent: string;
  /** How far back the first start reads, per tag: whichever limit comes first. */
  backfill: { posts: number; days: number };
  store: Store;
  sourcePosts: SourcePostQueries | null;
  pipeline: Pipeline;
  log: Logger;
  clock: Clock;
  random: () => number;
  fetch?: typeof fetch;
}
