import compression from 'compression';
import express, { type Request } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientConfig, ServerStatus, SourceStatus } from '../shared/types.js';
import { parseTag } from './config.js';
import type { Hub } from './hub.js';
import { ApiError, errorHandler, notFound } from './api/errors.js';
import { streamEvents, type SseOptions } from './api/sse.js';
import { clientDir } from './paths.js';
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
  log: { error(obj: object, msg: string): void };
  /** Where the built client is (tests may point elsewhere). */
  clientDir?: string;
  sse?: SseOptions;
}

/** The HTTP application: API, live events and the map page. No listen, no globals. */
export function createApp(deps: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'strong');
  app.set('trust proxy', 'loopback');

  // Compression would buffer the event stream; every other response benefits.
  app.use(
    compression({
      filter: (req, res) => !req.path.endsWith('/events') && compression.filter(req, res),
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // Every public GET of the API may be read from other origins: the widget lives on authors' sites.
  app.use('/api', (_req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    next();
  });

  app.get('/api/config', (_req, res) => {
    res.json({
      campaigns: deps.tags,
      tileUrl: deps.tileUrl,
      tileAttribution: deps.tileAttribution,
    } satisfies ClientConfig);
  });

  app.get('/api/status', (_req, res) => {
    const status: ServerStatus = { campaigns: deps.tags, sources: deps.sourceStatus() };
    res.set('Cache-Control', 'no-store').json(status);
  });

  const campaignOf = (req: Request): string => {
    const raw = String(req.params.tag);
    let tag: string;
    try {
      tag = parseTag(raw, 'campaign');
    } catch (err) {
      throw new ApiError(400, (err as Error).message);
    }
    if (!deps.store.hasCampaign(tag)) throw new ApiError(404, `no campaign #${tag} on this server`);
    return tag;
  };

  app.get('/api/campaigns/:tag/contributors', (req, res) => {
    const tag = campaignOf(req);
    res.set('Cache-Control', 'public, max-age=5').json(deps.store.contributors(tag));
  });

  app.get('/api/campaigns/:tag/events', (req, res) => {
    const tag = campaignOf(req);
    streamEvents(req, res, tag, deps, deps.sse);
  });

  app.use('/api', notFound);

  const dir = deps.clientDir ?? clientDir;
  const indexPath = join(dir, 'index.html');
  let indexHtml: string | null = null;
  const sendIndex: express.RequestHandler = (_req, res) => {
    if (!existsSync(indexPath)) {
      res
        .status(503)
        .type('text/plain')
        .send('The map has not been built yet: run "npm run build".');
      return;
    }
    indexHtml ??= readFileSync(indexPath, 'utf8');
    res.type('html').set('Cache-Control', 'no-cache').send(indexHtml);
  };
  app.get('/', sendIndex);
  app.get('/c/:tag', (req, res, next) => {
    campaignOf(req);
    sendIndex(req, res, next);
  });
  app.use(express.static(dir, { index: false, maxAge: '1h' }));

  app.use(errorHandler(deps.log));
  return app;
}
