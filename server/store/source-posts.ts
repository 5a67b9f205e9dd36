import type { Db } from './db.js';

/** A post as one source knows it: its local id there, and our row id for paging. */
export interface SourcePost {
  postId: number;
  localId: string;
}

export type SourcePostQueries = ReturnType<typeof createSourcePostQueries>;

/** Read-only queries the collector needs about what each source has given us. Statements are prepared once. */
export function createSourcePostQueries(db: Db) {
  const stmt = {
    recent: db.prepare(`
      SELECT ps.post_id, ps.local_id FROM post_sources ps JOIN posts p ON p.id = ps.post_id
      WHERE ps.source = ? AND p.deleted_at IS NULL AND p.created_at >= ? AND ps.post_id > ?
      ORDER BY ps.post_id LIMIT ?`),
    knownUri: db.prepare('SELECT 1 FROM posts WHERE uri = ?'),
    newestInTag: db.prepare(`
      SELECT ps.post_id, ps.local_id FROM post_sources ps
      JOIN post_tags t ON t.post_id = ps.post_id AND t.tag = ?
      JOIN posts p ON p.id = ps.post_id
      WHERE ps.source = ? AND p.deleted_at IS NULL
      ORDER BY ps.post_id DESC LIMIT ?`),
  };

  return {
    /**
     * Live posts read from `source` and written since `sinceIso`, in row order after `afterPostId`:
     * the re-check walks through them a few at a time and starts over at 0.
     */
    recent(source: string, sinceIso: string, afterPostId: number, limit: number): SourcePost[] {
      const rows = stmt.recent.all(source, sinceIso, afterPostId, limit) as {
        post_id: number;
        local_id: string;
      }[];
      return rows.map((r) => ({ postId: r.post_id, localId: r.local_id }));
    },

    /**
     * The live posts with campaign tag `tag` that `source` gave us, newest rows first: what a
     * re-read of its tag page is compared with to notice deletes.
     */
    newestInTag(source: string, tag: string, limit: number): SourcePost[] {
      const rows = stmt.newestInTag.all(tag, source, limit) as {
        post_id: number;
        local_id: string;
      }[];
      return rows.map((r) => ({ postId: r.post_id, localId: r.local_id }));
    },

    /** Whether any source has given us this uri before (deleted posts included). */
    knowsUri(uri: string): boolean {
      return stmt.knownUri.get(uri) !== undefined;
    },
  };
}
