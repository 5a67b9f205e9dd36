import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { account, places, post } from '../helpers/posts.js';
import { apiFixture } from './fixture.js';

const token = 'test-admin-token';
const auth = { Authorization: `Bearer ${token}` };

describe('admin API', () => {
  let f: ReturnType<typeof apiFixture>;
  let published: string[];
  beforeEach(() => {
    f = apiFixture({ adminToken: token });
    // Stats follow on a throttle and may land between any two actions: only the people events count here.
    published = f.published((e) =>
      e.type === 'stats' ? null : `${e.type}:${JSON.stringify(e.data).slice(0, 60)}`,
    );
    f.join('ada@a.example', places.lagos);
    f.join('bob@spam.example', places.lyon);
  });
  afterEach(() => f.close());

  const acctsOnMap = async () =>
    (await request(f.app).get('/api/campaigns/yourturn/contributors').expect(200)).body.features
      .map((ft: { id: string }) => ft.id)
      .sort();

  it('answers 401 without the bearer token or with a wrong one', async () => {
    const none = await request(f.app).get('/api/admin/moderation').expect(401);
    expect(none.body.error).toMatch(/Authorization: Bearer/);
    await request(f.app)
      .get('/api/admin/moderation')
      .set('Authorization', 'Bearer nope')
      .expect(401);
    await request(f.app).get('/api/admin/moderation').set('Authorization', token).expect(401);
    await request(f.app).get('/api/admin/moderation').set(auth).expect(200);
  });

  it('does not exist when no admin token is configured', async () => {
    const open = apiFixture();
    try {
      await request(open.app).get('/api/admin/moderation').set(auth).expect(404);
    } finally {
      open.close();
    }
  });

  it('hides a contributor everywhere, live, and brings them back on unhide', async () => {
    published.length = 0;
    const res = await request(f.app)
      .post('/api/admin/accounts/bob@spam.example/hide')
      .set(auth)
      .expect(200);
    expect(res.body).toEqual({ ok: true, events: 1 });
    expect(published).toEqual(['remove:{"acct":"bob@spam.example"}']);
    expect(await acctsOnMap()).toEqual(['ada@a.example']);
    for (const path of [
      'export.csv',
      'export.geojson',
      `places/${places.lyon.id}/contributors`,
      'nearby?lat=45&lng=4',
    ]) {
      const body = (await request(f.app).get(`/api/campaigns/yourturn/${path}`).expect(200)).text;
      expect({ path, leaks: body.includes('bob@') }).toEqual({ path, leaks: false });
    }
    const summary = await request(f.app).get('/api/campaigns/yourturn').expect(200);
    expect(summary.body.contributors).toBe(1);

    await request(f.app).delete('/api/admin/accounts/bob@spam.example/hide').set(auth).expect(200);
    expect(await acctsOnMap()).toEqual(['ada@a.example', 'bob@spam.example']);
  });

  it('blocks a domain: its people leave the map and their future posts are dropped at ingest', async () => {
    await request(f.app).post('/api/admin/domains/SPAM.example/block').set(auth).expect(200);
    expect(await acctsOnMap()).toEqual(['ada@a.example']);
    expect(f.store.isBlocked('carol@spam.example')).toBe(true);
    f.join('carol@spam.example', places.portland);
    expect(await acctsOnMap()).toEqual(['ada@a.example']);
    const mod = await request(f.app).get('/api/admin/moderation').set(auth).expect(200);
    expect(mod.body.blockedDomains).toEqual([{ domain: 'spam.example', at: expect.any(String) }]);
  });

  it('blocks an account, deleting what we stored of it', async () => {
    await request(f.app).post('/api/admin/accounts/bob@spam.example/block').set(auth).expect(200);
    expect(await acctsOnMap()).toEqual(['ada@a.example']);
    const stored = f.db.prepare("SELECT content FROM posts WHERE acct = 'bob@spam.example'").all();
    expect(stored).toEqual([{ content: '' }]);
  });

  it('hides one post, lists unlocated posts, and places a post by hand by GeoNames id', async () => {
    const uri = 'https://a.example/users/ada/statuses/1';
    await request(f.app).post('/api/admin/posts/hide').set(auth).send({ uri }).expect(200);
    expect(await acctsOnMap()).toEqual(['bob@spam.example']);
    await request(f.app).post('/api/admin/posts/unhide').set(auth).send({ uri }).expect(200);
    expect(await acctsOnMap()).toEqual(['ada@a.example', 'bob@spam.example']);

    const lost = post({ uri: 'https://c.example/s/9', account: account({ acct: 'cy@c.example' }) });
    f.store.ingest([
      { post: lost, located: null, source: 'https://c.example', campaignTags: ['yourturn'] },
    ]);
    const list = await request(f.app)
      .get('/api/admin/campaigns/yourturn/unlocated')
      .set(auth)
      .expect(200);
    expect(list.body.posts.map((p: { uri: string }) => p.uri)).toEqual([lost.uri]);

    published.length = 0;
    await request(f.app)
      .post('/api/admin/posts/place')
      .set(auth)
      .send({ uri: lost.uri, placeId: places.portland.id })
      .expect(200);
    expect(published[0]).toMatch(/^contributor:/);
    const page = await request(f.app)
      .get(`/api/campaigns/yourturn/places/${places.portland.id}/contributors`)
      .expect(200);
    expect(page.body.contributors.map((c: { acct: string }) => c.acct)).toEqual(['cy@c.example']);
    const after = await request(f.app)
      .get('/api/admin/campaigns/yourturn/unlocated')
      .set(auth)
      .expect(200);
    expect(after.body.posts).toEqual([]);

    // A wrong fix is undone: the post is unlocated again and its author leaves the map.
    published.length = 0;
    await request(f.app)
      .post('/api/admin/posts/unplace')
      .set(auth)
      .send({ uri: lost.uri })
      .expect(200);
    expect(published[0]).toMatch(/^remove:/);
    expect(await acctsOnMap()).not.toContain('cy@c.example');
    const back = await request(f.app)
      .get('/api/admin/campaigns/yourturn/unlocated')
      .set(auth)
      .expect(200);
    expect(back.body.posts.map((p: { uri: string }) => p.uri)).toEqual([lost.uri]);
    const moderation = await request(f.app).get('/api/admin/moderation').set(auth).expect(200);
    expect(moderation.body.placeFixes).toEqual([]);
    // A post the locator placed is not the moderator's to un-place.
    await request(f.app)
      .post('/api/admin/posts/unplace')
      .set(auth)
      .send({ uri: 'https://a.example/users/ada/statuses/1' })
      .expect(200);
    expect(await acctsOnMap()).toContain('ada@a.example');
    await request(f.app)
      .post('/api/admin/posts/unplace')
      .set(auth)
      .send({ uri: 'https://nowhere.example/1' })
      .expect(404);
  });

  it('validates admin input and names the bad value', async () => {
    const acct = await request(f.app)
      .post('/api/admin/accounts/not-an-acct/hide')
      .set(auth)
      .expect(400);
    expect(acct.body.error).toMatch(/acct: "not-an-acct" is not an account/);
    const place = await request(f.app)
      .post('/api/admin/posts/place')
      .set(auth)
      .send({ uri: 'https://a.example/users/ada/statuses/1', placeId: 1 })
      .expect(400);
    expect(place.body.error).toMatch(/placeId: 1 is not a GeoNames id we know/);
    const missing = await request(f.app)
      .post('/api/admin/posts/hide')
      .set(auth)
      .send({ uri: 'https://nowhere.example/x' })
      .expect(404);
    expect(missing.body.error).toMatch(/no such post/);
  });
});
