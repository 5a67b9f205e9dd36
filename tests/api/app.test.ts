import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createHub, type Hub } from '../../server/hub.js';
import { type Db } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import { createStore, type Store } from '../../server/store/store.js';
import { account, located, places, post } from '../helpers/posts.js';
import { listen, type Listening } from '../helpers/listen.js';
import { readSse } from '../helpers/sse.js';

describe('HTTP API', () => {
  let dir: string;
  let db: Db;
  let store: Store;
  let hub: Hub;
  let app: ReturnType<typeof createApp>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fto-api-'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><title>map</title><find-the-others></find-the-others>',
    );
    db = openTestDb(join(dir, 'api.db'));
    store = createStore(db);
    store.ensureCampaigns(['yourturn']);
    hub = createHub(store);
    app = createApp({
      store,
      hub,
      tags: ['yourturn'],
      tileUrl: null,
      tileAttribution: '',
      sourceStatus: () => [],
      log: { error: () => {} },
      clientDir: dir,
      sse: { heartbeatMs: 50 },
    });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /healthz with {"ok":true}', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('serves contributors as a GeoJSON FeatureCollection with CORS for embedding', async () => {
    store.ingest([
      {
        post: post(),
        located: located(places.lagos),
        source: 'https://a.example',
        campaignTags: ['yourturn'],
      },
    ]);
    const res = await request(app).get('/api/campaigns/yourturn/contributors').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.features[0]).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [3.39467, 6.45407] },
      properties: { acct: 'ada@example.social', place: { name: 'Lagos', country: 'NG' } },
    });
    expect(new Date(res.body.features[0].properties.postedAt).toISOString()).toBe(
      res.body.features[0].properties.postedAt,
    );
  });

  it('matches the campaign case-insensitively and with a leading #', async () => {
    await request(app).get('/api/campaigns/YourTurn/contributors').expect(200);
    await request(app)
      .get(`/api/campaigns/${encodeURIComponent('#yourturn')}/contributors`)
      .expect(200);
  });

  it('answers an unknown campaign with 404 and a bad tag with 400, in the one error shape', async () => {
    const missing = await request(app).get('/api/campaigns/nothere/contributors').expect(404);
    expect(missing.body).toEqual({ error: 'no campaign #nothere on this server' });
    const bad = await request(app).get('/api/campaigns/not%20a%20tag/contributors').expect(400);
    expect(bad.body.error).toMatch(/"not a tag" is not a hashtag/);
    const none = await request(app).get('/api/nope').expect(404);
    expect(none.body).toEqual({ error: 'no such endpoint: GET /api/nope' });
  });

  it('serves the map page at / and /c/:tag', async () => {
    const res = await request(app).get('/').expect(200);
    expect(res.text).toContain('<find-the-others>');
    await request(app).get('/c/yourturn').expect(200);
  });

  it('reports config for the client', async () => {
    const res = await request(app).get('/api/config').expect(200);
    expect(res.body).toEqual({ campaigns: ['yourturn'], tileUrl: null, tileAttribution: '' });
  });

  describe('live events over SSE', () => {
    let server: Listening;
    let base: string;
    beforeAll(async () => {
      server = await listen(app);
      base = `${server.url}`;
    });
    afterAll(async () => {
      await server.close();
    });

    it('streams a new contributor as the same Feature JSON, with an id, and heartbeats', async () => {
      const sse = await readSse(`${base}/api/campaigns/yourturn/events`);
      try {
        expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(sse.headers.get('cache-control')).toMatch(/no-cache/);
        expect(sse.headers.get('x-accel-buffering')).toBe('no');
        const events = store.ingest([
          {
            post: post({ account: account({ acct: 'sse@b.example' }) }),
            located: located(places.lyon),
            source: 'https://a.example',
            campaignTags: ['yourturn'],
          },
        ]);
        const got = await sse.next((e) => e.event === 'contributor');
        expect(Number(got.id)).toBe(events[0]!.id);
        expect(JSON.parse(got.data)).toEqual(store.contributor('yourturn', 'sse@b.example'));
        await sse.comment();
      } finally {
        sse.close();
      }
    });

    it('resumes after Last-Event-ID with what was missed, and unsubscribes on close', async () => {
      const before = store.ingest([
        {
          post: post({ account: account({ acct: 'r1@b.example' }) }),
          located: located(places.lyon),
          source: 'https://a.example',
          campaignTags: ['yourturn'],
        },
      ]);
      const missed = store.ingest([
        {
          post: post({ account: account({ acct: 'r2@b.example' }) }),
          located: located(places.portland),
          source: 'https://a.example',
          campaignTags: ['yourturn'],
        },
      ]);
      const sse = await readSse(`${base}/api/campaigns/yourturn/events`, {
        'Last-Event-ID': String(before[0]!.id),
      });
      const got = await sse.next((e) => e.event === 'contributor');
      expect(got.id).toBe(String(missed[0]!.id));
      expect(hub.size('yourturn')).toBe(1);
      sse.close();
      await expect.poll(() => hub.size('yourturn')).toBe(0);
    });
  });
});
