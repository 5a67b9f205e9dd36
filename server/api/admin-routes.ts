import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { ACCT_PATTERN, DOMAIN_PATTERN, type PlaceSearchResult } from '../../shared/admin.js';
import type { Locator } from '../geo/types.js';
import type { Store, StoredEvent } from '../store/store.js';
import { ApiError } from './errors.js';
import { int, parseParams } from './params.js';

export interface AdminRouteDeps {
  store: Store;
  /** FTO_ADMIN_TOKEN; the admin API does not exist without one. */
  token: string;
  /** Looks up a GeoNames id for "set a post's place by hand", and searches places by name. */
  locator?: Pick<Locator, 'placeById' | 'searchPlaces'>;
  /** Who may call (default: bearerAuth(token)); the team's auth sets res.locals.actor. */
  auth?: RequestHandler;
  /** Writes every change to the audit log, with who did it (team-routes.ts). */
  audit?: (req: express.Request, res: express.Response, change: AdminChange) => void;
}

/** One moderation action as the audit log records it. */
export interface AdminChange {
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <token>`, compared in constant time (hashes, so lengths never leak either). */
export function bearerAuth(token: string): RequestHandler {
  const expected = sha256(token);
  return (req, res, next) => {
    const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (!m || !timingSafeEqual(sha256(m[1]!.trim()), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="find-the-others admin"');
      next(new ApiError(401, 'admin API: send Authorization: Bearer <FTO_ADMIN_TOKEN>'));
      return;
    }
    next();
  };
}

const acctParam = z.object({
  acct: z.string().trim().regex(ACCT_PATTERN, 'is not an account like user@domain'),
});
const domainParam = z.object({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(DOMAIN_PATTERN, 'is not a domain like example.social'),
});
const note = z.string().max(500, 'is longer than 500 characters').optional(); // the audit log's "why"
const uriBody = z.strictObject({
  uri: z.url({ protocol: /^https?$/, error: 'is not an http(s) URI' }),
  note,
});
const placeBody = z.strictObject({
  uri: z.url({ protocol: /^https?$/, error: 'is not an http(s) URI' }),
  placeId: z.number().int().positive(),
  note,
});
const placesQuery = z.object({
  q: z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters'),
  limit: int(1, 50).default(10),
});
const unlocatedQuery = z.object({
  limit: int(1, 500).default(50),
  before: int(1, Number.MAX_SAFE_INTEGER).optional(),
});

/** Moderation: hide/unhide people and posts, block accounts and domains, place posts by hand. Changes go out live. */
export function adminRoutes(
  deps: AdminRouteDeps,
  campaignOf: (req: express.Request) => string,
): Router {
  const { store } = deps;
  const router = Router();
  router.use(deps.auth ?? bearerAuth(deps.token));
  router.use(express.json({ limit: '16kb' }));
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  // The store has published the events (its change stream feeds the hub): answer with their count.
  const answerFor = (events: StoredEvent[] | null, what: string) => {
    if (events === null) throw new ApiError(404, `no such post: ${what}`);
    return { ok: true, events: events.length };
  };
  const body = (req: express.Request) => (req.body ?? {}) as Record<string, unknown>;
  /** Answer with the count, then record who did it (only a change that found its post is recorded). */
  const done = (
    req: express.Request,
    res: express.Response,
    events: StoredEvent[] | null,
    change: AdminChange,
  ) => {
    const answer = answerFor(events, change.target);
    deps.audit?.(req, res, change);
    res.json(answer);
  };

  router.get('/moderation', (_req, res) => {
    res.json(store.moderation());
  });

  router.get('/places', (req, res) => {
    const { q, limit } = parseParams(placesQuery, req.query);
    if (!deps.locator?.searchPlaces)
      throw new ApiError(501, 'place search needs the offline gazetteer (npm run build)');
    const result: PlaceSearchResult = { places: deps.locator.searchPlaces(q, limit) };
    res.json(result);
  });

  router.get('/campaigns/:tag/unlocated', (req, res) => {
    const tag = campaignOf(req);
    const query = parseParams(unlocatedQuery, req.query);
    const posts = store.unlocatedPosts(tag, query.limit, query.before);
    res.json({
      posts,
      nextBefore: posts.length === query.limit ? posts.at(-1)!.id : null,
    });
  });

  router.post('/accounts/:acct/hide', (req, res) => {
    const { acct } = parseParams(acctParam, req.params);
    done(req, res, store.hideAccount(acct), { action: 'account.hide', target: acct });
  });
  router.delete('/accounts/:acct/hide', (req, res) => {
    const { acct } = parseParams(acctParam, req.params);
    done(req, res, store.unhideAccount(acct), { action: 'account.unhide', target: acct });
  });
  router.post('/accounts/:acct/block', (req, res) => {
    const { acct } = parseParams(acctParam, req.params);
    done(req, res, store.hideAccount(acct, { block: true }), {
      action: 'account.block',
      target: acct,
    });
  });
  router.delete('/accounts/:acct/block', (req, res) => {
    const { acct } = parseParams(acctParam, req.params);
    done(req, res, store.unhideAccount(acct), { action: 'account.unblock', target: acct });
  });

  router.post('/domains/:domain/block', (req, res) => {
    const { domain } = parseParams(domainParam, req.params);
    done(req, res, store.blockDomain(domain), { action: 'domain.block', target: domain });
  });
  router.delete('/domains/:domain/block', (req, res) => {
    const { domain } = parseParams(domainParam, req.params);
    done(req, res, store.unblockDomain(domain), { action: 'domain.unblock', target: domain });
  });

  router.post('/posts/hide', (req, res) => {
    const { uri } = parseParams(uriBody, body(req));
    done(req, res, store.hidePost(uri), { action: 'post.hide', target: uri });
  });
  router.post('/posts/unhide', (req, res) => {
    const { uri } = parseParams(uriBody, body(req));
    done(req, res, store.unhidePost(uri), { action: 'post.unhide', target: uri });
  });
  router.post('/posts/place', (req, res) => {
    const { uri, placeId } = parseParams(placeBody, body(req));
    const place = deps.locator?.placeById(placeId) ?? store.queries.place(placeId);
    if (!place) throw new ApiError(400, `placeId: ${placeId} is not a GeoNames id we know`);
    done(req, res, store.setPostPlace(uri, place), {
      action: 'post.place',
      target: uri,
      detail: {
        placeId,
        place: [place.name, place.admin1, place.country].filter(Boolean).join(', '),
      },
    });
  });
  router.post('/posts/unplace', (req, res) => {
    const { uri } = parseParams(uriBody, body(req));
    done(req, res, store.clearPostPlace(uri), { action: 'post.unplace', target: uri });
  });

  return router;
}
