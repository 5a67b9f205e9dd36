import type { Db } from './db.js';
import type { IngestItem } from './posts.js';

/** What we know of one author's consent, as the home server last told us. */
export type ConsentState = 'known' | 'refused' | 'unknown';

/** One row of `consent` (migration 7), camelCase. */
export interface ConsentRow {
  /** `user@domain`. */
  acct: string;
  state: ConsentState;
  /** How it was decided ('home-copy', 'lookup', 'profile-page', 'unreachable') or why refused. */
  reason: string | null;
  /** The account's `url` as a source served it ('' when none). */
  profileUrl: string;
  /** When we first needed an answer (ms). */
  firstSeenAt: number;
  /** When the home last answered (ms), or null. */
  checkedAt: number | null;
  /** When to ask again (ms). */
  nextCheckAt: number;
  /** Failed tries in a row. */
  failures: number;
  lastError: string | null;
}

interface Row {
  acct: string;
  state: ConsentState;
  reason: string | null;
  profile_url: string;
  first_seen_at: number;
  checked_at: number | null;
  next_check_at: number;
  failures: number;
  last_error: string | null;
}

const toConsentRow = (r: Row): ConsentRow => ({
  acct: r.acct,
  state: r.state,
  reason: r.reason,
  profileUrl: r.profile_url,
  firstSeenAt: r.first_seen_at,
  checkedAt: r.checked_at,
  nextCheckAt: r.next_check_at,
  failures: r.failures,
  lastError: r.last_error,
});

/** The domain of `user@domain`, lower case; 'bluesky' for a Bluesky DID (its AppView answers for all). */
export const homeOf = (acct: string) =>
  acct.startsWith('did:') ? 'bluesky' : acct.slice(acct.lastIndexOf('@') + 1).toLowerCase();

export type ConsentStore = ReturnType<typeof createConsentStore>;

/**
 * Consent per author and the posts waiting for it. Nothing here is public: a waiting post is in
 * `consent_pending` only, and reaches `posts` (and so any answer) when its author is confirmed.
 */
