import type { Db } from './db.js';

/**
 * Leases (table `leases`): a named job that one process at a time may do, such as collecting.
 * A holder renews its lease well before it expires; a process that dies stops renewing, and once
 * the lease has expired any other may take it. The SQL is one portable upsert, so PostgreSQL runs
 * the same statement. Times are the processes' clocks (ms): on one machine they agree; across
 * machines keep them in step (NTP), as the lease's length is its only margin.
 */
export function createLeases(db: Db, now: () => number) {
  const stmt = {
    // Take the lease when it is free, expired, or already ours; otherwise change nothing.
    take: db.prepare(`
      INSERT INTO leases (name, holder, expires_at, detail) VALUES (@name, @holder, @expiresAt, @detail)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at, detail = excluded.detail
      WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`),
    takeFrom: db.prepare(
      'UPDATE leases SET holder = @holder, expires_at = @expiresAt WHERE name = @name AND holder = @from',
    ),
    release: db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?'),
    get: db.prepare('SELECT holder, expires_at, detail FROM leases WHERE name = ?'),
  };

  return {
    /**
     * Take or renew `name` for ttlMs, with what the holder tells the others (`detail`, e.g. its
     * sources' status); true when `holder` holds it now.
     */
    acquire(name: string, holder: string, ttlMs: number, detail: string | null = null): boolean {
      const t = now();
      return stmt.take.run({ name, holder, expiresAt: t + ttlMs, now: t, detail }).changes > 0;
    },

    /**
     * Take `name` from a holder known to be dead (a process of this machine that is gone) before
     * its lease expires; false when someone else renewed or took it meanwhile.
     */
    takeFrom(name: string, from: string, holder: string, ttlMs: number): boolean {
      return stmt.takeFrom.run({ name, from, holder, expiresAt: now() + ttlMs }).changes > 0;
    },

    /** Let go of `name` (a clean shutdown), so another process need not wait for it to expire. */
    release(name: string, holder: string): void {
      stmt.release.run(name, holder);
    },

    /**
     * Who holds `name`, until when (ms) and what they last told, or null when nobody ever took it
     * or it was released.
     */
    holder(name: string): { holder: string; expiresAt: number; detail: string | null } | null {
      const row = stmt.get.get(name) as
        { holder: string; expires_at: number; detail: string | null } | undefined;
      return row ? { holder: row.holder, expiresAt: row.expires_at, detail: row.detail } : null;
    },
  };
}

export type Leases = ReturnType<typeof createLeases>;
