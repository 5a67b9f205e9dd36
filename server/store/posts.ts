import type { Place } from '../../shared/types.js';
import type { Located } from '../geo/types.js';
import type { Post } from '../model/post.js';
import type { Db } from './db.js';
import { boundReason, reasons } from './locate-reason.js';

/** One post from one source, with the city the locator found (or null). */
export interface IngestItem {
  post: Post;
  /** The city, with the locator's one-line `reason`, which the store keeps for the admin page. */
  located: Located | null;
  /**
   * Why there is no city, in one line, when `located` is null (the locator gave none, or failed):
   * kept as the post's reason the way a located post's `located.reason` is.
   */
  unplaced?: string;
  /** Instance origin, relay or aggregator URL the post was read from (the first one is kept per post, for reach). */
  source: string;
  /** Campaign tags this post counts for (lower case). */
  campaignTags: string[];
  /**
   * Read from the account's home instance. Only the home instance's copy of a profile may
   * overwrite ours: other instances serve stale names and their own proxied avatar URLs.
   */
  authoritative?: boolean;
}

/** An account as stored (snake_case, as SQL returns it). */
export interface AccountRow {
  display_name: string;
  emojis: string;
  url: string;
  avatar: string;
}

/** What saving one item did: null when the post was deleted before (it stays deleted). */
export interface SavedPost {
  postId: number;
  /** A new post, not one seen from another source. */
  inserted: boolean;
  /** The post is new, a newer edit, or counts for a campaign it did not before. */
  changed: boolean;
  /** The stored copy was replaced by a newer edit. */
  edited: boolean;
  /** 'new' when the account was first seen, 'changed' when an authoritative copy differs. */
  account: 'new' | 'changed' | 'same';
}

/** Is the incoming copy a newer edit than the stored one? */
function isNewerEdit(stored: string | null, incoming: string | null): boolean {
  return incoming !== null && (stored === null || Date.parse(incoming) > Date.parse(stored));
}

/**
 * Posts with their accounts, places, campaign tags and sources, and the reach counts those
 * sources earn (tables `posts`, `accounts`, `places`, `post_tags`, `post_sources`, `reach_counts`).
 */
