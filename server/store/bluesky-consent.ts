import type { Db } from './db.js';

/**
 * The Bluesky side of the `consent` table (rows whose acct is a DID): which authors are due for a
 * look-up at the AppView. Deciding and waiting posts are the shared consent store's (consent-store.ts).
 */
export function createBlueskyConsent(db: Db) {
  const stmt = {
    due: db
      .prepare(
        "SELECT acct FROM consent WHERE acct LIKE 'did:%' AND next_check_at <= ? ORDER BY next_check_at LIMIT ?",
      )
      .pluck(),
    nextDue: db.prepare("SELECT min(next_check_at) FROM consent WHERE acct LIKE 'did:%'").pluck(),
  };
  return {
    /** DIDs whose look-up is due by `now`, the most overdue first. */
    due(now: number, limit: number): string[] {
      return stmt.due.all(now, limit) as string[];
    },
    /** The earliest look-up time of any DID, or null when none is known. */
    nextDue(): number | null {
      return (stmt.nextDue.get() as number | null) ?? null;
    },
  };
}

export type BlueskyConsent = ReturnType<typeof createBlueskyConsent>;
