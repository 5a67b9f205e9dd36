/** One throttle: at most `limit` requests per fixed window of `windowMs`. */
export interface RateLimitBucket {
  /** Requests allowed per window. */
  limit: number;
  /** Window length; windows are aligned to the epoch, as Rack::Attack's are. */
  windowMs: number;
}

/** Mastodon's throttles for API calls: https://docs.joinmastodon.org/api/rate-limits/ */
export interface RateLimitOptions {
  /** Anonymous API calls per IP (Mastodon: 300 per 5 minutes). */
  api?: RateLimitBucket;
  /** Anonymous paging calls (max_id, min_id, since_id) per IP (Mastodon: 300 per 15 minutes). */
  paging?: RateLimitBucket;
  /** Calls per access token (Mastodon: 300 per 5 minutes). */
  token?: RateLimitBucket;
}

/** What one request learned about its limits, ready for the `X-RateLimit-*` headers. */
export interface RateLimitResult {
  /** True when this request is over a limit and must get a 429. */
  limited: boolean;
  /** `X-RateLimit-Limit`. */
  limit: number;
  /** `X-RateLimit-Remaining`. */
  remaining: number;
  /** `X-RateLimit-Reset`, epoch ms of the end of the window. */
  resetAtMs: number;
}

/** Who is asking and whether the request pages. */
export interface RateLimitRequest {
  /** Remote IP address. */
  ip: string;
  /** The bearer token, when it is a valid one. */
  token: string | null;
  /** Whether the query has max_id, min_id, since_id or page. */
  paging: boolean;
}

const FIVE_MINUTES = 5 * 60_000;

/** The limits in Mastodon's config/initializers/rack_attack.rb. */
export const mastodonRateLimits: Required<RateLimitOptions> = {
  api: { limit: 300, windowMs: FIVE_MINUTES },
  paging: { limit: 300, windowMs: 3 * FIVE_MINUTES },
  token: { limit: 300, windowMs: FIVE_MINUTES },
};

/** Counts requests in fixed windows and answers with the most constraining bucket. */
export function createRateLimiter(options: RateLimitOptions, now: () => number) {
  const buckets = { ...mastodonRateLimits, ...options };
  const counters = new Map<string, { window: number; count: number }>();

  function count(name: keyof typeof buckets, who: string, at: number) {
    const bucket = buckets[name];
    const window = Math.floor(at / bucket.windowMs);
    const key = `${name}:${who}`;
    const counter = counters.get(key);
    const next = counter && counter.window === window ? counter.count + 1 : 1;
    counters.set(key, { window, count: next });
    return { bucket, count: next, resetAtMs: (window + 1) * bucket.windowMs };
  }

  return {
    /** Counts one request against every bucket it falls in. */
    hit(request: RateLimitRequest): RateLimitResult {
      const at = now();
      const hits = request.token
        ? [count('token', request.token, at)]
        : [
            count('api', request.ip, at),
            ...(request.paging ? [count('paging', request.ip, at)] : []),
          ];
      const over = hits.find((h) => h.count > h.bucket.limit);
      if (over) {
        return { limited: true, limit: over.bucket.limit, remaining: 0, resetAtMs: over.resetAtMs };
      }
      // Mastodon's RateLimitHeaders reports the bucket with the fewest requests left.
      const tightest = hits.reduce((a, b) =>
        b.bucket.limit - b.count < a.bucket.limit - a.count ? b : a,
      );
      return {
        limited: false,
        limit: tightest.bucket.limit,
        remaining: tightest.bucket.limit - tightest.count,
        resetAtMs: tightest.resetAtMs,
      };
    },
  };
}

/** The `X-RateLimit-*` headers; Mastodon writes Reset with `iso8601(6)`. */
export function toRateLimitHeaders(result: RateLimitResult): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(result.limit),
    'X-RateLimit-Remaining': String(result.remaining),
    'X-RateLimit-Reset': new Date(result.resetAtMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
  };
}
