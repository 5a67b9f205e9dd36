import type { Logger } from 'pino';
import WebSocket from 'ws';
import type { SourceStatus } from '../../../shared/types.js';
import type { Clock } from '../../clock.js';
import type { Locator } from '../../geo/types.js';
import type { Post } from '../../model/post.js';
import type { ConsentStore } from '../../store/consent-store.js';
import type { CursorUpdate, IngestItem, Store } from '../../store/store.js';
import { locatePost } from '../locate-post.js';
import { emptyBatch, type Batch, type Pipeline } from '../pipeline.js';
import { profileLocationOf } from '../consent.js';
import { initialSourceStatus } from '../source-status.js';
import {
  atUri,
  mayMentionTag,
  parseJetstreamEvent,
  postCollection,
  recordTags,
  toBlueskyPost,
  type JetstreamEvent,
  type KnownProfile,
} from './jetstream-event.js';
import type { BlueskyProfiles } from './profiles.js';

export interface JetstreamTuning {
  /** On reconnect, replay from this long before the saved cursor (µs): dedup by at-uri makes it harmless. */
  rewindUs: number;
  /** Save the batch in hand (and the cursor) at least this often (ms). */
  flushMs: number;
  /** …or once it holds this many campaign posts. */
  batchSize: number;
  /** A campaign post is saved (and so shown, or its author asked for) at most this long after it came (ms). */
  liveMs: number;
  connectTimeoutMs: number;
  /** Nothing at all for this long: the connection is dead, reconnect (ms). */
  silenceMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
}

export const jetstreamDefaults: JetstreamTuning = {
  rewindUs: 5_000_000, // 5 s: covers events in flight when the connection dropped, and clock skew between instances
  flushMs: 1_000, // a kill -9 replays at most about a second of the firehose (plus the rewind)
  batchSize: 200, // one transaction for a burst of campaign posts
  liveMs: 50, // not the next flushMs tick (up to 1 s): a burst within 50 ms still shares one transaction
  connectTimeoutMs: 15_000, // as for an instance
  silenceMs: 60_000, // the real firehose carries dozens of posts a second: a minute of nothing is a dead link
  minBackoffMs: 2_000, // when every Jetstream failed in a row: 2 s, 4, 8…
  maxBackoffMs: 5 * 60_000, // …at most 5 min
};

/** The `post_sources` and `cursors` key of Bluesky's firehose: one cursor whichever Jetstream serves it. */
export const jetstreamSource = 'bluesky:jetstream';
const cursorTag = '*';

export interface JetstreamSourceOptions {
  /** Jetstream subscribe URLs (wss://…/subscribe), tried in order, the next one on failure. */
  urls: string[];
  /** Campaign tags, lower case. */
  tags: string[];
  userAgent: string;
  store: Store;
  consent: ConsentStore;
  locator: Locator;
  /** A pipeline whose consent asks go to `profiles` (collector/bluesky/index.ts). */
  pipeline: Pipeline;
  profiles: BlueskyProfiles;
  log: Logger;
  clock: Clock;
  tuning?: Partial<JetstreamTuning>;
}

/**
 * Bluesky's firehose through Jetstream: every new post, filtered here by the campaign tags (facets,
 * the `tags` field and the text). The Jetstream cursor (`time_us`) is saved in the same SQLite
 * transaction as the posts it covers, so a restart replays from there (a little earlier) and the
 * at-uri deduplicates: a kill -9 loses and duplicates nothing within Jetstream's replay window.
 */
