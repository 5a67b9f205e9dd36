import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueuePage } from '../../shared/queue.js';
import { createAuditLog } from '../../server/store/audit.js';
import { createQueue } from '../../server/store/queue.js';
import { createTeamStore } from '../../server/store/team.js';
import { places } from '../helpers/posts.js';
import { apiFixture } from './fixture.js';

const token = 'queue-owner-token-0123456789';
const auth = { Authorization: `Bearer ${token}` };

describe('the review queue', () => {
  let f: ReturnType<typeof apiFixture>;
  let published: string[];
  beforeEach(() => {
    f = apiFixture({ adminToken: token });
    published = f.published(
      (e) =>
        `${e.type}:${(e.data as { acct?: string; id?: string }).acct ?? (e.data as { id?: string }).id}`,
    );
  });
  afterEach(() => f.close());

  const queue = async (query = '') =>
    (await request(f.app).get(`/api/admin/campaigns/yourturn/queue${query}`).set(auth).expect(200))
      .body as QueuePage;
  const accts = (page: QueuePage) => page.items.map((i) => i.acct);
  const onMap = async () =>
    (await request(f.app).get('/api/campaigns/yourturn/contributors').expect(200)).body.features
      .map((ft: { id: string }) => ft.id)
      .sort();

  it('lists new arrivals oldest first, and an approved post leaves it', async () => {
    f.join('ada@a.example', places.lagos);
    f.join('bob@spam.example', places.lyon);
    f.join('cy@c.example', places.portland);
    const page = await queue();
    expect(accts(page)).toEqual(['ada@a.example', 'bob@spam.example', 'cy@c.example']);
    expect(page.items[0]).toMatchObject({ place: { name: 'Lagos' }, held: null, reports: 0 });
    await request(f.app)
      .post('/api/admin/campaigns/yourturn/queue/approve')
      .set(auth)
      .send({ uri: page.items[0]!.uri })
      .expect(200);
    expect(accts(await queue())).toEqual(['bob@spam.example', 'cy@c.example']);
    // Pages continue after the last id.
    const first = await queue('?limit=1');
    expect(accts(await queue(`?limit=5&after=${first.nextAfter}`))).toEqual(['cy@c.example']);
  });

  it('bulk-hides every queued post from one domain, live, each in the audit log', async () => {
    f.join('ada@a.example', places.lagos);
    f.join('bob@spam.example', places.lyon);
    f.join('eve@spam.example', places.portland);
    f.join('joe@sub.spam.example', places.portland);
    expect(accts(await queue('?domain=spam.example'))).toEqual([
      'bob@spam.example',
      'eve@spam.example',
      'joe@sub.spam.example',
    ]);
    published.length = 0;
    const res = await request(f.app)
      .post('/api/admin/campaigns/yourturn/queue/bulk')
      .set(auth)
      .send({ action: 'hide', filter: { domain: 'spam.example' }, note: 'spam wave' })
      .expect(200);
    expect(res.body).toEqual({ ok: true, action: 'hide', posts: 3, events: 3 });
    expect(published.sort()).toEqual([
      'remove:bob@spam.example',
      'remove:eve@spam.example',
      'remove:joe@sub.spam.example',
    ]);
    expect(await onMap()).toEqual(['ada@a.example']);
    expect(accts(await queue())).toEqual(['ada@a.example']);
    const audit = (await request(f.app).get('/api/admin/audit').set(auth).expect(200)).body;
    expect(audit.entries.slice(0, 3)).toEqual(
      Array(3).fill(
        expect.objectContaining({
          actor: 'FTO_ADMIN_TOKEN',
          action: 'post.hide',
          note: 'spam wave',
          detail: { bulk: { domain: 'spam.example' } },
        }),
      ),
    );
  });

  it('selects by a word, by accounts newer than N days, or by a list of posts', async () => {
    f.join('ada@a.example', places.lagos, { content: '<p>#YourTurn Lagos, buy CASINO chips</p>' });
    f.join('bob@b.example', places.lyon);
    expect(accts(await queue('?word=casino'))).toEqual(['ada@a.example']);
    expect(accts(await queue('?newerThanDays=1'))).toEqual(['ada@a.example', 'bob@b.example']);
    f.db
      .prepare(
        "UPDATE posts SET first_seen_at = '2020-01-01T00:00:00.000Z' WHERE acct = 'ada@a.example'",
      )
      .run();
    expect(accts(await queue('?newerThanDays=1'))).toEqual(['bob@b.example']);
    const [one] = (await queue()).items;
    const res = await request(f.app)
      .post('/api/admin/campaigns/yourturn/queue/bulk')
      .set(auth)
      .send({ action: 'approve', uris: [one!.uri] })
      .expect(200);
    expect(res.body.posts).toBe(1);
    expect(accts(await queue())).toEqual(['bob@b.example']);
    const bad = await request(f.app)
      .post('/api/admin/campaigns/yourturn/queue/bulk')
      .set(auth)
      .send({ action: 'hide' })
      .expect(400);
    expect(bad.body.error).toMatch(/either uris .* or filter/);
  });

  it('puts a visitor’s report of someone on the map back in the queue, rate-limited per IP', async () => {
    f.join('ada@a.example', places.lagos);
    const [item] = (await queue()).items;
    await request(f.app)
      .post('/api/admin/campaigns/yourturn/queue/approve')
      .set(auth)
      .send({ uri: item!.uri });
    expect((await queue()).items).toEqual([]);
    await request(f.app)
      .post('/api/campaigns/yourturn/report')
      .send({ acct: '@ada@a.example', reason: 'not a real person' })
      .expect(202);
    // The widget on another site sends text/plain, so its report needs no CORS preflight.
    await request(f.app)
      .post('/api/campaigns/yourturn/report')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ acct: 'ada@a.example', reason: 'spam' }))
      .expect(202);
    const page = await queue('?reported=1');
    expect(page.items).toEqual([
      expect.objectContaining({
        acct: 'ada@a.example',
        reports: 2,
        reportReasons: ['not a real person', 'spam'],
      }),
    ]);
    const nobody = await request(f.app)
      .post('/api/campaigns/yourturn/report')
      .send({ acct: 'ghost@x.example' })
      .expect(404);
    expect(nobody.body.error).toMatch(/ghost@x\.example is not on the #yourturn map/);

    const g = apiFixture({
      adminToken: token,
      team: {
        team: createTeamStore(f.db),
        audit: createAuditLog(f.db),
        queue: createQueue(f.db),
      },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push(
          (
            await request(g.app)
              .post('/api/campaigns/yourturn/report')
              .send({ acct: 'ada@a.example' })
          ).status,
        );
      expect(statuses).toEqual([202, 202, 202, 429, 429]);
      const audit = createAuditLog(f.db).page(1)[0];
      expect(audit).toMatchObject({ actor: 'visitor', action: 'report', target: 'ada@a.example' });
    } finally {
      g.close();
    }
  });
});

