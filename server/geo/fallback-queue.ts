import type Database from 'better-sqlite3';
import { locateWithFallback } from './fallback.js';
import type { OnlineFallback } from './fallback.js';
import type { Gazetteer } from './gazetteer.js';
import type { LocateInput, Located, Locator } from './types.js';

/** What the queue needs from the store (structural, so tests can pass fakes). */
export interface FallbackQueueOptions {
  locator: Locator;
  gazetteer: Gazetteer;
  fallback: OnlineFallback;
  /** Pins a still unplaced post and recomputes its author's contributor (the store publishes what changed). */
  setPostPlace(uri: string, located: Located): unknown;
  /** Whether a moderator (or an earlier answer) already placed the post: such posts are left alone. */
  isPlaced?: (uri: string) => boolean;
  log?: { warn(msg: string): void; info?(msg: string): void };
  /**
   * Keeps the waiting posts (table geocode_queue, made by the store's migration 8: a database
   * opened by openDb), so a restart or a long backlog loses none.
   * Without it the queue lives in memory and drops posts beyond maxPending.
   */
  db?: Database.Database;
  /** Posts held in memory at once; with a db the rest wait in it, without one they are dropped. */
  maxPending?: number;
  /** Wall clock, for waiting out a geocoder that said 429. */
  now?: () => number;
}

/** Posts the gazetteer could not place, asked of the online fallback one at a time, off the ingest path. */
export interface FallbackQueue {
  /** Queue a post by uri; ignored when already queued (or, without a db, when the queue is full). */
  enqueue(uri: string, input: LocateInput): void;
  /** Resolves when everything queued so far has been answered. */
  idle(): Promise<void>;
  /** Stop taking posts; those in memory are dropped, those in the db wait for the next start. */
  stop(): void;
  /** Posts waiting (in memory and in the db). */
  readonly pending: number;
}

const defaults = {
  maxPending: 1000, // about 17 minutes of Nominatim at 1 request/s
};

/**
 * A FIFO of unplaced posts drained through locateWithFallback; answers are applied via setPostPlace.
 *
 * With a db every post is written to geocode_queue when queued and removed once answered, so the
 * queue survives a restart (it resumes on the next start) and a backlog beyond maxPending waits
 * on disk instead of being dropped. An answer the geocoder could not give because it is
 * rate-limited (429/503) is not an answer: the post stays and is asked again once the wait is over.
 */
export function createFallbackQueue(opts: FallbackQueueOptions): FallbackQueue {
  const maxPending = opts.maxPending ?? defaults.maxPending;
  const now = opts.now ?? Date.now;
  const queued = new Map<string, LocateInput>();
  let running: Promise<void> | null = null;
  let stopped = false;

  const stmt = opts.db ? prepare(opts.db) : null;

  /** Move the oldest waiting posts from the db into memory. */
  function refill(): void {
    if (!stmt) return;
    const rows = stmt.oldest.all(maxPending) as { uri: string; input: string }[];
    for (const r of rows) {
      if (queued.size >= maxPending) break;
      try {
        queued.set(r.uri, JSON.parse(r.input) as LocateInput);
      } catch {
        stmt.remove.run(r.uri); // written by an older version in another shape: nothing to ask
      }
    }
  }

  function done(uri: string): void {
    queued.delete(uri);
    stmt?.remove.run(uri);
  }

  async function drain(): Promise<void> {
    while (!stopped) {
      if (queued.size === 0) refill();
      if (queued.size === 0) break;
      const [uri, input] = queued.entries().next().value as [string, LocateInput];
      try {
        if (opts.isPlaced?.(uri)) {
          done(uri);
          continue;
        }
        const found = await locateWithFallback(opts.locator, opts.gazetteer, opts.fallback, input);
        if (stopped) break;
        const wait = opts.fallback.blockedUntil - now();
        if (!found && wait > 0) {
          // Rate-limited, not "no such place": keep the post and ask again after the wait.
          await new Promise((r) => setTimeout(r, Math.min(wait, 60_000)).unref?.());
          continue;
        }
        done(uri);
        if (!found || opts.isPlaced?.(uri)) continue;
        opts.setPostPlace(uri, found);
      } catch (err) {
        // A store error (disk full, post deleted meanwhile) must not stop the queue.
        done(uri);
        opts.log?.warn(`online geocoder: could not place ${uri}: ${(err as Error).message}`);
      }
    }
    running = null;
  }

  if (stmt) {
    const waiting = stmt.count.get() as { n: number };
    if (waiting.n > 0) {
      opts.log?.info?.(`online geocoder: ${waiting.n} posts still waiting from before, resuming`);
      running = drain();
    }
  }

  return {
    get pending() {
      if (!stmt) return queued.size;
      const waiting = (stmt.count.get() as { n: number }).n;
      return Math.max(waiting, queued.size);
    },
    enqueue(uri, input) {
      if (stopped || queued.has(uri) || opts.isPlaced?.(uri)) return;
      if (stmt) stmt.add.run(uri, JSON.stringify(input), new Date(now()).toISOString());
      else if (queued.size >= maxPending) return;
      if (queued.size < maxPending) queued.set(uri, input);
      running ??= drain();
    },
    async idle() {
      while (running) await running;
    },
    stop() {
      stopped = true;
      queued.clear();
    },
  };
}

/** Statements on geocode_queue (made by migration 8, server/store/migrations.ts). */
function prepare(db: Database.Database) {
  return {
    add: db.prepare('INSERT OR IGNORE INTO geocode_queue (uri, input, queued_at) VALUES (?, ?, ?)'),
    remove: db.prepare('DELETE FROM geocode_queue WHERE uri = ?'),
    oldest: db.prepare('SELECT uri, input FROM geocode_queue ORDER BY queued_at, uri LIMIT ?'),
    count: db.prepare('SELECT count(*) AS n FROM geocode_queue'),
  };
}
