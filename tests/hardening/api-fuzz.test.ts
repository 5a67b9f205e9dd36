import fc from 'fast-check';
import type * as Crypto from 'node:crypto';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearerAuth } from '../../server/api/admin-routes.js';
import { answerParserErrors } from '../../server/api/errors.js';
import { hashPassword } from '../../server/store/password.js';
import { createTeamStore } from '../../server/store/team.js';
import { apiFixture } from '../api/fixture.js';
import { locator } from '../helpers/collector-harness.js';
import { places } from '../helpers/posts.js';

// Every digest the admin check compares, so a test can see what is compared, not just the answer.
const compared = vi.hoisted(() => [] as [number, number][]);
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof Crypto>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.push([a.byteLength, b.byteLength]);
      return real.timingSafeEqual(a, b);
    },
  };
});

const token = 'correct-horse-battery-staple-0123456789';
let fx: ReturnType<typeof apiFixture>;
// A real server with the parser-error hook main.ts installs, so a 20 KB query is answered too.
let http: Server;

beforeAll(async () => {
  fx = apiFixture({ adminToken: token, locator: locator() });
  // Someone to sign in as, so sign-in is checked, not switched off.
  const team = createTeamStore(fx.db);
  team.addModerator('ada', 'owner');
  team.setPasswordHash('ada', await hashPassword('a long enough password'));
  fx.join('ada@a.example', places.lagos);
  fx.join('bo@b.example', places.portland);
  http = createServer(fx.app);
  answerParserErrors(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
  fx.close();
});

const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    '-1',
    '0',
    '1e309',
    'NaN',
    'Infinity',
    '9'.repeat(400),
    '0x10',
    '1,2,3',
    '-180,-90,180,90',
    '540,-90,-540,90',
    '__proto__',
    'constructor',
    '%',
    '%E0%A4%A',
    '%00',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "'; DROP TABLE posts; --",
    '\u202e\u200b',
    '🦊'.repeat(300),
    'W10',
    'WyIyMDI2IiwxXQ',
    'x'.repeat(10_000),
  ),
);
const segment = fc.oneof(
  hostile.map(encodeURIComponent),
  fc.constantFrom(
    'yourturn',
    '%23YourTurn',
    '2332459',
    '0',
    'ada@a.example',
    'a.example',
    '%',
    '%zz',
  ),
);
const queryKey = fc.oneof(
  fc.constantFrom(
    'bbox',
    'zoom',
    'cursor',
    'limit',
    'lat',
    'lng',
    'near',
    'radiusKm',
    'country',
    'q',
    'before',
    'lastEventId',
    'bbox[]',
    '__proto__',
  ),
  fc.string({ maxLength: 8 }),
);
const query = fc
  .array(fc.tuple(queryKey, hostile), { maxLength: 5 })
  .map((pairs) =>
    pairs.length
      ? '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
      : '',
  );

// Every GET route of docs/api.md except the event stream (which never ends; tested below).
const getRoutes = [
  () => '/api/campaigns',
  (t: string) => `/api/campaigns/${t}`,
  (t: string) => `/api/campaigns/${t}/contributors`,
  (t: string, x: string) => `/api/campaigns/${t}/clusters/${x}`,
  (t: string, x: string) => `/api/campaigns/${t}/places/${x}/contributors`,
  (t: string) => `/api/campaigns/${t}/nearby`,
  (t: string) => `/api/campaigns/${t}/countries`,
  (t: string) => `/api/campaigns/${t}/cities`,
  (t: string) => `/api/campaigns/${t}/export.geojson`,
  (t: string) => `/api/campaigns/${t}/export.csv`,
  () => '/api/status',
  () => '/api/config',
  () => '/healthz',
  () => '/metrics',
  (t: string) => `/c/${t}`,
  (t: string) => `/og/${t}.png`,
  (t: string) => `/api/${t}`,
  (t: string) => `/api/campaigns/${t}/review`,
  (t: string, x: string) => `/${t}/${x}`,
];
const adminRoutes: [string, (x: string) => string][] = [
  ['get', () => '/api/admin/moderation'],
  ['get', (x) => `/api/admin/campaigns/${x}/unlocated`],
  ['post', (x) => `/api/admin/accounts/${x}/hide`],
  ['delete', (x) => `/api/admin/accounts/${x}/hide`],
  ['post', (x) => `/api/admin/accounts/${x}/block`],
  ['delete', (x) => `/api/admin/accounts/${x}/block`],
  ['post', (x) => `/api/admin/domains/${x}/block`],
  ['delete', (x) => `/api/admin/domains/${x}/block`],
  ['post', () => '/api/admin/posts/hide'],
  ['post', () => '/api/admin/posts/unhide'],
  ['post', () => '/api/admin/posts/place'],
  ['post', () => '/api/admin/posts/unplace'],
  ['get', (x) => `/api/admin/places?q=${x}`],
  ['get', () => '/api/admin/me'],
  ['get', (x) => `/api/admin/audit?before=${x}`],
  ['get', (x) => `/api/admin/audit.csv?${x}`],
  ['delete', () => '/api/admin/session'],
  ['post', () => '/api/admin/sessions/end-all'],
  ['put', () => '/api/admin/me/password'],
  ['get', () => '/api/admin/moderators'],
  ['post', () => '/api/admin/moderators'],
  ['put', (x) => `/api/admin/moderators/${x}/role`],
  ['post', (x) => `/api/admin/moderators/${x}/link`],
  ['post', (x) => `/api/admin/moderators/${x}/sessions/end-all`],
  ['delete', (x) => `/api/admin/moderators/${x}`],
  ['get', () => '/api/admin/tokens'],
  ['post', () => '/api/admin/tokens'],
  ['delete', (x) => `/api/admin/tokens/${x}`],
  ['get', (x) => `/api/admin/campaigns/${x}/queue`],
  ['get', (x) => `/api/admin/campaigns/yourturn/queue?domain=${x}&word=${x}&newerThanDays=${x}`],
  ['post', (x) => `/api/admin/campaigns/${x}/queue/approve`],
  ['post', (x) => `/api/admin/campaigns/${x}/queue/bulk`],
  ['post', () => '/api/admin/campaigns/yourturn/queue/bulk'],
  ['get', (x) => `/api/admin/campaigns/${x}/settings`],
  ['put', (x) => `/api/admin/campaigns/${x}/settings`],
  ['post', () => '/api/admin/campaigns/yourturn/filters'],
  ['delete', (x) => `/api/admin/campaigns/yourturn/filters/word/${x}`],
];
/** Answered before the auth check: signing in. */
const signInRoutes: [string, (x: string) => string][] = [
  ['post', () => '/api/admin/session'],
  ['post', () => '/api/admin/session/link'],
  ['post', () => '/api/campaigns/yourturn/report'], // public, no token either
];

