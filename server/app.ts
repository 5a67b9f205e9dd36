import compression from 'compression';
import express, { type Request, type RequestHandler } from 'express';
import helmet from 'helmet';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CampaignIdentity,
  ClientConfig,
  ReachStatus,
  ConsentStatus,
  ServerStatus,
  SourceStatus,
} from '../shared/types.js';
import type { Locator } from './geo/types.js';
import type { Hub } from './hub.js';
import { adminPage } from './api/admin-page.js';
import { adminRoutes } from './api/admin-routes.js';
import { defaultIdentity } from './config/campaigns.js';
import { moderationApi, type TeamDeps } from './api/moderation-api.js';
import { reportRoutes } from './api/report-routes.js';
import { embedRoutes, withOembedDiscovery } from './api/embed.js';
import { mapAssetRoutes } from './api/map-assets.js';
import { campaignRoutes } from './api/campaign-routes.js';
import { ApiError, errorHandler, notFound, pageNotFound } from './api/errors.js';
import { PAGES_CSS_PATH, sendPagesCss } from './api/pages.js';
import { renderIndex } from './api/index-page.js';
import { createMetrics } from './api/metrics.js';
import { ogImagePng } from './api/og-image.js';
import { rateLimit, type RateLimitOptions } from './api/rate-limit.js';
import { requestLog } from './api/request-log.js';
import { streamEvents, type SseOptions } from './api/sse.js';
import { createStatsPublisher, refreshSpreadMs } from './api/stats-publisher.js';
import { clientDir, packageRoot } from './paths.js';
import { createCityIndex, type CityIndexOptions } from './map/city-index.js';
import type { Store } from './store/store.js';

export interface AppDeps {
  store: Store;
  hub: Hub;
  /** Campaign tags, first is the default map. */
  tags: string[];
  tileUrl: string | null;
  tileAttribution: string;
  /** Live collector state for /api/status. */
  sourceStatus: () => SourceStatus[];
  /** Which sources found the posts, for /api/status (absent: no `reach` field). */
  reach?: () => ReachStatus;
  /** Consent look-ups, for /api/status (absent: no `consent` field). */
  consent?: () => ConsentStatus;
  /** Express's `trust proxy`: whose X-Forwarded-For names the client (default: loopback). */
  trustProxy?: string;
  /** More for /healthz beside `ok` (the process's role and whether it collects now). */
  health?: () => Record<string, unknown>;
  log: { error(obj: object, msg: string): void; info?(obj: object, msg: string): void };
  /** Where the built client is (tests may point elsewhere). */
  clientDir?: string;
  /** Where the built widget is (widget.js…); default dist/widget. */
  widgetDir?: string;
  /** Where the built admin page is (admin.html, assets/); default dist/admin. */
  adminDir?: string;
  sse?: SseOptions;
  /** Resolves `nearby?near=<place text>` and admin place fixes by GeoNames id. */
  locator?: Locator;
  /** Campaign identities from the config file; defaults for tags not in it. */
  identities?: Record<string, CampaignIdentity>;
  /** FTO_ADMIN_TOKEN; without one (and without `team` moderators) the admin API answers 404. */
  adminToken?: string | null;
  /** Moderator accounts, API tokens and the audit log; absent: FTO_ADMIN_TOKEN alone, unrecorded. */
  team?: TeamDeps;
  /** Per-IP limit on /api; null turns it off (benchmarks). */
  rateLimit?: Omit<RateLimitOptions, 'now'> | null;
  /** At most one SSE `stats` event per campaign per this many ms. */
  statsIntervalMs?: number;
  cityIndex?: CityIndexOptions;
  /** Reuse a campaign summary for this long after a change (ms). */
  summaryTtlMs?: number;
  /** Load every campaign's cities now instead of on the first request. */
  warm?: boolean;
  /** Above this many contributors the unclustered collection is streamed (default 20,000). */
  streamContributorsAbove?: number;
  /**
   * Plain-http origins images may come from besides https: (instances followed over http, such
   * as the demo's, serve avatars from their own origin).
   */
  imageOrigins?: string[];
}

const defaults = {
  rateLimit: { perSecond: 20, burst: 120 }, // a map pans at a few requests a second; a page load is ~5
  ogImageTtlMs: 60_000, // the preview card redraws at most once a minute
};