export function createJetstreamSource(options: JetstreamSourceOptions) {
  const tuning = { ...jetstreamDefaults, ...options.tuning };
  const { clock, store, pipeline, profiles, consent } = options;
  const log = options.log.child({ source: 'jetstream' });
  const tags = new Set(options.tags);
  const statuses = new Map<string, SourceStatus>(
    options.tags.map((tag) => [tag, initialSourceStatus(options.urls[0] ?? '', tag, 'jetstream')]),
  );
  const counters = { events: 0, malformed: 0, posts: 0, deletes: 0, accounts: 0 };

  let items: IngestItem[] = [];
  let pending: IngestItem[] = [];
  /** time_us of the last event handled, and of the last one saved with the cursor. */
  let lastUs: number | null = null;
  let savedUs: number | null = null;
  /** The save due `liveMs` after the first campaign post in hand. */
  let soon: NodeJS.Timeout | undefined;

  const savedCursor = (): number | null => {
    const raw = store.cursor(jetstreamSource, cursorTag).newestId;
    const n = raw === null ? NaN : Number(raw);
    return Number.isFinite(n) ? n : null;
  };

  function setAll(patch: Partial<SourceStatus>) {
    for (const s of statuses.values()) Object.assign(s, patch);
  }

  /** Save the posts in hand and the cursor after the last event handled, in one transaction. */
  function flush(): void {
    clearTimeout(soon);
    soon = undefined;
    if (items.length === 0 && pending.length === 0 && lastUs === savedUs) return;
    save(
      lastUs === null
        ? undefined
        : {
            source: jetstreamSource,
            tag: cursorTag,
            newestId: String(lastUs),
            oldestId: null,
            backfillCount: 0,
            backfillDone: true,
          },
    );
    savedUs = lastUs;
  }

  /** Save the posts in hand with `cursor` (the firehose's, or the search backfill's). */
  function save(cursor: CursorUpdate | undefined): void {
    const batch: Batch = { ...emptyBatch(), items, pending };
    items = [];
    pending = [];
    pipeline.save(batch, cursor);
  }

  function locate(post: Post): Pick<IngestItem, 'located' | 'unplaced'> {
    const input = {
      html: post.rawContent,
      tags: post.tags,
      language: post.language,
      profileLocation: profileLocationOf(post),
      campaignTags: options.tags,
    };
    return locatePost(options.locator, input, log, post.uri);
  }

  function onPost(event: JetstreamEvent): void {
    const did = event.did;
    const campaignTags = recordTags(event.commit!.record).filter((t) => tags.has(t));
    if (campaignTags.length === 0) return;
    const state = consent.state(did);
    if (state === 'refused') return;
    const profile: KnownProfile | null = profiles.get(did);
    let post = toBlueskyPost(event, profile);
    if (!post) return;
    const now = clock.now();
    if (Date.parse(post.createdAt) > now)
      post = { ...post, createdAt: new Date(now).toISOString() };
    counters.posts++;
    for (const t of campaignTags) statuses.get(t)!.postsSeen++;
    const item: IngestItem = {
      post,
      ...locate(post),
      source: jetstreamSource,
      campaignTags,
      authoritative: profile !== null,
    };
    // Shown only when the AppView has vouched for the author in this process; else it waits.
    if (state === 'known' && profile) items.push(item);
    else pending.push(item);
  }

  /** Handle one frame from Jetstream (also the benchmark's entry point). */
  function onFrame(data: string): void {
    counters.events++;
    // Most of the firehose is posts without our tags: only their time_us matters then.
    if (data.includes('"operation":"create"') && !mayMentionTag(data, options.tags)) {
      const m = /"time_us":(\d+)/.exec(data);
      if (m) lastUs = Number(m[1]);
      return;
    }
    const event = parseJetstreamEvent(data);
    if (!event) {
      counters.malformed++;
      return;
    }
    lastUs = event.time_us;
    if (event.kind === 'commit' && event.commit?.collection === postCollection) {
      if (event.commit.operation === 'delete') {
        counters.deletes++;
        // Posts in hand go first, so a delete of one of them finds it saved.
        if (items.length || pending.length) flush();
        pipeline.deleteLocal(jetstreamSource, atUri(event.did, event.commit.rkey));
      } else onPost(event);
    } else if (event.kind === 'account' && event.account) {
      counters.accounts++;
      if (items.length || pending.length) flush();
      profiles.accountChanged(event.did, event.account.active, event.account.status);
    } else if (event.kind === 'identity') {
      // Someone we know, onto a blocked domain: off at once, before the AppView confirms. Any
      // other handle waits for the AppView's read (at once too), which verifies it.
      const handle = event.identity?.handle;
      if (handle && consent.state(event.did) !== null && store.blockedHandleDomain(handle))
        store.setBlueskyHandle(event.did, handle);
      profiles.identityChanged(event.did);
    }
    if (items.length + pending.length >= tuning.batchSize) flush();
    else if ((items.length || pending.length) && !soon)
      soon = setTimeout(() => guard(flush), tuning.liveMs);
  }

  function subscribeUrl(base: string, cursor: number | null): string {
    const url = new URL(base);
    url.searchParams.set('wantedCollections', postCollection);
    if (cursor !== null)
      url.searchParams.set('cursor', String(Math.max(0, cursor - tuning.rewindUs)));
    else url.searchParams.delete('cursor');
    return url.href;
  }

  /** One connection: resolves with why it ended; rejects when it never opened. */
  function connect(url: string, signal: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        headers: { 'user-agent': options.userAgent },
        handshakeTimeout: tuning.connectTimeoutMs,
        maxPayload: 4 * 1024 * 1024,
      });
      let opened = false;
      let reason = 'closed by the server';
      let silence: NodeJS.Timeout | undefined;
      const flusher = setInterval(() => guard(flush), tuning.flushMs);
      const touch = () => {
        clearTimeout(silence);
        silence = setTimeout(() => {
          reason = `silent for ${Math.round(tuning.silenceMs / 1000)} s`;
          ws.terminate();
        }, tuning.silenceMs);
      };
      const onAbort = () => {
        reason = 'stopped';
        ws.close(1000);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      ws.on('unexpected-response', (_req, res) => {
        res.resume();
        ws.terminate();
        reject(new Error(`${url.replace(/\?.*$/, '')} answered HTTP ${res.statusCode ?? 0}`));
      });
      ws.on('open', () => {
        opened = true;
        touch();
        setAll({ state: 'streaming', instance: url.replace(/\?.*$/, ''), lastError: null });
      });
      ws.on('ping', touch);
      ws.on('message', (data) => {
        touch();
        guard(() => onFrame(String(data)));
        setAll({ lastSuccessAt: new Date(clock.now()).toISOString() });
      });
      ws.on('error', (err) => {
        if (!opened) reject(new Error(`cannot reach ${url.replace(/\?.*$/, '')}: ${err.message}`));
        else reason = err.message;
      });
      ws.on('close', () => {
        clearTimeout(silence);
        clearInterval(flusher);
        signal.removeEventListener('abort', onAbort);
        guard(flush);
        if (opened) resolve(reason);
      });
    });
  }

  /** A store error in one event must not stop the firehose: log it and go on. */
  function guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      log.error({ err }, `Jetstream: ${(err as Error).message}`);
    }
  }

  return {
    onFrame,
    flush,

    /** A post found by the search backfill: the firehose's path, without moving its cursor. */
    backfillPost(event: JetstreamEvent): void {
      onPost(event);
    },

    /** Save what the backfill handed over, with its own cursor, in one transaction. */
    saveBackfill: save,

    /** Say something on every tag's status (`needs`, backfill progress). */
    annotate: setAll,

    /** Connect, read, reconnect from the saved cursor (to the next URL after a failure), until aborted. */
    async run(signal: AbortSignal): Promise<void> {
      let index = 0;
      let failures = 0;
      const start = savedCursor();
      log.info(
        start === null
          ? `Bluesky: following ${options.urls.length} Jetstream URL(s) from now (no saved cursor)`
          : `Bluesky: resuming Jetstream from ${new Date(start / 1000).toISOString()}`,
      );
      while (!signal.aborted) {
        const base = options.urls[index % options.urls.length]!;
        const cursor = savedCursor() ?? lastUs;
        try {
          const why = await connect(subscribeUrl(base, cursor), signal);
          if (signal.aborted) break;
          failures = 0;
          log.warn(`Jetstream ${base}: ${why} — reconnecting`);
          setAll({
            state: 'backing-off',
            lastError: why,
            lastErrorAt: new Date(clock.now()).toISOString(),
          });
        } catch (err) {
          failures++;
          const message = (err as Error).message;
          index++;
          // Try the next URL at once; back off only once every URL has failed in a row.
          const delay =
            failures % options.urls.length === 0
              ? Math.min(
                  tuning.maxBackoffMs,
                  tuning.minBackoffMs * 2 ** (failures / options.urls.length - 1),
                )
              : 0;
          log.warn(
            `${message} — ${delay ? `retrying in ${Math.round(delay / 1000)} s` : 'trying the next Jetstream'}`,
          );
          setAll({
            state: 'backing-off',
            lastError: message,
            lastErrorAt: new Date(clock.now()).toISOString(),
            nextAttemptAt: delay ? new Date(clock.now() + delay).toISOString() : null,
          });
          await clock.sleep(delay, signal);
        }
      }
      guard(flush);
    },

    status(): SourceStatus[] {
      return [...statuses.values()].map((s) => ({ ...s }));
    },

    counters: () => ({ ...counters }),
  };
}

export type JetstreamSource = ReturnType<typeof createJetstreamSource>;
