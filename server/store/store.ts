import type {
  ContributorCollection,
  ContributorFeature,
  LiveEventMap,
  Place,
  PostExcerpt,
} from '../../shared/types.js';
import type { ModerationState, UnlocatedPost } from '../../shared/admin.js';
import { createCampaignQueries } from './campaign-queries.js';
import {
  contributorSelect,
  toFeature,
  toPostExcerpt,
  type ContributorRow,
} from './contributor-feature.js';
import type { Db } from './db.js';
import { createEventLog, type EventLogOptions, type StoredEvent } from './event-log.js';
import type { Located } from '../geo/types.js';
import type { Post } from '../model/post.js';

/** A live event as stored in the event log; `id` is the SSE event id. */
export type { StoredEvent } from './event-log.js';

/** One post from one source, with the city the locator found (or null). */
export interface IngestItem {
  post: Post;
  located: Located | null;
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
  /** How long and how much of the SSE event log to keep (the clock is the store's). */
  eventLog?: Omit<EventLogOptions, 'now'>;
}

/** A contributor who appeared, moved or left, reported after the transaction commits (for in-memory indexes). */
export interface ContributorChange {
  tag: string;
  acct: string;
  /** City before the change, or null when they were not on the map. */
  from: number | null;
  /** City after the change, or null when they left the map. */
  to: number | null;
  /** When they joined this campaign's map (ISO): set when they appear or leave, for joins per day. */
  joinedAt?: string;
}

// The admin API's shapes are the contract with the /admin page.
export type { ModerationState, UnlocatedPost };

export type Store = ReturnType<typeof createStore>;

