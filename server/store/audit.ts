import type { AuditEntry } from '../../shared/team.js';
import type { Db } from './db.js';

/** What one moderation action records: who, what, on what, and why. */
export interface AuditRecord {
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown> | null;
  note?: string | null;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string | null;
  note: string | null;
}
const toEntry = (r: AuditRow): AuditEntry => ({
  ...r,
  detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
});

/**
 * The audit log (migration 8): every moderation action, append-only. Nothing here deletes a row,
 * and triggers refuse an UPDATE or DELETE from anywhere else: it is never pruned silently.
 */
export function createAuditLog(db: Db, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const stmt = {
    insert: db
      .prepare(
        'INSERT INTO audit_log (at, actor, action, target, detail, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      )
      .pluck(),
    page: db.prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?'),
    all: db.prepare('SELECT * FROM audit_log ORDER BY id DESC'),
    count: db.prepare('SELECT count(*) AS n FROM audit_log'),
  };
  return {
    record(r: AuditRecord): AuditEntry {
      const at = new Date(now()).toISOString();
      const detail = r.detail ? JSON.stringify(r.detail) : null;
      const note = r.note?.trim() || null;
      const id = stmt.insert.get(at, r.actor, r.action, r.target, detail, note) as number;
      return toEntry({ id, at, ...r, detail, note });
    },
    /** Newest first, `limit` entries older than `before` (an id). */
    page(limit: number, before = Number.MAX_SAFE_INTEGER): AuditEntry[] {
      return (stmt.page.all(before, limit) as AuditRow[]).map(toEntry);
    },
    /** Every entry, newest first, one at a time (for the CSV export). */
    *iterate(): Generator<AuditEntry> {
      for (const r of stmt.all.iterate() as Iterable<AuditRow>) yield toEntry(r);
    },
    count: () => (stmt.count.get() as { n: number }).n,
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