export function createPosts(db: Db, iso: () => string) {
  const stmt = {
    account: db.prepare('SELECT display_name, emojis, url, avatar FROM accounts WHERE acct = ?'),
    upsertAccount: db.prepare(`
      INSERT INTO accounts (acct, display_name, emojis, url, avatar, updated_at) VALUES (@acct, @displayName, @emojis, @url, @avatar, @now)
      ON CONFLICT (acct) DO UPDATE SET display_name = excluded.display_name, emojis = excluded.emojis,
        url = excluded.url, avatar = excluded.avatar, updated_at = excluded.updated_at`),
    insertAccount: db.prepare(`
      INSERT INTO accounts (acct, display_name, emojis, url, avatar, updated_at) VALUES (@acct, @displayName, @emojis, @url, @avatar, @now)
      ON CONFLICT (acct) DO NOTHING`),
    upsertPlace: db.prepare(`
      INSERT INTO places (id, name, admin1, country, lat, lng, population)
      VALUES (@id, @name, @admin1, @country, @lat, @lng, @population)
      ON CONFLICT (id) DO NOTHING`),
    postByUri: db.prepare('SELECT id, edited_at, deleted_at FROM posts WHERE uri = ?'),
    insertPost: db
      .prepare(
        `
      INSERT INTO posts (uri, acct, url, content, spoiler_text, sensitive, created_at, edited_at, language, place_id, confidence, matched, locate_reason, first_seen_at, first_source)
      VALUES (@uri, @acct, @url, @content, @spoilerText, @sensitive, @createdAt, @editedAt, @language, @placeId, @confidence, @matched, @reason, @now, @source)
      ON CONFLICT (uri) DO NOTHING RETURNING id`,
      )
      .pluck(),
    // A place fixed by hand survives the author editing the post, and so does its reason.
    updatePost: db.prepare(`
      UPDATE posts SET content = @content, spoiler_text = @spoilerText, sensitive = @sensitive,
        edited_at = @editedAt, language = @language,
        place_id = COALESCE((SELECT place_id FROM place_fixes WHERE post_id = @id), @placeId),
        locate_reason = CASE WHEN EXISTS (SELECT 1 FROM place_fixes WHERE post_id = @id)
          THEN @fixedReason ELSE @reason END,
        confidence = @confidence, matched = @matched WHERE id = @id`),
    insertPostTag: db.prepare(
      'INSERT INTO post_tags (tag, post_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    insertPostSource: db.prepare(
      'INSERT INTO post_sources (source, local_id, post_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    // After adding a (source, post) pair: did the post just stop being one source's alone?
    postSourcesAfterAdd: db.prepare(`
      SELECT count(DISTINCT source) AS d, sum(CASE WHEN source = @source THEN 1 ELSE 0 END) AS mine,
        min(CASE WHEN source <> @source THEN source END) AS other
      FROM post_sources WHERE post_id = @postId`),
    addReach: db.prepare(`
      INSERT INTO reach_counts (source, posts_first, posts_only) VALUES (?, ?, ?)
      ON CONFLICT (source) DO UPDATE SET posts_first = reach_counts.posts_first + excluded.posts_first,
        posts_only = reach_counts.posts_only + excluded.posts_only`),
    postBySource: db.prepare('SELECT post_id FROM post_sources WHERE source = ? AND local_id = ?'),
    postTags: db.prepare('SELECT tag FROM post_tags WHERE post_id = ?'),
    postAcct: db.prepare('SELECT acct, deleted_at FROM posts WHERE id = ?'),
    markDeleted: db.prepare(
      "UPDATE posts SET deleted_at = ?, content = '', spoiler_text = '', place_id = NULL, matched = NULL, locate_reason = NULL WHERE id = ?",
    ),
    accountPosts: db.prepare('SELECT id FROM posts WHERE acct = ? AND deleted_at IS NULL'),
    refreshAccount: db.prepare(`
      UPDATE accounts SET display_name = @displayName, url = @url, avatar = @avatar, updated_at = @now
      WHERE acct = @acct AND (display_name <> @displayName OR url <> @url OR avatar <> @avatar)`),
    postTagsOfAccount: db.prepare(
      'SELECT DISTINCT t.tag FROM post_tags t JOIN posts p ON p.id = t.post_id WHERE p.acct = ?',
    ),
  };

  /** Save the profile; 'new' when first seen, 'changed' when an authoritative copy differs. */
  function upsertAccount(post: Post, authoritative: boolean): SavedPost['account'] {
    const a = post.account;
    const row = {
      acct: a.acct,
      displayName: a.displayName,
      emojis: JSON.stringify(a.emojis),
      url: a.url,
      avatar: a.avatar,
      now: iso(),
    };
    if (stmt.insertAccount.run(row).changes > 0) return 'new';
    const before = stmt.account.get(a.acct) as AccountRow | undefined;
    if (before && !authoritative) return 'same';
    stmt.upsertAccount.run(row);
    return before &&
      (before.display_name !== a.displayName ||
        before.emojis !== row.emojis ||
        before.url !== a.url ||
        before.avatar !== a.avatar)
      ? 'changed'
      : 'same';
  }

  // Places never change (GeoNames rows): write each once per process.
  const savedPlaces = new Set<number>();
  function savePlace(place: Place): void {
    if (savedPlaces.has(place.id)) return;
    stmt.upsertPlace.run(place);
    savedPlaces.add(place.id);
  }

  /** Reach counts changed by the batch in hand, written once per source at its end. */
  const reach = new Map<string, { first: number; only: number }>();
  function reachDelta(source: string, first: number, only: number): void {
    const d = reach.get(source);
    if (d) {
      d.first += first;
      d.only += only;
    } else reach.set(source, { first, only });
  }

  /** A post one source had alone and another just delivered: it is no longer that source's only. */
  function countSource(source: string, postId: number, inserted: boolean, added: boolean): void {
    if (inserted) reachDelta(source, 1, 1);
    else if (added) {
      const after = stmt.postSourcesAfterAdd.get({ source, postId }) as {
        d: number;
        mine: number;
        other: string | null;
      };
      // A second id from the same source changes nothing.
      if (after.mine === 1 && after.d === 2 && after.other !== null) reachDelta(after.other, 0, -1);
    }
  }

  const tagsOf = (postId: number) =>
    (stmt.postTags.all(postId) as { tag: string }[]).map((r) => r.tag);

  return {
    savePlace,

    /** Forget which places were written: a rolled-back transaction took them with it. */
    forgetPlaces(): void {
      savedPlaces.clear();
    },

    /**
     * The profile a post's author has as stored: the post's own copy when `save` just created the
     * account, otherwise the row (it may be another instance's copy, which this one did not replace).
     */
    accountOf(post: Post, justCreated: boolean): AccountRow {
      const a = post.account;
      return justCreated
        ? {
            display_name: a.displayName,
            emojis: JSON.stringify(a.emojis),
            url: a.url,
            avatar: a.avatar,
          }
        : (stmt.account.get(a.acct) as AccountRow);
    },

    /**
     * Save one item's account, place, post, source and tags (deduplicated by uri; a deleted post
     * stays deleted even when a slower instance still lists it). Call inside a batch.
     */
    save(item: IngestItem): SavedPost | null {
      const { post, located } = item;
      const account = upsertAccount(post, item.authoritative ?? true);
      if (located) savePlace(located.place);
      const fields = {
        content: post.content,
        spoilerText: post.spoilerText,
        sensitive: post.sensitive ? 1 : 0,
        editedAt: post.editedAt,
        language: post.language,
        placeId: located?.place.id ?? null,
        confidence: located?.confidence ?? null,
        matched: located?.matched ?? null,
        // The reason quotes the post: it goes where the text goes (a delete drops both).
        reason: boundReason(located ? located.reason : item.unplaced),
      };
      const insertedId = stmt.insertPost.get({
        ...fields,
        uri: post.uri,
        acct: post.account.acct,
        url: post.url,
        createdAt: post.createdAt,
        now: iso(),
        source: item.source,
      });
      const inserted = insertedId !== undefined;
      let postId = Number(insertedId);
      let edited = false;
      if (!inserted) {
        const existing = stmt.postByUri.get(post.uri) as {
          id: number;
          edited_at: string | null;
          deleted_at: string | null;
        };
        postId = existing.id;
        if (existing.deleted_at) return null;
        if (isNewerEdit(existing.edited_at, post.editedAt)) {
          stmt.updatePost.run({ ...fields, id: postId, fixedReason: reasons.byModerator });
          edited = true;
        }
      }
      const added = stmt.insertPostSource.run(item.source, post.localId, postId).changes > 0;
      countSource(item.source, postId, inserted, added);
      let changed = inserted || edited;
      for (const tag of item.campaignTags) {
        if (stmt.insertPostTag.run(tag, postId).changes > 0) changed = true;
      }
      return { postId, inserted, changed, edited, account };
    },

    /** Start a batch of saves (the reach counts are summed over it). */
    beginBatch(): void {
      reach.clear();
    },

    /** Write the batch's reach counts. */
    endBatch(): void {
      for (const [source, d] of reach) stmt.addReach.run(source, d.first, d.only);
      reach.clear();
    },

    /** A profile read anew (a Bluesky author's AppView profile): true when the stored one differed. */
    refreshAccount(
      acct: string,
      profile: { displayName: string; url: string; avatar: string },
    ): boolean {
      return stmt.refreshAccount.run({ acct, ...profile, now: iso() }).changes > 0;
    },

    /** Mark a post deleted and drop its text and city; its author and tags, or null when already gone. */
    markDeleted(postId: number): { acct: string; tags: string[] } | null {
      const row = stmt.postAcct.get(postId) as
        { acct: string; deleted_at: string | null } | undefined;
      if (!row || row.deleted_at) return null;
      const tags = tagsOf(postId);
      stmt.markDeleted.run(iso(), postId);
      return { acct: row.acct, tags };
    },

    idByUri: (uri: string) => (stmt.postByUri.get(uri) as { id: number } | undefined)?.id ?? null,

    /** The post a source knows by its own id. */
    idByLocalId: (source: string, localId: string) =>
      (stmt.postBySource.get(source, localId) as { post_id: number } | undefined)?.post_id ?? null,

    /** An account's posts not deleted. */
    idsOfAccount: (acct: string) =>
      (stmt.accountPosts.all(acct) as { id: number }[]).map((r) => r.id),

    acctOf: (postId: number) => (stmt.postAcct.get(postId) as { acct: string }).acct,

    tagsOf,

    /** Every campaign an account ever posted for. */
    tagsOfAccount: (acct: string) =>
      (stmt.postTagsOfAccount.all(acct) as { tag: string }[]).map((r) => r.tag),
  };
}

export type Posts = ReturnType<typeof createPosts>;
