import type { RequestHandler } from 'express';
import { ApiError } from './errors.js';

export interface RateLimitOptions {
  /** Sustained requests per second per client IP. */
  perSecond: number;
  /** Requests a client may make at once before the rate applies. */
  burst: number;
  now?: () => number;
}

/** A token bucket per client IP. An SSE connection is one request, so it costs one token however long it lasts. */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let sweptAt = now();
  return (req, res, next) => {
    const t = now();
    // Forget clients whose bucket has refilled, so the map stays the size of the current traffic.
    if (t - sweptAt > 60_000) {
      for (const [ip, b] of buckets)
        if (b.tokens + ((t - b.at) / 1000) * options.perSecond >= options.burst) buckets.delete(ip);
      sweptAt = t;
    }
    const ip = req.ip ?? 'unknown';
    const b = buckets.get(ip) ?? { tokens: options.burst, at: t };
    b.tokens = Math.min(options.burst, b.tokens + ((t - b.at) / 1000) * options.perSecond);
    b.at = t;
    buckets.set(ip, b);
    if (b.tokens < 1) {
      const wait = Math.ceil((1 - b.tokens) / options.perSecond);
      res.set('Retry-After', String(wait));
      next(new ApiError(429, `too many requests: try again in ${wait} s`));
      return;
    }
    b.tokens -= 1;
    next();
  };
}
