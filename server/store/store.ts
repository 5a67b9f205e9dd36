import type {
  ContributorCollection,
  ContributorFeature,
  LiveEvent,
  LiveEventMap,
  Place,
} from '../../shared/types.js';
import { toFeature, type ContributorRow } from './contributor-feature.js';
import type { Db } from './db.js';
import type { Located } from '../geo/types.js';
import type { Post } from '../post.js';

/** A live event as stored in the event log; `id` is the SSE event id. */
export type StoredEvent = LiveEvent & { id: number };

/** One post from one source, with the city the locator found (or null). */
export interface IngestItem {
  post: Post;
  located: Located | null;
  /** Instance origin the post was read from. */
  source: string;
  /** Campaign tags this post counts for (lower case). */
  campaignTags: string[];
  /**
   * Read from the account's home instance. Only the home instance's copy of a profile may
   * overwrite ours: other instances serve stale names and their own proxied avatar URLs.
   */
  authoritative?: boolean;
}

/** Where one source (instance × tag) has read to, saved in the same transaction as the posts it covers. */
export interface Cursor {
  /** `min_id` for the next forward poll; null before the first read. */
  newestId: string | null;
  /** `max_id` for the next backfill page. */
  oldestId: string | null;
  /** Statuses read while backfilling. */
  backfillCount: number;
  backfillDone: boolean;
}

export interface CursorUpdate extends Cursor {
  source: string;
  tag: string;
}

export interface StoreOptions {
  now?: () => Date;
}

export type Store = ReturnType<typeof createStore>;

const contributorSelect = `
  SELECT c.acct, a.display_name, a.url AS profile_url, a.avatar, p.url AS post_url,
         p.created_at AS posted_at, p.content, pl.id AS place_id, pl.name AS place_name,
         pl.admin1, pl.country, pl.lat, pl.lng
  FROM contributors c
  JOIN accounts a ON a.acct = c.acct
  JOIN posts p ON p.id = c.post_id
  JOIN places pl ON pl.id = c.place_id`;

