import type { Logger } from 'pino';
import type { BackfillProgress } from '../../shared/types.js';
import type { Clock } from '../clock.js';

export interface BackfillProgressOptions {
  origin: string;
  tag: string;
  /** How far back the first start reads: this many posts, or this many days. */
  backfill: { posts: number; days: number };
  pageLimit: number;
  /** At most one progress line this often. */
  progressLogMs: number;
  clock: Clock;
  log: Logger;
}

export type BackfillTracker = ReturnType<typeof createBackfillProgress>;

/** How far one tag's backfill has come, how long it has left, and its progress log lines. */
export function createBackfillProgress(options: BackfillProgressOptions) {
  const { origin, tag, backfill, pageLimit, clock, log } = options;
  let startedAt = 0;
  let pages = 0;
  let oldestReachedAt = Infinity;
  let lastLogAt = 0;

  const horizon = () => clock.now() - backfill.days * 86_400_000;

  /** Posts read, oldest date reached and time left at the current pace (pages × time per page). */
  function progress(postsRead: number, perPageMs: number | null): BackfillProgress {
    let pagesLeft = Math.ceil(Math.max(0, backfill.posts - postsRead) / pageLimit);
    if (Number.isFinite(oldestReachedAt) && pages > 0) {
      const covered = clock.now() - oldestReachedAt;
      const toGo = oldestReachedAt - horizon();
      if (covered > 0) pagesLeft = Math.min(pagesLeft, Math.ceil((pages * toGo) / covered));
    }
    return {
      postsRead,
      targetPosts: backfill.posts,
      horizon: new Date(horizon()).toISOString(),
      oldestReached: Number.isFinite(oldestReachedAt)
        ? new Date(oldestReachedAt).toISOString()
        : null,
      etaSeconds:
        perPageMs === null ? null : Math.round((Math.max(0, pagesLeft) * perPageMs) / 1000),
    };
  }

  return {
    /** Whether `count` posts, or a page reaching back to `oldestAt`, complete the backfill. */
    finished(count: number, oldestAt: number): boolean {
      return count >= backfill.posts || oldestAt < horizon();
    },

    /** The first page of a tag: the backfill starts with it. */
    firstPage(oldestAt: number): void {
      startedAt = clock.now();
      pages = 1;
      oldestReachedAt = oldestAt;
    },

    /** An older page is about to be read: the backfill's clock starts with the first. */
    begin(): void {
      if (!startedAt) startedAt = clock.now();
    },

    /** One more older page, reaching back to `oldestAt`. */
    page(oldestAt: number): void {
      pages++;
      oldestReachedAt = Math.min(oldestReachedAt, oldestAt);
    },

    /** The progress to show (null once done), logged at most once per `progressLogMs` and when done. */
    report(count: number, done: boolean, perPageMs: number | null): BackfillProgress | null {
      const p = progress(count, perPageMs);
      const now = clock.now();
      if (!done && now - lastLogAt < options.progressLogMs) return p;
      lastLogAt = now;
      const reached = p.oldestReached ? p.oldestReached.slice(0, 10) : 'the start';
      const left =
        done || p.etaSeconds === null
          ? ''
          : `, about ${p.etaSeconds < 90 ? `${p.etaSeconds} s` : `${Math.round(p.etaSeconds / 60)} min`} left`;
      log.info(
        { backfill: p },
        `backfill #${tag} on ${origin}: ${count} posts read, back to ${reached}${done ? ` — done in ${Math.round((now - startedAt) / 1000)} s` : left}`,
      );
      return done ? null : p;
    },
  };
}
