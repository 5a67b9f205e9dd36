import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../server/api/errors.js';
import { mapAssetRoutes } from '../../server/api/map-assets.js';

const log = { error: () => {} };
const dir = mkdtempSync(join(tmpdir(), 'fto-map-assets-'));
mkdirSync(join(dir, 'flags'));
writeFileSync(join(dir, 'flags', 'ng.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(dir, 'map-labels.json'), '{"countries":[],"cities":[["Lagos",6.45,3.39,3]]}');
const app = express()
  .use(mapAssetRoutes({ widgetDir: dir }))
  .use(errorHandler(log));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the map assets', () => {
  it('serves a flag as an SVG image to any origin, cached for a week, whatever the case of its code', async () => {
    for (const path of ['/flags/ng.svg', '/flags/NG.svg']) {
      const res = await request(app).get(path).expect(200);
      expect(res.headers['content-type']).toBe('image/svg+xml');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['cache-control']).toBe('public, max-age=604800');
    }
  });

  it('answers 404 naming the bad value for a code with no flag or a path that is no code', async () => {
    for (const path of ['/flags/zz.svg', '/flags/..%2Fmap-labels.json', '/flags/ngr.svg']) {
      const res = await request(app).get(path).expect(404);
      expect(res.body.error).toMatch(/^no flag ".+": a two-letter country code \.svg$/);
    }
  });

  it('serves the labels of the outline-only map as JSON to any origin', async () => {
    const res = await request(app).get('/map-labels.json').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body.cities).toEqual([['Lagos', 6.45, 3.39, 3]]);
  });

  it('says the build is missing instead of failing when the labels were not built', async () => {
    const bare = express()
      .use(mapAssetRoutes({ widgetDir: join(dir, 'nowhere') }))
      .use(errorHandler(log));
    const res = await request(bare).get('/map-labels.json').expect(503);
    expect(res.body.error).toContain('npm run build');
  });
});
