import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { places } from '../helpers/posts.js';
import { listen, type Listening } from '../helpers/listen.js';
import { readSse } from '../helpers/sse.js';
import { apiFixture } from './fixture.js';

describe('behaviour at the edge', () => {
  let f: ReturnType<typeof apiFixture>;
  beforeAll(() => {
    f = apiFixture({
      identities: {
        yourturn: {
          title: 'Your Turn <script>alert(1)</script>',
          description: 'Find the "others" & say hi',
          callToAction: 'Post #YourTurn and your city',
          examplePost: '#YourTurn Portland',
          link: null,
          accentColor: '#c2410c',
        },
      },
    });
    f.join('ada@a.example', places.lagos);
  });
  afterAll(() => f.close());

  it('answers a browser with an HTML page and everyone else (and every /api path) with JSON', async () => {
    const page = await request(f.app).get('/c/doesnotexist').set('Accept', 'text/html').expect(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<h1>There is no map here</h1>');
    expect(page.text).toContain('No campaign #doesnotexist on this server.');
    expect(page.text).toContain('href="/c/yourturn"');
    expect(page.text).toContain('href="/fto-pages.css"');
    const json = await request(f.app).get('/c/doesnotexist').expect(404);
    expect(json.body).toEqual({ error: 'no campaign #doesnotexist on this server' });
    const api = await request(f.app).get('/api/nope').set('Accept', 'text/html').expect(404);
    expect(api.body).toEqual({ error: 'no such endpoint: GET /api/nope' });
    const bad = await request(f.app)
      .get('/embed/yourturn?view=maps')
      .set('Accept', 'text/html,application/xhtml+xml')
      .expect(400);
    expect(bad.text).toContain('This address has a mistake in it');
    const unknown = await request(f.app).get('/nope/<b>').set('Accept', 'text/html').expect(404);
    expect(unknown.text).toContain('No page at &quot;/nope/%3Cb%3E&quot; on this server.');
    expect(unknown.text).not.toContain('Cannot GET');
    const css = await request(f.app).get('/fto-pages.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('sends a Content-Security-Policy without inline script or style, and forbids framing', async () => {
    const res = await request(f.app).get('/').expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("img-src 'self' https: data:");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('puts escaped Open Graph tags for the campaign into the page head, with an image it serves', async () => {
    const res = await request(f.app).get('/c/yourturn').set('Host', 'map.example').expect(200);
    expect(res.text).toContain('<title>Your Turn &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(res.text).toContain(
      '<meta property="og:description" content="Find the &quot;others&quot; &amp; say hi" />',
    );
    expect(res.text).toContain(
      '<meta property="og:image" content="http://map.example/og/yourturn.png" />',
    );
    expect(res.text).not.toContain('<script>alert');
    const head = res.text.slice(0, res.text.indexOf('</head>'));
    expect(head).toContain('og:title');
    const img = await request(f.app).get('/og/yourturn.png').expect(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect((img.body as Buffer).subarray(1, 4).toString('ascii')).toBe('PNG');
    await request(f.app).get('/og/nothere.png').expect(404);
  });

  it('answers a repeated GET with 304 when the ETag matches', async () => {
    const first = await request(f.app).get('/api/campaigns/yourturn').expect(200);
    expect(first.headers.etag).toBeTruthy();
    await request(f.app)
      .get('/api/campaigns/yourturn')
      .set('If-None-Match', first.headers.etag!)
      .expect(304);
  });

  it('compresses answers over 1 kB that ask for it', async () => {
    const res = await request(f.app).get('/metrics').set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
  });

  it('limits requests per client IP with a 429 in the one error shape', async () => {
    const limited = apiFixture({ rateLimit: { perSecond: 0.001, burst: 3 } });
    try {
      for (let i = 0; i < 3; i++) await request(limited.app).get('/api/campaigns').expect(200);
      const res = await request(limited.app).get('/api/campaigns').expect(429);
      expect(res.body.error).toMatch(/too many requests/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      await request(limited.app).get('/healthz').expect(200);
    } finally {
      limited.close();
    }
  });

  it('serves Prometheus metrics: contributors, SSE clients, requests and latency, memory', async () => {
    await request(f.app).get('/api/campaigns/yourturn').expect(200);
    const res = await request(f.app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    expect(res.text).toContain('fto_contributors{campaign="yourturn"} 1');
    expect(res.text).toContain('fto_sse_clients{campaign="yourturn"} 0');
    expect(res.text).toMatch(
      /fto_http_requests_total\{method="GET",route="\/api\/campaigns\/:tag",status="200"\} \d+/,
    );
    expect(res.text).toMatch(
      /fto_http_request_duration_seconds_bucket\{method="GET",route="\/api\/campaigns\/:tag",le="\+Inf"\} \d+/,
    );
    expect(res.text).toMatch(/process_resident_memory_bytes \d+/);
  });

  it('logs requests without their query string or headers', async () => {
    const lines: object[] = [];
    const logged = apiFixture({ log: { error: () => {}, info: (obj) => lines.push(obj) } });
    try {
      await request(logged.app)
        .get('/api/campaigns/nosuchtag?access_token=secret')
        .set('Authorization', 'Bearer secret')
        .expect(404);
      expect(JSON.stringify(lines)).not.toContain('secret');
      expect(lines[0]).toMatchObject({
        method: 'GET',
        path: '/api/campaigns/nosuchtag',
        status: 404,
      });
    } finally {
      logged.close();
    }
  });

  describe('live stats over SSE', () => {
    let server: Listening;
    let base: string;
    beforeAll(async () => {
      server = await listen(f.app);
      base = `${server.url}`;
    });
    afterAll(async () => {
      await server.close();
    });

    it('sends stats on connect with the stream’s place in the log, and once after a burst of changes without an id', async () => {
      const sse = await readSse(`${base}/api/campaigns/yourturn/events`);
      try {
        const first = await sse.next((e) => e.event === 'stats');
        expect(first.id).toBe(String(f.store.eventLog.newestId()));
        expect(JSON.parse(first.data)).toEqual({
          contributors: 1,
          cities: 1,
          countries: 1,
          refreshSpreadMs: 0,
        });
        f.join('b1@b.example', places.lyon);
        f.join('b2@b.example', places.lyon);
        const joined = await sse.next((e) => e.event === 'contributor' && e.data.includes('b2@'));
        expect(joined.id).not.toBeNull();
        const after = await sse.next(
          (e) => e.event === 'stats' && JSON.parse(e.data).contributors === 3,
        );
        expect(JSON.parse(after.data)).toEqual({
          contributors: 3,
          cities: 2,
          countries: 2,
          refreshSpreadMs: 0,
        });
        // Not in the log: it must not move Last-Event-ID past events still to come.
        expect(after.id).toBeNull();
      } finally {
        sse.close();
      }
    });
  });
});
