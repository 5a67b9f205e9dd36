import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { SourcePost, SourcePostQueries } from '../store/source-posts.js';
import { compareIds, orderedPartOf } from './ids.js';
import type { StatusReads } from './status-reads.js';

export interface TagPageDeletesOptions {
  origin: string;
  queries: SourcePostQueries;
  statusReads: StatusReads;
  log: Logger;
  clock: Clock;
  /** Remove a post by its local id here (publishes the `remove`); `how` ends the log line. */
  remove(localId: string, how: string): void;
  /** Save statuses read again (an edit re-locates). */
  save(raws: unknown[]): void;
}

export type TagPageDeletes = ReturnType<typeof createTagPageDeletes>;

const defaults = {
  storedPerCheck: 500, // stored posts compared with one page: a full page covers far fewer
  readsPerCheck: 20, // status reads one page may cost; the rest wait for the next re-read
  thereForMs: 3600_000, // a post its own URL still shows is not read again for an hour
};

/**
 * Notices deletes on servers that re-read their newest tag page each poll (snac, whose ids are not
 * ordered within a second) and have no `GET /api/v1/statuses?id[]=`: a post we stored from that
 * page that is missing from a re-read which should hold it (it lies inside the id range the page
 * covers) is probably gone. That is confirmed the way the server allows: its own status URL when
 * we may read it (a 404 or 410 removes it), else by missing again from the next re-read.
 */
export function createTagPageDeletes(options: TagPageDeletesOptions) {
  const { origin, queries, statusReads, log, clock } = options;
  /** Per tag: local ids missing from the last re-read, awaiting a second one. */
  const suspects = new Map<string, Set<string>>();
  const thereUntil = new Map<string, number>();
  let saidSuspicious = false;

  return {
    /** What we hold for `tag` from this server, taken before a re-read (a post streamed during it is not missing). */
    stored(tag: string): SourcePost[] {
      return queries.newestInTag(origin, tag, defaults.storedPerCheck);
    },

    /**
     * Compare one re-read of the newest page of `tag` (raw items, newest first) with what we
     * stored before it was asked for.
     */
    async check(
      tag: string,
      storedBefore: SourcePost[],
      items: unknown[],
      full: boolean,
      signal: AbortSignal,
    ): Promise<void> {
      const onPage = new Set(items.map(idOf).filter((id): id is string => id !== null));
      const floor = [...onPage].map(orderedPartOf).sort(compareIds)[0];
      // The newest page holds everything up to the moment it was read; a full one only what is
      // newer than its oldest post (snac: newer by a whole second), one that is not full all of it.
      const inside = (id: string) =>
        !full || floor === undefined || compareIds(orderedPartOf(id), floor) > 0;
      const expected = storedBefore.filter((row) => inside(row.localId));
      const missing = expected.filter((row) => !onPage.has(row.localId));
      const before = suspects.get(tag) ?? new Set<string>();
      const next = new Set<string>();
      suspects.set(tag, next);
      if (missing.length === 0) return;
      // Most of what the page should hold is missing: a server with a bad moment, not a wave of
      // deletes. Only each post's own URL may then say it is gone.
      const suspicious = missing.length > 2 && missing.length * 2 > expected.length;
      if (suspicious && !saidSuspicious) {
        saidSuspicious = true;
        log.info(
          `the #${tag} page of ${origin} leaves out ${missing.length} of ${expected.length} posts it should hold: not taking that as deletes unless each post's own URL says so`,
        );
      }
      let reads = 0;
      const now = clock.now();
      for (const [id, until] of thereUntil) if (until <= now) thereUntil.delete(id);
      for (const row of missing) {
        if (signal.aborted) return;
        if (thereUntil.has(row.localId)) continue; // its own URL showed it lately
        if (statusReads.readable()) {
          if (reads++ >= defaults.readsPerCheck) continue; // at the next re-read
          const got = await statusReads.check(row.localId, signal);
          if (got.state === 'gone') {
            options.remove(row.localId, 'missing from its tag page and its own URL says so');
            continue;
          }
          if (got.state === 'there') {
            options.save([got.raw]);
            thereUntil.set(row.localId, clock.now() + defaults.thereForMs);
            continue;
          }
        }
        // Its own URL cannot be read here: a second re-read decides.
        if (suspicious) continue;
        if (before.has(row.localId))
          options.remove(row.localId, 'missing from two re-reads of its tag page in a row');
        else next.add(row.localId);
      }
    },
  };
}

function idOf(item: unknown): string | null {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
