import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBalancer, startNginx, type Balancer } from '../helpers/balancer.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';
import { spawnServe, type ServerProcess } from '../helpers/server-process.js';
import { readSse } from '../helpers/sse.js';

// Two real `find-the-others serve` processes behind Debian's nginx, configured as docs/deploy.md
// says. Until several servers share one database, each has its own SQLite file; both follow the
// same test instance, so both know the same people.

const DOMAIN = 'lb.example';
const TAG = 'yourturn';

let instance: MastodonInstance;
let dir: string;
let servers: { proc: ServerProcess; port: number; url: string }[];
let balancer: Balancer;

// A certificate for 127.0.0.1 only, valid until 2126, made for this test (openssl req -x509, P-256):
// its key protects nothing and is public on purpose.
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUWvkHUQPEr78oTjv9P6RnF0tOgC4wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwNzEwMDE0OVoYDzIxMjYxMTEz
MTAwMTQ5WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARN5CvhFZYJS8rGT95r4yikm6xYqsnG3ek8DsJI9/zoxmUXT7IodZHH
linXk9sJoQlDe48jRnDUXT9qO37mV1GOo2QwYjAdBgNVHQ4EFgQUoFcjIQ/bfdg1
Vmdz87Qc3YvP2+wwHwYDVR0jBBgwFoAUoFcjIQ/bfdg1Vmdz87Qc3YvP2+wwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
IQD6k9plM1sLNJwl5K/rhlozuvT3zL0w0kYCZJTrSZQ8tQIgcwKwnK2Ni4yYQTL6
bi9PYAzzNUabxE+sxhIS5QUpLbw=
-----END CERTIFICATE-----`;
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQglm2M11Bitt4hBklT
fFvYT2dhDvLfKvBODXEuwkPwlc2hRANCAARN5CvhFZYJS8rGT95r4yikm6xYqsnG
3ek8DsJI9/zoxmUXT7IodZHHlinXk9sJoQlDe48jRnDUXT9qO37mV1GO
-----END PRIVATE KEY-----`;

/**
 * One GET of `url` (http or https, trusting only TEST_CERT) sent from `from` (any 127.x address
 * is this machine), read until the end or, for a stream, until `until` is in the body.
 */
function getFrom(
  from: string,
  url: string,
  headers: Record<string, string> = {},
  until?: string,
): Promise<{ status: number; body: string; upstream: string; headers: Record<string, unknown> }> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { localAddress: from, headers, agent: false, ca: TEST_CERT },
      (res) => {
        let body = '';
        const done = () =>
          resolve({
            status: res.statusCode!,
            body,
            upstream: String(res.headers['x-balancer-upstream'] ?? ''),
            headers: res.headers,
          });
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
          if (until && body.includes(until)) {
            done();
            req.destroy();
          }
        });
        res.on('end', done);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const contributorsOn = async (base: string) => {
  const res = await fetch(`${base}/api/campaigns/${TAG}`);
  return res.ok ? ((await res.json()) as { contributors: number }).contributors : -1;
};

/** Waits (outside a test too) until every server counts `counts[i]` people. */
async function untilCounted(counts: number[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await Promise.all(servers.map((s) => contributorsOn(s.url)));
    if (now.every((n, i) => n === counts[i])) return;
    if (Date.now() > deadline)
      throw new Error(`the servers count ${now.join(', ')} people, not ${counts.join(', ')}`);
    await new Promise((r) => setTimeout(r, 250)); // 4 requests/s: under the rate limit
  }
}

let people = 2; // ada and gus, posted before the servers start

/** Posts someone new and waits until both servers have placed them. */
async function arrive(username: string, city: string) {
  instance.post({ account: { username, displayName: username }, text: `#YourTurn ${city}` });
  people += 1;
  await untilCounted([people, people], 20_000);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fto-balancer-'));
  instance = await startMastodonInstance({ domain: DOMAIN, rateLimit: false });
  instance.post({ account: { username: 'ada', displayName: 'Ada' }, text: '#YourTurn Lagos' });
  instance.post({ account: { username: 'gus', displayName: 'Gus' }, text: '#YourTurn Berlin' });
  servers = await Promise.all(
    ['a', 'b'].map(async (name) => {
      const proc = spawnServe(
        [
          ...['--tag', TAG, '--instance', instance.url, '--db', join(dir, `${name}.db`)],
          ...['--poll-interval', '200'],
        ],
        // 5 requests/s per client, 30 at once: within the test's reach, above its polling.
        { FTO_RATE_LIMIT: '5' },
      );
      const url = await proc.url;
      return { proc, url, port: Number(new URL(url).port) };
    }),
  );
  await untilCounted([people, people], 30_000);
  balancer = await startBalancer({ upstreams: servers.map((s) => s.port) });
}, 90_000);