describe('campaign filters and pre-moderation', () => {
  let f: ReturnType<typeof apiFixture>;
  let published: string[];
  beforeEach(() => {
    f = apiFixture({ adminToken: token });
    // Stats follow every change on a timer: what counts here is who appears.
    published = f.published((e) => (e.type === 'stats' ? null : e.type));
  });
  afterEach(() => f.close());

  const onMap = async () =>
    (await request(f.app).get('/api/campaigns/yourturn/contributors').expect(200)).body.features
      .map((ft: { id: string }) => ft.id)
      .sort();
  const queued = async (query = '') =>
    (
      (
        await request(f.app)
          .get(`/api/admin/campaigns/yourturn/queue${query}`)
          .set(auth)
          .expect(200)
      ).body as QueuePage
    ).items;

  it('hides a post with a filtered word before it ever reaches a map, and says so in the audit log', async () => {
    await request(f.app)
      .post('/api/admin/campaigns/yourturn/filters')
      .set(auth)
      .send({ kind: 'word', value: 'Casino', action: 'hide' })
      .expect(201);
    const events = f.join('spam@a.example', places.lagos, {
      content: '<p>#YourTurn Lagos CASINO bonus</p>',
    });
    f.join('ada@a.example', places.lagos);
    expect(events).toEqual([]);
    expect(await onMap()).toEqual(['ada@a.example']);
    const audit = (await request(f.app).get('/api/admin/audit').set(auth).expect(200)).body.entries;
    expect(audit[0]).toMatchObject({
      actor: 'filter',
      action: 'post.hide',
      detail: { word: 'casino' },
    });
  });

  it('holds a filtered domain’s posts in the queue until approved, then shows them live', async () => {
    await request(f.app)
      .post('/api/admin/campaigns/yourturn/filters')
      .set(auth)
      .send({ kind: 'domain', value: 'new.example', action: 'hold' })
      .expect(201);
    f.join('kim@new.example', places.lyon);
    expect(await onMap()).toEqual([]);
    const [held] = await queued('?held=1');
    expect(held).toMatchObject({ acct: 'kim@new.example', held: 'domain: new.example' });
    published.length = 0;
    await request(f.app)
      .post('/api/admin/campaigns/yourturn/queue/approve')
      .set(auth)
      .send({ uri: held!.uri })
      .expect(200);
    expect(published).toEqual(['contributor']);
    expect(await onMap()).toEqual(['kim@new.example']);
    // Removing the filter is the owner's too, and recorded.
    await request(f.app)
      .delete('/api/admin/campaigns/yourturn/filters/domain/new.example')
      .set(auth)
      .expect(200);
    const audit = (await request(f.app).get('/api/admin/audit').set(auth).expect(200)).body.entries;
    expect(audit.map((e: { action: string }) => e.action).slice(0, 3)).toEqual([
      'filter.remove',
      'queue.approve',
      'filter.add',
    ]);
  });

  it('with pre-moderation shows nobody new until approved, says how many wait, and keeps those already shown', async () => {
    f.join('ada@a.example', places.lagos);
    await request(f.app)
      .put('/api/admin/campaigns/yourturn/settings')
      .set(auth)
      .send({ premoderation: true })
      .expect(200);
    published.length = 0;
    f.join('bob@b.example', places.lyon);
    f.join('cy@c.example', places.portland);
    expect(published).toEqual([]);
    expect(await onMap()).toEqual(['ada@a.example']);
    expect((await request(f.app).get('/api/campaigns/yourturn/review').expect(200)).body).toEqual({
      premoderation: true,
      waiting: 2,
    });
    // Ada was on the map before: her new post needs no review.
    f.join('ada@a.example', places.lyon);
    const bob = (await queued('?held=1')).find((i) => i.acct === 'bob@b.example')!;
    // Held is not hidden: the list of moderators' hides leaves them out.
    const mod = await request(f.app).get('/api/admin/moderation').set(auth).expect(200);
    expect(mod.body.hiddenPosts).toEqual([]);
    expect(bob.held).toBe('pre-moderation');
    await request(f.app)
      .post('/api/admin/campaigns/yourturn/queue/approve')
      .set(auth)
      .send({ uri: bob.uri })
      .expect(200);
    expect(await onMap()).toEqual(['ada@a.example', 'bob@b.example']);
    // Approved once: Bob's next post is shown at once.
    f.join('bob@b.example', places.portland);
    expect(
      (await request(f.app).get('/api/campaigns/yourturn/review').expect(200)).body.waiting,
    ).toBe(1);
    // Switching it off shows everyone still waiting.
    await request(f.app)
      .put('/api/admin/campaigns/yourturn/settings')
      .set(auth)
      .send({ premoderation: false })
      .expect(200);
    expect(await onMap()).toEqual(['ada@a.example', 'bob@b.example', 'cy@c.example']);
  });

  it('lets only owners change settings and filters', async () => {
    const team = createTeamStore(f.db);
    team.addModerator('mo');
    const secret = team.createToken('mo-token', 'moderator', 'mo');
    const res = await request(f.app)
      .put('/api/admin/campaigns/yourturn/settings')
      .set('Authorization', `Bearer ${secret}`)
      .send({ premoderation: true })
      .expect(403);
    expect(res.body.error).toMatch(/only an owner/);
    await request(f.app)
      .post('/api/admin/campaigns/yourturn/filters')
      .set('Authorization', `Bearer ${secret}`)
      .send({ kind: 'word', value: 'casino', action: 'hide' })
      .expect(403);
    await request(f.app)
      .get('/api/admin/campaigns/yourturn/queue')
      .set('Authorization', `Bearer ${secret}`)
      .expect(200);
  });
});
