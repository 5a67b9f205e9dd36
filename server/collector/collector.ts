import type { Logger } from 'pino';
import type { SourceKind, SourceStatus } from '../../shared/types.js';
import type { Locator } from '../geo/types.js';
import type { SourcePostQueries } from '../store/source-posts.js';
import type { Store } from '../store/store.js';
import { type Clock, systemClock } from '../clock.js';
import { createAggregatorSource, type AggregatorTuning } from './aggregator-source.js';
import { createBluesky, jetstreamSource, type BlueskyOptions } from './bluesky/index.js';
import { createInstanceWorker, type WorkerTuning } from './instance-worker.js';
import type { ConsentStore } from '../store/consent-store.js';
import { createConsentChecker, type ConsentTuning } from './consent-checker.js';
import { createHostResolver } from './host-resolver.js';
import { createPipeline } from './pipeline.js';
import type { PipelineOptions } from './pipeline.js';
import { createRelaySource } from './relay-source.js';
import type { TimelineReaderDeps } from './timeline-reader.js';

export interface CollectorOptions {
  store: Store;
  locator: Locator;
  log: Logger;
  /** Instance origins. */
  instances: string[];
  /** Campaign tags, lower case. */
  tags: string[];
  userAgent: string;
  /** Wait after a round in which every tag was caught up. */
  pollIntervalMs: number;
  /** Access tokens by instance origin or relay URL (never logged). A token turns on streaming. */
  tokens?: Record<string, string>;
  /** SSE firehose URLs (all public posts, Mastodon event format), filtered by hashtag here. */
  relays?: string[];
  /** Tag-search aggregator origins (only `GET /api/v1/timelines/tag/:tag`, e.g. https://fedi.buzz). */
  aggregators?: string[];
  /** Override an aggregator's schedule (tests). */
  aggregatorTuning?: Partial<AggregatorTuning>;
  /** How far back to read on first start, per instance and tag: whichever limit comes first. */
  backfill?: { posts: number; days: number };
  /** Require `discoverable !== false` as well. */
  strictConsent?: boolean;
  /** Consent per author and the posts waiting for it (migration 7). */
  consentStore: ConsentStore;
  /** `--resolve HOST=URL`: where a host is really reached (split domains, tests). */
  resolve?: Record<string, string>;
  /** TTL, unreachable window and policy, pace… of the consent look-ups (docs/consent.md). */
  consentTuning?: Partial<ConsentTuning>;
  /** Posts the locator could not place, after they are saved (the online geocoder's queue). */
  onUnplaced?: PipelineOptions['onUnplaced'];
  /** Queries for the delete re-check and snac's overlap; without them both are off. */
  sourcePosts?: SourcePostQueries;
  /** Bluesky, the second network (collector/bluesky/): off when absent. */
  bluesky?: Pick<
    BlueskyOptions,
    | 'jetstreams'
    | 'appViews'
    | 'jetstreamTuning'
    | 'profileTuning'
    | 'appViewTimeoutMs'
    | 'login'
    | 'pds'
  >;
  /** Override scheduling knobs (tests, benchmarks). */
  tuning?: Partial<WorkerTuning>;
  fetch?: typeof fetch;
  clock?: Clock;
  /** 0..1, for jitter; injectable so tests are repeatable. */
  random?: () => number;
}

export type Collector = ReturnType<typeof createCollector>;

