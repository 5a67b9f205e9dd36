import type {
  ContributorCollection,
  ContributorFeature,
  Place,
  PostExcerpt,
} from '../../shared/types.js';
import type { ModerationState, UnlocatedPost } from '../../shared/admin.js';
import type { LinkNames } from '../model/account-links.js';
import { createBlueskyConsent } from './bluesky-consent.js';
import { createCampaignQueries } from './campaign-queries.js';
import { createSqliteChangeFeed, type ChangeFeedOptions } from './change-feed.js';
import { createChangeStream, type ChangeListener } from './changes.js';
import { createConsentStore } from './consent-store.js';
import { createContributors, freshFeature, type FreshPost } from './contributors.js';
import { createCursors, type Cursor, type CursorUpdate } from './cursors.js';
import type { Db } from './db.js';
import {
  createEventLog,
  type EventLog,
  type EventLogOptions,
  type StoredEvent,
} from './event-log.js';
import { createLeases } from './leases.js';
import { createLinks } from './links.js';
import { createModeration } from './moderation.js';
import { createPosts, type IngestItem } from './posts.js';
import { createReachQueries } from './reach.js';
import { createSourcePostQueries } from './source-posts.js';

/** A live event as stored in the event log; `id` is the SSE event id. */
export type { StoredEvent } from './event-log.js';
export type { ContributorChange, StoreChange, ChangeListener } from './changes.js';
export type { Cursor, CursorUpdate } from './cursors.js';
export type { IngestItem } from './posts.js';
export type { ChangeFeed, ChangeFeedOptions } from './change-feed.js';
export type { Leases } from './leases.js';
// The admin API's shapes are the contract with the /admin page.
export type { ModerationState, UnlocatedPost };

/** A profile read again at its source; `links` are its names (a changed description may link or split a pair). */
export interface RefreshedProfile {
  displayName: string;
  url: string;
  avatar: string;
  links?: LinkNames;
}

export interface StoreOptions {
  now?: () => Date;
  /** How long and how much of the SSE event log to keep (the clock is the store's). */
  eventLog?: Omit<EventLogOptions, 'now'>;
  /** How other processes' writes are followed once `followOthers` is called. */
  changeFeed?: ChangeFeedOptions;
}

export type Store = ReturnType<typeof createStore>;

/**
 * The store: every read and write of the database goes through here, one module per aggregate
 * (posts, contributors, moderation, cursors, the event log) behind this one facade. Every write
 * tells its change once it commits, on one stream (`onChange`): the live events for the hub and
 * the contributors' moves for the map model. Callers never publish what a write returns.
 */