const csp = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'https:', 'data:'], // avatars and tiles come from everywhere
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The HTTP application: API, live events and the map page. No listen, no globals. */
export function createApp(deps: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'strong');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');

  // What the live stream says about a campaign, with how long its viewers should spread refetches.
  const liveStats = (tag: string) => ({
    ...cities.stats(tag),
    refreshSpreadMs: refreshSpreadMs(deps.hub.size(tag)),
  });
  const stats = createStatsPublisher({
    hub: deps.hub,
    stats: liveStats,
    intervalMs: deps.statsIntervalMs,
  });
  const cities = createCityIndex(deps.store, deps.store.queries, {
    ...deps.cityIndex,
    onStats: (tag) => stats.changed(tag),
  });
  if (deps.warm) for (const tag of deps.tags) if (deps.store.hasCampaign(tag)) cities.warm(tag);
  const identityOf = (tag: string) => deps.identities?.[tag] ?? defaultIdentity(tag);

  const pageCsp = { ...csp, imgSrc: [...csp.imgSrc, ...(deps.imageOrigins ?? [])] };
  const pageHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: pageCsp },
    crossOriginResourcePolicy: { policy: 'cross-origin' }, // the widget reads the API from authors' sites
    frameguard: { action: 'deny' },
  });
  // Only the embeddable map may be framed, by anyone.
  const embedHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...pageCsp, frameAncestors: ['*'] },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    frameguard: false,
  });
  app.use((req, res, next) =>
    (req.path.startsWith('/embed/') ? embedHeaders : pageHeaders)(req, res, next),
  );

  const metrics = createMetrics({
    gauges: () => {
      const campaigns = deps.store.campaigns();
      const bySourceState = new Map<string, number>();
      for (const s of deps.sourceStatus())
        bySourceState.set(s.state, (bySourceState.get(s.state) ?? 0) + 1);
      return {
        fto_contributors: {
          help: 'People on the map, per campaign.',
          samples: campaigns.map((c) => ({
            labels: { campaign: c },
            value: cities.stats(c).contributors,
          })),
        },
        fto_cities: {
          help: 'Cities on the map, per campaign.',
          samples: campaigns.map((c) => ({
            labels: { campaign: c },
            value: cities.stats(c).cities,
          })),
        },
        fto_posts: {
          help: 'Stored posts (not deleted).',
          samples: [{ value: postCount() }],
        },
        fto_sse_clients: {
          help: 'Connected live-event clients, per campaign.',
          samples: campaigns.map((c) => ({
            labels: { campaign: c },
            value: deps.hub.size(c),
          })),
        },
        fto_collector_sources: {
          help: 'Collector sources (instance × tag) by state.',
          samples: [...bySourceState].map(([state, value]) => ({ labels: { state }, value })),
        },
      };
    },
  });
  // Counting a million posts takes a while: once per scrape interval is plenty.
  let posts = { at: 0, n: 0 };
  const postCount = () => {
    if (Date.now() - posts.at > 30_000)
      posts = { at: Date.now(), n: deps.store.queries.postCount() };
    return posts.n;
  };
  app.use(metrics.middleware);
  if (deps.log.info) app.use(requestLog({ info: deps.log.info.bind(deps.log) }));

  // Compression would buffer the event stream; every other response benefits.
  app.use(
    compression({
      filter: (req, res) => !req.path.endsWith('/events') && compression.filter(req, res),
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ ok: true, ...deps.health?.() });
  });

  app.get(PAGES_CSS_PATH, (_req, res) => sendPagesCss(res, 3600));

  app.get('/metrics', (_req, res) => {
    res
      .type('text/plain; version=0.0.4; charset=utf-8')
      .set('Cache-Control', 'no-store')
      .send(metrics.render());
  });

  // Every public GET of the API may be read from other origins: the widget lives on authors' sites.
  app.use('/api', (_req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    next();
  });
  const limit = deps.rateLimit === undefined ? defaults.rateLimit : deps.rateLimit;
  if (limit) app.use('/api', rateLimit(limit));

  app.get('/api/config', (_req, res) => {
    res.json({
      campaigns: deps.tags,
      tileUrl: deps.tileUrl,
      tileAttribution: deps.tileAttribution,
    } satisfies ClientConfig);
  });

  app.get('/api/status', (_req, res) => {
    const status: ServerStatus = { campaigns: deps.tags, sources: deps.sourceStatus() };
    if (deps.reach) status.reach = deps.reach();
    if (deps.consent) status.consent = deps.consent();
    res.set('Cache-Control', 'no-store').json(status);
  });

  const campaigns = campaignRoutes({
    store: deps.store,
    cities,
    identities: deps.identities ?? {},
    locator: deps.locator,
    summaryTtlMs: deps.summaryTtlMs,
    streamContributorsAbove: deps.streamContributorsAbove,
  });
  const { campaignOf } = campaigns;

  app.get('/api/campaigns/:tag/events', (req, res) => {
    const tag = campaignOf(req);
    streamEvents(req, res, tag, { hub: deps.hub, store: deps.store, stats: liveStats }, deps.sse);
  });
  if (deps.team) app.use('/api', reportRoutes(deps.team, campaignOf));
  app.use('/api', campaigns.router);
  if (deps.team)
    app.use(
      '/api/admin',
      moderationApi(
        {
          ...deps.team,
          store: deps.store,
          locator: deps.locator,
          envToken: deps.adminToken ?? null,
        },
        campaignOf,
      ),
    );
  else if (deps.adminToken)
    app.use(
      '/api/admin',
      adminRoutes({ store: deps.store, token: deps.adminToken, locator: deps.locator }, campaignOf),
    );

  app.use('/api', notFound);

  const ogCache = new Map<string, { at: number; png: Buffer }>();
  app.get('/og/:file', (req, res) => {
    const m = /^(.+)\.png$/.exec(String(req.params.file));
    if (!m) throw new ApiError(404, `no such image: ${req.params.file}`);
    const tag = campaignOf({ params: { tag: m[1] } } as unknown as Request);
    let cached = ogCache.get(tag);
    if (!cached || Date.now() - cached.at > defaults.ogImageTtlMs) {
      const dots = cities.top(tag, 5000).cities.map((c) => {
        const e = cities.city(tag, c.place.id)!;
        return { lat: e.place.lat, lng: e.place.lng, count: c.count };
      });
      cached = { at: Date.now(), png: ogImagePng(dots, identityOf(tag).accentColor) };
      ogCache.set(tag, cached);
    }
    res.type('png').set('Cache-Control', 'public, max-age=300').send(cached.png);
  });

  app.use(
    adminPage({
      adminDir: deps.adminDir ?? join(packageRoot, 'dist', 'admin'),
      enabled: () => Boolean(deps.adminToken) || (deps.team?.team.hasModerators() ?? false),
    }),
  );

  const widgetDir = deps.widgetDir ?? join(packageRoot, 'dist', 'widget');
  app.use(mapAssetRoutes({ widgetDir }));
  app.use(
    embedRoutes({
      tags: deps.tags,
      widgetDir,
      identityOf,
      campaignOf,
      hasCampaign: (tag) => deps.store.hasCampaign(tag),
    }),
  );

  const dir = deps.clientDir ?? clientDir;
  const indexPath = join(dir, 'index.html');
  let indexHtml: string | null = null;
  const sendIndex = (req: Request, res: express.Response, tag: string) => {
    if (!existsSync(indexPath)) {
      res
        .status(503)
        .type('text/plain')
        .send('The map has not been built yet: run "npm run build".');
      return;
    }
    indexHtml ??= readFileSync(indexPath, 'utf8');
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const page = base + req.originalUrl.split('?')[0];
    const html = withOembedDiscovery(
      renderIndex(indexHtml, identityOf(tag), {
        page,
        image: `${base}/og/${encodeURIComponent(tag)}.png`,
      }),
      base,
      page,
      identityOf(tag).title,
    );
    res.type('html').set('Cache-Control', 'no-cache').send(html);
  };
  const index: RequestHandler = (req, res) => sendIndex(req, res, deps.tags[0]!);
  app.get('/', index);
  app.get('/c/:tag', (req, res) => sendIndex(req, res, campaignOf(req)));
  app.use(express.static(dir, { index: false, maxAge: '1h' }));

  app.use(pageNotFound);
  app.use(errorHandler(deps.log, deps.tags));
  return app;
}
