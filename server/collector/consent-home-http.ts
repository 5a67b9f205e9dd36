import type { Clock } from '../clock.js';
import type { HostResolver } from './host-resolver.js';

/** No answer from a home this time: network, timeout, 429, 5xx, no address. */
export class HomeUnavailable extends Error {
  override name = 'HomeUnavailable';
  constructor(
    message: string,
    /** The home asked us to wait this long (429 Retry-After / X-RateLimit-Reset). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** One home's pace and back-off: its own queue of consent look-ups. */
export interface HomeState {
  busy: boolean;
  /** No request to this home before (ms): the pace, or a backoff. */
  nextAt: number;
  lastRequestAt: number;
  backoffMs: number;
  failures: number;
  lastError: string | null;
}

/** A home nobody has asked yet. */
export function newHomeState(): HomeState {
  return {
    busy: false,
    nextAt: 0,
    lastRequestAt: -Infinity,
    backoffMs: 0,
    failures: 0,
    lastError: null,
  };
}

/** One more failure in a row: the wait before the next try (doubling, jittered, at least what the home asked for). */
export function homeBackoff(
  h: HomeState,
  err: HomeUnavailable,
  tuning: { minBackoffMs: number; maxBackoffMs: number },
  random: () => number,
): number {
  h.failures++;
  h.backoffMs = Math.min(tuning.maxBackoffMs, h.backoffMs ? h.backoffMs * 2 : tuning.minBackoffMs);
  return Math.max(err.retryAfterMs ?? 0, h.backoffMs * (0.5 + random()));
}

/** The home answered: its back-off starts over. True when it had been failing. */
export function homeRecovered(h: HomeState): boolean {
  const was = h.failures > 0;
  h.failures = 0;
  h.backoffMs = 0;
  h.lastError = null;
  return was;
}

/** What a GET to a home answered. */
export interface HomeAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The host that answered, after redirects. */
  host: string;
}

/** One GET to `host` at its home's pace, following redirects through the resolver. */
export type HomeGet = (
  h: HomeState,
  host: string,
  path: string,
  accept: string,
  signal: AbortSignal,
) => Promise<HomeAnswer>;

export interface HomeGetOptions {
  resolver: HostResolver;
  userAgent: string;
  clock: Clock;
  fetch: typeof fetch;
  /** At least this long between two requests to one home. */
  paceMs: number;
  timeoutMs: number;
}

const MAX_JSON = 512 * 1024;
const MAX_HTML = 1024 * 1024;

/** GETs to authors' homes: paced per home, redirects followed (only through the resolver), bodies capped. */
export function createHomeGet(options: HomeGetOptions): HomeGet {
  const { resolver, clock, paceMs, timeoutMs } = options;

  function retryAfter(res: Response): number | null {
    const seconds = Number(res.headers.get('retry-after'));
    if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
    const reset = Date.parse(res.headers.get('x-ratelimit-reset') ?? '');
    return Number.isNaN(reset) ? null : Math.max(0, reset - clock.now());
  }

  return async function get(h, host, path, accept, signal) {
    for (let hop = 0; hop < 4; hop++) {
      const origin = resolver.resolve(host);
      if (!origin)
        throw new HomeUnavailable(
          `${host} is a reserved name with no --resolve entry: never looked up on the network`,
        );
      const wait = h.lastRequestAt + paceMs - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
      if (signal.aborted) throw new HomeUnavailable('stopped');
      h.lastRequestAt = clock.now();
      let res: Response;
      try {
        res = await options.fetch(origin + path, {
          headers: { 'User-Agent': options.userAgent, Accept: accept },
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        throw new HomeUnavailable(
          e.name === 'TimeoutError'
            ? `${host}: no answer in ${timeoutMs / 1000} s`
            : `${host}: ${e.cause?.code ?? e.message}`,
        );
      }
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel();
        const next = new URL(res.headers.get('location')!, `https://${host}${path}`);
        host = next.host;
        path = next.pathname + next.search;
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel();
        throw new HomeUnavailable(
          `${host}${path.split('?')[0]}: HTTP ${res.status}`,
          retryAfter(res),
        );
      }
      const body = await readCapped(res, accept.includes('html') ? MAX_HTML : MAX_JSON);
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, host };
    }
    throw new HomeUnavailable(`${host}${path}: too many redirects`);
  };
}

/** The body as JSON, or null when it is none. */
export function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

/** An http(s) URL, or null. */
export function safeUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
