import { linkParam, parseLinkHeader } from '../../shared/link-header.js';
import {
  BadResponseError,
  HttpError,
  NeedsTokenError,
  NetworkError,
  RateLimitedError,
  TimeoutError,
} from './errors.js';

/** The `X-RateLimit-*` headers of one response (https://docs.joinmastodon.org/api/rate-limits/). */
export interface RateLimit {
  limit: number | null;
  remaining: number | null;
  resetAt: Date | null;
}

/** One page of a timeline. */
export interface TimelinePage {
  /** Raw status JSON, newest first, not yet validated. */
  items: unknown[];
  /** `max_id` of the older page from the `Link` header, when sent. */
  nextMaxId: string | null;
  /** `min_id` of the newer page from the `Link` header, when sent. */
  prevMinId: string | null;
  rateLimit: RateLimit;
  /** 404 "Record not found": the hashtag has never been used on this instance. Not an error. */
  tagUnknown: boolean;
  /** Whether a `Link` header came with the page (snac sends none). */
  hasLink: boolean;
}

/** What `GET /api/v1/statuses?id[]=` answered. */
export type StatusesAnswer =
  /** Raw status JSON for the ids that still exist, in no particular order, not yet validated. */
  | { offered: true; items: unknown[]; rateLimit: RateLimit }
  /** The server has no such endpoint or misread the request; `why` says how, for the log. */
  | { offered: false; why: string; rateLimit: RateLimit };

/** What `GET /api/v1/statuses/:id` answered. */
export type StatusRead =
  /** Raw status JSON, not yet validated. */
  | { found: true; raw: unknown; rateLimit: RateLimit }
  /** A 404 or 410: `api` from the API itself (JSON, or 410), `page` as an HTML page. */
  | { found: false; said: 'api' | 'page'; rateLimit: RateLimit };

/** What we need from `GET /api/v2/instance`. */
export interface InstanceInfo {
  /** LOCAL_DOMAIN: the domain in its users' handles. */
  domain: string;
  /** WebSocket streaming base URL, when advertised. */
  streamingUrl: string | null;
  /** Mastodon 4.5 `timelines_access.hashtag_feeds` for remote/local posts. */
  hashtagFeeds: { local: string; remote: string } | null;
  /** Software and version, for the log. */
  version: string | null;
}

export interface MastodonClientOptions {
  /** Instance origin, e.g. "https://mastodon.social". */
  origin: string;
  userAgent: string;
  /** Bearer token (never logged). */
  token?: string | null;
  fetch?: typeof fetch;
  /** Aborts requests in flight when it fires (the collector stopping); read at each request. */
  stopSignal?: () => AbortSignal | undefined;
  /** Deadline for a whole request, body included. */
  timeoutMs?: number;
  /** Bodies above this are cut off: an endless body must not eat memory. */
  maxBodyBytes?: number;
}

export type MastodonClient = ReturnType<typeof createMastodonClient>;

const defaults = {
  timeoutMs: 15_000, // a slow instance gets 15 s, then we back off and try later
  maxBodyBytes: 8 * 1024 * 1024, // 40 statuses are ~200 KB; 8 MB is far beyond any honest page
};

