import type { Db } from './db.js';

/** What one source contributed, from the database alone (kinds come from the configuration). */
export interface SourceReachCounts {
  /** Instance origin, relay or aggregator URL: the key of `post_sources`. */
  source: string;
  /** Posts this source delivered before any other did. */
  postsFirst: number;
  /** Posts no other source delivered. */
  postsOnlyHere: number;
}

/** How far the sources reach, counted over every post ever stored (deleted ones too: they arrived). */
export interface ReachCounts {
  sources: SourceReachCounts[];
  postsTotal: number;
  /** Posts exactly one source delivered. */
  postsSeenByOneSourceOnly: number;
  /** Posts stored before first sources were recorded (migration 5) and seen by several: first unknown. */
  postsFirstUnknown: number;
  /** ISO time of the count. */
  countedAt: string;
}

export type ReachQueries = ReturnType<typeof createReachQueries>;

/**
 * Reach counts. `counts()` reads `reach_counts`, which ingest keeps up in the same transaction as
 * the posts (a few hundred rows: well under a millisecond). `recount()` is the definition, two
 * aggregate scans (~0.9 s at a million posts): for tests and for checking the counters by hand.
 */
export function createReachQueries(db: Db, now: () => number = Date.now) {
  const stmt = {
    kept: db.prepare('SELECT source, posts_first, posts_only FROM reach_counts'),
    first: db.prepare(
      'SELECT first_source AS source, count(*) AS n FROM posts GROUP BY first_source',
    ),
    // The per-post index holds (post_id, source): one pass over it, no table rows read.
    only: db.prepare(`
      SELECT source, count(*) AS n FROM (
        SELECT min(source) AS source FROM post_sources GROUP BY post_id HAVING count(DISTINCT source) = 1
      ) AS o GROUP BY source`),
  };

  /** Rows of (source | null for unknown, first, only) → counts, most posts first. */
  function toCounts(rows: { source: string | null; first: number; only: number }[]): ReachCounts {
    const sources: SourceReachCounts[] = [];
    let postsTotal = 0;
    let postsSeenByOneSourceOnly = 0;
    let postsFirstUnknown = 0;
    for (const r of rows) {
      postsTotal += r.first;
      postsSeenByOneSourceOnly += r.only;
      if (r.source === null) postsFirstUnknown += r.first;
      if (r.source !== null && (r.first > 0 || r.only > 0))
        sources.push({ source: r.source, postsFirst: r.first, postsOnlyHere: r.only });
    }
    sources.sort((a, b) => b.postsFirst - a.postsFirst || a.source.localeCompare(b.source));
    return {
      sources,
      postsTotal,
      postsSeenByOneSourceOnly,
      postsFirstUnknown,
      countedAt: new Date(now()).toISOString(),
    };
  }

  return {
    /** The counts as ingest keeps them. */
    counts(): ReachCounts {
      const rows = stmt.kept.all() as { source: string; posts_first: number; posts_only: number }[];
      return toCounts(
        rows.map((r) => ({
          source: r.source === '' ? null : r.source,
          first: r.posts_first,
          only: r.posts_only,
        })),
      );
    },

    /** The same counts from the posts themselves: slow, the definition the counters must match. */
    recount: db.transaction((): ReachCounts => {
      const bySource = new Map<
        string | null,
        { source: string | null; first: number; only: number }
      >();
      const entry = (source: string | null) => {
        let e = bySource.get(source);
        if (!e) bySource.set(source, (e = { source, first: 0, only: 0 }));
        return e;
      };
      for (const row of stmt.first.all() as { source: string | null; n: number }[])
        entry(row.source).first = row.n;
      for (const row of stmt.only.all() as { source: string; n: number }[])
        entry(row.source).only = row.n;
      return toCounts([...bySource.values()]);
    }),
  };
}
