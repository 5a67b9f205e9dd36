import type { Db } from './db.js';
import type { EventLog, StoredEvent } from './event-log.js';
import type { LiveEventMap } from '../../shared/types.js';

/** A contributor who appeared, moved or left (for the in-memory map model). */
export interface ContributorChange {
  tag: string;
  acct: string;
  /** City before the change, or null when they were not on the map. */
  from: number | null;
  /** City after the change, or null when they left the map. */
  to: number | null;
  /** When they joined this campaign's map (ISO): set when they appear or leave, for joins per day. */
  joinedAt?: string;
  /**
   * Whether the row was, and is, a linked pair shown as one (server/store/links.ts): a pair counts in
   * both networks' figures, an account alone in its own. Absent: alone before and after.
   */
  paired?: { from: boolean; to: boolean };
}

/** What one committed write changed. */
export interface StoreChange {
  /** The live events it logged, oldest first: what open maps are sent. */
  events: StoredEvent[];
  /** The contributors who appeared, moved or left: what the map model counts. */
  contributors: ContributorChange[];
}

export type ChangeListener = (change: StoreChange) => void;

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

  function flush(): void {
    if (pending.events.length === 0 && pending.contributors.length === 0) return;
    const change = pending;
    pending = { events: [], contributors: [] };
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
          result = tx(...args);
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

    /** Log a live event in the write in hand; it goes out with the write's change. */
    log<K extends keyof LiveEventMap>(tag: string, type: K, data: LiveEventMap[K]): StoredEvent {
      const event = eventLog.append(tag, type, data);
      pending.events.push(event);
      return event;
    },

    /** Record a contributor's move in the write in hand. */
    moved(change: ContributorChange): void {
      pending.contributors.push(change);
    },
  };
}

export type ChangeStream = ReturnType<typeof createChangeStream>;