function expectClientError(res: request.Response, path: string) {
  const what = path.length > 300 ? `${path.slice(0, 300)}… (${path.length} characters)` : path;
  if (res.status >= 500) throw new Error(`${what} → ${res.status} ${res.text.slice(0, 200)}`);
  if (res.status >= 400 && what.includes('/api/')) {
    if (typeof res.body?.error !== 'string')
      throw new Error(`${what} → ${res.status} without {"error": …}: ${res.text.slice(0, 200)}`);
  }
}

describe('every endpoint under random and malformed parameters', () => {
  it('answers every public GET with a 2xx, 3xx or 4xx and the one error shape, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: getRoutes.length - 1 }),
        segment,
        segment,
        query,
        async (r, t, x, q) => {
          const path = getRoutes[r]!(t, x) + q;
          expectClientError(await request(http).get(path), `GET ${path}`);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('never answers an admin route with a 5xx on random paths and bodies, even with the right token', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record({ uri: hostile, placeId: fc.oneof(fc.integer(), hostile) })
        .map((v) => JSON.stringify(v)),
      hostile,
      fc.constant('{"uri": "https://a.example/users/ada/statuses/1", "placeId": 1e400}'),
      fc
        .record({
          action: fc.oneof(fc.constantFrom('hide', 'approve'), hostile),
          uris: fc.array(hostile, { maxLength: 3 }),
          filter: fc.record({
            domain: hostile,
            word: hostile,
            newerThanDays: fc.oneof(fc.integer(), hostile),
          }),
        })
        .map((v) => JSON.stringify(v)),
      fc
        .record({
          name: hostile,
          role: fc.oneof(fc.constantFrom('owner', 'moderator'), hostile),
          kind: fc.oneof(fc.constantFrom('word', 'domain'), hostile),
          value: hostile,
          action: fc.oneof(fc.constantFrom('hide', 'hold'), hostile),
          premoderation: fc.oneof(fc.boolean(), hostile),
          note: hostile,
        })
        .map((v) => JSON.stringify(v)),
      fc.constant('{'.repeat(5000)),
      fc.constant(JSON.stringify({ uri: 'https://x.example/' + 'a'.repeat(20_000) })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: adminRoutes.length - 1 }),
        segment,
        query,
        body,
        async (r, x, q, b) => {
          const [method, route] = adminRoutes[r]!;
          const path = route(x) + q;
          const agent = request(http);
          const res = await agent[method as 'post'](path)
            .set('Authorization', `Bearer ${token}`)
            .set('Content-Type', 'application/json')
            .send(b);
          expectClientError(res, `${method.toUpperCase()} ${path} ${b.slice(0, 80)}`);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never answers sign-in or a report with a 5xx, whatever the body or cookie', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({ name: hostile, password: hostile, link: hostile }).map((v) => JSON.stringify(v)),
      fc.record({ name: hostile, password: hostile }).map((v) => JSON.stringify(v)),
      fc.record({ link: hostile }).map((v) => JSON.stringify(v)),
      fc
        .record({ acct: fc.oneof(hostile, fc.constant('ada@a.example')), reason: hostile })
        .map((v) => JSON.stringify(v)),
      hostile,
      fc.constant(JSON.stringify({ name: 'a', password: 'p'.repeat(20_000) })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: signInRoutes.length - 1 }),
        body,
        hostile,
        async (r, b, cookie) => {
          const [, route] = signInRoutes[r]!;
          const res = await request(http)
            .post(route(''))
            .set('Content-Type', 'application/json')
            .set('Cookie', `fto_session=${encodeURIComponent(cookie)}`)
            .send(b);
          expectClientError(res, `POST ${route('')} ${b.slice(0, 80)}`);
          expect(res.status).not.toBe(200); // nobody may sign in with made-up input (a report answers 202)
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answers the event stream with a 4xx for a bad campaign and a stream for any Last-Event-ID', async () => {
    const server = fx.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const statusOf = (path: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const req = get({ port, host: '127.0.0.1', path, headers }, (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', reject);
      });
    try {
      for (const id of ['-1', 'abc', '1e309', '9'.repeat(40), '0', '💥', ' 3 '])
        expect(
          await statusOf('/api/campaigns/yourturn/events', {
            'Last-Event-ID': encodeURIComponent(id),
          }),
        ).toBe(200);
      expect(await statusOf('/api/campaigns/yourturn/events?lastEventId=%E0%A4%A')).toBe(200);
      expect(await statusOf('/api/campaigns/%zz/events')).toBeLessThan(500);
      expect(await statusOf('/api/campaigns/nosuchtag/events')).toBe(404);
      expect(await statusOf(`/api/campaigns/${'x'.repeat(5000)}/events`)).toBe(400);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('requests Node refuses before Express', () => {
  it('answers a 20 KB query with a 431 and the one error shape', async () => {
    const { port } = http.address() as AddressInfo;
    const res = await fetch(
      `http://127.0.0.1:${port}/api/campaigns/yourturn/nearby?near=${'x'.repeat(20_000)}`,
    );
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: 'the request line and headers are over 16 KB: send a shorter query',
    });
  });
});

describe('the admin API', () => {
  const almost = [
    undefined,
    '',
    'Bearer',
    'Bearer ',
    `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`,
    `Bearer ${token.slice(0, -1)}`,
    `Bearer ${token}x`,
    `Bearer ${token.toUpperCase()}`,
    `Bearer ${token.slice(0, -1)}${String.fromCharCode(token.charCodeAt(token.length - 1) + 1)}`,
    `Bearer ${token} ${token}`,
    `Token ${token}`,
    `Bearer ${'a'.repeat(10_000)}`,
    `Bearer%20${token}`,
  ];

  it('refuses missing, wrong and almost-right tokens with 401 on every route', async () => {
    for (const [method, route] of adminRoutes) {
      for (const auth of almost) {
        const req = request(fx.app)[method as 'post'](route('ada@a.example'));
        if (auth !== undefined) req.set('Authorization', auth);
        const res = await req.send({ uri: 'https://a.example/users/ada/statuses/1', placeId: 1 });
        expect(
          res.status,
          `${method} ${route('x')} with ${JSON.stringify(auth?.slice(0, 40))}`,
        ).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
    expect(
      (await request(fx.app).get('/api/admin/moderation').set('Authorization', `Bearer ${token}`))
        .status,
    ).toBe(200);
  });

  it('compares fixed-length digests in constant time, whatever the length of the token sent', async () => {
    compared.length = 0;
    const bearers = almost.filter((a) => a?.startsWith('Bearer ') && a.length > 7);
    for (const auth of [...bearers, `Bearer ${token}`])
      await request(fx.app).get('/api/admin/moderation').set('Authorization', auth!);
    expect(compared).toHaveLength(bearers.length + 1);
    expect(compared.every(([a, b]) => a === 32 && b === 32)).toBe(true);
  });

  it('sends every probe, short or sharing a long prefix, through the same digest compare (medians reported)', () => {
    // Measured on the middleware alone, so the network does not drown the compare.
    const check = bearerAuth(token);
    const res = { set: () => res } as unknown as Parameters<typeof check>[1];
    const probes = {
      'no common prefix': 'Z'.repeat(token.length),
      'half the token': token.slice(0, token.length / 2) + 'Z'.repeat(token.length / 2),
      'all but the last character': token.slice(0, -1) + 'Z',
      'shorter (4 characters)': token.slice(0, 4),
    };
    const medians: Record<string, number> = {};
    for (let round = 0; round < 2; round++) {
      for (const [name, probe] of Object.entries(probes)) {
        const req = { get: () => `Bearer ${probe}` } as unknown as Parameters<typeof check>[0];
        const times: number[] = [];
        for (let i = 0; i < 20_000; i++) {
          const t0 = process.hrtime.bigint();
          check(req, res, () => {});
          times.push(Number(process.hrtime.bigint() - t0));
        }
        times.sort((p, q) => p - q);
        medians[name] = times[times.length >> 1]!; // the second round, after warm-up, is reported
      }
    }
    console.log(`admin token check, median ns per request: ${JSON.stringify(medians)}`);
    // Not a timing assertion: every probe went through the same fixed-length digest compare.
    expect(Object.keys(medians)).toHaveLength(4);
    expect(compared.slice(-4).every(([a, b]) => a === 32 && b === 32)).toBe(true);
  });
});
