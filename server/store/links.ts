import { networkOf } from '../../shared/network.js';
import type { LinkNames } from '../model/account-links.js';
import type { Db } from './db.js';

/**
 * Linked accounts (tables `account_names`, `account_links`): each account's names as the collector
 * read them from its profile (server/model/account-links.ts), and the fediverse–Bluesky pairs whose
 * names meet both ways. Which of them are shown as one person is the contributors' business: a
 * pair counts only when it is each account's one link, and both are on the map on their own.
 */
export function createLinks(db: Db) {
  const stmt = {
    names: db.prepare('SELECT claim, key FROM account_names WHERE acct = ? ORDER BY claim, key'),
    deleteNames: db.prepare('DELETE FROM account_names WHERE acct = ?'),
    insertName: db.prepare(
      'INSERT INTO account_names (acct, claim, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    // Accounts known by a key `acct` claims, that claim a key `acct` is known by.
    mutual: db
      .prepare(
        `SELECT DISTINCT s.acct FROM account_names c
         JOIN account_names s ON s.key = c.key AND s.claim = 0 AND s.acct <> c.acct
         WHERE c.acct = @acct AND c.claim = 1
           AND EXISTS (SELECT 1 FROM account_names o JOIN account_names me ON me.key = o.key AND me.claim = 0 AND me.acct = @acct
                       WHERE o.acct = s.acct AND o.claim = 1)`,
      )
      .pluck(),
    links: db
      .prepare(
        'SELECT bluesky FROM account_links WHERE fediverse = ? UNION ALL SELECT fediverse FROM account_links WHERE bluesky = ?',
      )
      .pluck(),
    deleteLinks: db.prepare('DELETE FROM account_links WHERE fediverse = ? OR bluesky = ?'),
    insertLink: db.prepare(
      'INSERT INTO account_links (fediverse, bluesky) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
  };

  const linksOf = (acct: string) => stmt.links.all(acct, acct) as string[];

  /** The one account `acct` is linked with, when each is the other's only link; else null. */
  function partnerOf(acct: string): string | null {
    const mine = linksOf(acct);
    if (mine.length !== 1) return null;
    const other = mine[0]!;
    return linksOf(other).length === 1 ? other : null;
  }

  /**
   * Replace the links of `acct` by what the names now say, and return every account whose partner
   * changed (the account, its old and new partners, and theirs: one new link can undo another's
   * uniqueness).
   */
  function relink(acct: string): string[] {
    const mine = networkOf(acct);
    const now = (stmt.mutual.all({ acct }) as string[]).filter((o) => networkOf(o) !== mine);
    const near = new Set<string>([acct, ...linksOf(acct), ...now]);
    for (const a of [...near]) for (const b of linksOf(a)) near.add(b);
    const before = new Map([...near].map((a) => [a, partnerOf(a)]));
    stmt.deleteLinks.run(acct, acct);
    for (const other of now)
      if (mine === 'fediverse') stmt.insertLink.run(acct, other);
      else stmt.insertLink.run(other, acct);
    return [...near].filter((a) => before.get(a) !== partnerOf(a));
  }

  return {
    partnerOf,

    /**
     * Save an account's names; when they differ from the stored ones, re-link it and return the
     * accounts whose partner changed (to be settled on the map), else [].
     */
    saveNames(acct: string, names: LinkNames): string[] {
      const want = [
        ...new Set(names.self.map((k) => `0 ${k}`)),
        ...new Set(names.claims.map((k) => `1 ${k}`)),
      ].sort();
      const have = (stmt.names.all(acct) as { claim: number; key: string }[])
        .map((r) => `${r.claim} ${r.key}`)
        .sort();
      if (want.length === have.length && want.every((k, i) => k === have[i])) return [];
      stmt.deleteNames.run(acct);
      for (const k of want) stmt.insertName.run(acct, Number(k[0]), k.slice(2));
      return relink(acct);
    },

    /** Forget an account's names (it opted out or left): its pair splits. Returns who changed partner. */
    forget(acct: string): string[] {
      if (stmt.names.all(acct).length === 0) return [];
      stmt.deleteNames.run(acct);
      return relink(acct);
    },
  };
}

export type Links = ReturnType<typeof createLinks>;