export function createConsentStore(db: Db) {
  const stmt = {
    get: db.prepare('SELECT * FROM consent WHERE acct = ?'),
    state: db.prepare('SELECT state FROM consent WHERE acct = ?').pluck(),
    // A new author is due at once; one we know keeps its schedule, and learns its latest profile url.
    ask: db.prepare(`
      INSERT INTO consent (acct, home, state, profile_url, first_seen_at, next_check_at)
      VALUES (?, ?, 'unknown', ?, ?, ?)
      ON CONFLICT (acct) DO UPDATE SET profile_url = excluded.profile_url
        WHERE excluded.profile_url <> '' AND consent.profile_url <> excluded.profile_url`),
    decide: db.prepare(`
      INSERT INTO consent (acct, home, state, reason, profile_url, first_seen_at, checked_at, next_check_at, failures, last_error)
      VALUES (@acct, @home, @state, @reason, @profileUrl, @now, @checkedAt, @nextCheckAt, 0, NULL)
      ON CONFLICT (acct) DO UPDATE SET state = excluded.state, reason = excluded.reason,
        checked_at = excluded.checked_at, next_check_at = excluded.next_check_at, failures = 0, last_error = NULL,
        profile_url = CASE WHEN excluded.profile_url <> '' THEN excluded.profile_url ELSE consent.profile_url END`),
    fail: db.prepare(
      'UPDATE consent SET failures = failures + 1, last_error = ?, next_check_at = ? WHERE acct = ?',
    ),
    deferHome: db.prepare(
      'UPDATE consent SET next_check_at = ? WHERE home = ? AND next_check_at < ?',
    ),
    // Bluesky authors (did:…) are asked of the AppView by collector/bluesky/, not of a home server.
    due: db.prepare(
      "SELECT * FROM consent WHERE next_check_at <= ? AND acct NOT LIKE 'did:%' ORDER BY next_check_at LIMIT ?",
    ),
    nextDue: db
      .prepare("SELECT min(next_check_at) FROM consent WHERE acct NOT LIKE 'did:%'")
      .pluck(),
    counts: db.prepare('SELECT state, count(*) AS n FROM consent GROUP BY state'),
    waitingByHome: db.prepare(`
      SELECT home, count(*) AS n, min(first_seen_at) AS since,
        max(failures) AS failures, max(last_error) AS last_error
      FROM consent WHERE state = 'unknown' GROUP BY home ORDER BY n DESC, home LIMIT ?`),
    savePending: db.prepare(`
      INSERT INTO consent_pending (uri, source, acct, local_id, item, received_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (uri, source) DO UPDATE SET item = excluded.item, local_id = excluded.local_id`),
    pending: db.prepare('SELECT item FROM consent_pending WHERE acct = ? ORDER BY received_at'),
    hasPending: db.prepare('SELECT 1 FROM consent_pending WHERE acct = ? LIMIT 1').pluck(),
    dropPending: db.prepare('DELETE FROM consent_pending WHERE acct = ?'),
    dropPendingByLocalId: db.prepare(
      'DELETE FROM consent_pending WHERE source = ? AND local_id = ?',
    ),
    pendingCount: db.prepare('SELECT count(*) FROM consent_pending').pluck(),
    waitingSince: db
      .prepare("SELECT count(*) FROM consent WHERE state = 'unknown' AND first_seen_at <= ?")
      .pluck(),
  };

  return {
    /** The author's row, or null when never asked. */
    get(acct: string): ConsentRow | null {
      const row = stmt.get.get(acct) as Row | undefined;
      return row ? toConsentRow(row) : null;
    },

    /** 'known', 'refused', 'unknown' (asked, no answer yet), or null (never asked). */
    state(acct: string): ConsentState | null {
      return (stmt.state.get(acct) as ConsentState | undefined) ?? null;
    },

    /** Make sure the author will be asked (at once when new). */
    ask(acct: string, profileUrl: string, now: number): void {
      stmt.ask.run(acct, homeOf(acct), profileUrl, now, now);
    },

    /** The home answered: known or refused until `nextCheckAt`. */
    decide(
      acct: string,
      state: Exclude<ConsentState, 'unknown'>,
      reason: string,
      now: number,
      nextCheckAt: number,
      profileUrl = '',
    ): void {
      stmt.decide.run({
        acct,
        home: homeOf(acct),
        state,
        reason,
        profileUrl,
        now,
        checkedAt: now,
        nextCheckAt,
      });
    },

    /** No answer this time: try again at `nextCheckAt`; the state stays as it was. */
    fail(acct: string, error: string, nextCheckAt: number): void {
      stmt.fail.run(error.slice(0, 500), nextCheckAt, acct);
    },

    /** A home that failed: none of its authors is tried before `until`. */
    deferHome(home: string, until: number): void {
      stmt.deferHome.run(until, home, until);
    },

    /** Rows due by `now`, the most overdue first. */
    due(now: number, limit: number): ConsentRow[] {
      return (stmt.due.all(now, limit) as Row[]).map(toConsentRow);
    },

    /** The earliest `next_check_at`, or null when nobody is known. */
    nextDue(): number | null {
      return (stmt.nextDue.get() as number | null) ?? null;
    },

    counts(): Record<ConsentState, number> {
      const counts: Record<ConsentState, number> = { known: 0, refused: 0, unknown: 0 };
      for (const r of stmt.counts.all() as { state: ConsentState; n: number }[])
        counts[r.state] = r.n;
      return counts;
    },

    /** Authors still waiting, per home domain (the largest first). */
    waitingByHome(limit = 50) {
      return (
        stmt.waitingByHome.all(limit) as {
          home: string;
          n: number;
          since: number;
          failures: number;
          last_error: string | null;
        }[]
      ).map((r) => ({
        home: r.home,
        authors: r.n,
        since: r.since,
        failures: r.failures,
        lastError: r.last_error,
      }));
    },

    /** Keep posts whose authors are not confirmed yet (a re-read replaces its earlier copy). */
    savePending(items: IngestItem[], now: number): void {
      db.transaction(() => {
        for (const item of items)
          stmt.savePending.run(
            item.post.uri,
            item.source,
            item.post.account.acct,
            item.post.localId,
            JSON.stringify(item),
            now,
          );
      }).immediate();
    },

    /** Take an author's waiting posts out, oldest first (they are about to be saved or dropped). */
    takePending(acct: string): IngestItem[] {
      return db
        .transaction(() => {
          const items = (stmt.pending.all(acct) as { item: string }[]).map(
            (r) => JSON.parse(r.item) as IngestItem,
          );
          stmt.dropPending.run(acct);
          return items;
        })
        .immediate();
    },

    hasPending(acct: string): boolean {
      return stmt.hasPending.get(acct) !== undefined;
    },

    /** A waiting post deleted on its source. */
    dropPendingByLocalId(source: string, localId: string): void {
      stmt.dropPendingByLocalId.run(source, localId);
    },

    /** Authors still waiting who were first seen at or before `at`. */
    waitingSince(at: number): number {
      return stmt.waitingSince.get(at) as number;
    },

    pendingCount(): number {
      return stmt.pendingCount.get() as number;
    },

    /**
     * For tests that save posts through the pipeline without a home server to ask: the author is
     * confirmed as if the home had answered, until `nextCheckAt` (default: never re-checked).
     */
    markConfirmedForTest(acct: string, now = Date.now(), nextCheckAt = Number.MAX_SAFE_INTEGER) {
      stmt.decide.run({
        acct,
        home: homeOf(acct),
        state: 'known',
        reason: 'test',
        profileUrl: '',
        now,
        checkedAt: now,
        nextCheckAt,
      });
    },
  };
}
