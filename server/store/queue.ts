import type { CampaignFilter, QueueItem, QueueSelection } from '../../shared/queue.js';
import type { Db } from './db.js';

export type { CampaignFilter, QueueItem, QueueSelection } from '../../shared/queue.js';

interface QueueRow {
  id: number;
  uri: string;
  url: string;
  acct: string;
  display_name: string | null;
  content: string;
  spoiler_text: string;
  sensitive: number;
  created_at: string;
  first_seen_at: string;
  place_name: string | null;
  admin1: string | null;
  country: string | null;
  locate_reason: string | null;
  held: string | null;
  reports: number;
  reasons: string | null;
}

const toItem = (r: QueueRow): QueueItem => ({
  id: r.id,
  uri: r.uri,
  url: r.url,
  acct: r.acct,
  displayName: r.display_name ?? '',
  content: r.content,
  contentWarning: r.spoiler_text || null,
  sensitive: r.spoiler_text !== '' || r.sensitive === 1,
  createdAt: r.created_at,
  arrivedAt: r.first_seen_at,
  place:
    r.place_name === null ? null : { name: r.place_name, admin1: r.admin1, country: r.country! },
  reason: r.locate_reason,
  held: r.held,
  reports: r.reports,
  reportReasons: r.reasons ? (JSON.parse(r.reasons) as string[]).filter(Boolean) : [],
});

const domainOf = `lower(substr(p.acct, instr(p.acct, '@') + 1))`;

/**
 * The review queue (migration 9): a campaign's new arrivals in the order they came, each until a
 * moderator approves or hides it (or blocks its author), plus every post a visitor reported.
 * Held posts (pre-moderation, "hold" filters) are in it too, off the map until approved.
 */
