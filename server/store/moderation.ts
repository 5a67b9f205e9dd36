import type { ModerationState, UnlocatedPost } from '../../shared/admin.js';
import type { Db } from './db.js';
import { boundReason, reasons } from './locate-reason.js';

interface PlaceFixRow {
  uri: string;
  url: string;
  acct: string;
  place_id: number;
  created_at: string;
  name: string | null;
  admin1: string | null;
  country: string | null;
}

interface UnlocatedRow {
  id: number;
  uri: string;
  url: string;
  acct: string;
  content: string;
  spoiler_text: string;
  sensitive: number;
  created_at: string;
  locate_reason: string | null;
}

/**
 * The moderators' tables: hidden and blocked accounts, blocked domains, hidden posts and places
 * set by hand. Only the tables: bringing the map in line after a change is the store's (store.ts).
 */
export function createModeration(db: Db, iso: () => string) {
  const stmt = {
    hiddenAccounts: db.prepare(
      'SELECT acct, blocked, created_at FROM hidden_accounts ORDER BY acct',
    ),
    blockedDomains: db.prepare('SELECT domain, created_at FROM blocked_domains ORDER BY domain'),
    hiddenPosts: db.prepare(
      'SELECT p.uri, p.url, p.acct, h.created_at FROM hidden_posts h JOIN posts p ON p.id = h.post_id ORDER BY h.created_at',
    ),
    placeFixes: db.prepare(`
      SELECT p.uri, p.url, p.acct, f.place_id, f.created_at, pl.name, pl.admin1, pl.country
      FROM place_fixes f JOIN posts p ON p.id = f.post_id LEFT JOIN places pl ON pl.id = f.place_id
      ORDER BY f.created_at`),
    hideAccount: db.prepare(`
      INSERT INTO hidden_accounts (acct, blocked, created_at) VALUES (?, ?, ?)
      ON CONFLICT (acct) DO UPDATE SET blocked = CASE WHEN excluded.blocked > hidden_accounts.blocked
        THEN excluded.blocked ELSE hidden_accounts.blocked END`),
    unhideAccount: db.prepare('DELETE FROM hidden_accounts WHERE acct = ?'),
    blockDomain: db.prepare(
      'INSERT INTO blocked_domains (domain, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    unblockDomain: db.prepare('DELETE FROM blocked_domains WHERE domain = ?'),
    bumpVersion: db.prepare('UPDATE moderation_version SET n = n + 1 WHERE id = 1'),
    version: db.prepare('SELECT n FROM moderation_version WHERE id = 1').pluck(),
    hidePost: db.prepare(
      'INSERT INTO hidden_posts (post_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    unhidePost: db.prepare('DELETE FROM hidden_posts WHERE post_id = ?'),
    fixPlace: db.prepare(`
      INSERT INTO place_fixes (post_id, place_id, created_at) VALUES (?, ?, ?)
      ON CONFLICT (post_id) DO UPDATE SET place_id = excluded.place_id, created_at = excluded.created_at`),
    setPostPlace: db.prepare(
      'UPDATE posts SET place_id = ?, matched = NULL, confidence = 1, locate_reason = ? WHERE id = ? AND deleted_at IS NULL',
    ),
    unfixPlace: db.prepare('DELETE FROM place_fixes WHERE post_id = ?'),
    clearPostPlace: db.prepare(
      'UPDATE posts SET place_id = NULL, matched = NULL, confidence = NULL, locate_reason = ? WHERE id = ? AND deleted_at IS NULL',
    ),
    setGeocodedPlace: db.prepare(
      'UPDATE posts SET place_id = ?, matched = ?, confidence = ?, locate_reason = ? WHERE id = ? AND deleted_at IS NULL AND place_id IS NULL',
    ),
    accountsInDomain: db.prepare(
      "SELECT acct FROM accounts WHERE lower(acct) LIKE '%@' || lower(?)",
    ),
    handles: db.prepare('SELECT did, handle, updated_at FROM bluesky_handles'),
    handlesSince: db.prepare(
      'SELECT did, handle, updated_at FROM bluesky_handles WHERE updated_at >= ? ORDER BY updated_at',
    ),
    setHandle: db.prepare(`
      INSERT INTO bluesky_handles (did, handle, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (did) DO UPDATE SET handle = excluded.handle, updated_at = excluded.updated_at`),
    unlocated: db.prepare(`
      SELECT p.id, p.uri, p.url, p.acct, p.content, p.spoiler_text, p.sensitive, p.created_at, p.locate_reason FROM posts p
      JOIN post_tags t ON t.post_id = p.id AND t.tag = ?
      WHERE p.place_id IS NULL AND p.deleted_at IS NULL AND p.id < ?
        AND NOT EXISTS (SELECT 1 FROM hidden_posts h WHERE h.post_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM hidden_accounts a WHERE a.acct = p.acct)
        AND NOT EXISTS (SELECT 1 FROM blocked_domains d
          WHERE d.domain = lower(substr(p.acct, instr(p.acct, '@') + 1)))
        AND NOT EXISTS (SELECT 1 FROM bluesky_handles h JOIN blocked_domains d
          ON h.handle = d.domain OR substr(h.handle, length(h.handle) - length(d.domain)) = '.' || d.domain
          WHERE h.did = p.acct)
      ORDER BY p.id DESC LIMIT ?`),
  };

  // Moderation is read on every ingested post: keep it in memory, with the tables as the record.
  // Other processes on the same database change the tables too: the version they move says when
  // to read them again (`refresh`, before each write).
  let hidden = new Map<string, boolean>();
  let blockedDomains = new Set<string>();
  let version: number | undefined;
  function load(): void {
    version = stmt.version.get() as number;
    hidden = new Map(
      (stmt.hiddenAccounts.all() as { acct: string; blocked: number }[]).map((r) => [
        r.acct,
        r.blocked === 1,
      ]),
    );
    blockedDomains = new Set(
      (stmt.blockedDomains.all() as { domain: string }[]).map((r) => r.domain),
    );
  }
  load();
  const domainOf = (acct: string) => acct.slice(acct.lastIndexOf('@') + 1).toLowerCase();
  // A Bluesky author (acct = DID) is under a domain through their handle: DID → handle.
  // Another process (the collector) sets handles too: `refresh` reads those set since the newest
  // one seen, so a domain blocked on a serving process finds every handle under it.
  type HandleRow = { did: string; handle: string; updated_at: string };
  const handles = new Map<string, string>();
  let handlesAt = '';
  const readHandles = (rows: HandleRow[]) => {
    for (const r of rows) {
      handles.set(r.did, r.handle);
      if (r.updated_at > handlesAt) handlesAt = r.updated_at;
    }
  };
  readHandles(stmt.handles.all() as HandleRow[]);

  /** The blocked domain `handle` is, or is under (`alice.example.com` is under `example.com`), or null. */
  function blockedHandleDomain(handle: string): string | null {
    const parts = handle.toLowerCase().split('.');
    for (let i = 0; i < parts.length - 1; i++) {
      const domain = parts.slice(i).join('.');
      if (blockedDomains.has(domain)) return domain;
    }
    return null;
  }

  return {
    /** Is this account hidden or blocked, or its domain (for a DID: its handle's) blocked? */
    isBlocked(acct: string): boolean {
      if (hidden.has(acct)) return true;
      if (!acct.startsWith('did:')) return blockedDomains.has(domainOf(acct));
      const handle = handles.get(acct);
      return handle !== undefined && blockedHandleDomain(handle) !== null;
    },

    blockedHandleDomain,

    /** The handle last stored for a Bluesky author (lower case), or undefined. */
    handleOf: (did: string): string | undefined => handles.get(did),

    /** A Bluesky author's handle, as the AppView read it. */
    setHandle(did: string, handle: string): void {
      const h = handle.toLowerCase();
      stmt.setHandle.run(did, h, iso());
      handles.set(did, h);
    },

    /** Read the hidden accounts and blocked domains again if another process changed them, and the handles it set. */
    refresh(): void {
      if (stmt.version.get() !== version) load();
      readHandles(stmt.handlesSince.all(handlesAt) as HandleRow[]);
    },

    hideAccount(acct: string, block: boolean): void {
      stmt.hideAccount.run(acct, block ? 1 : 0, iso());
      stmt.bumpVersion.run();
      hidden.set(acct, block || (hidden.get(acct) ?? false));
    },

    unhideAccount(acct: string): void {
      stmt.unhideAccount.run(acct);
      stmt.bumpVersion.run();
      hidden.delete(acct);
    },

    /** `domain` in lower case. */
    blockDomain(domain: string): void {
      stmt.blockDomain.run(domain, iso());
      stmt.bumpVersion.run();
      blockedDomains.add(domain);
    },

    unblockDomain(domain: string): void {
      stmt.unblockDomain.run(domain);
      stmt.bumpVersion.run();
      blockedDomains.delete(domain);
    },

    /** Every stored account @domain (lower case), and every Bluesky author whose handle is it or under it. */
    accountsInDomain(domain: string): string[] {
      const accts = (stmt.accountsInDomain.all(domain) as { acct: string }[]).map((r) => r.acct);
      readHandles(stmt.handlesSince.all(handlesAt) as HandleRow[]); // another process's, too
      for (const [did, handle] of handles)
        if (handle === domain || handle.endsWith(`.${domain}`)) accts.push(did);
      return accts;
    },

    hidePost(postId: number): void {
      stmt.hidePost.run(postId, iso());
    },

    unhidePost(postId: number): void {
      stmt.unhidePost.run(postId);
    },

    /** A moderator's place for a post: it wins over the locator, also after an edit. */
    fixPlace(postId: number, placeId: number): void {
      stmt.fixPlace.run(postId, placeId, iso());
      stmt.setPostPlace.run(placeId, reasons.byModerator, postId);
    },

    /** Undo fixPlace: the post names no city again. No change when it was not placed by hand. */
    unfixPlace(postId: number): void {
      if (stmt.unfixPlace.run(postId).changes > 0)
        stmt.clearPostPlace.run(reasons.undoneByModerator, postId);
    },

    /** The online geocoder's answer for a post still without a city (one placed meanwhile is left alone). */
    setGeocodedPlace(postId: number, placeId: number, matched: string, confidence: number): void {
      stmt.setGeocodedPlace.run(
        placeId,
        matched,
        confidence,
        boundReason(reasons.byGeocoder(matched)),
        postId,
      );
    },

    /** Posts with the tag that named no city and are not hidden, latest stored first. */
    unlocatedPosts(tag: string, limit: number, beforeId: number): UnlocatedPost[] {
      return (stmt.unlocated.all(tag, beforeId, limit) as UnlocatedRow[]).map((r) => ({
        id: r.id,
        uri: r.uri,
        url: r.url,
        acct: r.acct,
        content: r.content,
        contentWarning: r.spoiler_text || null,
        sensitive: r.spoiler_text !== '' || r.sensitive === 1,
        createdAt: r.created_at,
        reason: r.locate_reason,
      }));
    },

    /** Everything moderators have done, for the admin page. */
    state(): ModerationState {
      return {
        hiddenAccounts: (
          stmt.hiddenAccounts.all() as { acct: string; blocked: number; created_at: string }[]
        ).map((r) => ({ acct: r.acct, blocked: r.blocked === 1, at: r.created_at })),
        blockedDomains: (stmt.blockedDomains.all() as { domain: string; created_at: string }[]).map(
          (r) => ({ domain: r.domain, at: r.created_at }),
        ),
        hiddenPosts: (
          stmt.hiddenPosts.all() as { uri: string; url: string; acct: string; created_at: string }[]
        ).map((r) => ({ uri: r.uri, url: r.url, acct: r.acct, at: r.created_at })),
        placeFixes: (stmt.placeFixes.all() as PlaceFixRow[]).map((r) => ({
          uri: r.uri,
          url: r.url,
          acct: r.acct,
          placeId: r.place_id,
          place: r.name === null ? null : { name: r.name, admin1: r.admin1, country: r.country! },
          at: r.created_at,
        })),
      };
    },
  };
}

export type Moderation = ReturnType<typeof createModeration>;