/** The store: every read and write of the database goes through here. Statements are prepared once. */
export function createStore(db: Db, options: StoreOptions = {}) {
  const now = options.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const eventLog = createEventLog(db, { ...options.eventLog, now });

  const stmt = {
    insertCampaign: db.prepare(
      'INSERT INTO campaigns (tag, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    campaigns: db.prepare('SELECT tag FROM campaigns ORDER BY created_at, tag'),
    campaignExists: db.prepare('SELECT 1 FROM campaigns WHERE tag = ?'),
    account: db.prepare('SELECT display_name, emojis, url, avatar FROM accounts WHERE acct = ?'),
    upsertAccount: db.prepare(`
      INSERT INTO accounts (acct, display_name, emojis, url, avatar, updated_at) VALUES (@acct, @displayName, @emojis, @url, @avatar, @now)
      ON CONFLICT (acct) DO UPDATE SET display_name = excluded.display_name, emojis = excluded.emojis,
        url = excluded.url, avatar = excluded.avatar, updated_at = excluded.updated_at`),
    upsertPlace: db.prepare(`
      INSERT INTO places (id, name, admin1, country, lat, lng, population)
      VALUES (@id, @name, @admin1, @country, @lat, @lng, @population)
      ON CONFLICT (id) DO NOTHING`),
    postByUri: db.prepare('SELECT id, edited_at, deleted_at FROM posts WHERE uri = ?'),
    insertPost: db.prepare(`
      INSERT INTO posts (uri, acct, url, content, spoiler_text, sensitive, created_at, edited_at, language, place_id, confidence, matched, first_seen_at, first_source)
      VALUES (@uri, @acct, @url, @content, @spoilerText, @sensitive, @createdAt, @editedAt, @language, @placeId, @confidence, @matched, @now, @source)
      ON CONFLICT (uri) DO NOTHING`),
    insertAccount: db.prepare(`
      INSERT INTO accounts (acct, display_name, emojis, url, avatar, updated_at) VALUES (@acct, @displayName, @emojis, @url, @avatar, @now)
      ON CONFLICT (acct) DO NOTHING`),
    // A place fixed by hand survives the author editing the post.
    updatePost: db.prepare(`
      UPDATE posts SET content = @content, spoiler_text = @spoilerText, sensitive = @sensitive,
        edited_at = @editedAt, language = @language,
        place_id = COALESCE((SELECT place_id FROM place_fixes WHERE post_id = @id), @placeId),
        confidence = @confidence, matched = @matched WHERE id = @id`),
    insertPostTag: db.prepare(
      'INSERT INTO post_tags (tag, post_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    insertPostSource: db.prepare(
      'INSERT INTO post_sources (source, local_id, post_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    // After adding a (source, post) pair: did the post just stop being one source's alone?
    postSourcesAfterAdd: db.prepare(`
      SELECT count(DISTINCT source) AS d, sum(source = @source) AS mine,
        min(CASE WHEN source <> @source THEN source END) AS other
      FROM post_sources WHERE post_id = @postId`),
    addReach: db.prepare(`
      INSERT INTO reach_counts (source, posts_first, posts_only) VALUES (?, ?, ?)
      ON CONFLICT (source) DO UPDATE SET posts_first = posts_first + excluded.posts_first,
        posts_only = posts_only + excluded.posts_only`),
    postBySource: db.prepare('SELECT post_id FROM post_sources WHERE source = ? AND local_id = ?'),
    postTags: db.prepare('SELECT tag FROM post_tags WHERE post_id = ?'),
    postAcct: db.prepare('SELECT acct, deleted_at FROM posts WHERE id = ?'),
    markDeleted: db.prepare(
      "UPDATE posts SET deleted_at = ?, content = '', spoiler_text = '', place_id = NULL, matched = NULL WHERE id = ?",
    ),
    latestLocated: db.prepare(`
      SELECT p.id, p.place_id FROM posts p JOIN post_tags t ON t.post_id = p.id AND t.tag = ?
      WHERE p.acct = ? AND p.deleted_at IS NULL AND p.place_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM hidden_posts h WHERE h.post_id = p.id)
      ORDER BY p.created_at DESC, p.id DESC LIMIT 1`),
    contributorRow: db.prepare(
      'SELECT post_id, place_id, joined_at FROM contributors WHERE tag = ? AND acct = ?',
    ),
    upsertContributor: db.prepare(`
      INSERT INTO contributors (tag, acct, post_id, place_id, joined_at, updated_at) VALUES (@tag, @acct, @postId, @placeId, @now, @now)
      ON CONFLICT (tag, acct) DO UPDATE SET post_id = excluded.post_id, place_id = excluded.place_id, updated_at = excluded.updated_at`),
    insertContributor: db.prepare(`
      INSERT INTO contributors (tag, acct, post_id, place_id, joined_at, updated_at) VALUES (@tag, @acct, @postId, @placeId, @now, @now)
      ON CONFLICT (tag, acct) DO NOTHING`),
    deleteContributor: db.prepare('DELETE FROM contributors WHERE tag = ? AND acct = ?'),
    contributorTagsOf: db.prepare('SELECT tag FROM contributors WHERE acct = ?'),
    accountPosts: db.prepare('SELECT id FROM posts WHERE acct = ? AND deleted_at IS NULL'),
    contributors: db.prepare(`${contributorSelect} WHERE c.tag = ? ORDER BY c.joined_at, c.acct`),
    contributor: db.prepare(`${contributorSelect} WHERE c.tag = ? AND c.acct = ?`),
    insertEvent: db.prepare('INSERT INTO events (tag, type, data, created_at) VALUES (?, ?, ?, ?)'),
    cursor: db.prepare(
      'SELECT newest_id, oldest_id, backfill_count, backfill_done FROM cursors WHERE source = ? AND tag = ?',
    ),
    upsertCursor: db.prepare(`
      INSERT INTO cursors (source, tag, newest_id, oldest_id, backfill_count, backfill_done, updated_at)
      VALUES (@source, @tag, @newestId, @oldestId, @backfillCount, @backfillDone, @now)
      ON CONFLICT (source, tag) DO UPDATE SET newest_id = excluded.newest_id, oldest_id = excluded.oldest_id,
        backfill_count = excluded.backfill_count, backfill_done = excluded.backfill_done, updated_at = excluded.updated_at`),
    recheckCursor: db.prepare('SELECT after_post_id FROM recheck_cursors WHERE source = ?'),
    upsertRecheckCursor: db.prepare(`
      INSERT INTO recheck_cursors (source, after_post_id, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (source) DO UPDATE SET after_post_id = excluded.after_post_id, updated_at = excluded.updated_at`),
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
      ON CONFLICT (acct) DO UPDATE SET blocked = max(blocked, excluded.blocked)`),
    unhideAccount: db.prepare('DELETE FROM hidden_accounts WHERE acct = ?'),
    blockDomain: db.prepare(
      'INSERT INTO blocked_domains (domain, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    unblockDomain: db.prepare('DELETE FROM blocked_domains WHERE domain = ?'),
    hidePost: db.prepare(
      'INSERT INTO hidden_posts (post_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    unhidePost: db.prepare('DELETE FROM hidden_posts WHERE post_id = ?'),
    fixPlace: db.prepare(`
      INSERT INTO place_fixes (post_id, place_id, created_at) VALUES (?, ?, ?)
      ON CONFLICT (post_id) DO UPDATE SET place_id = excluded.place_id, created_at = excluded.created_at`),
    setPostPlace: db.prepare(
      'UPDATE posts SET place_id = ?, matched = NULL, confidence = 1 WHERE id = ? AND deleted_at IS NULL',
    ),
    unfixPlace: db.prepare('DELETE FROM place_fixes WHERE post_id = ?'),
    clearPostPlace: db.prepare(
      'UPDATE posts SET place_id = NULL, matched = NULL, confidence = NULL WHERE id = ? AND deleted_at IS NULL',
    ),
    setGeocodedPlace: db.prepare(
      'UPDATE posts SET place_id = ?, matched = ?, confidence = ? WHERE id = ? AND deleted_at IS NULL AND place_id IS NULL',
    ),
    postTagsOfAccount: db.prepare(
      'SELECT DISTINCT t.tag FROM post_tags t JOIN posts p ON p.id = t.post_id WHERE p.acct = ?',
    ),
    accountsInDomain: db.prepare("SELECT acct FROM accounts WHERE acct LIKE '%@' || ?"),
    unlocated: db.prepare(`
      SELECT p.id, p.uri, p.url, p.acct, p.content, p.spoiler_text, p.sensitive, p.created_at FROM posts p
      JOIN post_tags t ON t.post_id = p.id AND t.tag = ?
      WHERE p.place_id IS NULL AND p.deleted_at IS NULL AND p.id < ?
        AND NOT EXISTS (SELECT 1 FROM hidden_posts h WHERE h.post_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM hidden_accounts a WHERE a.acct = p.acct)
        AND NOT EXISTS (SELECT 1 FROM blocked_domains d
          WHERE d.domain = lower(substr(p.acct, instr(p.acct, '@') + 1)))
      ORDER BY p.id DESC LIMIT ?`),
  };

  // Moderation is read on every ingested post: keep it in memory, with the table as the record.
  const hidden = new Map(
    (stmt.hiddenAccounts.all() as { acct: string; blocked: number }[]).map((r) => [
      r.acct,
      r.blocked === 1,
    ]),
  );
  const blockedDomains = new Set(
    (stmt.blockedDomains.all() as { domain: string }[]).map((r) => r.domain),
  );
  const domainOf = (acct: string) => acct.slice(acct.lastIndexOf('@') + 1).toLowerCase();
  const isBlocked = (acct: string) => hidden.has(acct) || blockedDomains.has(domainOf(acct));

  const listeners = new Set<(changes: ContributorChange[]) => void>();
  let pending: ContributorChange[] = [];

  /** Run fn in one transaction, then tell listeners what changed (only once it has committed). */
  function write<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
    const tx = db.transaction(fn);
    return (...args: A) => {
      let result: T;
      try {
        result = tx(...args);
      } catch (err) {
        pending = [];
        // Places saved in the rolled-back transaction are gone: forget them, or their posts fail
        // the foreign key forever (a full disk used to stop a source for good).
        savedPlaces.clear();
        throw err;
      }
      if (pending.length > 0) {
        const changes = pending;
        pending = [];
        for (const listener of listeners) listener(changes);
      }
      return result;
    };
  }

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

  /**
   * Bring one contributor row in line with their posts; returns the event when the map changes.
   * `fresh` is a post just inserted with a city: for someone not yet on this map it is their latest
   * located post (a contributor row exists exactly when one does), so the lookups can be skipped.
   */
  function recompute(
    tag: string,
    acct: string,
    force: boolean,
    fresh?: { id: number; place_id: number; feature: () => ContributorFeature },
  ): StoredEvent | null {
    if (fresh) {
      const now = iso();
      const row = { tag, acct, postId: fresh.id, placeId: fresh.place_id, now };
      if (stmt.insertContributor.run(row).changes > 0) {
        pending.push({ tag, acct, from: null, to: fresh.place_id, joinedAt: now });
        return logEvent(tag, 'contributor', fresh.feature());
      }
    }
    const current = stmt.contributorRow.get(tag, acct) as
      { post_id: number; place_id: number; joined_at: string } | undefined;
    const latest = isBlocked(acct)
      ? undefined
      : (stmt.latestLocated.get(tag, acct) as { id: number; place_id: number } | undefined);
    if (!latest) {
      if (!current) return null;
      stmt.deleteContributor.run(tag, acct);
      pending.push({ tag, acct, from: current.place_id, to: null, joinedAt: current.joined_at });
      return logEvent(tag, 'remove', { acct });
    }
    if (!force && current && current.post_id === latest.id && current.place_id === latest.place_id)
      return null;
    const now = iso();
    stmt.upsertContributor.run({ tag, acct, postId: latest.id, placeId: latest.place_id, now });
    if (current?.place_id !== latest.place_id)
      pending.push({
        tag,
        acct,
        from: current?.place_id ?? null,
        to: latest.place_id,
        joinedAt: current?.joined_at ?? now,
      });
    return logEvent(tag, 'contributor', contributorFeature(tag, acct)!);
  }

  /** Save the profile; 'new' when first seen, 'changed' when an authoritative copy differs. */
  function upsertAccount(post: Post, authoritative: boolean): 'new' | 'changed' | 'same' {
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
    const before = stmt.account.get(a.acct) as
      { display_name: string; emojis: string; url: string; avatar: string } | undefined;
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

  /** The feature of a post just inserted, from what is in hand (the account as stored: it may be another instance's copy). */
  function freshFeature(post: Post, place: Place, accountNew: boolean): ContributorFeature {
    const a = accountNew
      ? {
          display_name: post.account.displayName,
          emojis: JSON.stringify(post.account.emojis),
          url: post.account.url,
          avatar: post.account.avatar,
        }
      : (stmt.account.get(post.account.acct) as {
          display_name: string;
          emojis: string;
          url: string;
          avatar: string;
        });
    return toFeature({
      acct: post.account.acct,
      display_name: a.display_name,
      emojis: a.emojis,
      profile_url: a.url,
      avatar: a.avatar,
      post_url: post.url,
      posted_at: post.createdAt,
      content: post.content,
      spoiler_text: post.spoilerText,
      sensitive: post.sensitive ? 1 : 0,
      place_id: place.id,
      place_name: place.name,
      admin1: place.admin1,
      country: place.country,
      lat: place.lat,
      lng: place.lng,
    });
  }

  /** Is the incoming copy a newer edit than the stored one? */
  function isNewerEdit(stored: string | null, incoming: string | null): boolean {
    return incoming !== null && (stored === null || Date.parse(incoming) > Date.parse(stored));
  }

  function ingestOne(item: IngestItem, events: StoredEvent[]): void {
    const { post, located } = item;
    // Hidden and blocked accounts and domains: the collector keeps reading, we keep nothing.
    if (isBlocked(post.account.acct)) return;
    const accountState = upsertAccount(post, item.authoritative ?? true);
    const accountChanged = accountState === 'changed';
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
    };
    const inserted = stmt.insertPost.run({
      ...fields,
      uri: post.uri,
      acct: post.account.acct,
      url: post.url,
      createdAt: post.createdAt,
      now: iso(),
      source: item.source,
    });
    let postId: number;
    let postChanged = false;
    let edited = false;
    if (inserted.changes > 0) {
      postId = Number(inserted.lastInsertRowid);
      postChanged = true;
    } else {
      const existing = stmt.postByUri.get(post.uri) as {
        id: number;
        edited_at: string | null;
        deleted_at: string | null;
      };
      postId = existing.id;
      // A deleted post stays deleted even when a slower instance still lists it.
      if (existing.deleted_at) return;
      if (isNewerEdit(existing.edited_at, post.editedAt)) {
        stmt.updatePost.run({ ...fields, id: postId });
        postChanged = true;
        edited = true;
      }
    }
    const added = stmt.insertPostSource.run(item.source, post.localId, postId).changes > 0;
    if (inserted.changes > 0) reachDelta(item.source, 1, 1);
    else if (added) {
      const after = stmt.postSourcesAfterAdd.get({ source: item.source, postId }) as {
        d: number;
        mine: number;
        other: string | null;
      };
      // A second source for a post one other source had alone; a second id from the same source changes nothing.
      if (after.mine === 1 && after.d === 2 && after.other !== null) reachDelta(after.other, 0, -1);
    }
    for (const tag of item.campaignTags) {
      if (stmt.insertPostTag.run(tag, postId).changes > 0) postChanged = true;
    }
    if (!postChanged && !accountChanged) return;
    const fresh =
      inserted.changes > 0 && located
        ? {
            id: postId,
            place_id: located.place.id,
            feature: () => freshFeature(post, located.place, accountState === 'new'),
          }
        : undefined;
    for (const tag of item.campaignTags) {
      // An edit can add or drop a content warning: send the feature again so open maps follow.
      const event = recompute(tag, post.account.acct, accountChanged || edited, fresh);
      if (event) events.push(event);
    }
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

  const ingestTx = write((items: IngestItem[], cursor?: CursorUpdate): StoredEvent[] => {
    const events: StoredEvent[] = [];
    reach.clear();
    for (const item of items) ingestOne(item, events);
    for (const [source, d] of reach) stmt.addReach.run(source, d.first, d.only);
    reach.clear();
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

  function recomputeAll(acct: string, tags: string[], events: StoredEvent[]): void {
    for (const tag of tags) {
      const event = recompute(tag, acct, false);
      if (event) events.push(event);
    }
  }

  const tagsOfAccount = (acct: string) =>
    (stmt.postTagsOfAccount.all(acct) as { tag: string }[]).map((r) => r.tag);

  const postIdByUri = (uri: string) =>
    (stmt.postByUri.get(uri) as { id: number } | undefined)?.id ?? null;

  /** Change one post's moderation with fn, then bring its account's pins in line. Null when no such post. */
  const moderatePost = write((uri: string, fn: (postId: number) => void): StoredEvent[] | null => {
    const postId = postIdByUri(uri);
    if (postId === null) return null;
    fn(postId);
    const row = stmt.postAcct.get(postId) as { acct: string };
    const events: StoredEvent[] = [];
    recomputeAll(
      row.acct,
      (stmt.postTags.all(postId) as { tag: string }[]).map((r) => r.tag),
      events,
    );
    return events;
  });

  const moderateAccounts = write((accts: string[], fn: () => void): StoredEvent[] => {
    fn();
    const events: StoredEvent[] = [];
    for (const acct of accts) recomputeAll(acct, tagsOfAccount(acct), events);
    return events;
  });

  const removePosts = write((postIds: number[]): StoredEvent[] => {
    const events: StoredEvent[] = [];
    for (const id of postIds) removePost(id, events);
    return events;
  });

  return {
    /** Read-only queries for the campaign endpoints (city counts, city pages, summaries, export). */
    queries: createCampaignQueries(db),

    /** Be told of every contributor who appears, moves or leaves, after it commits. Returns the unsubscribe. */
    onChange(listener: (changes: ContributorChange[]) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Is this account hidden or blocked, or its domain blocked? Ingest drops its posts. */
    isBlocked,

    /** Take an account off every map and drop its future posts; `block` also deletes what we stored. */
    hideAccount(acct: string, options: { block?: boolean } = {}): StoredEvent[] {
      const block = options.block ?? false;
      const events = moderateAccounts([acct], () => {
        stmt.hideAccount.run(acct, block ? 1 : 0, iso());
        hidden.set(acct, block || (hidden.get(acct) ?? false));
      });
      if (block)
        events.push(
          ...removePosts((stmt.accountPosts.all(acct) as { id: number }[]).map((r) => r.id)),
        );
      return events;
    },

    /** Undo hideAccount/block: the account's remaining posts count again. */
    unhideAccount(acct: string): StoredEvent[] {
      return moderateAccounts([acct], () => {
        stmt.unhideAccount.run(acct);
        hidden.delete(acct);
      });
    },

    /** Take every account of a domain off the map and drop their future posts. */
    blockDomain(domain: string): StoredEvent[] {
      const d = domain.toLowerCase();
      const accts = (stmt.accountsInDomain.all(d) as { acct: string }[]).map((r) => r.acct);
      return moderateAccounts(accts, () => {
        stmt.blockDomain.run(d, iso());
        blockedDomains.add(d);
      });
    },

    unblockDomain(domain: string): StoredEvent[] {
      const d = domain.toLowerCase();
      const accts = (stmt.accountsInDomain.all(d) as { acct: string }[]).map((r) => r.acct);
      return moderateAccounts(accts, () => {
        stmt.unblockDomain.run(d);
        blockedDomains.delete(d);
      });
    },

    /** Hide one post: its author's pin falls back to their previous post, or leaves. Null when unknown. */
    hidePost(uri: string): StoredEvent[] | null {
      return moderatePost(uri, (id) => stmt.hidePost.run(id, iso()));
    },

    unhidePost(uri: string): StoredEvent[] | null {
      return moderatePost(uri, (id) => stmt.unhidePost.run(id));
    },

    /** Set a post's city by hand; it wins over the locator from now on. Null when the post is unknown. */
    setPostPlace(uri: string, place: Place): StoredEvent[] | null {
      return moderatePost(uri, (id) => {
        savePlace(place);
        stmt.fixPlace.run(id, place.id, iso());
        stmt.setPostPlace.run(place.id, id);
      });
    },

    /**
     * Undo a place set by hand: the post names no city again (it is back among the unlocated
     * posts, and its author falls back to their previous located post or leaves the map). The
     * locator's own answer was replaced by the fix, so an edit by the author re-locates it.
     * Null when the post is unknown; no change when it was not placed by hand.
     */
    clearPostPlace(uri: string): StoredEvent[] | null {
      return moderatePost(uri, (id) => {
        if (stmt.unfixPlace.run(id).changes > 0) stmt.clearPostPlace.run(id);
      });
    },

    /**
     * The online geocoder placed a post the gazetteer could not. Unlike a moderator's fix this is
     * a locator answer: a later edit re-locates the post, and a post placed meanwhile is left alone.
     */
    setGeocodedPlace(
      uri: string,
      place: Place,
      matched: string,
      confidence: number,
    ): StoredEvent[] | null {
      return moderatePost(uri, (id) => {
        savePlace(place);
        stmt.setGeocodedPlace.run(place.id, matched, confidence, id);
      });
    },

    /** Posts with the tag that named no city and are not hidden, latest stored first, for moderators. */
    unlocatedPosts(tag: string, limit = 50, beforeId = Number.MAX_SAFE_INTEGER): UnlocatedPost[] {
      return (
        stmt.unlocated.all(tag, beforeId, limit) as {
          id: number;
          uri: string;
          url: string;
          acct: string;
          content: string;
          spoiler_text: string;
          sensitive: number;
          created_at: string;
        }[]
      ).map((r) => ({
        id: r.id,
        uri: r.uri,
        url: r.url,
        acct: r.acct,
        content: r.content,
        contentWarning: r.spoiler_text || null,
        sensitive: r.spoiler_text !== '' || r.sensitive === 1,
        createdAt: r.created_at,
      }));
    },

    moderation(): ModerationState {
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
        placeFixes: (
          stmt.placeFixes.all() as {
            uri: string;
            url: string;
            acct: string;
            place_id: number;
            created_at: string;
            name: string | null;
            admin1: string | null;
            country: string | null;
          }[]
        ).map((r) => ({
          uri: r.uri,
          url: r.url,
          acct: r.acct,
          placeId: r.place_id,
          place: r.name === null ? null : { name: r.name, admin1: r.admin1, country: r.country! },
          at: r.created_at,
        })),
      };
    },

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
      const row = stmt.postBySource.get(source, localId) as { post_id: number } | undefined;
      return row ? removePosts([row.post_id]) : [];
    },

    /** A status deleted at its origin (by uri). */
    deleteByUri(uri: string): StoredEvent[] {
      const id = postIdByUri(uri);
      return id === null ? [] : removePosts([id]);
    },

    /** An account opted out: delete its posts and take it off every map. */
    forgetAccount(acct: string): StoredEvent[] {
      return removePosts((stmt.accountPosts.all(acct) as { id: number }[]).map((r) => r.id));
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

    /** The posts.id the delete re-check of `source` continues after; 0 before its first round. */
    recheckCursor(source: string): number {
      const row = stmt.recheckCursor.get(source) as { after_post_id: number } | undefined;
      return row?.after_post_id ?? 0;
    },

    /** Save how far the re-check of `source` has come (0: the next round starts over). */
    saveRecheckCursor(source: string, afterPostId: number): void {
      stmt.upsertRecheckCursor.run(source, afterPostId, iso());
    },

    contributors(tag: string): ContributorCollection {
      const rows = stmt.contributors.all(tag) as ContributorRow[];
      return { type: 'FeatureCollection', features: rows.map(toFeature) };
    },

    contributor: contributorFeature,

    /** The text of the post that placed `acct` on this map, or null when they are not on it. */
    contributorPost(tag: string, acct: string): PostExcerpt | null {
      const row = stmt.contributor.get(tag, acct) as ContributorRow | undefined;
      return row ? toPostExcerpt(row) : null;
    },

    /** Events after `afterId` for one campaign, for SSE resume. */
    eventsSince(tag: string, afterId: number, limit = 1000): StoredEvent[] {
      return eventLog.since(tag, afterId, limit);
    },

    /** The SSE event log: resume or reset a reconnecting client, and pruning. */
    eventLog,
  };
}
