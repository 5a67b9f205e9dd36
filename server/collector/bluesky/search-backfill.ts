import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Store } from '../../store/store.js';
import { HttpError, NetworkError } from '../errors.js';
import type { JetstreamEvent } from './jetstream-event.js';
import { postCollection } from './jetstream-event.js';

/** How far back to search on first start, and how politely. */
export interface SearchBackfillOptions {
  /** Where to log in and search: the account's PDS, which forwards app.bsky.* to the AppView. */
  pds: string;
  login: { identifier: string; appPassword: string };
  tags: string[];
  userAgent: string;
  store: Store;
  log: Logger;
  clock: Clock;
  fetch?: typeof fetch;
  /** Stop at this many posts per tag, or at posts older than `days`, whichever comes first. */
  backfill: { posts: number; days: number };
  /** Wait between two search pages (ms). */
  pageDelayMs?: number;
  timeoutMs?: number;
  /** Hand each post found to the Jetstream source's own path, as if the firehose had sent it. */
  onPost(event: JetstreamEvent, tag: string): void;
  /** Save what was handed over, with the search cursor (one transaction). */
  save(cursor: { tag: string; oldestId: string | null; count: number; done: boolean }): void;
  onProgress?(tag: string, read: number, oldest: string | null): void;
}

/** The key of the search backfill's cursors (`cursors.source`), one per tag. */
export const searchSource = 'bluesky:search';

/** app.bsky.feed.defs#postView, the fields a backfill reads. */
interface PostView {
  uri: string;
  author: { did: string };
  record: { text?: unknown; createdAt?: unknown };
  indexedAt?: string;
}

/**
 * Backfill with `app.bsky.feed.searchPosts` (it needs a login since 2025): log in with the app
 * password, then page back through `#tag` newest first until the horizon. The search cursor is
 * saved with each page, so a restart continues; done is remembered, so it runs once per tag.
 * The password is sent to the PDS only and never logged.
 */
export async function runSearchBackfill(
  options: SearchBackfillOptions,
  signal: AbortSignal,
): Promise<void> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const base = options.pds.replace(/\/+$/, '');
  const call = async (path: string, init: RequestInit = {}) => {
    let res: Response;
    try {
      res = await doFetch(`${base}/xrpc/${path}`, {
        ...init,
        headers: {
          'user-agent': options.userAgent,
          accept: 'application/json',
          ...(init.headers as Record<string, string>),
        },
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (err) {
      throw new NetworkError(base, err);
    }
    if (!res.ok) {
      const text = (await res.text()).slice(0, 200);
      throw new HttpError(res.status, `${base}/xrpc/${path.split('?')[0]}`, text);
    }
    return (await res.json()) as Record<string, unknown>;
  };

  const pending = options.tags.filter((t) => !options.store.cursor(searchSource, t).backfillDone);
  if (pending.length === 0) return;
  const session = await call('com.atproto.server.createSession', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      identifier: options.login.identifier,
      password: options.login.appPassword,
    }),
  });
  const jwt = typeof session.accessJwt === 'string' ? session.accessJwt : null;
  if (!jwt) throw new Error(`${base}: createSession sent no accessJwt`);
  const auth = { authorization: `Bearer ${jwt}` };
  const horizon = options.clock.now() - options.backfill.days * 86_400_000;

  for (const tag of pending) {
    const saved = options.store.cursor(searchSource, tag);
    let cursor = saved.oldestId;
    let count = saved.backfillCount;
    let done = false;
    while (!done && !signal.aborted) {
      const q = new URLSearchParams({ q: `#${tag}`, tag, sort: 'latest', limit: '100' });
      if (cursor) q.set('cursor', cursor);
      const page = await call(`app.bsky.feed.searchPosts?${q}`, { headers: auth });
      const posts = (Array.isArray(page.posts) ? page.posts : []) as PostView[];
      let oldest: string | null = null;
      for (const p of posts) {
        const created = typeof p.record?.createdAt === 'string' ? p.record.createdAt : p.indexedAt;
        const at = created ? Date.parse(created) : NaN;
        if (Number.isFinite(at) && at < horizon) {
          done = true;
          break;
        }
        const rkey = p.uri?.split('/').pop();
        if (!rkey || !p.author?.did || !p.uri.includes(`/${postCollection}/`)) continue;
        options.onPost(
          {
            did: p.author.did,
            time_us: (Number.isFinite(at) ? at : options.clock.now()) * 1000,
            kind: 'commit',
            commit: { operation: 'create', collection: postCollection, rkey, record: p.record },
          },
          tag,
        );
        oldest = created ?? oldest;
        if (++count >= options.backfill.posts) {
          done = true;
          break;
        }
      }
      cursor = typeof page.cursor === 'string' && page.cursor ? page.cursor : null;
      if (!cursor || posts.length === 0) done = true;
      options.save({ tag, oldestId: cursor, count, done });
      options.onProgress?.(tag, count, oldest);
      if (!done) await options.clock.sleep(options.pageDelayMs ?? 1_000, signal);
    }
    options.log.info(
      `Bluesky: search backfill of #${tag} ${done ? 'done' : 'paused'}: ${count} posts read`,
    );
  }
}
