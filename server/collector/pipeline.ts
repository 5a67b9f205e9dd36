import type { Logger } from 'pino';
import type { LocateInput, Locator } from '../geo/types.js';
import type { Post } from '../model/post.js';
import type { CursorUpdate, IngestItem, Store } from '../store/store.js';
import type { Clock } from '../clock.js';
import type { ConsentStore } from '../store/consent-store.js';
import {
  consentRefusal,
  isAccountOptOut,
  profileLocationOf,
  type ConsentRefusal,
} from './consent.js';
import type { HostResolver } from './host-resolver.js';
import { databaseFailure, StoreWriteError } from './errors.js';
import { compareIds } from './ids.js';
import { locatePost } from './locate-post.js';
import { toPost } from './normalize.js';

export interface PipelineOptions {
  store: Store;
  locator: Locator;
  log: Logger;
  /** Every campaign tag, lower case. */
  tags: string[];
  strictConsent: boolean;
  clock: Clock;
  /** Consent asked of each author's home: nobody is saved to the map before it is known. */
  consent: {
    store: ConsentStore;
    resolver: HostResolver;
    /** The home's own copy answered (a followed instance's local account). */
    recordHomeCopy(acct: string, refusal: ConsentRefusal | null, profileUrl: string): void;
    /** Ask the author's home (a new author is asked at once). */
    ask(acct: string, profileUrl: string): void;
  };
  /** Called after saving, for each post the locator could not place (the online fallback's queue). */
  onUnplaced?: (uri: string, input: LocateInput) => void;
}

/** Where a batch of raw statuses came from. */
export interface BatchSource {
  /** Instance origin or relay URL: the key of `post_sources`. */
  source: string;
  /** The instance's LOCAL_DOMAIN, for `user` → `user@domain`. */
  domain: string;
  /** The tag whose feed this is; null for a firehose, where each post's own tags decide. */
  tag: string | null;
  /** Whether the source is the home instance of local accounts (only that copy may update profiles). */
  isInstance: boolean;
}

/** A batch with nothing in it yet (a source fills `items` and `pending`). */
export function emptyBatch(): Batch {
  return {
    items: [],
    pending: [],
    homeCopies: new Map(),
    optOuts: new Set(),
    posts: [],
    newest: null,
    oldest: null,
    oldestAt: Infinity,
  };
}

/** One batch after validation, consent and locating, ready to save. */
export interface Batch {
  items: IngestItem[];
  /** Posts whose author's home has not answered yet: stored aside, shown once it says yes. */
  pending: IngestItem[];
  /** Authors the home's own copy in this batch answered for: acct → refusal or null (yes). */
  homeCopies: Map<string, { refusal: ConsentRefusal | null; profileUrl: string }>;
  optOuts: Set<string>;
  /** Every valid status read (kept or not), for the cursors and counters. */
  posts: Post[];
  /** Largest and smallest local id in the batch. */
  newest: string | null;
  oldest: string | null;
  /** Oldest `created_at` in the batch (ms), Infinity when empty. */
  oldestAt: number;
}