afterAll(async () => {
  await balancer?.stop();
  await Promise.all(servers?.map((s) => s.proc.stop()) ?? []);
  await instance?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('two serve processes behind nginx', () => {
  it('answers the map page and the API through the balancer, from both servers', async () => {
    const upstreams = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const page = await getFrom('127.0.0.1', `${balancer.url}/`);
      expect(page.status).toBe(200);
      // Links the page builds name the balancer's address: Host and X-Forwarded-Proto came through.
      expect(page.body).toContain(`content="${balancer.url}/"`);
      upstreams.add(page.upstream);
    }
    expect([...upstreams].sort()).toEqual(servers.map((s) => `127.0.0.1:${s.port}`).sort());
    const api = await fetch(`${balancer.url}/api/campaigns/${TAG}`);
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({ contributors: 2 });
  });

  it('delivers a live event through the balancer as it happens, not when the stream closes', async () => {
    const stream = await readSse(`${balancer.url}/api/campaigns/${TAG}/events`);
    try {
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      // The stream stays open: the first event coming through at all means nothing buffers it.
      const stats = await stream.next((e) => e.event === 'stats', 5000);
      expect(JSON.parse(stats.data)).toMatchObject({ contributors: 2 });
      const posted = Date.now();
      const both = arrive('chi', 'Accra');
      const arrival = await stream.next(
        (e) => e.event === 'contributor' && e.data.includes(`"chi@${DOMAIN}"`),
        10_000,
      );
      const ms = Date.now() - posted;
      expect(arrival.id).toMatch(/^\d+$/);
      // Collected (200 ms polls) and passed on well within a heartbeat's 15 s, which is when a
      // buffering proxy would first have flushed it.
      expect(ms).toBeLessThan(5000);
      await both;
    } finally {
      stream.close();
    }
  });

  it('passes Last-Event-ID, so a client resuming through the balancer gets what it missed', async () => {
    // The two databases number their events apart until they are one: resume against server A.
    const [a] = servers;
    await balancer.setUpstreams([a!.port]);
    try {
      const first = await readSse(`${balancer.url}/api/campaigns/${TAG}/events`);
      const seen = (await first.next((e) => e.event === 'stats')).id!;
      first.close();
      await arrive('dee', 'Lima');
      const resumed = await readSse(`${balancer.url}/api/campaigns/${TAG}/events`, {
        'Last-Event-ID': seen,
      });
      try {
        const missed = await resumed.next((e) => e.event === 'contributor', 5000);
        expect(missed.data).toContain(`"dee@${DOMAIN}"`);
        expect(Number(missed.id)).toBeGreaterThan(Number(seen));
      } finally {
        resumed.close();
      }
    } finally {
      await balancer.setUpstreams(servers.map((s) => s.port));
    }
  });

  it("gives the server the client's address, so each client has its own rate limit and cannot claim another's", async () => {
    const path = `${balancer.url}/api/campaigns/${TAG}/cities`;
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push((await getFrom('127.0.0.2', path)).status);
    expect(answers).toContain(429); // 30 at once per server, 60 through both
    expect(answers.filter((s) => s === 200).length).toBeGreaterThanOrEqual(60);
    // A client's own X-Forwarded-For is replaced by nginx, not believed.
    await getFrom('127.0.0.2', path, { 'X-Forwarded-For': '203.0.113.9' });
    // Another client, through the same balancer, is not limited by the first: 10 at once is
    // within its own 30, where a bucket shared with the first would refuse most of them.
    const others = [];
    for (let i = 0; i < 10; i++) others.push((await getFrom('127.0.0.3', path)).status);
    expect(others).toEqual(Array(10).fill(200));

    const logged = () =>
      servers.flatMap((s) =>
        (s.proc.lines as { msg: string; path?: string; ip?: string }[]).filter(
          (l) => l.msg === 'request' && l.path === `/api/campaigns/${TAG}/cities`,
        ),
      );
    // Each request is logged with its client's address (the spoofed one too), never nginx's.
    await expect.poll(() => logged().length).toBe(111); // the last lines may still be on their way
    expect(new Set(logged().map((l) => l.ip))).toEqual(new Set(['127.0.0.2', '127.0.0.3']));
  });

  it('keeps answering when a server is killed, and a live client reconnects to the other', async () => {
    const stream = await readSse(`${balancer.url}/api/campaigns/${TAG}/events`);
    await stream.next((e) => e.event === 'stats');
    stream.close();
    const servedBy = servers.find(
      (s) => stream.headers.get('x-balancer-upstream') === `127.0.0.1:${s.port}`,
    )!;
    const other = servers.find((s) => s !== servedBy)!;

    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 5) await servedBy.proc.kill(); // SIGKILL, as the OOM killer would
      const res = await getFrom('127.0.0.1', `${balancer.url}${i % 2 ? '/healthz' : '/'}`);
      statuses.push(res.status);
      if (i >= 5) expect(res.upstream.endsWith(`127.0.0.1:${other.port}`)).toBe(true);
    }
    expect(statuses).toEqual(Array(30).fill(200));

    const again = await readSse(`${balancer.url}/api/campaigns/${TAG}/events`);
    try {
      expect(again.headers.get('x-balancer-upstream')).toBe(`127.0.0.1:${other.port}`);
      expect((await again.next((e) => e.event === 'stats')).data).toContain('"contributors"');
    } finally {
      again.close();
    }
  });
});