const defaults: WorkerTuning = {
  pageLimit: 40, // Mastodon's maximum page size
  minBackoffMs: 2_000, // first retry after a failure
  maxBackoffMs: 10 * 60_000, // never wait longer than this between retries
  needsTokenRetryMs: 30 * 60_000, // an instance that wants a token rarely changes its mind
  rateLimitReserve: 0.1, // keep 10% of the bucket for restarts and humans sharing our IP
  budget: { requests: 300, windowMs: 15 * 60_000 }, // Mastodon's paging bucket, for servers that send no headers
  streamCheckIntervalMs: 5 * 60_000, // 12 polls an hour per tag while streaming: notices a silent stream
  streamSilenceMs: 90_000, // Mastodon pings every 15-30 s; three missed pings is a dead connection
  streamConnectTimeoutMs: 15_000, // the same deadline as a REST request
  streamSubscribeSettleMs: 2_000, // a subscription takes effect in a Redis round trip (ms); the catch-up read waits well past it
  silentStreamRetryMs: 15 * 60_000, // a silent hashtag stream (GoToSocial) is tried again after 15 min, 30, 60…
  silentStreamRetryMaxMs: 4 * 3600_000, // …and at least every 4 h: a fixed or upgraded server is noticed the same day
  failedStreamRetryMs: 15 * 60_000, // an advertised stream that cannot be opened (snac has none) is off 15 min, 30, 60…
  failedStreamRetryMaxMs: 4 * 3600_000, // …at most 4 h, polling meanwhile: a server that gains streaming is noticed the same day
  streamConnectTries: 3, // connection failures in a row (with the usual backoff) before it is switched off
  recheckIntervalMs: 10_000, // one re-check request per 10 s at most: ≤ 360 an hour, 30 of the 300 per 5 min of the non-paging bucket
  recheckBatch: 20, // Mastodon ≥ 4.3 answers up to 20 ids per GET /api/v1/statuses: 500 recent posts in 25 requests, about 4 min
  recheckSingleIntervalMs: 30_000, // without that endpoint, one GET /api/v1/statuses/:id per 30 s (small servers: snac)
  recheckRoundMs: 2 * 60_000, // a quiet instance's round takes a request or two: start the next one no sooner than 2 min after
  recheckDays: 7, // deletes happen soon after posting; older posts are re-read only by new polls
  recheckBatchRetryMs: 24 * 3600_000, // a server that could not answer a batch is asked again a day later (upgrades happen)
  progressLogMs: 2_000, // a readable progress line, not one per page
};
const aggregatorDefaults: AggregatorTuning = {
  pollIntervalMs: 60_000, // replaced by twice the instance poll interval: a shared third-party service, half the pace
  pageLimit: 40, // Mastodon's maximum; an aggregator may send fewer
  slowMs: 5_000, // an answer slower than 5 s is a service under load…
  slowDelayStepMs: 5_000, // …so wait 5 s more before each request, 10, 20…
  slowDelayMaxMs: 10 * 60_000, // …at most 10 min; each fast answer halves it
  gapStepMs: 100, // Fediwall: the n-th request of a round waits up to n × 100 ms at random…
  gapMaxMs: 500, // …at most 500 ms
  gapPages: 4, // a full page of posts never seen: up to 4 older pages (160 posts) in the same round
  needsTokenRetryMs: 30 * 60_000, // as for an instance
  timeoutMs: 15_000, // the same deadline as an instance request; a timeout counts as slow
};
const backfillDefaults = { posts: 2000, days: 365 }; // a campaign's first year, at most 50 pages per instance and tag