/** Statuses → posts on the map: validate, clamp, consent, locate, save (the store publishes). Shared by every source. */
export function createPipeline(options: PipelineOptions) {
  const { clock, log } = options;

  /**
   * A post dated in the future (a server with a wrong clock) would otherwise stay the
   * contributor's "latest" forever: we date it at the moment we first saw it instead.
   */
  function clampCreatedAt(post: Post): Post {
    const now = clock.now();
    return Date.parse(post.createdAt) > now
      ? { ...post, createdAt: new Date(now).toISOString() }
      : post;
  }

  // The body is read even behind a content warning: the tag and city are in it, and the pin says
  // only the city. The warning itself names a topic ("CW: Paris, 2015"), not where the author is,
  // so it is never read (docs/decisions.md, "Content warnings").
  function locateInput(post: Post): LocateInput {
    return {
      html: post.rawContent,
      tags: post.tags,
      language: post.language,
      profileLocation: profileLocationOf(post),
      campaignTags: options.tags,
    };
  }

  function askFallback(items: IngestItem[]): void {
    if (options.onUnplaced)
      for (const item of items)
        if (!item.located) options.onUnplaced(item.post.uri, locateInput(item.post));
  }

  /** The author's home said yes: their waiting posts go on the map as new posts would. */
  function release(acct: string): number {
    let items: IngestItem[] = [];
    const events = storeWrite(acct, () =>
      options.store.atomically(() => {
        items = options.consent.store.takePending(acct);
        return items.length ? options.store.ingest(items) : [];
      }),
    );
    askFallback(items);
    return events.length;
  }

  return {
    /** Validate, filter by consent and locate raw statuses; reads the consent table. */
    prepare(raws: unknown[], from: BatchSource): Batch {
      // A followed instance teaches where its domain is reached (an instance on 127.0.0.1 says cw.example).
      if (from.isInstance) options.consent.resolver.learn(from.domain, from.source);
      const batch = emptyBatch();
      for (const raw of raws) {
        let post: Post;
        try {
          post = clampCreatedAt(toPost(raw, { domain: from.domain }));
        } catch (err) {
          log.warn(`skipped a malformed status from ${from.source}: ${(err as Error).message}`);
          continue;
        }
        batch.posts.push(post);
        if (!batch.newest || compareIds(post.localId, batch.newest) > 0)
          batch.newest = post.localId;
        if (!batch.oldest || compareIds(post.localId, batch.oldest) < 0)
          batch.oldest = post.localId;
        batch.oldestAt = Math.min(batch.oldestAt, Date.parse(post.createdAt));
        const campaignTags = options.tags.filter((t) => t === from.tag || post.tags.includes(t));
        if (campaignTags.length === 0) continue;
        const acct = post.account.acct;
        // A followed instance's copy of its own account carries noindex: that is the home's answer.
        // A remote copy never is (Mastodon serialises noindex for local accounts only).
        const authoritative = from.isInstance && acct.endsWith(`@${from.domain}`);
        const refusal = consentRefusal(post, { strict: options.strictConsent });
        if (authoritative && refusal !== 'not-public' && refusal !== 'reblog')
          batch.homeCopies.set(acct, { refusal, profileUrl: post.account.url });
        if (refusal) {
          if (isAccountOptOut(refusal)) batch.optOuts.add(acct);
          continue;
        }
        const item: IngestItem = {
          post,
          ...locatePost(options.locator, locateInput(post), log, post.uri),
          source: from.source,
          campaignTags,
          authoritative,
        };
        const state = authoritative ? 'known' : options.consent.store.state(acct);
        if (state === 'known') batch.items.push(item);
        else if (state !== 'refused') batch.pending.push(item);
      }
      return batch;
    },

    /**
     * Save a batch with its cursor (the store tells live clients what changed). Waiting posts and the
     * homes' answers are saved first, so a crash in between re-reads the page (harmless) rather than
     * losing a waiting post behind an advanced cursor.
     */
    save(batch: Batch, cursor?: CursorUpdate): number {
      const where =
        batch.items[0]?.source ?? batch.pending[0]?.source ?? cursor?.source ?? 'a source';
      const { consent } = options;
      storeWrite(where, () => {
        for (const [acct, answer] of batch.homeCopies)
          consent.recordHomeCopy(acct, answer.refusal, answer.profileUrl);
        consent.store.savePending(batch.pending, clock.now());
      });
      for (const item of batch.pending) consent.ask(item.post.account.acct, item.post.account.url);
      const events = storeWrite(where, () => {
        const saved = options.store.ingest(batch.items, cursor);
        for (const acct of batch.optOuts) {
          saved.push(...options.store.forgetAccount(acct));
          consent.store.takePending(acct);
        }
        return saved;
      });
      askFallback(batch.items);
      let released = 0;
      for (const [acct, answer] of batch.homeCopies)
        if (!answer.refusal && consent.store.hasPending(acct)) released += release(acct);
      return events.length + released;
    },

    release,

    /** The author's home said no: nothing of them stays, waiting or shown. */
    refuse(acct: string): number {
      const events = storeWrite(acct, () => {
        options.consent.store.takePending(acct);
        return options.store.forgetAccount(acct);
      });
      return events.length;
    },

    /** How far the delete re-check of an instance has come (`recheck.ts`). */
    saveRecheckCursor(source: string, afterPostId: number): void {
      storeWrite(source, () => options.store.saveRecheckCursor(source, afterPostId));
    },

    /** A status deleted on a source, by that source's id. */
    deleteLocal(source: string, localId: string): number {
      const events = storeWrite(source, () => {
        options.consent.store.dropPendingByLocalId(source, localId);
        return options.store.deleteByLocalId(source, localId);
      });
      return events.length;
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;

/** A database failure (errors.ts `databaseFailure`) is told with the source it was saving. */
function storeWrite<T>(source: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (databaseFailure((err as { code?: unknown }).code) !== null)
      throw new StoreWriteError(source, err as Error & { code: string });
    throw err;
  }
}
