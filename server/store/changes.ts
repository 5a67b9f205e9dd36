import type { Db } from './db.js';
import type { EventLog, StoredEvent } from './event-log.js';
import type { LiveEventMap } from '../../shared/types.js';

import type { ContributorChange } from './contributor-change.js';

export type { ContributorChange };

/** What one committed write changed. */
export interface StoreChange {
  /** The live events it logged, oldest first: what open maps are sent. */
  events: StoredEvent[];
  /** The contributors who appeared, moved or left: what the map model counts. */
  contributors: ContributorChange[];
  /**
   * Set when changes were lost that can no longer be told (another process's events, pruned
   * before this process's feed read them): whatever the stream keeps up must be read again from
   * the database, as a fresh process reads it. The event id the stream stands at afterwards.
   */
  reload?: number;
}

export type ChangeListener = (change: StoreChange) => void;

/**
 * What the change stream asks of the change feed (`change-feed.ts`) around each of this
 * process's own writes, so every listener hears every change in event-id order whoever made it.
 */
export interface OwnWrites {
  /** Tell everything other processes committed before this id (this write's first event). */
  catchUp(beforeId: number): void;
  /** This process has told everything through this id (its write's last event). */
  advance(throughId: number): void;
}

/**
 * The store's one way out: every write runs in a transaction, records what it changed, and once
 * the outermost write has committed every listener is told, in one `StoreChange`. A rolled-back
 * write is never told. Writes nest (the inner ones become savepoints, as in better-sqlite3): the
 * listeners hear of them when the outermost commits.
 */
export function createChangeStream(
  db: Db,
  eventLog: Pick<EventLog, 'append'>,
  onRollback: () => void,
) {
  const listeners = new Set<ChangeListener>();
  let pending: StoreChange = { events: [], contributors: [] };
  let depth = 0;
  let feed: OwnWrites | null = null;

  function flush(): void {
    if (pending.events.length === 0 && pending.contributors.length === 0) return;
    const change = pending;
    pending = { events: [], contributors: [] };
    const first = change.events[0]?.id;
    try {
      // Other processes' earlier writes first: a client must never see an id go backwards.
      if (feed && first !== undefined) feed.catchUp(first);
    } finally {
      // Past this write's own events before telling, as the feed does with others': a listener
      // that throws must not have them told again, nor a failed catch-up leave them untold.
      if (feed && first !== undefined) feed.advance(change.events.at(-1)!.id);
      tell(change);
    }
  }

  /** Tell every listener of one change: this process's write, or one the feed followed. */
  function tell(change: StoreChange): void {
    let failed: { err: unknown } | null = null;
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (err) {
        failed ??= { err }; // the others still hear of it; the writer learns of the first failure
      }
    }
    if (failed) throw failed.err;
  }

  return {
    /** Be told of every committed change; returns the unsubscribe. */
    onChange(listener: ChangeListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Wrap fn in a transaction whose changes are told once it (or the write around it) commits. */
    write<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
      const tx = db.transaction(fn);
      return (...args: A) => {
        const events = pending.events.length;
        const contributors = pending.contributors.length;
        let result: T;
        depth++;
        try {
          // IMMEDIATE: take the write lock before the first read. Another process may commit
          // between a deferred transaction's read and its first write, which SQLite then refuses
          // (SQLITE_BUSY_SNAPSHOT) instead of waiting; a nested write becomes a savepoint as before.
          result = tx.immediate(...args);
        } catch (err) {
          pending.events.length = events;
          pending.contributors.length = contributors;
          onRollback();
          throw err;
        } finally {
          depth--;
        }
        if (depth === 0) flush();
        return result;
      };
    },

    /**
     * Log a live event in the write in hand, with the contributor move it records if any (kept in
     * the log with it, for other processes' map models); both go out with the write's change.
     */
    log<K extends keyof LiveEventMap>(
      tag: string,
      type: K,
      data: LiveEventMap[K],
      move?: ContributorChange,
    ): StoredEvent {
      const event = eventLog.append(tag, type, data, move);
      pending.events.push(event);
      if (move) pending.contributors.push(move);
      return event;
    },

    tell,

    /** Keep own writes in order with the changes a feed follows (null: no feed, one process). */
    follow(ownWrites: OwnWrites | null): void {
      feed = ownWrites;
    },
  };
}

export type ChangeStream = ReturnType<typeof createChangeStream>;