export function createStore(db: Db, options: StoreOptions = {}) {
  const now = options.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const eventLog = createEventLog(db, { ...options.eventLog, now });
  const posts = createPosts(db, iso);
  // Places saved in a rolled-back transaction are gone: forget them, or their posts fail the
  // foreign key forever (a full disk used to stop a source for good).
  const changes = createChangeStream(db, eventLog, () => posts.forgetPlaces());
  const moderation = createModeration(db, iso);
  const links = createLinks(db);
  const contributors = createContributors(db, {
    iso,
    isBlocked: moderation.isBlocked,
    partnerOf: links.partnerOf,
    changes,
  });
  const cursors = createCursors(db, iso);
  // Every write starts with the moderation other processes may have changed (one primary-key read).
  const write = <A extends unknown[], T>(fn: (...args: A) => T) =>
    changes.write((...args: A): T => {
      moderation.refresh();
      return fn(...args);
    });
  const feed = createSqliteChangeFeed(db, { eventLog, tell: changes.tell }, options.changeFeed);
  let following = false;

  const stmt = {
    insertCampaign: db.prepare(
      'INSERT INTO campaigns (tag, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    campaigns: db.prepare('SELECT tag FROM campaigns ORDER BY created_at, tag'),
    campaignExists: db.prepare('SELECT 1 FROM campaigns WHERE tag = ?'),
  };

  function ingestOne(item: IngestItem, events: StoredEvent[]): void {
    const { post, located } = item;
    // Hidden and blocked accounts and domains: the collector keeps reading, we keep nothing.
    if (moderation.isBlocked(post.account.acct)) return;
    const saved = posts.save(item);
    if (!saved) return;
    const accountChanged = saved.account === 'changed';
    if (!saved.changed && !accountChanged) return;
    const fresh: FreshPost | undefined =
      saved.inserted && located
        ? {
            id: saved.postId,
            placeId: located.place.id,
            postedAt: post.createdAt,
            feature: () =>
              freshFeature(post, located.place, posts.accountOf(post, saved.account === 'new')),
          }
        : undefined;
    // Only the home's copy of a profile may change its names, as for its name and avatar.
    if (post.account.links && (saved.account === 'new' || (item.authoritative ?? true)))
      relink(links.saveNames(post.account.acct, post.account.links), events);
    for (const tag of item.campaignTags)
      // An edit can add or drop a content warning: send the feature again so open maps follow.
      contributors.recompute(tag, post.account.acct, accountChanged || saved.edited, events, fresh);
  }

  /** Accounts whose linked partner changed: settle them (and so their pairs) on every map they are on. */
  function relink(accts: string[], events: StoredEvent[]): void {
    for (const acct of accts) contributors.recomputeAll(acct, posts.tagsOfAccount(acct), events);
  }

  const ingestTx = write((items: IngestItem[], cursor?: CursorUpdate): StoredEvent[] => {
    const events: StoredEvent[] = [];
    posts.beginBatch();
    for (const item of items) ingestOne(item, events);
    posts.endBatch();
    if (cursor) cursors.save(cursor);
    return events;
  });

  const removePosts = write((postIds: number[]): StoredEvent[] => {
    const events: StoredEvent[] = [];
    for (const id of postIds) {
      const gone = posts.markDeleted(id);
      if (gone) contributors.recomputeAll(gone.acct, gone.tags, events);
    }
    return events;
  });

  /** Change one post's moderation with fn, then bring its account's pins in line. Null when no such post. */
  const moderatePost = write((uri: string, fn: (postId: number) => void): StoredEvent[] | null => {
    const postId = posts.idByUri(uri);
    if (postId === null) return null;
    fn(postId);
    const events: StoredEvent[] = [];
    contributors.recomputeAll(posts.acctOf(postId), posts.tagsOf(postId), events);
    return events;
  });

  const refreshAccount = write((acct: string, profile: RefreshedProfile) => {
    const events: StoredEvent[] = [];
    if (profile.links) relink(links.saveNames(acct, profile.links), events);
    if (!posts.refreshAccount(acct, profile)) return events;
    for (const tag of posts.tagsOfAccount(acct)) contributors.recompute(tag, acct, true, events);
    return events;
  });

  const forgetAccount = write((acct: string): StoredEvent[] => {
    const events = removePosts(posts.idsOfAccount(acct));
    relink(links.forget(acct), events);
    return events;
  });

  const moderateAccounts = write((accts: string[], fn: () => void): StoredEvent[] => {
    fn();
    const events: StoredEvent[] = [];
    for (const acct of accts) contributors.recomputeAll(acct, posts.tagsOfAccount(acct), events);
    return events;
  });

  /** Every account of a domain (lower case), changed together by fn. */
  // Listed inside the write (a savepoint of it): an account or handle another process stores
  // between the listing and the change cannot slip past the block.
  const moderateDomain = write((domain: string, fn: (d: string) => void): StoredEvent[] => {
    const d = domain.toLowerCase();
    return moderateAccounts(moderation.accountsInDomain(d), () => fn(d));
  });

  return {
    /** Read-only queries for the campaign endpoints (city counts, city pages, summaries, export). */
    queries: createCampaignQueries(db),

    /** Consent asked of each author's home, and the posts that wait for it (nothing on the map changes). */
    consent: createConsentStore(db),

    /** Which Bluesky authors (DIDs) are due for a look-up at the AppView. */
    blueskyConsent: createBlueskyConsent(db),

    /** Which sources found the posts (the counts ingest keeps). */
    reach: createReachQueries(db, () => now().getTime()),

    /** A source's stored posts in row order, for the delete re-check. */
    sourcePosts: createSourcePostQueries(db),

    /**
     * The store's one way out: after every write commits, each listener is told its live events
     * and the contributors who appeared, moved or left. Returns the unsubscribe.
     */
    onChange(listener: ChangeListener): () => void {
      return changes.onChange(listener);
    },

    /**
     * Follow the writes other processes make to the same database: from now on they are told on
     * `onChange` too, in event-id order with this process's own, each once. Returns the stop.
     */
    followOthers(onError: (err: unknown) => void): () => void {
      if (following) throw new Error('followOthers: this store already follows the others');
      feed.start(onError);
      changes.follow(feed);
      following = true;
      return () => {
        feed.stop();
        changes.follow(null);
        following = false;
      };
    },

    /**
     * The newest event id this process's change stream has told, its own or another process's:
     * where a client that connects now stands (what has been logged since reaches it live).
     */
    toldThrough(): number {
      return following ? feed.position() : eventLog.newestId();
    },

    /**
     * Run fn (reads) on one snapshot of the database that every change told so far matches:
     * what other processes committed before it is told first, what they commit after it will be
     * told later. The map model loads a campaign this way, so no change is counted twice or missed.
     */
    consistently<T>(fn: () => T): T {
      return db.transaction(() => {
        if (following) feed.catchUp();
        return fn();
      })();
    },

    /** Which process does a job only one may do at a time (collecting). */
    leases: createLeases(db, () => now().getTime()),

    /**
     * Run fn in one transaction with every store write it makes; their changes are told once,
     * after it commits (and never when it rolls back).
     */
    atomically<T>(fn: () => T): T {
      return write(fn)();
    },

    /** Is this account hidden or blocked, or its domain blocked? Ingest drops its posts. */
    isBlocked: moderation.isBlocked,

    /** Take an account off every map and drop its future posts; `block` also deletes what we stored. */
    hideAccount(acct: string, options: { block?: boolean } = {}): StoredEvent[] {
      const block = options.block ?? false;
      const events = moderateAccounts([acct], () => moderation.hideAccount(acct, block));
      if (block) events.push(...removePosts(posts.idsOfAccount(acct)));
      return events;
    },

    /** Undo hideAccount/block: the account's remaining posts count again. */
    unhideAccount(acct: string): StoredEvent[] {
      return moderateAccounts([acct], () => moderation.unhideAccount(acct));
    },

    /** Take every account of a domain off the map and drop their future posts. */
    blockDomain(domain: string): StoredEvent[] {
      return moderateDomain(domain, moderation.blockDomain);
    },

    unblockDomain(domain: string): StoredEvent[] {
      return moderateDomain(domain, moderation.unblockDomain);
    },

    /**
     * A Bluesky author's handle, as the AppView read it (or a Jetstream identity event moving it
     * onto a blocked domain): a handle under a blocked domain takes them off every map at once,
     * and off one brings their stored posts back. No write when the handle is unchanged.
     */
    setBlueskyHandle(did: string, handle: string): StoredEvent[] {
      moderation.refresh(); // another process (a collector before a lease takeover) may have set it
      if (moderation.handleOf(did) === handle.toLowerCase()) return [];
      return moderateAccounts([did], () => moderation.setHandle(did, handle));
    },

    /** The blocked domain a Bluesky handle is, or is under, or null. */
    blockedHandleDomain: moderation.blockedHandleDomain,

    /** Hide one post: its author's pin falls back to their previous post, or leaves. Null when unknown. */
    hidePost(uri: string): StoredEvent[] | null {
      return moderatePost(uri, moderation.hidePost);
    },

    unhidePost(uri: string): StoredEvent[] | null {
      return moderatePost(uri, moderation.unhidePost);
    },

    /** Set a post's city by hand; it wins over the locator from now on. Null when the post is unknown. */
    setPostPlace(uri: string, place: Place): StoredEvent[] | null {
      return moderatePost(uri, (id) => {
        posts.savePlace(place);
        moderation.fixPlace(id, place.id);
      });
    },

    /**
     * Undo a place set by hand: the post names no city again (it is back among the unlocated
     * posts, and its author falls back to their previous located post or leaves the map). The
     * locator's own answer was replaced by the fix, so an edit by the author re-locates it.
     * Null when the post is unknown; no change when it was not placed by hand.
     */
    clearPostPlace(uri: string): StoredEvent[] | null {
      return moderatePost(uri, moderation.unfixPlace);
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
        posts.savePlace(place);
        moderation.setGeocodedPlace(id, place.id, matched, confidence);
      });
    },

    /** Posts with the tag that named no city and are not hidden, latest stored first, for moderators. */
    unlocatedPosts(tag: string, limit = 50, beforeId = Number.MAX_SAFE_INTEGER): UnlocatedPost[] {
      return moderation.unlocatedPosts(tag, limit, beforeId);
    },

    moderation(): ModerationState {
      return moderation.state();
    },

    /** Make sure the configured campaigns exist. */
    ensureCampaigns(tags: string[]): void {
      db.transaction(() => tags.forEach((t) => stmt.insertCampaign.run(t, iso()))).immediate();
    },

    campaigns(): string[] {
      return (stmt.campaigns.all() as { tag: string }[]).map((r) => r.tag);
    },

    hasCampaign(tag: string): boolean {
      return stmt.campaignExists.get(tag) !== undefined;
    },

    /**
     * Save posts (deduplicated by uri) and the source's cursor in one transaction, so a crash at any
     * moment loses nothing and duplicates nothing. Returns the live events for what really changed
     * (they go out on `onChange`, like every write's).
     */
    ingest(items: IngestItem[], cursor?: CursorUpdate): StoredEvent[] {
      return ingestTx(items, cursor);
    },

    /**
     * A profile read again at its source (a Bluesky author's AppView profile): a changed name or
     * avatar goes to every map they are on, live, and changed names link or split a pair.
     */
    refreshAccount(acct: string, profile: RefreshedProfile): StoredEvent[] {
      return refreshAccount(acct, profile);
    },

    /** A status deleted on an instance (by that instance's id). */
    deleteByLocalId(source: string, localId: string): StoredEvent[] {
      const id = posts.idByLocalId(source, localId);
      return id === null ? [] : removePosts([id]);
    },

    /** A status deleted at its origin (by uri). */
    deleteByUri(uri: string): StoredEvent[] {
      const id = posts.idByUri(uri);
      return id === null ? [] : removePosts([id]);
    },

    /** An account opted out: delete its posts and its names (a pair splits), and take it off every map. */
    forgetAccount(acct: string): StoredEvent[] {
      return forgetAccount(acct);
    },

    cursor(source: string, tag: string): Cursor {
      return cursors.get(source, tag);
    },

    /** The posts.id the delete re-check of `source` continues after; 0 before its first round. */
    recheckCursor(source: string): number {
      return cursors.recheck(source);
    },

    /** Save how far the re-check of `source` has come (0: the next round starts over). */
    saveRecheckCursor(source: string, afterPostId: number): void {
      cursors.saveRecheck(source, afterPostId);
    },

    contributors(tag: string): ContributorCollection {
      return contributors.collection(tag);
    },

    contributor(tag: string, acct: string): ContributorFeature | null {
      return contributors.feature(tag, acct);
    },

    /** The text of the post that placed `acct` on this map, or null when they are not on it. */
    contributorPost(tag: string, acct: string): PostExcerpt | null {
      return contributors.post(tag, acct);
    },

    /** Events after `afterId` for one campaign, for SSE resume. */
    eventsSince(tag: string, afterId: number, limit = 1000): StoredEvent[] {
      return eventLog.since(tag, afterId, limit);
    },

    /** The SSE event log: resume or reset a reconnecting client, and pruning (events are logged by writes only). */
    eventLog: eventLog as Omit<EventLog, 'append'>,
  };
}
