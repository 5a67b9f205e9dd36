import type { Db } from './db.js';

/** Where one source (instance × tag) has read to, saved in the same transaction as the posts it covers. */
export interface Cursor {
  /** `min_id` for the next forward poll; null before the first read. */
  newestId: string | null;
  /** `max_id` for the next backfill page. */
  oldestId: string | null;
  /** Statuses read while backfilling. */
  backfillCount: number;
  backfillDone: boolean;
}

export interface CursorUpdate extends Cursor {
  source: string;
  tag: string;
}

interface CursorRow {
  newest_id: string | null;
  oldest_id: string | null;
  backfill_count: number;
  backfill_done: number;
}

/** How far each source has read (tables `cursors` and `recheck_cursors`). */
export function createCursors(db: Db, iso: () => string) {
  const stmt = {
    cursor: db.prepare(
      'SELECT newest_id, oldest_id, backfill_count, backfill_done FROM cursors WHERE source = ? AND tag = ?',
    ),
    upsertCursor: db.prepare(`
      INSERT INTO cursors (source, tag, newest_id, oldest_id, backfill_count, backfill_done, updated_at)
      VALUES (@source, @tag, @newestId, @oldestId, @backfillCount, @backfillDone, @now)
      ON CONFLICT (source, tag) DO UPDATE SET newest_id = excluded.newest_id, oldest_id = excluded.oldest_id,
        backfill_count = excluded.backfill_count, backfill_done = excluded.backfill_done, updated_at = excluded.updated_at`),
    recheckCursor: db.prepare('SELECT after_post_id FROM recheck_cursors WHERE source = ?'),
    upsertRecheckCursor: db.prepare(`
      INSERT INTO recheck_cursors (source, after_post_id, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (source) DO UPDATE SET after_post_id = excluded.after_post_id, updated_at = excluded.updated_at`),
  };

  return {
    /** A source's cursor; the start (nothing read) when it has none yet. */
    get(source: string, tag: string): Cursor {
      const row = stmt.cursor.get(source, tag) as CursorRow | undefined;
      return {
        newestId: row?.newest_id ?? null,
        oldestId: row?.oldest_id ?? null,
        backfillCount: row?.backfill_count ?? 0,
        backfillDone: row?.backfill_done === 1,
      };
    },

    /** Save a cursor (call it inside the transaction of the posts it covers). */
    save(cursor: CursorUpdate): void {
      stmt.upsertCursor.run({ ...cursor, backfillDone: cursor.backfillDone ? 1 : 0, now: iso() });
    },

    /** The posts.id the delete re-check of `source` continues after; 0 before its first round. */
    recheck(source: string): number {
      const row = stmt.recheckCursor.get(source) as { after_post_id: number } | undefined;
      return row?.after_post_id ?? 0;
    },

    /** Save how far the re-check of `source` has come (0: the next round starts over). */
    saveRecheck(source: string, afterPostId: number): void {
      stmt.upsertRecheckCursor.run(source, afterPostId, iso());
    },
  };
}
