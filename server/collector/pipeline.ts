import type { Logger } from 'pino';
import type { Hub } from '../hub.js';
import type { LocateInput, Locator } from '../geo/types.js';
import type { Post } from '../post.js';
import type { CursorUpdate, IngestItem, Store } from '../store/store.js';
import type { Clock } from '../clock.js';
import { consentRefusal, isAccountOptOut, profileLocationOf } from './consent.js';
import { StoreWriteError } from './errors.js';
import { compareIds } from './ids.js';
import { toPost } from './normalize.js';

export interface PipelineOptions {
  store: Store;
  hub: Hub;
  locator: Locator;
  log: Logger;
  /** Every campaign tag, lower case. */
  tags: string[];
  strictConsent: boolean;
  clock: Clock;
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

/** One batch after validation, consent and locating, ready to save. */
export interface Batch {
  items: IngestItem[];
  optOuts: Set<string>;
  /** Every valid status read (kept or not), for the cursors and counters. */
  posts: Post[];
  /** Largest and smallest local id in the batch. */
  newest: string | null;
  oldest: string | null;
  /** Oldest `created_at` in the batch (ms), Infinity when empty. */
  oldestAt: number;
}

/** Statuses → posts on the map: validate, clamp, consent, locate, save, publish. Shared by every source. */
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

  return {
    /** Validate, filter by consent and locate raw statuses. Pure apart from the clock. */
    prepare(raws: unknown[], from: BatchSource): Batch {
      const batch: Batch = {
        items: [],
        optOuts: new Set(),
        posts: [],
        newest: null,
        oldest: null,
        oldestAt: Infinity,
      };
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
        const refusal = consentRefusal(post, { strict: options.strictConsent });
        if (refusal) {
          if (isAccountOptOut(refusal)) batch.optOuts.add(post.account.acct);
          continue;
        }
        const located = options.locator.locate(locateInput(post));
        const authoritative = from.isInstance && post.account.acct.endsWith(`@${from.domain}`);
        batch.items.push({ post, located, source: from.source, campaignTags, authoritative });
      }
      return batch;
    },

    /** Save a batch with its cursor in one transaction, then tell live clients what changed. */
    save(batch: Batch, cursor?: CursorUpdate): number {
      const events = storeWrite(batch.items[0]?.source ?? cursor?.source ?? 'a source', () => {
        const saved = options.store.ingest(batch.items, cursor);
        for (const acct of batch.optOuts) saved.push(...options.store.forgetAccount(acct));
        return saved;
      });
      for (const e of events) options.hub.publish(e);
      if (options.onUnplaced)
        for (const item of batch.items)
          if (!item.located) options.onUnplaced(item.post.uri, locateInput(item.post));
      return events.length;
    },

    /** How far the delete re-check of an instance has come (`recheck.ts`). */
    saveRecheckCursor(source: string, afterPostId: number): void {
      storeWrite(source, () => options.store.saveRecheckCursor(source, afterPostId));
    },

    /** A status deleted on a source, by that source's id. */
    deleteLocal(source: string, localId: string): number {
      const events = storeWrite(source, () => options.store.deleteByLocalId(source, localId));
      for (const e of events) options.hub.publish(e);
      return events.length;
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;

/** SQLite's own errors (better-sqlite3 sets `code`) say "disk is full" without saying what for. */
function storeWrite<T>(source: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_'))
      throw new StoreWriteError(source, err as Error & { code: string });
    throw err;
  }
}
