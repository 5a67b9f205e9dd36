import { Router, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  EMBED_JOIN,
  EMBED_THEMES,
  EMBED_VIEWS,
  embedSnippet,
  parseCenter,
  parseHeight,
  parseZoom,
} from '../../shared/embed.js';
import type { CampaignIdentity } from '../../shared/types.js';
import { ApiError } from './errors.js';
import { escapeHtml } from './index-page.js';
import { int, networkQuery, parseParams } from './params.js';
import { htmlPage } from './pages.js';

export interface EmbedDeps {
  /** Campaign tags, first is the map at `/`. */
  tags: string[];
  /** Where `vite build --config vite.widget.config.ts` put widget.js and its companions. */
  widgetDir: string;
  identityOf: (tag: string) => CampaignIdentity;
  /** The campaign named by `req.params.tag`; throws a 404 ApiError for one we don't follow. */
  campaignOf: (req: Request) => string;
  hasCampaign: (tag: string) => boolean;
}

const defaults = {
  oembedWidth: 800, // a content column is rarely wider; maxwidth narrows it
  oembedHeight: 600,
  assetMaxAge: 300, // widget.js keeps its name across releases, so caches must come back soon
  oembedCacheAge: 3600,
};

/** Files of the widget build served to other origins, with their content types. */
const widgetFiles: Record<string, string> = {
  '/widget.js': 'text/javascript; charset=utf-8',
  '/widget.classic.js': 'text/javascript; charset=utf-8',
  '/world-outline.json': 'application/json; charset=utf-8',
  '/embed-page.js': 'text/javascript; charset=utf-8',
};

// /embed and /embed/:tag allow no inline style (CSP style-src 'self'), so their rules are files:
// the pages' shared look (pages.ts) and these few of the builder's own.
const embedCss = `.builder{max-inline-size:72rem;margin:0 auto;padding:1rem 1.25rem 3rem}
.builder>p.lead{color:var(--muted);margin:-.5rem 0 1.25rem;max-inline-size:44rem}
.builder form{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem 1.5rem;align-items:start;margin-block-end:1.25rem;padding:1rem 1.25rem;background:var(--panel);border:1px solid var(--line);border-radius:12px}
.builder label{display:flex;flex-direction:column;gap:.25rem;font-size:.875rem;font-weight:600}
.builder fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .9rem;font-size:.875rem}
.builder fieldset label{flex-direction:row;align-items:center;gap:.35rem;font-weight:400}
.builder legend{padding:0;margin-block-end:.35rem;font-weight:600}
.builder input,.builder select,.builder textarea{font:inherit;font-weight:400;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:.35rem .5rem}
.builder input[type=radio]{accent-color:var(--accent)}
.builder input[name=height],.builder input[name=zoom]{inline-size:6rem}
.builder input[name=center]{inline-size:11rem}
.builder .opens{grid-column:1/-1;align-items:end}
.builder .opens label{flex-direction:column;align-items:stretch;font-weight:600}
.builder [aria-invalid=true]{outline:2px solid #b91c1c}
.preview{border:1px solid var(--line);border-radius:12px;overflow:hidden}
.snippet{display:flex;flex-direction:column;gap:.5rem;margin-block-start:1.25rem}
.snippet>label{font-weight:600}
.snippet textarea{inline-size:100%;box-sizing:border-box;font:.875rem/1.5 ui-monospace,monospace;resize:vertical;overflow-wrap:anywhere;min-block-size:4.5rem}
.snippet .actions{display:flex;gap:1rem;align-items:center}
.snippet p{color:var(--muted);font-size:.875rem;margin:0}
.framed{background:transparent}
.framed find-the-others{block-size:100vh}
`;

const embedQuery = z.object({
  view: z.enum(EMBED_VIEWS, `is not one of ${EMBED_VIEWS.join(', ')}`).optional(),
  theme: z.enum(EMBED_THEMES, `is not one of ${EMBED_THEMES.join(', ')}`).optional(),
  join: z.enum(EMBED_JOIN, `is not one of ${EMBED_JOIN.join(', ')}`).optional(),
  network: networkQuery,
  center: z
    .string()
    .refine((s) => parseCenter(s) !== null, 'is not "lat,lng" in degrees')
    .optional(),
  zoom: z
    .string()
    .refine((s) => parseZoom(s) !== null, 'is not a zoom from 0 to 18')
    .optional(),
  height: z
    .string()
    .refine((s) => parseHeight(s) !== null, 'is not a height such as 480 or 60vh')
    .optional(),
});

const oembedQuery = z.object({
  url: z.string().min(1, 'is empty').max(2000, 'is too long'),
  maxwidth: int(1, 10_000).optional(),
  maxheight: int(1, 10_000).optional(),
  // https://oembed.com/#section2.2: json or xml; we answer json and say 501 for xml.
  format: z.enum(['json', 'xml'], 'is not json or xml').optional(),
});

const baseOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** The oEmbed endpoint for a page of this server, for `<link rel="alternate">` discovery. */
export function oembedUrl(base: string, page: string): string {
  return `${base}/oembed?${new URLSearchParams({ url: page, format: 'json' })}`;
}

/**
 * Adds oEmbed discovery to the map page's head (https://oembed.com/#section4), so platforms
 * that auto-embed links find the iframe embed from the map's address alone.
 */
export function withOembedDiscovery(html: string, base: string, page: string, title: string) {
  const link =
    `<link rel="alternate" type="application/json+oembed" ` +
    `href="${escapeHtml(oembedUrl(base, page))}" title="${escapeHtml(title)}" />`;
  return html.includes('</head>')
    ? html.replace('</head>', () => `  ${link}\n  </head>`)
    : `${link}\n${html}`;
}

/**
 * The widget's files (to any origin), the embed page, the framable map and oEmbed:
 * - `GET /widget.js`, `/widget.classic.js`, `/world-outline.json`: CORS, short cache;
 * - `GET /embed`: choose campaign, size, view and theme, see it live, copy the snippet;
 * - `GET /embed/:tag?view&theme&join&center&zoom`: the map alone, framable by anyone (the app
 *   gives this path the framable headers);
 * - `GET /oembed?url&maxwidth&maxheight&format`: a `rich` oEmbed answer with that iframe.
 */
export function embedRoutes(deps: EmbedDeps): Router {
  const router = Router();

  for (const [path, type] of Object.entries(widgetFiles)) {
    const file = join(deps.widgetDir, path.slice(1));
    router.get(path, (_req, res) => {
      if (!existsSync(file)) {
        res
          .status(503)
          .type('text/plain')
          .send('The widget has not been built yet: run "npm run build".');
        return;
      }
      res.set({
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': `public, max-age=${defaults.assetMaxAge}`,
        'Content-Type': type,
      });
      res.sendFile(file);
    });
  }

  router.get('/embed.css', (_req, res) => {
    res
      .type('text/css; charset=utf-8')
      .set('Cache-Control', `public, max-age=${defaults.assetMaxAge}`)
      .send(embedCss);
  });

  router.get('/embed', (req, res) => {
    const wanted = typeof req.query.campaign === 'string' ? req.query.campaign.toLowerCase() : '';
    const campaign = deps.tags.includes(wanted) ? wanted : (deps.tags[0] ?? '');
    sendPage(res, builderPage(deps, campaign, baseOf(req)));
  });

  router.get('/embed/:tag', (req, res) => {
    const tag = deps.campaignOf(req);
    const q = parseParams(embedQuery, req.query as Record<string, unknown>);
    const attrs: Array<[string, string]> = [
      ['campaign', tag],
      ['height', q.height ?? '100vh'],
    ];
    for (const key of ['view', 'theme', 'join', 'network', 'center', 'zoom'] as const) {
      const value = q[key];
      if (value) attrs.push([key, value]);
    }
    const title = deps.identityOf(tag).title;
    sendPage(
      res,
      page(
        `${title} · map`,
        `<body class="framed">
    <find-the-others${attrs.map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join('')}></find-the-others>
    <noscript><a href="/c/${encodeURIComponent(tag)}" target="_blank">Open the map of #${escapeHtml(tag)}</a></noscript>
  </body>`,
      ),
    );
  });

  router.get('/oembed', (req, res) => {
    const q = parseParams(oembedQuery, req.query as Record<string, unknown>);
    if (q.format === 'xml') throw new ApiError(501, 'format: only json is implemented');
    const base = baseOf(req);
    const tag = tagOfUrl(q.url, req.get('host') ?? '');
    if (!tag || !deps.hasCampaign(tag))
      throw new ApiError(404, `url: not a map on this server: ${JSON.stringify(q.url)}`);
    const width = Math.min(defaults.oembedWidth, q.maxwidth ?? Infinity);
    const height = Math.min(defaults.oembedHeight, q.maxheight ?? Infinity);
    const identity = deps.identityOf(tag);
    const src = `${base}/embed/${encodeURIComponent(tag)}`;
    const thumbnail = { width: 1200, height: 630 };
    const thumbnailFits =
      thumbnail.width <= (q.maxwidth ?? Infinity) && thumbnail.height <= (q.maxheight ?? Infinity);
    res
      .set('Access-Control-Allow-Origin', '*')
      .set('Cache-Control', `public, max-age=${defaults.oembedCacheAge}`)
      .json({
        version: '1.0',
        type: 'rich',
        title: identity.title,
        provider_name: 'Find the Others',
        provider_url: `${base}/`,
        cache_age: defaults.oembedCacheAge,
        html:
          `<iframe src="${escapeHtml(src)}" width="${width}" height="${height}" ` +
          `title="${escapeHtml(`Map of ${identity.title}`)}" style="border:0" loading="lazy" ` +
          `allow="geolocation"></iframe>`,
        width,
        height,
        // The spec asks thumbnails to respect maxwidth/maxheight; ours has one size, so it fits or is left out.
        ...(thumbnailFits
          ? {
              thumbnail_url: `${base}/og/${encodeURIComponent(tag)}.png`,
              thumbnail_width: thumbnail.width,
              thumbnail_height: thumbnail.height,
            }
          : {}),
      });
  });

  return router;

  /** The campaign a URL of this server shows (`/`, `/c/:tag`, `/embed/:tag`), else null. */
  function tagOfUrl(raw: string, host: string): string | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return null;
    }
    if (!/^https?:$/.test(url.protocol) || url.host !== host) return null;
    if (url.pathname === '/' || url.pathname === '') return deps.tags[0] ?? null;
    const m = /^\/(?:c|embed)\/([^/]+)\/?$/.exec(url.pathname);
    if (!m) return null;
    try {
      return decodeURIComponent(m[1]!).replace(/^#/, '').toLowerCase();
    } catch {
      return null;
    }
  }
}

