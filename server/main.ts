import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { type Clock } from './clock.js';
import { createCollector, type Collector } from './collector/collector.js';
import type { Config } from './config/index.js';
import { openGazetteer } from './geo/gazetteer.js';
import { createLocator } from './geo/locator.js';
import { createOnlineFallback } from './geo/fallback.js';
import { createFallbackQueue, type FallbackQueue } from './geo/fallback-queue.js';
import type { Locator } from './geo/types.js';
import { createHub } from './hub.js';
import { openDb, type Db } from './store/db.js';
import type { EventLogOptions } from './store/event-log.js';
import { createStore, type Store } from './store/store.js';
import { createTeamStore } from './store/team.js';
import { createAuditLog } from './store/audit.js';
import { createQueue } from './store/queue.js';
import { toReachStatus } from './api/reach-status.js';
import { answerParserErrors } from './api/errors.js';
import { watchForNoNetwork } from './collector/unreachable-hint.js';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  store: Store;
  collector: Collector;
  db: Db;
  close(): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Share one loaded locator between servers (tests). */
  locator?: Locator;
  /** Access tokens by instance origin. */
  tokens?: Record<string, string>;
  /** How much of the SSE event log to keep (tests make it small). */
  eventLog?: Omit<EventLogOptions, 'now'>;
}

/** Wire everything together and listen. The only place that opens the db and the port. */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { log } = options;
  const started = Date.now();
  const db = openDb(config.dbPath);
  const store = createStore(db, { eventLog: options.eventLog });
  store.ensureCampaigns(config.tags);
  // The hub follows the store's change stream: what a write changes goes out live once it commits.
  const hub = createHub(store);
  const locator = options.locator ?? createLocator(openGazetteer());
  // Off by default: only an explicit --geocoder sends post text to a third party.
  const geocoderGazetteer = config.geocoder ? openGazetteer() : null;
  const fallbackQueue: FallbackQueue | null = geocoderGazetteer
    ? createFallbackQueue({
        locator,
        gazetteer: geocoderGazetteer,
        fallback: createOnlineFallback({
          serverUrl: config.geocoderUrl,
          userAgent: config.userAgent,
          db,
          gazetteer: geocoderGazetteer,
          fetch: options.fetch,
        }),
        // Not a moderator's fix: a later edit of the post re-locates it as usual.
        setPostPlace: (uri, found) =>
          store.setGeocodedPlace(uri, found.place, found.matched, found.confidence),
        log: log.child({ module: 'geocoder' }),
        // Waiting posts are kept beside the answer cache, so a restart resumes them.
        db,
      })
    : null;
  const collector = createCollector({
    store,
    locator,
    log: log.child({ module: 'collector' }),
    instances: config.instances,
    tags: config.tags,
    userAgent: config.userAgent,
    pollIntervalMs: config.pollIntervalMs,
    backfill: config.backfill,
    tokens: { ...config.tokens, ...options.tokens },
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
    onUnplaced: fallbackQueue ? (uri, input) => fallbackQueue.enqueue(uri, input) : undefined,
    fetch: options.fetch,
    clock: options.clock,
  });
  const app = createApp({
    store,
    hub,
    tags: config.tags,
    tileUrl: config.tileUrl,
    tileAttribution: config.tileAttribution,
    sourceStatus: () => collector.status(),
    reach: () => toReachStatus(store.reach.counts(), collector.sourceKinds()),
    consent: () => collector.consentStatus(),
    log,
    locator,
    identities: config.identities,
    adminToken: config.adminToken,
    team: { team: createTeamStore(db), audit: createAuditLog(db), queue: createQueue(db) },
    rateLimit:
      config.rateLimit > 0 ? { perSecond: config.rateLimit, burst: config.rateLimit * 6 } : null,
    warm: true,
    imageOrigins: [
      ...config.instances,
      ...(config.bluesky.enabled ? config.bluesky.appViews : []),
      ...(config.tileUrl ? [new URL(config.tileUrl).origin] : []),
    ].filter((o) => o.startsWith('http:')),
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    answerParserErrors(s);
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${config.port} is already in use: choose another with --port or PORT`)
          : err,
      ),
    );
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;
  collector.start();
  const offlineHint = watchForNoNetwork(
    () => collector.status(),
    (msg) => log.warn(msg),
  );
  store.eventLog.start((err) => log.error({ err }, 'cannot prune the live event log'));
  log.info(
    `map for #${config.tags.join(', #')} at ${url} — following ${config.instances.length} instance(s): ${config.instances.join(', ')}${config.aggregators.length ? `, aggregator(s) ${config.aggregators.join(', ')}` : ''} (ready in ${Date.now() - started} ms)`,
  );

  return {
    url,
    store,
    collector,
    db,
    async close() {
      offlineHint.stop();
      await collector.stop();
      await store.eventLog.stop();
      fallbackQueue?.stop();
      geocoderGazetteer?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}
