import type { AddressInfo } from 'node:net';
import path, { join } from 'node:path';
import express from 'express';
import { ensureClientBuilt, ensureWidgetBuilt } from '../helpers/built-assets.js';
import { startMapWorld, type MapWorld } from '../helpers/map-server.js';

export { ensureWidgetBuilt, WIDGET_DIR } from '../helpers/built-assets.js';

export type WidgetWorld = MapWorld;

/** The accent colour #otherside's author chose in the server's config file (#yourturn has none). */
export const OTHERSIDE_ACCENT = '#fde047';

/**
 * The real server following two campaigns, #yourturn and #otherside, on a test Mastodon
 * instance, with both campaigns' posts located before it returns.
 */
export async function startWidgetWorld(): Promise<WidgetWorld> {
  ensureClientBuilt();
  ensureWidgetBuilt();
  return startMapWorld({
    domain: 'widget.example',
    posts: [
      ['ada', '#YourTurn Lagos'],
      ['bola', '#YourTurn Lagos'],
      ['gus', '#YourTurn Berlin'],
      ['dana', '#YourTurn Portland, Oregon'],
      ['ines', '#OtherSide Lisbon'],
      ['yuki', '#OtherSide Osaka'],
    ],
    tags: ['yourturn', 'otherside'],
    expect: { yourturn: 4, otherside: 2 },
    env: { FTO_RATE_LIMIT: '0' },
    config: { campaigns: { otherside: { accentColor: OTHERSIDE_ACCENT } } },
  });
}

/** The stylesheet a careless or hostile author page might have. */
const HOSTILE_CSS = `
* { all: unset !important; }
div { display: none !important; }
body { display: block !important; letter-spacing: 3px; text-transform: uppercase; font-family: "Comic Sans MS", cursive; color: rgb(200, 0, 0); }
span, a, button, p, h1, h2 { color: rgb(0, 128, 0) !important; font: 30px/3 "Comic Sans MS" !important; }
.leaflet-container { background: rgb(255, 105, 180) !important; }
.leaflet-marker-icon, .leaflet-pane { display: none !important; }
img { width: 3px !important; }
`;

export interface HostSite {
  /** e.g. http://127.0.0.1:41234 — another origin than the map server. */
  url: string;
  close(): Promise<void>;
}

/**
 * An author's site on another origin: `/page?build=module|classic|both|none` embeds two widgets
 * (#yourturn naming its server, #otherside relying on the script's origin) under hostile global
 * CSS, its own Leaflet CSS and its own global `L`; `/frame` frames the iframe embed.
 */
export async function startHostSite(mapUrl: string): Promise<HostSite> {
  const app = express();
  const leaflet = path.resolve('node_modules/leaflet/dist');
  app.get('/leaflet.css', (_req, res) => res.sendFile(join(leaflet, 'leaflet.css')));
  app.get('/leaflet.js', (_req, res) => res.sendFile(join(leaflet, 'leaflet.js')));
  app.get('/hostile.css', (_req, res) => res.type('css').send(HOSTILE_CSS));
  app.get('/page', (req, res) => {
    const build = String(req.query.build ?? 'module');
    const scripts = [
      build === 'module' || build === 'both'
        ? `<script type="module" src="${mapUrl}/widget.js"></script>`
        : '',
      build === 'classic' || build === 'both'
        ? `<script src="${mapUrl}/widget.classic.js"></script>`
        : '',
    ].join('\n    ');
    res.type('html').send(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>An author's page</title>
    <link rel="stylesheet" href="/leaflet.css" />
    <link rel="stylesheet" href="/hostile.css" />
    <script src="/leaflet.js"></script>
    <script>window.hostLeaflet = window.L;</script>
    ${scripts}
  </head>
  <body>
    <h1 class="title">My book</h1>
    <p class="intro">Readers are posting where they are:</p>
    <div class="leaflet-container host-map">The page's own map</div>
    <find-the-others id="one" campaign="yourturn" server="${mapUrl}" height="360"></find-the-others>
    <p class="between">And the other campaign, in dark:</p>
    <find-the-others id="two" campaign="otherside" height="360" theme="dark" join="none"></find-the-others>
  </body>
</html>`);
  });
  // Three widgets of #otherside: one left alone, and two the author styles on the element.
  app.get('/styled', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>An author's page with their own colours</title>
    <style>
      #author { --fto-accent: #0f766e; }
      #author-fg { --fto-accent: #0f766e; --fto-accent-fg: #fde047; }
    </style>
    <script type="module" src="${mapUrl}/widget.js"></script>
  </head>
  <body>
    <find-the-others id="campaign" campaign="otherside" height="320"></find-the-others>
    <find-the-others id="author" campaign="otherside" height="320"></find-the-others>
    <find-the-others id="author-fg" campaign="otherside" height="320"></find-the-others>
  </body>
</html>`);
  });
  app.get('/frame', (req, res) => {
    const src = String(req.query.src ?? '');
    res.type('html').send(`<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Framed</title></head>
  <body><iframe src="${src.replace(/"/g, '&quot;')}" width="900" height="520" title="map"></iframe></body>
</html>`);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