function sendPage(res: Response, html: string): void {
  res.type('html').set('Cache-Control', 'no-cache').send(html);
}

function page(title: string, body: string, head = ''): string {
  return htmlPage(
    title,
    body,
    `\n    <link rel="stylesheet" href="/embed.css" />\n    <script type="module" src="/widget.js"></script>${head}`,
  );
}

function builderPage(deps: EmbedDeps, campaign: string, base: string): string {
  const options = {
    campaign,
    height: '480',
    view: 'map',
    theme: 'auto',
    join: 'button',
    kind: 'script',
    center: '',
    zoom: '',
  } as const;
  const choice = (name: string, values: readonly string[], chosen: string) =>
    values
      .map(
        (v) =>
          `<label><input type="radio" name="${name}" value="${v}"${v === chosen ? ' checked' : ''} /> ${v}</label>`,
      )
      .join('\n          ');
  const campaigns = deps.tags
    .map(
      (t) =>
        `<option value="${escapeHtml(t)}"${t === campaign ? ' selected' : ''}>#${escapeHtml(t)}</option>`,
    )
    .join('');
  return page(
    'Embed the map · Find the Others',
    `<body>
    <main class="builder">
      <h1>Put the map on your site</h1>
      <p class="lead">Choose how the map looks, check it in the preview, then copy the snippet into
      your page. It stays live: new people appear on your site as they post.</p>
      <form id="embed-options">
        <label>Campaign <select name="campaign">${campaigns}</select></label>
        <label>Height (px) <input name="height" inputmode="numeric" value="${options.height}" /></label>
        <fieldset><legend>View</legend>
          ${choice('view', EMBED_VIEWS, options.view)}
        </fieldset>
        <fieldset><legend>Theme</legend>
          ${choice('theme', EMBED_THEMES, options.theme)}
        </fieldset>
        <fieldset><legend>Add yourself</legend>
          ${choice('join', EMBED_JOIN, options.join)}
        </fieldset>
        <fieldset class="opens"><legend>Opens at (empty: the whole world)</legend>
          <label>Centre (lat,lng) <input name="center" inputmode="decimal" placeholder="45.52,-122.68" aria-describedby="opens-note" /></label>
          <label>Zoom (0–18) <input name="zoom" inputmode="decimal" placeholder="3" aria-describedby="opens-note" /></label>
          <button type="button" id="use-view">Use the preview’s view</button>
          <span id="opens-note" role="status"></span>
        </fieldset>
        <fieldset><legend>Embed as</legend>
          ${choice('kind', ['script', 'iframe'], options.kind)}
        </fieldset>
      </form>
      <div class="preview">
        <find-the-others campaign="${escapeHtml(campaign)}" height="${options.height}"></find-the-others>
      </div>
      <div class="snippet">
        <label for="snippet">Paste this into your page</label>
        <textarea id="snippet" rows="4" readonly>${escapeHtml(embedSnippet(options, base))}</textarea>
        <div class="actions">
          <button type="button" id="copy">Copy</button>
          <span id="copied" role="status"></span>
        </div>
        <p>The iframe works where a site's Content-Security-Policy forbids scripts from other
        origins. Platforms that read oEmbed (WordPress and others) embed the map from its link
        alone: paste <code>${escapeHtml(base)}/c/${escapeHtml(campaign)}</code> on a line by itself.</p>
      </div>
    </main>
  </body>`,
    `\n    <script type="module" src="/embed-page.js"></script>`,
  );
}
