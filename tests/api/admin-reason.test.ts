import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UnlocatedPage } from '../../shared/admin.js';
import type { QueuePage } from '../../shared/queue.js';
import { account, located, places, post } from '../helpers/posts.js';
import { apiFixture } from './fixture.js';

const token = 'reason-admin-token-0123456789';
const auth = { Authorization: `Bearer ${token}` };
const here = '‘based in Lagos’ is where the author is; ‘Lyon’ is where they travel to';
const none = 'the locator found no city it could say is the author’s <b>not markup</b>';

describe('the admin API says why each post has its pin or none (issue #14)', () => {
  let f: ReturnType<typeof apiFixture>;
  const ada = post({ account: account({ acct: 'ada@a.example' }) });
  const cy = post({ account: account({ acct: 'cy@c.example' }) });
  beforeEach(() => {
    f = apiFixture({ adminToken: token });
    f.store.ingest([
      {
        post: ada,
        located: { ...located(places.lagos), reason: here },
        source: 'https://a.example',
        campaignTags: ['yourturn'],
      },
      {
        post: cy,
        located: null,
        unplaced: none,
        source: 'https://a.example',
        campaignTags: ['yourturn'],
      },
    ]);
  });
  afterEach(() => f.close());

  const unlocated = async () =>
    (await request(f.app).get('/api/admin/campaigns/yourturn/unlocated').set(auth).expect(200))
      .body as UnlocatedPage;
  const queue = async () =>
    (await request(f.app).get('/api/admin/campaigns/yourturn/queue').set(auth).expect(200))
      .body as QueuePage;

  it('gives each post with no city the reason it has none, as plain text', async () => {
    expect((await unlocated()).posts).toMatchObject([{ uri: cy.uri, reason: none }]);
  });

  it("gives each post in the review queue the locator's reason beside its city, or why it has none", async () => {
    expect((await queue()).items).toMatchObject([
      { uri: ada.uri, place: { name: 'Lagos' }, reason: here },
      { uri: cy.uri, place: null, reason: none },
    ]);
  });

  it('says a moderator placed a post once they have, and that they took it away once undone', async () => {
    await request(f.app)
      .post('/api/admin/posts/place')
      .set(auth)
      .send({ uri: cy.uri, placeId: places.lyon.id })
      .expect(200);
    expect((await queue()).items[1]).toMatchObject({
      uri: cy.uri,
      place: { name: 'Lyon' },
      reason: 'placed by a moderator',
    });
    await request(f.app)
      .post('/api/admin/posts/unplace')
      .set(auth)
      .send({ uri: cy.uri })
      .expect(200);
    expect((await unlocated()).posts).toMatchObject([
      { uri: cy.uri, reason: 'a moderator took away the place they had set' },
    ]);
  });

  it('keeps the reason out of the public answers', async () => {
    const res = await request(f.app).get('/api/campaigns/yourturn/contributors').expect(200);
    expect(res.text).toContain('Lagos');
    expect(res.text).not.toContain('based in Lagos');
  });
});
