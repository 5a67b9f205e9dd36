import { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, echo } from './errors.js';

export interface MapAssetDeps {
  /** Where the widget build put map-labels.json and flags/ (see scripts/map-assets.ts). */
  widgetDir: string;
}

const defaults = {
  labelsMaxAge: 300, // rebuilt with the widget, under the same name: come back soon
  flagMaxAge: 7 * 86_400, // a country's flag changes rarely, and a stale one is harmless
};

const FLAG = /^([a-z]{2})\.svg$/;

/**
 * What the map fetches only when it draws it, from any origin (the widget runs on other sites):
 * - `GET /map-labels.json`: the city labels of the outline-only map;
 * - `GET /flags/:cc.svg`: a country's flag (flag-icons, MIT), drawn for a flag emoji in a name
 *   or a post, since many readers have no emoji font. An `<img>` never runs an SVG's scripts.
 */
export function mapAssetRoutes(deps: MapAssetDeps): Router {
  const router = Router();
  const cors = { 'Access-Control-Allow-Origin': '*' };

  router.get('/map-labels.json', (_req, res) => {
    const file = join(deps.widgetDir, 'map-labels.json');
    if (!existsSync(file))
      throw new ApiError(503, 'the map labels have not been built yet: run "npm run build"');
    res.set({ ...cors, 'Cache-Control': `public, max-age=${defaults.labelsMaxAge}` });
    res.type('application/json; charset=utf-8').sendFile(file);
  });

  router.get('/flags/:file', (req, res) => {
    const code = FLAG.exec(req.params.file.toLowerCase())?.[1];
    const file = code ? join(deps.widgetDir, 'flags', `${code}.svg`) : null;
    if (!file || !existsSync(file))
      throw new ApiError(404, `no flag ${echo(req.params.file)}: a two-letter country code .svg`);
    res.set({ ...cors, 'Cache-Control': `public, max-age=${defaults.flagMaxAge}` });
    res.type('image/svg+xml').sendFile(file);
  });

  return router;
}
