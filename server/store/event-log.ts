import type { Db } from './db.js';
import type { LiveEvent, LiveEventMap } from '../../shared/types.js';
import type { ContributorChange } from './contributor-change.js';

/** A live event with its place in the log (the SSE `id:`). */
export type StoredEvent = LiveEvent & { id: number };

export interface EventLogOptions {
  /** Events older than this are pruned (ms). */
  maxAgeMs?: number;
  /** At most this many events are kept per campaign, and a reconnect replays at most this many. */
  maxPerCampaign?: number;
  /** Rows deleted per statement; pruning yields to requests between batches. */
  batchSize?: number;
  /** How often the pruner runs once started (ms). */
  intervalMs?: number;
  now?: () => Date;
}

const defaults = {
  // Long enough for a laptop closed overnight to resume; a reader away longer reloads instead. It
  // is also how long a deleted post's text can stay in the log after it left the map.
  maxAgeMs: 24 * 60 * 60 * 1000,
  // A replay longer than this costs a client more than reloading its view (one ~2 ms request).
  maxPerCampaign: 1000,
  batchSize: 500, // a few ms of DELETE between two turns of the event loop
  intervalMs: 60_000, // the log may overshoot its cap by at most a minute of events
};

/** What a reconnecting client gets: the events it missed, or `reset` when they are no longer all kept. */
export type Resume = { events: StoredEvent[] } | { reset: true };

type Row = { id: number; tag: string; type: string; data: string };

/** An event as another process reads it back: with the contributor move it recorded, if any. */
export interface LoggedChange {
  event: StoredEvent;
  move: ContributorChange | null;
}

const toEvent = (r: Row) =>
  ({ id: r.id, tag: r.tag, type: r.type, data: JSON.parse(r.data) }) as StoredEvent;

/**
 * The SSE event log: appending, reading and pruning. Pruning always removes the oldest events of a
 * campaign first, so one number per campaign, its floor, says what may be gone: every event with
 * an id at or below it. A client that last saw an id below the floor may have missed something,
 * and is told to reload (`reset`) instead of being replayed a partial log.
 *
 * The floor is the campaign's oldest kept id minus one (or the newest id of all, when none is
 * kept), read from the table on every resume, so pruning by another process on the same database
 * counts too; it is never below the truth, so it can cost a client a needless reload, never a
 * silent gap. The floor this process's own pruning reached is kept in memory and wins when higher.
 *
 * Pruning also records the largest id it deleted (`events_pruned`, in the same commit), for every
 * campaign at once: a process following the log by id (`change-feed.ts`) that has not read that
 * far knows it lost events, where a gap in ids alone could be a rolled-back write.
 */