/** Follows every campaign tag on every instance, relay and aggregator, forever, without crashing the server. */
export function createCollector(options: CollectorOptions) {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const tuning = { ...defaults, ...options.tuning };
  const resolver = createHostResolver(options.resolve);
  const checker = createConsentChecker({
    consent: options.consentStore,
    resolver,
    userAgent: options.userAgent,
    log: options.log,
    clock,
    random,
    fetch: options.fetch,
    strict: options.strictConsent ?? false,
    tuning: options.consentTuning,
    onKnown: (acct) => pipeline.release(acct),
    onRefused: (acct) => pipeline.refuse(acct),
  });
  const pipeline = createPipeline({
    consent: {
      store: options.consentStore,
      resolver,
      recordHomeCopy: checker.recordHomeCopy,
      ask: checker.ask,
    },
    store: options.store,
    locator: options.locator,
    log: options.log,
    tags: options.tags,
    strictConsent: options.strictConsent ?? false,
    clock,
    onUnplaced: options.onUnplaced,
  });
  // What the instance workers and the aggregators both read timelines with.
  const timelineReader: TimelineReaderDeps = {
    tags: options.tags,
    userAgent: options.userAgent,
    backfill: options.backfill ?? backfillDefaults,
    store: options.store,
    sourcePosts: options.sourcePosts ?? null,
    pipeline,
    log: options.log,
    clock,
    random,
    fetch: options.fetch,
  };
  const workers = options.instances.map((origin) =>
    createInstanceWorker({
      ...timelineReader,
      origin,
      token: options.tokens?.[origin] ?? null,
      pollIntervalMs: options.pollIntervalMs,
      tuning,
    }),
  );
  const relays = (options.relays ?? []).map((url) =>
    createRelaySource({
      url,
      tags: options.tags,
      userAgent: options.userAgent,
      token: options.tokens?.[url] ?? options.tokens?.[new URL(url).origin] ?? null,
      pipeline,
      log: options.log,
      clock,
      random,
      fetch: options.fetch,
      tuning: {
        connectTimeoutMs: tuning.streamConnectTimeoutMs,
        silenceMs: tuning.streamSilenceMs,
        minBackoffMs: tuning.minBackoffMs,
        maxBackoffMs: tuning.maxBackoffMs,
        needsTokenRetryMs: tuning.needsTokenRetryMs,
      },
    }),
  );
  // Its own schedule: half the pace of an instance (60 s with the default 30 s poll interval).
  const aggregatorTuning = {
    ...aggregatorDefaults,
    pollIntervalMs: 2 * options.pollIntervalMs,
    ...options.aggregatorTuning,
  };
  const aggregators = (options.aggregators ?? []).map((url) =>
    createAggregatorSource({
      ...timelineReader,
      url,
      token: options.tokens?.[url] ?? null,
      tuning: aggregatorTuning,
    }),
  );
  const bluesky = options.bluesky
    ? createBluesky({
        ...options.bluesky,
        tags: options.tags,
        userAgent: options.userAgent,
        store: options.store,
        consentStore: options.consentStore,
        resolver,
        locator: options.locator,
        log: options.log,
        clock,
        fetch: options.fetch,
        onUnplaced: options.onUnplaced,
        backfill: options.backfill ?? backfillDefaults,
      })
    : null;
  const sources = [...workers, ...relays, ...aggregators, ...(bluesky ? [bluesky] : [])];
  // The key each source writes in post_sources, and what kind it is: for the reach counts.
  const kinds = new Map<string, SourceKind>([
    ...options.instances.map((o) => [o, 'instance'] as const),
    ...(options.relays ?? []).map((u) => [u, 'relay'] as const),
    ...(options.aggregators ?? []).map((u) => [u, 'aggregator'] as const),
    ...(bluesky ? [[jetstreamSource, 'jetstream'] as const] : []),
  ]);
  let abort: AbortController | null = null;
  let running: Promise<void>[] = [];

  return {
    /** Start every source; returns at once. */
    start(): void {
      if (abort) return;
      abort = new AbortController();
      const signal = abort.signal;
      running = [...sources, checker].map((s) =>
        s.run(signal).catch((err: unknown) => {
          // A bug in one source must not take the server down; the others keep going.
          options.log.error({ err }, `a collector source stopped: ${(err as Error).message}`);
        }),
      );
    },
    /** Stop and wait for in-flight requests and streams to settle. */
    async stop(): Promise<void> {
      abort?.abort();
      abort = null;
      await Promise.allSettled(running);
    },
    status(): SourceStatus[] {
      return sources.flatMap((s) => s.status());
    },
    /** Consent look-ups: counts, waiting authors per home, the policy (/api/status). */
    consentStatus() {
      return checker.status();
    },
    /** Every configured source by its `post_sources` key, in configuration order. */
    sourceKinds(): Map<string, SourceKind> {
      return new Map(kinds);
    },
  };
}
