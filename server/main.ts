import { createServer, type Server, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { readlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { type Clock } from './clock.js';
import { createCollection, type Collection } from './collection.js';
import type { Config } from './config/index.js';
import type { SourceStatus } from '../shared/types.js';
import { openGazetteer } from './geo/gazetteer.js';
import { createLocator } from './geo/locator.js';
import type { Locator } from './geo/types.js';
import { createHub } from './hub.js';
import { keepLease, type LeaseKeeperOptions } from './lease-keeper.js';
import { openDb, type Db } from './store/db.js';
import type { EventLogOptions } from './store/event-log.js';
import { createStore, type Store } from './store/store.js';
import { createTeamStore } from './store/team.js';
import { createAuditLog } from './store/audit.js';
import { createQueue } from './store/queue.js';
import { toReachStatus } from './api/reach-status.js';
import { answerParserErrors } from './api/errors.js';
import { watchForNoNetwork } from './collector/unreachable-hint.js';

/** The lease the collecting process holds: one for every source (docs/architecture.md). */
export const COLLECTOR_LEASE = 'collector';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  store: Store;
  /** The collector and the geocoder's queue, running while this process holds the lease. */
  collection: Collection;
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
  /** The collector lease's length and renewal (tests make them short). */
  lease?: LeaseKeeperOptions;
}

/**
 * Wire everything together and listen. The only place that opens the db and the port. The role
 * says what this process does beside others on the same database: serve the map (`serve`),
 * collect while it holds the collector lease (`collect`, with only /healthz on the port), or both
 * (`all`, the default: one process alone does everything).
 */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { log } = options;
  const started = Date.now();
  const serving = config.role !== 'collect';
  const collecting = config.role !== 'serve';
  const db = openDb(config.dbPath);
  const store = createStore(db, { eventLog: options.eventLog });
  store.ensureCampaigns(config.tags);
  // Other processes' writes reach this one's maps (SSE clients and the map model) too.
  const unfollow = serving
    ? store.followOthers((err) => log.error({ err }, 'cannot read the live event log'))
    : () => {};
  const locator = options.locator ?? createLocator(openGazetteer());
  // Off by default: only an explicit --geocoder sends post text to a third party.
  const geocoderGazetteer = config.geocoder && collecting ? openGazetteer() : null;
  const collection = createCollection(config, {
    store,
    db,
    locator,
    log,
    geocoderGazetteer,
    tokens: { ...config.tokens, ...options.tokens },
    fetch: options.fetch,
    clock: options.clock,
  });
  const app = serving ? mapApp(config, { store, db, log, locator, collection }) : null;

  const server: Server = await new Promise((resolve, reject) => {
    const s = app
      ? app.listen(config.port, config.host, () => resolve(s))
      : createServer((req, res) => healthOnly(req.url, res, collection)).listen(
          config.port,
          config.host,
          () => resolve(s),
        );
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
  const holder = `${machineId()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const lease = collecting
    ? keepLease(
        {
          leases: store.leases,
          name: COLLECTOR_LEASE,
          holder,
          onGain: () => {
            log.info(`collecting: this process (${holder}) holds the collector lease`);
            collection.start();
          },
          onLose: async (why) => {
            if (why === 'lost')
              log.warn(
                `no longer collecting: another process took the collector lease from ${holder}`,
              );
            await collection.stop();
          },
          onError: (err) => log.error({ err }, 'cannot renew the collector lease'),
          isDead: deadHere,
          // The others show these in /api/status: a viewer's status line is the same on every server.
          detail: () => JSON.stringify(collection.status()),
        },
        options.lease,
      )
    : null;
  const offlineHint = watchForNoNetwork(
    () => collection.status(),
    (msg) => log.warn(msg),
  );
  store.eventLog.start((err) => log.error({ err }, 'cannot prune the live event log'));
  const sources = `${config.instances.length} instance(s): ${config.instances.join(', ')}${config.aggregators.length ? `, aggregator(s) ${config.aggregators.join(', ')}` : ''}`;
  const ready = `(ready in ${Date.now() - started} ms)`;
  log.info(
    serving
      ? `map for #${config.tags.join(', #')} at ${url} — ${collecting ? 'following' : 'serving only (role serve), another process follows'} ${sources} ${ready}`
      : `collector for #${config.tags.join(', #')} (role collect, health at ${url}/healthz) — following ${sources} ${ready}`,
  );

  return {
    url,
    store,
    collection,
    db,
    async close() {
      offlineHint.stop();
      await lease?.stop();
      await collection.stop();
      unfollow();
      await store.eventLog.stop();
      geocoderGazetteer?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}

/** The map's Express app: pages, API, live events. */
function mapApp(
  config: Config,
  deps: { store: Store; db: Db; log: Logger; locator: Locator; collection: Collection },
): Express {
  const { store, db, log, locator, collection } = deps;
  // The hub follows the store's change stream: what a write changes goes out live once it commits.
  const hub = createHub(store);
  return createApp({
    store,
    hub,
    tags: config.tags,
    tileUrl: config.tileUrl,
    tileAttribution: config.tileAttribution,
    sourceStatus: () =>
      collection.collecting()
        ? collection.status()
        : collectorsStatus(store.leases.holder(COLLECTOR_LEASE)),
    reach: () => toReachStatus(store.reach.counts(), collection.sourceKinds()),
    consent: () => collection.consentStatus(),
    health: () => ({ role: config.role, collecting: collection.collecting() }),
    trustProxy: config.trustProxy,
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
}

/** The collecting process's sources' status, as it last renewed its lease (none when nobody collects). */
function collectorsStatus(
  lease: { expiresAt: number; detail: string | null } | null,
): SourceStatus[] {
  if (!lease?.detail || lease.expiresAt < Date.now()) return [];
  try {
    return JSON.parse(lease.detail) as SourceStatus[];
  } catch {
    return [];
  }
}

/**
 * This machine's name and, where Linux says it, its process-id namespace: two containers that
 * share a host name and a database file but not their pids must not judge each other's pids.
 */
function machineId(): string {
  try {
    const ns = readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');
    return ns ? `${hostname()}/${ns}` : hostname();
  } catch {
    return hostname();
  }
}

/**
 * Whether a lease holder (`host:pid:random`) is a process of this machine that no longer runs:
 * its lease can be taken at once. A pid reused since only makes the taker wait for the expiry.
 */
function deadHere(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== machineId() || !/^\d+$/.test(pid ?? '') || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A collect-only process answers /healthz (for the balancer's and the operator's checks) and nothing else. */
function healthOnly(url: string | undefined, res: ServerResponse, collection: Collection): void {
  const ok = url === '/healthz' || url?.startsWith('/healthz?');
  res.writeHead(ok ? 200 : 404, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(
    JSON.stringify(
      ok
        ? { ok: true, role: 'collect', collecting: collection.collecting() }
        : { error: `a collect-only process serves /healthz alone, not ${url}` },
    ),
  );
}