export function createEventLog(db: Db, options: EventLogOptions = {}) {
  const maxAgeMs = options.maxAgeMs ?? defaults.maxAgeMs;
  const maxPerCampaign = options.maxPerCampaign ?? defaults.maxPerCampaign;
  const batchSize = options.batchSize ?? defaults.batchSize;
  const now = options.now ?? (() => new Date());

  const stmt = {
    since: db.prepare(
      'SELECT id, tag, type, data FROM events WHERE tag = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    // AUTOINCREMENT keeps the largest id ever given out here, even after its row is pruned.
    newest: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck(),
    oldestKept: db.prepare('SELECT min(id) FROM events WHERE tag = ?').pluck(),
    // One index seek per campaign, where SELECT DISTINCT would read the whole index.
    nextTag: db.prepare('SELECT tag FROM events WHERE tag > ? ORDER BY tag LIMIT 1').pluck(),
    oldest: db.prepare('SELECT id, created_at FROM events WHERE tag = ? ORDER BY id LIMIT ?'),
    nthNewest: db
      .prepare('SELECT id FROM events WHERE tag = ? ORDER BY id DESC LIMIT 1 OFFSET ?')
      .pluck(),
    deleteThrough: db.prepare('DELETE FROM events WHERE tag = ? AND id <= ?'),
    prunedThrough: db.prepare('SELECT through_id FROM events_pruned WHERE id = 1').pluck(),
    markPruned: db.prepare(
      'UPDATE events_pruned SET through_id = ? WHERE id = 1 AND through_id < ?',
    ),
    insert: db
      .prepare(
        'INSERT INTO events (tag, type, data, created_at, move) VALUES (?, ?, ?, ?, ?) RETURNING id',
      )
      .pluck(),
    // The change feed's one query: a range of the primary key, every campaign.
    between: db.prepare(
      'SELECT id, tag, type, data, move FROM events WHERE id > ? AND id < ? ORDER BY id LIMIT ?',
    ),
  };

  const floors = new Map<string, number>();

  const newestId = (): number => (stmt.newest.get() as number | undefined) ?? 0;

  function floorOf(tag: string): number {
    const oldest = stmt.oldestKept.get(tag) as number | null;
    const kept = oldest === null ? newestId() : oldest - 1;
    return Math.max(kept, floors.get(tag) ?? 0);
  }

  /** Delete one campaign's events through an id, and mark it pruned in the same commit. */
  const deleteThrough = db.transaction((tag: string, through: number): number => {
    const { changes } = stmt.deleteThrough.run(tag, through);
    stmt.markPruned.run(through, through);
    return changes;
  }).immediate;

  /**
   * Deletes the oldest events of one campaign that are too old or over the cap, one batch at
   * most; `more` when a full batch went and more may follow.
   */
  function pruneBatch(
    tag: string,
    overCapThrough: number,
    tooOldBefore: string,
  ): { deleted: number; more: boolean } {
    const rows = stmt.oldest.all(tag, batchSize) as { id: number; created_at: string }[];
    let through = 0;
    for (const r of rows) {
      if (r.id > overCapThrough && r.created_at >= tooOldBefore) break;
      through = r.id;
    }
    if (through === 0) return { deleted: 0, more: false };
    const floor = floorOf(tag);
    const changes = deleteThrough(tag, through);
    floors.set(tag, Math.max(floor, through));
    return { deleted: changes, more: rows.length === batchSize && through === rows.at(-1)!.id };
  }

  let running: Promise<number> | null = null;
  let stopped = false;

  async function pruneAll(): Promise<number> {
    let deleted = 0;
    const tooOldBefore = new Date(now().getTime() - maxAgeMs).toISOString();
    let tag = stmt.nextTag.get('') as string | undefined;
    while (tag !== undefined && !stopped) {
      const overCapThrough = (stmt.nthNewest.get(tag, maxPerCampaign) as number | undefined) ?? 0;
      for (;;) {
        const batch = pruneBatch(tag, overCapThrough, tooOldBefore);
        deleted += batch.deleted;
        if (!batch.more) break;
        await new Promise((resolve) => setImmediate(resolve));
        if (stopped) return deleted;
      }
      tag = stmt.nextTag.get(tag) as string | undefined;
    }
    return deleted;
  }

  function since(tag: string, afterId: number, limit = maxPerCampaign): StoredEvent[] {
    return (stmt.since.all(tag, afterId, limit) as Row[]).map(toEvent);
  }

  function prune(): Promise<number> {
    running ??= pruneAll().finally(() => {
      running = null;
    });
    return running;
  }

  let timer: NodeJS.Timeout | null = null;

  return {
    /** Log one live event (inside the write that caused it) and give it its id. */
    append<K extends keyof LiveEventMap>(
      tag: string,
      type: K,
      data: LiveEventMap[K],
      move?: ContributorChange,
    ): StoredEvent {
      const at = now().toISOString();
      const moved = move
        ? JSON.stringify({
            acct: move.acct,
            from: move.from,
            to: move.to,
            joinedAt: move.joinedAt,
            paired: move.paired,
          })
        : null;
      const id = stmt.insert.get(tag, type, JSON.stringify(data), at, moved) as number;
      return { id, tag, type, data } as StoredEvent;
    },

    /**
     * Every campaign's events with afterId < id < beforeId, oldest first, at most `limit`, with
     * the moves they recorded: what the change feed reads of other processes' writes.
     */
    between(afterId: number, beforeId: number, limit: number): LoggedChange[] {
      const rows = stmt.between.all(afterId, beforeId, limit) as (Row & { move: string | null })[];
      return rows.map((r) => {
        const m = r.move === null ? null : (JSON.parse(r.move) as Omit<ContributorChange, 'tag'>);
        return { event: toEvent(r), move: m && { tag: r.tag, ...m } };
      });
    },

    /** The largest event id ever given out (0 before the first): where a client stands once it has everything. */
    newestId,

    /**
     * The largest event id pruning has deleted, by any process on the database (0 before the
     * first): a reader of the log by id that has not read that far has lost events for good.
     */
    prunedThrough: (): number => (stmt.prunedThrough.get() as number | undefined) ?? 0,

    /** Events after `afterId` for one campaign, oldest first. */
    since,

    /**
     * What a client that last saw `afterId` missed, or `reset` when that cannot be replayed in
     * full: older events were pruned, it is further behind than a replay goes, or the id is from
     * a log this database never wrote (a newer id than any given out).
     */
    resume(tag: string, afterId: number): Resume {
      if (afterId > newestId() || afterId < floorOf(tag)) return { reset: true };
      const events = since(tag, afterId, maxPerCampaign + 1);
      return events.length > maxPerCampaign ? { reset: true } : { events };
    },

    /**
     * Delete events older than `maxAgeMs` and beyond the newest `maxPerCampaign` of each
     * campaign, a batch at a time, yielding between batches. Resolves with the number deleted;
     * a call while a pass is running joins that pass.
     */
    prune,

    /** Prune now and then every `intervalMs`, until `stop()`; errors go to `onError`. */
    start(onError: (err: unknown) => void): void {
      if (timer) return;
      stopped = false;
      const run = () => {
        if (!stopped) prune().catch(onError);
      };
      timer = setInterval(run, options.intervalMs ?? defaults.intervalMs).unref();
      setImmediate(run);
    },

    /** Stop the timer and any pass under way (at its next batch); resolves once it has let go of the database. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => {});
    },
  };
}

export type EventLog = ReturnType<typeof createEventLog>;