/** A small Mastodon REST client on plain fetch: we need the raw Link and X-RateLimit-* headers. */
export function createMastodonClient(options: MastodonClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  const maxBodyBytes = options.maxBodyBytes ?? defaults.maxBodyBytes;

  async function request(path: string, query: Record<string, string | string[] | undefined> = {}) {
    const url = new URL(path, options.origin);
    for (const [k, v] of Object.entries(query)) {
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, item);
      else if (v !== undefined) url.searchParams.set(k, v);
    }
    const href = url.href;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const stop = options.stopSignal?.();
    const onStop = () => controller.abort();
    stop?.addEventListener('abort', onStop, { once: true });
    try {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'user-agent': options.userAgent,
      };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let res: Response;
      try {
        res = await doFetch(href, { headers, signal: controller.signal, redirect: 'follow' });
      } catch (err) {
        if (controller.signal.aborted) throw new TimeoutError(href, timeoutMs);
        throw new NetworkError(href, err);
      }
      let text: string;
      try {
        text = await readBody(res, maxBodyBytes, href);
      } catch (err) {
        if (controller.signal.aborted) throw new TimeoutError(href, timeoutMs);
        throw err;
      }
      return { res, text, href, rateLimit: parseRateLimit(res.headers) };
    } finally {
      clearTimeout(timer);
      stop?.removeEventListener('abort', onStop);
    }
  }

  function httpError(status: number, href: string, text: string, rateLimit: RateLimit): HttpError {
    const excerpt = excerptOf(text);
    if (status === 401 || status === 403) return new NeedsTokenError(status, href, excerpt);
    if (status === 429) return new RateLimitedError(status, href, excerpt, rateLimit.resetAt);
    return new HttpError(status, href, excerpt);
  }

  function parseJson(text: string, href: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new BadResponseError(
        href,
        `body is not JSON (${text.length} bytes, starts ${JSON.stringify(text.slice(0, 40))})`,
      );
    }
  }

  return {
    origin: options.origin,

    /** `GET /api/v1/timelines/tag/:hashtag` (https://docs.joinmastodon.org/methods/timelines/#tag). */
    async tagTimeline(
      tag: string,
      cursor: { minId?: string; maxId?: string; sinceId?: string; limit?: number } = {},
    ): Promise<TimelinePage> {
      const { res, text, href, rateLimit } = await request(
        `/api/v1/timelines/tag/${encodeURIComponent(tag)}`,
        {
          limit: String(cursor.limit ?? 40),
          min_id: cursor.minId,
          max_id: cursor.maxId,
          since_id: cursor.sinceId,
        },
      );
      // An unknown tag is `200 []` on Mastodon and a JSON 404 on GoToSocial: both mean "nothing yet".
      if (res.status === 404 && jsonError(text) !== null) {
        return {
          items: [],
          nextMaxId: null,
          prevMinId: null,
          rateLimit,
          tagUnknown: true,
          hasLink: false,
        };
      }
      if (!res.ok) throw httpError(res.status, href, text, rateLimit);
      const body = parseJson(text, href);
      if (!Array.isArray(body))
        throw new BadResponseError(href, 'expected a JSON array of statuses');
      const links = parseLinkHeader(res.headers.get('link'));
      return {
        items: body,
        nextMaxId: linkParam(links, 'next', 'max_id'),
        prevMinId: linkParam(links, 'prev', 'min_id') ?? linkParam(links, 'prev', 'since_id'),
        rateLimit,
        tagUnknown: false,
        hasLink: res.headers.has('link'),
      };
    },

    /**
     * `GET /api/v1/statuses/:id` (https://docs.joinmastodon.org/methods/statuses/#get): the status,
     * or why it is not there: `api` when the API itself says so (a JSON 404, or 410), `page` for a 404
     * that came as a page (snac's own "404 Not Found", or a proxy: the caller decides which). 401/403
     * throw a NeedsTokenError (snac and GoToSocial show statuses only to a token), other failures throw.
     */
    async status(id: string): Promise<StatusRead> {
      const { res, text, href, rateLimit } = await request(
        `/api/v1/statuses/${encodeURIComponent(id)}`,
      );
      if (res.status === 410 || (res.status === 404 && jsonError(text) !== null))
        return { found: false, said: 'api', rateLimit };
      if (res.status === 404) return { found: false, said: 'page', rateLimit };
      if (!res.ok) throw httpError(res.status, href, text, rateLimit);
      return { found: true, raw: parseJson(text, href), rateLimit };
    },

    /**
     * `GET /api/v1/statuses?id[]=…` (https://docs.joinmastodon.org/methods/statuses/#index, Mastodon
     * ≥ 4.3): the statuses among `ids` (at most 20) that still exist and may be shown; the others
     * are simply absent. A server without it answers 404 like any unknown route (older Mastodon,
     * snac, GoToSocial); that, the other "cannot do this" statuses and a body that is not a list
     * come back as `offered: false`. Other failures throw, as for any request.
     */
    async statuses(ids: string[]): Promise<StatusesAnswer> {
      const { res, text, href, rateLimit } = await request('/api/v1/statuses', { 'id[]': ids });
      if ([400, 404, 405, 410, 422, 501].includes(res.status)) {
        const excerpt = excerptOf(text);
        return {
          offered: false,
          why: `HTTP ${res.status}${excerpt ? `: ${excerpt}` : ''}`,
          rateLimit,
        };
      }
      if (!res.ok) throw httpError(res.status, href, text, rateLimit);
      const body = parseJson(text, href);
      if (!Array.isArray(body))
        return { offered: false, why: `answered ${describeJson(body)}, not a list`, rateLimit };
      return { offered: true, items: body, rateLimit };
    },

    /** `GET /api/v2/instance`, falling back to v1 for older servers. */
    async instanceInfo(): Promise<InstanceInfo & { rateLimit: RateLimit }> {
      let { res, text, href, rateLimit } = await request('/api/v2/instance');
      if (res.status === 404) ({ res, text, href, rateLimit } = await request('/api/v1/instance'));
      if (!res.ok) throw httpError(res.status, href, text, rateLimit);
      const body = parseJson(text, href) as Record<string, unknown> | null;
      if (!body || typeof body !== 'object')
        throw new BadResponseError(href, 'expected an instance object');
      const config = (body.configuration ?? {}) as {
        urls?: { streaming?: string };
        timelines_access?: { hashtag_feeds?: { local: string; remote: string } };
      };
      const v1Urls = body.urls as { streaming_api?: string } | undefined;
      const domain =
        typeof body.domain === 'string'
          ? body.domain
          : typeof body.uri === 'string'
            ? body.uri
            : null;
      return {
        domain: (domain ?? new URL(options.origin).host).toLowerCase(),
        streamingUrl: config.urls?.streaming ?? v1Urls?.streaming_api ?? null,
        hashtagFeeds: config.timelines_access?.hashtag_feeds ?? null,
        version: typeof body.version === 'string' ? body.version : null,
        rateLimit,
      };
    },
  };
}

