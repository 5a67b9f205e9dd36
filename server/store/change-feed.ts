import type { OwnWrites, StoreChange } from './changes.js';
import type { Db } from './db.js';
import type { EventLog } from './event-log.js';

/**
 * The writes other processes make to the same database, told on this process's change stream
 * (`store.onChange`) as if they were its own, so the hub's SSE clients and the map model follow
 * every change made anywhere. Changes are told in event-id order, this process's own writes
 * included (the change stream asks the feed to catch up before telling one of its own), and
 * each once: an event this process wrote is never told again when the feed reads it back.
 *
 * Events pruned before the feed read them (it was stopped, or the writer outran it past the
 * log's cap) cannot be told: the feed then jumps to the newest id and tells one change with
 * `reload` set, on which everything kept up by the stream reads its state again from the database.
 * The prune mark (`events_pruned`) tells that loss from a mere gap in ids, which is no loss.
 *
 * The seam a second store plugs into: SQLite follows the event log by id on a timer, woken by
 * `PRAGMA data_version`; PostgreSQL would do the same on a `LISTEN` notification.
 */
export interface ChangeFeed extends OwnWrites {
  /**
   * Follow other processes' writes from now until `stop()`; a failed read goes to onError and the
   * next look tries again.
   */
  start(onError: (err: unknown) => void): void;
  stop(): void;
  /** Tell now, in order, every change committed elsewhere with an id below `beforeId` (all by default). */
  catchUp(beforeId?: number): void;
  /** The newest event id this process has told (its own or followed). */
  position(): number;
}

export interface ChangeFeedOptions {
  /** How often the event log is looked at for other processes' writes (ms). */
  intervalMs?: number;
  /** Events read per query; a longer backlog takes several queries, told in one change each. */
  batchSize?: number;
}

const defaults = {
  // A write made elsewhere reaches this process's maps within this; the look costs one PRAGMA
  // (no query at all when nobody else committed), ~15 µs: 0.01% of a core.
  intervalMs: 150,
  batchSize: 1000, // ~1 MB of events at most per read; a backlog is read in turns, in order
};

/** The SQLite change feed: follows the `events` table by id, every `intervalMs`. */
export function createSqliteChangeFeed(
  db: Db,
  deps: {
    eventLog: Pick<EventLog, 'between' | 'newestId' | 'prunedThrough'>;
    /** The change stream's way out (`changes.tell`). */
    tell: (change: StoreChange) => void;
  },
  options: ChangeFeedOptions = {},
): ChangeFeed {
  const intervalMs = options.intervalMs ?? defaults.intervalMs;
  const batchSize = options.batchSize ?? defaults.batchSize;
  let cursor = 0;
  const version = db.prepare('PRAGMA data_version').pluck();
  const dataVersion = () => version.get() as number;
  let seenVersion = 0;
  let timer: NodeJS.Timeout | null = null;

  /** Events after the cursor were pruned unread: stand at the newest and have the listeners reload. */
  function lost(beforeId: number): void {
    cursor = Math.min(deps.eventLog.newestId(), beforeId - 1);
    deps.tell({ events: [], contributors: [], reload: cursor });
  }

  function catchUp(beforeId = Number.MAX_SAFE_INTEGER): void {
    for (;;) {
      const logged = deps.eventLog.between(cursor, beforeId, batchSize);
      // The mark is read after the events: a prune that came between costs a needless reload, never a miss.
      if (Math.min(deps.eventLog.prunedThrough(), beforeId - 1) > cursor) {
        lost(beforeId);
        continue;
      }
      if (logged.length === 0) return;
      // Move on before telling: a listener that throws must not get the same events again.
      cursor = logged.at(-1)!.event.id;
      const change: StoreChange = { events: [], contributors: [] };
      for (const { event, move } of logged) {
        change.events.push(event);
        if (move) change.contributors.push(move);
      }
      deps.tell(change);
      if (logged.length < batchSize) return;
    }
  }

  return {
    start(onError) {
      if (timer) return;
      // Everything logged before the feed starts is already in what this process reads from the db.
      seenVersion = dataVersion();
      cursor = deps.eventLog.newestId();
      timer = setInterval(() => {
        try {
          // data_version moves only when another connection commits: most looks read nothing.
          const version = dataVersion();
          if (version === seenVersion) return;
          catchUp();
          seenVersion = version; // only once read: a failed batch is tried again at the next look
        } catch (err) {
          onError(err);
        }
      }, intervalMs).unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    catchUp,
    advance(throughId) {
      cursor = Math.max(cursor, throughId);
    },
    position: () => cursor,
  };
}