export function createQueue(db: Db, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const startsAfter = () =>
    Number(
      (
        db.prepare("SELECT value FROM queue_settings WHERE key = 'starts_after_post_id'").get() as
          { value: string } | undefined
      )?.value ?? 0,
    );

  /** The WHERE clause of one selection; `@`-parameters filled by params(). */
  const where = (sel: QueueSelection) => {
    const parts = [
      't.tag = @tag',
      'p.id > @after',
      'p.deleted_at IS NULL',
      `((p.id > @start AND NOT EXISTS (SELECT 1 FROM post_reviews r WHERE r.post_id = p.id))
        OR EXISTS (SELECT 1 FROM reports r WHERE r.post_id = p.id AND r.resolved_at IS NULL)
        OR h.post_id IS NOT NULL)`,
      '(h.post_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM hidden_posts x WHERE x.post_id = p.id))',
      'NOT EXISTS (SELECT 1 FROM hidden_accounts ha WHERE ha.acct = p.acct)',
      `NOT EXISTS (SELECT 1 FROM blocked_domains d WHERE d.domain = ${domainOf})`,
    ];
    if (sel.domain) parts.push(`(${domainOf} = @domain OR ${domainOf} LIKE '%.' || @domain)`);
    if (sel.word)
      parts.push(`instr(lower(p.content || ' ' || p.spoiler_text || ' ' || p.acct), @word) > 0`);
    if (sel.newerThanDays !== undefined)
      parts.push('(SELECT min(q.first_seen_at) FROM posts q WHERE q.acct = p.acct) > @since');
    if (sel.heldOnly) parts.push('h.post_id IS NOT NULL');
    if (sel.reportedOnly)
      parts.push(
        'EXISTS (SELECT 1 FROM reports r WHERE r.post_id = p.id AND r.resolved_at IS NULL)',
      );
    return parts.join(' AND ');
  };
  const params = (tag: string, sel: QueueSelection, after: number, limit: number) => ({
    tag,
    after,
    limit,
    start: startsAfter(),
    domain: sel.domain?.toLowerCase() ?? null,
    word: sel.word?.toLowerCase() ?? null,
    since:
      sel.newerThanDays === undefined
        ? null
        : new Date(now() - sel.newerThanDays * 86_400_000).toISOString(),
  });
  const select = (sel: QueueSelection) => `
    SELECT p.id, p.uri, p.url, p.acct, a.display_name, p.content, p.spoiler_text, p.sensitive,
      p.created_at, p.first_seen_at, pl.name AS place_name, pl.admin1, pl.country,
      p.locate_reason, h.reason AS held,
      (SELECT count(*) FROM reports r WHERE r.post_id = p.id AND r.resolved_at IS NULL) AS reports,
      (SELECT json_group_array(r.reason) FROM reports r WHERE r.post_id = p.id AND r.resolved_at IS NULL) AS reasons
    FROM post_tags t JOIN posts p ON p.id = t.post_id
    LEFT JOIN accounts a ON a.acct = p.acct
    LEFT JOIN places pl ON pl.id = p.place_id
    LEFT JOIN held_posts h ON h.post_id = p.id
    WHERE ${where(sel)}
    ORDER BY p.id LIMIT @limit`;
  // Selections have a handful of shapes: prepare each once.
  const prepared = new Map<string, ReturnType<Db['prepare']>>();
  const stmtFor = (sel: QueueSelection) => {
    const key = ['domain', 'word', 'newerThanDays', 'heldOnly', 'reportedOnly']
      .map((k) => (sel[k as keyof QueueSelection] !== undefined ? k : ''))
      .join('|');
    let s = prepared.get(key);
    if (!s) prepared.set(key, (s = db.prepare(select(sel))));
    return s;
  };

  const stmt = {
    review: db.prepare(`
      INSERT INTO post_reviews (post_id, state, reviewed_by, reviewed_at) VALUES (?, 'approved', ?, ?)
      ON CONFLICT (post_id) DO UPDATE SET reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at`),
    resolveReports: db.prepare(
      'UPDATE reports SET resolved_at = ? WHERE post_id = ? AND resolved_at IS NULL',
    ),
    postByUri: db.prepare('SELECT id, acct FROM posts WHERE uri = ?'),
    held: db.prepare('SELECT tag FROM held_posts WHERE post_id = ?'),
    approveAccount: db.prepare(
      'INSERT OR IGNORE INTO approved_accounts (tag, acct, approved_at) VALUES (?, ?, ?)',
    ),
    heldOfAccount: db.prepare(`
      SELECT p.uri FROM held_posts h JOIN posts p ON p.id = h.post_id
      WHERE h.tag = ? AND h.acct = ? AND h.reason = 'pre-moderation'`),
    contributorPost: db.prepare(`
      SELECT c.post_id, p.uri FROM contributors c JOIN posts p ON p.id = c.post_id WHERE c.tag = ? AND c.acct = ?`),
    // A linked pair (#16) is one row, reported under either account.
    linkedPost: db.prepare(`
      SELECT c.post_id, p.uri FROM contributors c JOIN posts p ON p.id = c.post_id WHERE c.linked_acct = ? AND c.tag = ?`),
    insertReport: db.prepare(
      'INSERT INTO reports (tag, acct, post_id, reason, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    openReportsOf: db.prepare(
      'SELECT count(*) AS n FROM reports WHERE post_id = ? AND resolved_at IS NULL',
    ),
    settings: db.prepare('SELECT premoderation FROM campaign_settings WHERE tag = ?'),
    setPremoderation: db.prepare(`
      INSERT INTO campaign_settings (tag, premoderation, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (tag) DO UPDATE SET premoderation = excluded.premoderation, updated_at = excluded.updated_at`),
    // Both accounts of a linked pair (#16) are on the map, though the pair is one row.
    approveCurrent: db.prepare(`
      INSERT OR IGNORE INTO approved_accounts (tag, acct, approved_at)
      SELECT tag, acct, @at FROM contributors WHERE tag = @tag
      UNION ALL SELECT tag, linked_acct, @at FROM contributors WHERE tag = @tag AND linked_acct IS NOT NULL`),
    waiting: db.prepare('SELECT count(DISTINCT acct) AS n FROM held_posts WHERE tag = ?'),
    filters: db.prepare(
      'SELECT id, kind, value, action, created_by, created_at FROM filters WHERE tag = ? ORDER BY kind, value',
    ),
    addFilter: db.prepare(`
      INSERT INTO filters (tag, kind, value, action, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (tag, kind, value) DO UPDATE SET action = excluded.action, created_by = excluded.created_by, created_at = excluded.created_at`),
    removeFilter: db.prepare('DELETE FROM filters WHERE tag = ? AND kind = ? AND value = ?'),
  };

  const post = (uri: string) =>
    (stmt.postByUri.get(uri) as { id: number; acct: string } | undefined) ?? null;

  return {
    /** One page of the queue, oldest arrival first; `after` is the last item's id of the page before. */
    items(tag: string, sel: QueueSelection = {}, limit = 50, after = 0): QueueItem[] {
      return (stmtFor(sel).all(params(tag, sel, after, limit)) as QueueRow[]).map(toItem);
    },

    /** Every uri a selection matches (at most `cap`), for bulk actions. */
    select(tag: string, sel: QueueSelection, cap = 5000): string[] {
      return (stmtFor(sel).all(params(tag, sel, 0, cap)) as QueueRow[]).map((r) => r.uri);
    },

    /**
     * A moderator looked and let it be: out of the queue, its reports resolved. A held post's
     * author is approved for that campaign (pre-moderation asks once per person); the caller
     * unhides the held posts returned, so the map follows live. Null when the post is unknown.
     */
    approve: db.transaction((uri: string, by: string): { release: string[] } | null => {
      const p = post(uri);
      if (!p) return null;
      const t = iso();
      stmt.review.run(p.id, by, t);
      stmt.resolveReports.run(t, p.id);
      const release = new Set<string>();
      const held = stmt.held.get(p.id) as { tag: string } | undefined;
      if (held) {
        release.add(uri);
        stmt.approveAccount.run(held.tag, p.acct, t);
        for (const r of stmt.heldOfAccount.all(held.tag, p.acct) as { uri: string }[])
          release.add(r.uri);
      }
      return { release: [...release] };
    }).immediate,

    /** The post was hidden or its author blocked: its reports are dealt with. */
    resolve(uri: string): void {
      const p = post(uri);
      if (p) stmt.resolveReports.run(iso(), p.id);
    },

    /** A visitor's report of someone on a map; null when they are not on it. */
    report(tag: string, acct: string, reason: string): { uri: string; open: number } | null {
      const c = (stmt.contributorPost.get(tag, acct) ?? stmt.linkedPost.get(acct, tag)) as
        { post_id: number; uri: string } | undefined;
      if (!c) return null;
      stmt.insertReport.run(tag, acct, c.post_id, reason, iso());
      return { uri: c.uri, open: (stmt.openReportsOf.get(c.post_id) as { n: number }).n };
    },

    premoderation: (tag: string) =>
      ((stmt.settings.get(tag) as { premoderation: number } | undefined)?.premoderation ?? 0) === 1,

    /** Switch pre-moderation; switching it on approves everyone already on the map. */
    setPremoderation: db.transaction((tag: string, on: boolean) => {
      stmt.setPremoderation.run(tag, on ? 1 : 0, iso());
      if (on) stmt.approveCurrent.run({ at: iso(), tag });
    }).immediate,

    /** Uris of every held post (they are hidden posts waiting for review, not moderators' hides). */
    heldUris: () =>
      new Set(
        (
          db.prepare('SELECT p.uri FROM held_posts h JOIN posts p ON p.id = h.post_id').all() as {
            uri: string;
          }[]
        ).map((r) => r.uri),
      ),

    /** How many people wait for a moderator before they can be shown on this map. */
    waiting: (tag: string) => (stmt.waiting.get(tag) as { n: number }).n,

    /** Uris of every held post of a campaign's pre-moderation (to release them all when it is switched off). */
    heldForPremoderation: (tag: string) =>
      (
        db
          .prepare(
            "SELECT p.uri FROM held_posts h JOIN posts p ON p.id = h.post_id WHERE h.tag = ? AND h.reason = 'pre-moderation'",
          )
          .all(tag) as { uri: string }[]
      ).map((r) => r.uri),

    filters: (tag: string): CampaignFilter[] =>
      (
        stmt.filters.all(tag) as {
          id: number;
          kind: 'word' | 'domain';
          value: string;
          action: 'hide' | 'hold';
          created_by: string;
          created_at: string;
        }[]
      ).map((f) => ({
        kind: f.kind,
        value: f.value,
        action: f.action,
        createdBy: f.created_by,
        createdAt: f.created_at,
      })),

    addFilter(tag: string, f: Pick<CampaignFilter, 'kind' | 'value' | 'action'>, by: string) {
      stmt.addFilter.run(tag, f.kind, f.value.toLowerCase(), f.action, by, iso());
    },

    removeFilter(tag: string, kind: string, value: string): boolean {
      return stmt.removeFilter.run(tag, kind, value.toLowerCase()).changes > 0;
    },
  };
}

export type Queue = ReturnType<typeof createQueue>;