/** The store: every read and write of the database goes through here. Statements are prepared once. */
export function createStore(db: Db, options: StoreOptions = {}) {
  const now = options.now ?? (() => new Date());
  const iso = () => now().toISOString();

  const stmt = {
    insertCampaign: db.prepare(
      'INSERT INTO campaigns (tag, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    campaigns: db.prepare('SELECT tag FROM campaigns ORDER BY created_at, tag'),
    campaignExists: db.prepare('SELECT 1 FROM campaigns WHERE tag = ?'),
    account: db.prepare('SELECT display_name, url, avatar FROM accounts WHERE acct = ?'),
    upsertAccount: db.prepare(`
      INSERT INTO accounts (acct, display_name, url, avatar, updated_at) VALUES (@acct, @displayName, @url, @avatar, @now)
      ON CONFLICT (acct) DO UPDATE SET display_name = excluded.display_name, url = excluded.url,
        avatar = excluded.avatar, updated_at = excluded.updated_at`),
    upsertPlace: db.prepare(`
      INSERT INTO places (id, name, admin1, country, lat, lng, population)
      VALUES (@id, @name, @admin1, @country, @lat, @lng, @population)
      ON CONFLICT (id) DO NOTHING`),
    postByUri: db.prepare('SELECT id, edited_at, deleted_at FROM posts WHERE uri = ?'),
    insertPost: db.prepare(`
      INSERT INTO posts (uri, acct, url, content, created_at, edited_at, language, place_id, confidence, matched, first_seen_at)
      VALUES (@uri, @acct, @url, @content, @createdAt, @editedAt, @language, @placeId, @confidence, @matched, @now)`),
    updatePost: db.prepare(`
      UPDATE posts SET content = @content, edited_at = @editedAt, language = @language, place_id = @placeId,
        confidence = @confidence, matched = @matched WHERE id = @id`),
    insertPostTag: db.prepare(
      'INSERT INTO post_tags (tag, post_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    insertPostSource: db.prepare(
      'INSERT INTO post_sources (source, local_id, post_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    postBySource: db.prepare('SELECT post_id FROM post_sources WHERE source = ? AND local_id = ?'),
    postTags: db.prepare('SELECT tag FROM post_tags WHERE post_id = ?'),
    postAcct: db.prepare('SELECT acct, deleted_at FROM posts WHERE id = ?'),
    markDeleted: db.prepare(
      "UPDATE posts SET deleted_at = ?, content = '', place_id = NULL, matched = NULL WHERE id = ?",
    ),
    latestLocated: db.prepare(`
      SELECT p.id, p.place_id FROM posts p JOIN post_tags t ON t.post_id = p.id AND t.tag = ?
      WHERE p.acct = ? AND p.deleted_at IS NULL AND p.place_id IS NOT NULL
      ORDER BY p.created_at DESC, p.id DESC LIMIT 1`),
    contributorRow: db.prepare(
      'SELECT post_id, place_id FROM contributors WHERE tag = ? AND acct = ?',
    ),
    upsertContributor: db.prepare(`
      INSERT INTO contributors (tag, acct, post_id, place_id, joined_at, updated_at) VALUES (@tag, @acct, @postId, @placeId, @now, @now)
      ON CONFLICT (tag, acct) DO UPDATE SET post_id = excluded.post_id, place_id = excluded.place_id, updated_at = excluded.updated_at`),
    deleteContributor: db.prepare('DELETE FROM contributors WHERE tag = ? AND acct = ?'),
    contributorTagsOf: db.prepare('SELECT tag FROM contributors WHERE acct = ?'),
    accountPosts: db.prepare('SELECT id FROM posts WHERE acct = ? AND deleted_at IS NULL'),
    contributors: db.prepare(`${contributorSelect} WHERE c.tag = ? ORDER BY c.joined_at, c.acct`),
    contributor: db.prepare(`${contributorSelect} WHERE c.tag = ? AND c.acct = ?`),
    insertEvent: db.prepare('INSERT INTO events (tag, type, data, created_at) VALUES (?, ?, ?, ?)'),
    eventsSince: db.prepare(
      'SELECT id, tag, type, data FROM events WHERE tag = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    cursor: db.prepare(
      'SELECT newest_id, oldest_id, backfill_count, backfill_done FROM cursors WHERE source = ? AND tag = ?',
    ),
    upsertCursor: db.prepare(`
      INSERT INTO cursors (source, tag, newest_id, oldest_id, backfill_count, backfill_done, updated_at)
      VALUES (@source, @tag, @newestId, @oldestId, @backfillCount, @backfillDone, @now)
      ON CONFLICT (source, tag) DO UPDATE SET newest_id = excluded.newest_id, oldest_id = excluded.oldest_id,
        backfill_count = excluded.backfill_count, backfill_done = excluded.backfill_done, updated_at = excluded.updated_at`),
  };

  function logEvent<K extends keyof LiveEventMap>(
    tag: string,
    type: K,
    data: LiveEventMap[K],
  ): StoredEvent {
    const { lastInsertRowid } = stmt.insertEvent.run(tag, type, JSON.stringify(data), iso());
    return { id: Number(lastInsertRowid), tag, type, data } as StoredEvent;
  }

  function contributorFeature(tag: string, acct: string): ContributorFeature | null {
    const row = stmt.contributor.get(tag, acct) as ContributorRow | undefined;
    return row ? toFeature(row) : null;
  }

  /** Bring one contributor row in line with their posts; returns the event when the map changes. */
  function recompute(tag: string, acct: string, force: boolean): StoredEvent | null {
    const latest = stmt.latestLocated.get(tag, acct) as
      { id: number; place_id: number } | undefined;
    const current = stmt.contributorRow.get(tag, acct) as
      { post_id: number; place_id: number } | undefined;
    if (!latest) {
      if (!current) return null;
      stmt.deleteContributor.run(tag, acct);
      return logEvent(tag, 'remove', { acct });
    }
    if (!force && current && current.post_id === latest.id && current.place_id === latest.place_id)
      return null;
    stmt.upsertContributor.run({
      tag,
      acct,
      postId: latest.id,
      placeId: latest.place_id,
      now: iso(),
    });
    return logEvent(tag, 'contributor', contributorFeature(tag, acct)!);
  }

  function upsertAccount(post: Post, authoritative: boolean): boolean {
    const a = post.account;
    const before = stmt.account.get(a.acct) as
      { display_name: string; url: string; avatar: string } | undefined;
    if (before && !authoritative) return false;
    stmt.upsertAccount.run({
      acct: a.acct,
      displayName: a.displayName,
      url: a.url,
      avatar: a.avatar,
      now: iso(),
    });
    return (
      !!before &&
      (before.display_name !== a.displayName || before.url !== a.url || before.avatar !== a.avatar)
    );
  }

  function savePlace(place: Place): void {
    stmt.upsertPlace.run(place);
  }

  /** Is the incoming copy a newer edit than the stored one? */
  function isNewerEdit(stored: string | null, incoming: string | null): boolean {
    return incoming !== null && (stored === null || Date.parse(incoming) > Date.parse(stored));
  }

  function ingestOne(item: IngestItem, events: StoredEvent[]): void {
    const { post, located } = item;
    const accountChanged = upsertAccount(post, item.authoritative ?? true);
    if (located) savePlace(located.place);
    const fields = {
      content: post.content,
      editedAt: post.editedAt,
      language: post.language,
      placeId: located?.place.id ?? null,
      confidence: located?.confidence ?? null,
      matched: located?.matched ?? null,
    };
    const existing = stmt.postByUri.get(post.uri) as
      { id: number; edited_at: string | null; deleted_at: string | null } | undefined;
    let postId: number;
    let postChanged = false;
    if (!existing) {
      const res = stmt.insertPost.run({
        ...fields,
        uri: post.uri,
        acct: post.account.acct,
        url: post.url,
        createdAt: post.createdAt,
        now: iso(),
      });
      postId = Number(res.lastInsertRowid);
      postChanged = true;
    } else {
      postId = existing.id;
      // A deleted post stays deleted even when a slower instance still lists it.
      if (existing.deleted_at) return;
      if (isNewerEdit(existing.edited_at, post.editedAt)) {
        stmt.updatePost.run({ ...fields, id: postId });
        postChanged = true;
      }
    }
    stmt.insertPostSource.run(item.source, post.localId, postId);
    for (const tag of item.campaignTags) {
      if (stmt.insertPostTag.run(tag, postId).changes > 0) postChanged = true;
    }
    if (!postChanged && !accountChanged) return;
    for (const tag of item.campaignTags) {
      const event = recompute(tag, post.account.acct, accountChanged);
      if (event) events.push(event);
    }
  }

  const ingestTx = db.transaction((items: IngestItem[], cursor?: CursorUpdate): StoredEvent[] => {
    const events: StoredEvent[] = [];
    for (const item of items) ingestOne(item, events);
    if (cursor)
      stmt.upsertCursor.run({ ...cursor, backfillDone: cursor.backfillDone ? 1 : 0, now: iso() });
    return events;
  });

  function removePost(postId: number, events: StoredEvent[]): void {
    const row = stmt.postAcct.get(postId) as
      { acct: string; deleted_at: string | null } | undefined;
    if (!row || row.deleted_at) return;
    const tags = (stmt.postTags.all(postId) as { tag: string }[]).map((r) => r.tag);
    stmt.markDeleted.run(iso(), postId);
    for (const tag of tags) {
      const event = recompute(tag, row.acct, false);
      if (event) events.push(event);
    }
  }

  return {
    /** Make sure the configured campaigns exist. */
    ensureCampaigns(tags: string[]): void {
      db.transaction(() => tags.forEach((t) => stmt.insertCampaign.run(t, iso())))();
    },

    campaigns(): string[] {
      return (stmt.campaigns.all() as { tag: string }[]).map((r) => r.tag);
    },

    hasCampaign(tag: string): boolean {
      return stmt.campaignExists.get(tag) !== undefined;
    },

    /**
     * Save posts (deduplicated by uri) and the source's cursor in one transaction, so a crash at any
     * moment loses nothing and duplicates nothing. Returns the live events for what really changed.
     */
    ingest(items: IngestItem[], cursor?: CursorUpdate): StoredEvent[] {
      return ingestTx(items, cursor);
    },

    /** A status deleted on an instance (by that instance's id). */
    deleteByLocalId(source: string, localId: string): StoredEvent[] {
      return db.transaction(() => {
        const events: StoredEvent[] = [];
        const row = stmt.postBySource.get(source, localId) as { post_id: number } | undefined;
        if (row) removePost(row.post_id, events);
        return events;
      })();
    },

    /** A status deleted at its origin (by uri). */
    deleteByUri(uri: string): StoredEvent[] {
      return db.transaction(() => {
        const events: StoredEvent[] = [];
        const row = stmt.postByUri.get(uri) as { id: number } | undefined;
        if (row) removePost(row.id, events);
        return events;
      })();
    },

    /** An account opted out: delete its posts and take it off every map. */
    forgetAccount(acct: string): StoredEvent[] {
      return db.transaction(() => {
        const events: StoredEvent[] = [];
        for (const { id } of stmt.accountPosts.all(acct) as { id: number }[])
          removePost(id, events);
        return events;
      })();
    },

    cursor(source: string, tag: string): Cursor {
      const row = stmt.cursor.get(source, tag) as
        | {
            newest_id: string | null;
            oldest_id: string | null;
            backfill_count: number;
            backfill_done: number;
          }
        | undefined;
      return {
        newestId: row?.newest_id ?? null,
        oldestId: row?.oldest_id ?? null,
        backfillCount: row?.backfill_count ?? 0,
        backfillDone: row?.backfill_done === 1,
      };
    },

    contributors(tag: string): ContributorCollection {
      const rows = stmt.contributors.all(tag) as ContributorRow[];
      return { type: 'FeatureCollection', features: rows.map(toFeature) };
    },

    contributor: contributorFeature,

    /** Events after `afterId` for one campaign, for SSE resume. */
    eventsSince(tag: string, afterId: number, limit = 1000): StoredEvent[] {
      const rows = stmt.eventsSince.all(tag, afterId, limit) as {
        id: number;
        tag: string;
        type: string;
        data: string;
      }[];
      return rows.map(
        (r) => ({ id: r.id, tag: r.tag, type: r.type, data: JSON.parse(r.data) }) as StoredEvent,
      );
    },
  };
}
