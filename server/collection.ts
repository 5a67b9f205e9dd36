import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { createCollector, type Collector } from './collector/collector.js';
import type { Config } from './config/index.js';
import { createOnlineFallback } from './geo/fallback.js';
import { createFallbackQueue, type FallbackQueue } from './geo/fallback-queue.js';
import type { Gazetteer } from './geo/gazetteer.js';
import type { Locator } from './geo/types.js';
import type { Db } from './store/db.js';
import type { Store } from './store/store.js';

export interface CollectionDeps {
  store: Store;
  db: Db;
  locator: Locator;
  log: Logger;
  /** The online geocoder's gazetteer, or null when --geocoder is off. */
  geocoderGazetteer: Gazetteer | null;
  tokens: Record<string, string>;
  fetch?: typeof fetch;
  clock?: Clock;
}

/**
 * Everything only one process may do at a time: the collector (every source) and the online
 * geocoder's queue, which resumes its waiting posts when it starts. `start` makes them afresh
 * each time this process takes the collector lease, `stop` ends them when it lets go; between
 * the two, the sources resume from the cursors saved with the posts.
 */
export function createCollection(config: Config, deps: CollectionDeps) {
  const { store, log } = deps;
  let current: { collector: Collector; queue: FallbackQueue | null } | null = null;
  let stopping: Promise<void> = Promise.resolve();

  function make(withQueue: boolean): { collector: Collector; queue: FallbackQueue | null } {
    const gazetteer = withQueue ? deps.geocoderGazetteer : null;
    const queue = gazetteer
      ? createFallbackQueue({
          locator: deps.locator,
          gazetteer,
          fallback: createOnlineFallback({
            serverUrl: config.geocoderUrl,
            userAgent: config.userAgent,
            db: deps.db,
            gazetteer,
            fetch: deps.fetch,
          }),
          // Not a moderator's fix: a later edit of the post re-locates it as usual.
          setPostPlace: (uri, found) =>
            store.setGeocodedPlace(uri, found.place, found.matched, found.confidence),
          log: log.child({ module: 'geocoder' }),
          // Waiting posts are kept beside the answer cache, so a restart resumes them.
          db: deps.db,
        })
      : null;
    const collector = createCollector({
      store,
      locator: deps.locator,
      log: log.child({ module: 'collector' }),
      instances: config.instances,
      tags: config.tags,
      userAgent: config.userAgent,
      pollIntervalMs: config.pollIntervalMs,
      backfill: config.backfill,
      tokens: deps.tokens,
      relays: config.relays,
      aggregators: config.aggregators,
      strictConsent: config.strictConsent,
      consentStore: store.consent,
      resolve: config.resolve,
      consentTuning: {
        ttlMs: config.consent.ttlMs,
        unreachableMs: config.consent.unreachableAfterMs,
        unreachablePolicy: config.consent.unreachable,
        paceMs: config.consent.paceMs,
      },
      sourcePosts: store.sourcePosts,
      bluesky: config.bluesky.enabled
        ? {
            jetstreams: config.bluesky.jetstreams,
            appViews: config.bluesky.appViews,
            login: config.bluesky.login,
            pds: config.bluesky.pds,
          }
        : undefined,
      onUnplaced: queue ? (uri, input) => queue.enqueue(uri, input) : undefined,
      fetch: deps.fetch,
      clock: deps.clock,
    });
    return { collector, queue };
  }

  // Never started: what the configuration names, for /api/status while another process collects.
  const idle = make(false).collector;

  return {
    /** Start collecting (once the previous run, if any, has wound down); returns at once. */
    start(): void {
      if (current) return;
      const next = make(true);
      current = next;
      void stopping.then(() => {
        if (current === next) next.collector.start();
      });
    },

    /** Stop collecting and wait for in-flight requests and streams to settle. */
    stop(): Promise<void> {
      const was = current;
      current = null;
      if (was) {
        was.queue?.stop();
        // A stop that fails must not keep every later start waiting on a rejected promise.
        stopping = stopping
          .then(() => was.collector.stop())
          .catch((err: unknown) => log.error({ err }, 'collector did not stop cleanly'));
      }
      return stopping;
    },

    /** Whether this process collects now. */
    collecting: () => current !== null,

    /** The sources' status while this process collects; none while another does. */
    status: () => current?.collector.status() ?? [],
    consentStatus: () => (current?.collector ?? idle).consentStatus(),
    sourceKinds: () => idle.sourceKinds(),
  };
}

export type Collection = ReturnType<typeof createCollection>;