async function readBody(res: Response, maxBytes: number, href: string): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch (err) {
      throw new BadResponseError(
        href,
        `body cut off after ${size} bytes (${(err as Error).message})`,
      );
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BadResponseError(href, `body larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `X-RateLimit-Reset` is ISO 8601 on Mastodon; some servers send epoch seconds. */
export function parseRateLimit(headers: Headers): RateLimit {
  const num = (name: string) => {
    const v = headers.get(name);
    return v !== null && /^\d+$/.test(v.trim()) ? Number(v) : null;
  };
  const resetRaw = headers.get('x-ratelimit-reset');
  let resetAt: Date | null = null;
  if (resetRaw) {
    const t = /^\d+$/.test(resetRaw.trim()) ? Number(resetRaw) * 1000 : Date.parse(resetRaw);
    if (Number.isFinite(t)) resetAt = new Date(t);
  }
  return { limit: num('x-ratelimit-limit'), remaining: num('x-ratelimit-remaining'), resetAt };
}

/** The `error` of a Mastodon JSON error body, or null when the body is not one. */
function jsonError(text: string): string | null {
  try {
    const body = JSON.parse(text) as { error?: unknown } | null;
    return typeof body?.error === 'string' ? body.error : null;
  } catch {
    return null;
  }
}

/** `an object`, `null`, `a string`: what a JSON value is, for a log line. */
function describeJson(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function excerptOf(text: string): string {
  const json = jsonError(text);
  const plain = json ?? text.replace(/<[^>]*>/g, ' ');
  return plain.replace(/\s+/g, ' ').trim().slice(0, 160);
}
