import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../helpers/listen.js';
import { account, located, places, post } from '../helpers/posts.js';
import { readSse } from '../helpers/sse.js';
import { apiFixture } from './fixture.js';

const token = 'test-admin-token';
const auth = { Authorization: `Bearer ${token}` };
const did = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';

describe('blocking a domain, for Bluesky people', () => {
  let f: ReturnType<typeof apiFixture>;
  let server: Listening;

  beforeEach(async () => {
    f = apiFixture({ adminToken: token });
    f.join('ada@a.example', places.portland);
    // What the collector does once the AppView has read the profile: the handle, then the post.
    f.store.setBlueskyHandle(did, 'cy.news.example');
    f.store.ingest([
      {
        post: post({
          uri: `at://${did}/app.bsky.feed.post/3kabc`,
          account: account({ acct: did, displayName: 'Cy' }),
        }),
        located: located(places.lagos),
        source: 'bluesky:jetstream',
        campaignTags: ['yourturn'],
      },
    ]);
    server = await listen(f.app);
  });
  afterEach(async () => {
    await server.close();
    f.close();
  });

  const networks = async () =>
    (await request(f.app).get('/api/campaigns/yourturn').expect(200)).body.networks;

  it('takes people whose handle is under the domain off the map, the counts and open maps at once, and brings them back on unblock', async () => {
    expect(await networks()).toEqual({ fediverse: 1, bluesky: 1 });
    const sse = await readSse(`${server.url}/api/campaigns/yourturn/events`);
    try {
      await sse.next((e) => e.event === 'stats');
      const res = await request(f.app)
        .post('/api/admin/domains/news.example/block')
        .set(auth)
        .expect(200);
      expect(res.body).toEqual({ ok: true, events: 1 });
      const removed = await sse.next((e) => e.event === 'remove');
      expect(JSON.parse(removed.data)).toEqual({ acct: did });
      expect(await networks()).toEqual({ fediverse: 1, bluesky: 0 });
      const map = await request(f.app).get('/api/campaigns/yourturn/contributors').expect(200);
      expect(map.body.features.map((ft: { id: string }) => ft.id)).toEqual(['ada@a.example']);
      const csv = await request(f.app).get('/api/campaigns/yourturn/export.csv').expect(200);
      expect(csv.text).not.toContain(did);

      await request(f.app).delete('/api/admin/domains/news.example/block').set(auth).expect(200);
      const back = await sse.next((e) => e.event === 'contributor');
      expect(JSON.parse(back.data).properties.acct).toBe(did);
      expect(await networks()).toEqual({ fediverse: 1, bluesky: 1 });
    } finally {
      sse.close();
    }
  });
});