describe("docs/deploy.md's nginx config", () => {
  it('serves the map over TLS with https links, streams live events, answers its own 429 in JSON and keeps /metrics private', async () => {
    const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');
    const site = /```nginx\n([\s\S]*?)```/.exec(docs)![1]!;
    writeFileSync(join(dir, 'cert.pem'), TEST_CERT);
    writeFileSync(join(dir, 'key.pem'), TEST_KEY);
    const [a, b] = servers.filter(
      (s) => s.proc.child.exitCode === null && !s.proc.child.signalCode,
    );
    const nginx = await startNginx(
      ([http, https]) =>
        site
          // Our servers instead of 3001…3003, our free ports instead of 80 and 443, IPv4 only.
          .replace(/server 127\.0\.0\.1:3001/, `server 127.0.0.1:${a!.port}`)
          .replace(/server 127\.0\.0\.1:3002/, `server 127.0.0.1:${(b ?? a)!.port}`)
          .replace(/ *server 127\.0\.0\.1:3003.*\n/, '')
          .replace(/ *listen \[::\].*\n/g, '')
          .replace('listen 80;', `listen 127.0.0.1:${http};`)
          .replace('listen 443 ssl http2;', `listen 127.0.0.1:${https} ssl http2;`)
          .replace(/\/etc\/letsencrypt\/live\/map\.example\/fullchain\.pem/, join(dir, 'cert.pem'))
          .replace(/\/etc\/letsencrypt\/live\/map\.example\/privkey\.pem/, join(dir, 'key.pem')),
      { ports: 2 },
    );
    try {
      const [http, https] = nginx.ports;
      const base = `https://127.0.0.1:${https}`;
      const plain = await getFrom('127.0.0.1', `http://127.0.0.1:${http}/api/campaigns/${TAG}`);
      expect(plain.status).toBe(301);
      expect(plain.headers.location).toBe(`https://127.0.0.1/api/campaigns/${TAG}`);

      const page = await getFrom('127.0.0.1', `${base}/`);
      expect(page.status).toBe(200);
      expect(page.body).toContain(`content="${base}/"`); // X-Forwarded-Proto: https came through
      // The server's own HSTS header, once.
      expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect((await getFrom('127.0.0.1', `${base}/metrics`)).status).toBe(404);

      const stream = await getFrom(
        '127.0.0.1',
        `${base}/api/campaigns/${TAG}/events`,
        {},
        'event: stats',
      );
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);

      // nginx's own limit (20/s, bursts of 120) refuses what goes beyond it before any server
      // sees it; the servers' own, smaller limit answers some of the rest.
      const path = `/api/campaigns/${TAG}/countries`;
      const answers = await Promise.all(
        Array.from({ length: 200 }, () => getFrom('127.0.0.4', base + path)),
      );
      const reached = () =>
        servers.flatMap((s) =>
          (s.proc.lines as { msg: string; path?: string; ip?: string }[]).filter(
            (l) => l.msg === 'request' && l.path === path && l.ip === '127.0.0.4',
          ),
        ).length;
      await new Promise((r) => setTimeout(r, 300)); // the servers' last log lines
      const refusedByNginx = 200 - reached();
      expect(refusedByNginx).toBeGreaterThan(0);
      const refused = answers.filter((r) => r.status === 429);
      expect(refused.length).toBeGreaterThanOrEqual(refusedByNginx);
      for (const r of refused) {
        expect(JSON.parse(r.body)).toEqual({ error: expect.stringMatching(/^too many requests/) });
        expect(r.headers['retry-after']).toBeDefined();
      }
    } finally {
      await nginx.stop();
    }
  });
});
