import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createAuditLog } from '../../server/store/audit.js';
import { createQueue } from '../../server/store/queue.js';
import { createTeamStore } from '../../server/store/team.js';
import { teamCli } from '../../server/team-cli.js';
import { places } from '../helpers/posts.js';
import { testDbPath } from '../helpers/test-db.js';
import { apiFixture } from './fixture.js';

type Fixture = ReturnType<typeof apiFixture>;

/** Run the CLI against the fixture's database; returns its output and exit code. */
async function cli(f: Fixture, args: string[], stdin = '') {
  let out = '';
  let err = '';
  const code = await teamCli(
    [...args, '--db', testDbPath(join(f.dir, 'api.db'))],
    {},
    {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      readStdin: async () => stdin,
    },
  );
  return { code, out, err };
}

const linkIn = (out: string) => /#link=([\w-]+)/.exec(out)![1]!;
const cookieOf = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('fto_session='));

/** Sign in with a link; returns the cookie header to send and the CSRF token. */
async function signInWithLink(f: Fixture, link: string) {
  const res = await request(f.app).post('/api/admin/session/link').send({ link }).expect(200);
  const cookie = cookieOf(res)!.split(';')[0]!;
  return { cookie, csrf: res.body.csrf as string, res };
}

describe('moderator accounts and sessions', () => {
  let f: Fixture;
  beforeEach(() => {
    f = apiFixture({ adminToken: null });
    f.join('ada@a.example', places.lagos);
    f.join('bob@spam.example', places.lyon);
  });
  afterEach(() => f.close());

  it('is switched off until a moderator exists, then on without a restart', async () => {
    await request(f.app).get('/api/admin/me').expect(404);
    await request(f.app)
      .get('/admin')
      .expect((r) => expect(r.status).not.toBe(200));
    const { code, out } = await cli(f, ['moderators', 'add', 'alice', '--role', 'owner']);
    expect(code).toBe(0);
    expect(out).toMatch(/Added alice \(owner\)/);
    expect(out).toMatch(/\/admin#link=[\w-]{40,}/);
    await request(f.app).get('/api/admin/me').expect(401);
  });

  it('signs in once with a link into an HttpOnly, SameSite=Strict cookie scoped to the admin API', async () => {
    const link = linkIn((await cli(f, ['moderators', 'add', 'alice', '--role', 'owner'])).out);
    const { cookie, csrf, res } = await signInWithLink(f, link);
    const set = cookieOf(res)!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\/api\/admin/);
    expect(res.body).toMatchObject({ name: 'alice', role: 'owner', kind: 'session' });
    const me = await request(f.app).get('/api/admin/me').set('Cookie', cookie).expect(200);
    expect(me.body).toEqual({ name: 'alice', role: 'owner', kind: 'session', csrf });
    // The link worked once.
    const again = await request(f.app).post('/api/admin/session/link').send({ link }).expect(401);
    expect(again.body.error).toMatch(/used already/);
  });

  it('refuses a session write without the CSRF token, with a wrong one, or from another origin', async () => {
    const link = linkIn((await cli(f, ['moderators', 'add', 'alice'])).out);
    const { cookie, csrf } = await signInWithLink(f, link);
    const hide = () =>
      request(f.app).post('/api/admin/accounts/bob@spam.example/hide').set('Cookie', cookie);
    expect((await hide().expect(403)).body.error).toMatch(/X-CSRF-Token/);
    await hide().set('X-CSRF-Token', 'x'.repeat(43)).expect(403);
    const cross = await hide()
      .set('X-CSRF-Token', csrf)
      .set('Origin', 'https://evil.example')
      .expect(403);
    expect(cross.body.error).toMatch(/evil\.example/);
    await hide().set('X-CSRF-Token', csrf).set('Sec-Fetch-Site', 'cross-site').expect(403);
    expect(f.store.isBlocked('bob@spam.example')).toBe(false);
    // Reads need no token; the right token from this origin works.
    await request(f.app).get('/api/admin/moderation').set('Cookie', cookie).expect(200);
    await hide().set('X-CSRF-Token', csrf).expect(200);
    expect(f.store.isBlocked('bob@spam.example')).toBe(true);
  });

  it('never turns a session id planted before sign-in into a session (no fixation)', async () => {
    const link = linkIn((await cli(f, ['moderators', 'add', 'alice'])).out);
    const planted = 'fto_session=attacker-chose-this-value-0123456789abcdefghijkl';
    await request(f.app).get('/api/admin/me').set('Cookie', planted).expect(401);
    const res = await request(f.app)
      .post('/api/admin/session/link')
      .set('Cookie', planted)
      .send({ link })
      .expect(200);
    const issued = cookieOf(res)!.split(';')[0]!;
    expect(issued).not.toBe(planted);
    await request(f.app).get('/api/admin/me').set('Cookie', planted).expect(401);
    await request(f.app).get('/api/admin/me').set('Cookie', issued).expect(200);
  });

  it('signs in with a scrypt password, and refuses a wrong one just as it refuses an unknown name', async () => {
    await cli(f, ['moderators', 'add', 'alice']);
    expect((await cli(f, ['moderators', 'password', 'alice'], 'short')).code).toBe(1);
    expect(
      (await cli(f, ['moderators', 'password', 'alice'], 'correct horse battery\n')).code,
    ).toBe(0);
    const stored = f.db
      .prepare("SELECT password_hash FROM moderators WHERE name = 'alice'")
      .get() as {
      password_hash: string;
    };
    expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.password_hash).not.toContain('horse');
    const wrong = await request(f.app)
      .post('/api/admin/session')
      .send({ name: 'alice', password: 'wrong horse battery' })
      .expect(401);
    const unknown = await request(f.app)
      .post('/api/admin/session')
      .send({ name: 'mallory', password: 'correct horse battery' })
      .expect(401);
    expect(unknown.body.error).toBe(wrong.body.error);
    const ok = await request(f.app)
      .post('/api/admin/session')
      .send({ name: 'alice', password: 'correct horse battery' })
      .expect(200);
    expect(ok.body.name).toBe('alice');
  });

  it('limits sign-in attempts per IP with a 429', async () => {
    const h = apiFixture({ adminToken: null });
    try {
      const deps = createTeamStore(h.db);
      deps.addModerator('alice');
      // The fixture raises the limit; an app with the default (5 at once) shows it.
      const app = createApp({
        store: h.store,
        hub: h.hub,
        tags: ['yourturn'],
        tileUrl: null,
        tileAttribution: '',
        sourceStatus: () => [],
        log: { error: () => {} },
        rateLimit: null,
        team: { team: deps, audit: createAuditLog(h.db), queue: createQueue(h.db) },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push(
          (
            await request(app)
              .post('/api/admin/session')
              .send({ name: 'alice', password: `guess number ${i}` })
          ).status,
        );
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    } finally {
      h.close();
    }
  });

  it('keeps owners’ work to owners: a moderator cannot add moderators or tokens', async () => {
    const link = linkIn((await cli(f, ['moderators', 'add', 'mo'])).out);
    const { cookie, csrf } = await signInWithLink(f, link);
    const res = await request(f.app)
      .post('/api/admin/moderators')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send({ name: 'eve', role: 'owner' })
      .expect(403);
    expect(res.body.error).toMatch(/only an owner.*mo is a moderator/);
    await request(f.app).get('/api/admin/tokens').set('Cookie', cookie).expect(403);
  });

  it('stops a revoked moderator’s session and token with the very next request', async () => {
    await cli(f, ['moderators', 'add', 'owner1', '--role', 'owner']);
    const link = linkIn((await cli(f, ['moderators', 'add', 'mo'])).out);
    const { cookie } = await signInWithLink(f, link);
    const token = /\n {2}(fto_[\w-]+)/.exec(
      (await cli(f, ['tokens', 'add', 'mo-script', '--moderator', 'mo'])).out,
    )![1]!;
    await request(f.app).get('/api/admin/moderation').set('Cookie', cookie).expect(200);
    await request(f.app)
      .get('/api/admin/moderation')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect((await cli(f, ['moderators', 'revoke', 'mo'])).code).toBe(0);
    await request(f.app).get('/api/admin/moderation').set('Cookie', cookie).expect(401);
    await request(f.app)
      .get('/api/admin/moderation')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
    expect((await cli(f, ['moderators', 'link', 'mo'])).err).toMatch(/revoked/);
  });

  it('signs out everywhere: every session of that moderator ends, others’ stay', async () => {
    const link1 = linkIn((await cli(f, ['moderators', 'add', 'alice'])).out);
    const a = await signInWithLink(f, link1);
    const b = await signInWithLink(f, linkIn((await cli(f, ['moderators', 'link', 'alice'])).out));
    const c = await signInWithLink(f, linkIn((await cli(f, ['moderators', 'add', 'carol'])).out));
    const res = await request(f.app)
      .post('/api/admin/sessions/end-all')
      .set('Cookie', a.cookie)
      .set('X-CSRF-Token', a.csrf)
      .expect(200);
    expect(res.body.ended).toBe(2);
    await request(f.app).get('/api/admin/me').set('Cookie', a.cookie).expect(401);
    await request(f.app).get('/api/admin/me').set('Cookie', b.cookie).expect(401);
    await request(f.app).get('/api/admin/me').set('Cookie', c.cookie).expect(200);
  });

  it('lets an owner add a moderator, create, list and revoke API tokens, each in the audit log', async () => {
    const owner = await signInWithLink(
      f,
      linkIn((await cli(f, ['moderators', 'add', 'alice', '--role', 'owner'])).out),
    );
    const as = (req: request.Test) =>
      req.set('Cookie', owner.cookie).set('X-CSRF-Token', owner.csrf);
    const added = await as(request(f.app).post('/api/admin/moderators'))
      .send({ name: 'bo' })
      .expect(201);
    expect(added.body.link).toMatch(/^\/admin#link=/);
    const made = await as(request(f.app).post('/api/admin/tokens'))
      .send({ name: 'nightly', note: 'the backup script' })
      .expect(201);
    const secret = made.body.token as string;
    await request(f.app)
      .post('/api/admin/accounts/bob@spam.example/hide')
      .set('Authorization', `Bearer ${secret}`)
      .expect(200);
    const listed = await as(request(f.app).get('/api/admin/tokens')).expect(200);
    expect(listed.body.tokens).toEqual([
      expect.objectContaining({
        name: 'nightly',
        role: 'moderator',
        moderator: 'alice',
        revokedAt: null,
      }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    await as(request(f.app).delete('/api/admin/tokens/nightly')).expect(200);
    await request(f.app).get('/api/admin/me').set('Authorization', `Bearer ${secret}`).expect(401);
    const audit = await as(request(f.app).get('/api/admin/audit')).expect(200);
    expect(
      audit.body.entries.map(
        (e: { actor: string; action: string; target: string }) =>
          `${e.actor} ${e.action} ${e.target}`,
      ),
    ).toEqual([
      'alice token.revoke nightly',
      'token:nightly account.hide bob@spam.example',
      'alice token.add nightly',
      'alice moderator.add bo',
      'alice session.start alice',
      'cli moderator.add alice',
    ]);
  });

  it('keeps FTO_ADMIN_TOKEN working for scripts, as an owner named in the audit log', async () => {
    const g = apiFixture({ adminToken: 'env-token-0123456789' });
    try {
      g.join('bob@spam.example', places.lyon);
      await request(g.app)
        .post('/api/admin/domains/spam.example/block')
        .set('Authorization', 'Bearer env-token-0123456789')
        .send({ note: 'spam wave' })
        .expect(200);
      const audit = await request(g.app)
        .get('/api/admin/audit')
        .set('Authorization', 'Bearer env-token-0123456789')
        .expect(200);
      expect(audit.body.entries[0]).toMatchObject({
        actor: 'FTO_ADMIN_TOKEN',
        action: 'domain.block',
        target: 'spam.example',
        note: 'spam wave',
      });
    } finally {
      g.close();
    }
  });
});

describe('the audit log', () => {
  let f: Fixture;
  const auth = { Authorization: 'Bearer audit-token-0123456789' };
  beforeEach(() => {
    f = apiFixture({ adminToken: 'audit-token-0123456789' });
    f.join('ada@a.example', places.lagos);
    f.join('bob@spam.example', places.lyon);
  });
  afterEach(() => f.close());

  it('records every moderation action with who, what and why, newest first, in pages', async () => {
    const uri = 'https://a.example/users/ada/statuses/1';
    const steps: [string, string, object?][] = [
      ['post', '/api/admin/accounts/bob@spam.example/hide', { note: 'harassment' }],
      ['delete', '/api/admin/accounts/bob@spam.example/hide'],
      ['post', '/api/admin/accounts/bob@spam.example/block'],
      ['delete', '/api/admin/accounts/bob@spam.example/block'],
      ['post', '/api/admin/domains/spam.example/block'],
      ['delete', '/api/admin/domains/spam.example/block'],
      ['post', '/api/admin/posts/hide', { uri }],
      ['post', '/api/admin/posts/unhide', { uri }],
      [
        'post',
        '/api/admin/posts/place',
        { uri, placeId: places.lyon.id, note: 'says Lyon in the bio' },
      ],
      ['post', '/api/admin/posts/unplace', { uri }],
    ];
    for (const [method, path, body] of steps) {
      const call = request(f.app)[method as 'post'](path);
      await call
        .set(auth)
        .send(body ?? {})
        .expect(200);
    }
    // A refused change records nothing.
    await request(f.app)
      .post('/api/admin/posts/hide')
      .set(auth)
      .send({ uri: 'https://x.example/nope' })
      .expect(404);
    const first = await request(f.app).get('/api/admin/audit?limit=4').set(auth).expect(200);
    const second = await request(f.app)
      .get(`/api/admin/audit?limit=20&before=${first.body.nextBefore}`)
      .set(auth)
      .expect(200);
    const all = [...first.body.entries, ...second.body.entries];
    expect(second.body.nextBefore).toBeNull();
    expect(all.map((e: { action: string }) => e.action)).toEqual([
      'post.unplace',
      'post.place',
      'post.unhide',
      'post.hide',
      'domain.unblock',
      'domain.block',
      'account.unblock',
      'account.block',
      'account.unhide',
      'account.hide',
    ]);
    expect(
      all.every(
        (e: { actor: string; at: string }) =>
          e.actor === 'FTO_ADMIN_TOKEN' && !Number.isNaN(Date.parse(e.at)),
      ),
    ).toBe(true);
    expect(all.at(-1)).toMatchObject({ target: 'bob@spam.example', note: 'harassment' });
    expect(all[1]).toMatchObject({
      target: uri,
      note: 'says Lyon in the bio',
      detail: { placeId: places.lyon.id, place: expect.stringContaining('Lyon') },
    });
  });

  it('exports CSV that a spreadsheet will not run as formulas', async () => {
    await request(f.app)
      .post('/api/admin/accounts/bob@spam.example/hide')
      .set(auth)
      .send({ note: '=HYPERLINK("https://evil.example","click")' })
      .expect(200);
    const res = await request(f.app).get('/api/admin/audit.csv').set(auth).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row] = res.text.split('\r\n');
    expect(header).toBe('id,at,actor,action,target,detail,note');
    expect(row).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);
    await request(f.app).get('/api/admin/audit.csv').expect(401);
  });

  it('cannot be edited or pruned, even with SQL from elsewhere in the program', () => {
    createAuditLog(f.db).record({ actor: 'cli', action: 'moderator.add', target: 'x' });
    expect(() => f.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => f.db.prepare("UPDATE audit_log SET actor = 'someone else'").run()).toThrow(
      /append-only/,
    );
  });
});
