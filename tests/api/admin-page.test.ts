import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFixture } from './fixture.js';

// GET /admin: the moderation page's headers, and what it says when moderation is switched off.

const token = 'test-admin-token';

function directives(csp: string | undefined): Map<string, string> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values.join(' ')]),
  );
}

/** An app with these options for one test, closed after it. */
async function withApp(
  overrides: Parameters<typeof apiFixture>[0],
  test: (app: ReturnType<typeof apiFixture>['app']) => Promise<void>,
): Promise<void> {
  const f = apiFixture(overrides);
  try {
    await test(f.app);
  } finally {
    f.close();
  }
}

describe('the admin page', () => {
  let adminDir: string;
  beforeAll(() => {
    adminDir = mkdtempSync(join(tmpdir(), 'fto-admin-page-'));
    writeFileSync(
      join(adminDir, 'admin.html'),
      '<!doctype html><title>Moderation</title><fto-admin></fto-admin>',
    );
    mkdirSync(join(adminDir, 'assets'));
    writeFileSync(join(adminDir, 'assets', 'admin-abc123.js'), 'export {};');
  });
  afterAll(() => rmSync(adminDir, { recursive: true, force: true }));

  it('is served with a CSP at least as strict as the map’s, never framed, cached or indexed', async () => {
    await withApp({ adminToken: token, adminDir }, async (app) => {
      const res = await request(app).get('/admin').expect(200);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('<title>Moderation</title>');
      const csp = directives(res.headers['content-security-policy']);
      expect(Object.fromEntries(csp)).toEqual({
        'default-src': "'none'",
        'script-src': "'self'",
        'style-src': "'self'",
        'img-src': "'self' data:",
        'connect-src': "'self'",
        'base-uri': "'none'",
        'form-action': "'none'",
        'frame-ancestors': "'none'",
        'object-src': "'none'",
      });
      expect(res.headers['content-security-policy']).not.toMatch(/unsafe|\*/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-robots-tag']).toBe('noindex');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      // The trailing slash is the same page.
      await request(app).get('/admin/').expect(200);
    });
  });

  it('serves its hashed assets for a year, under the same headers', async () => {
    await withApp({ adminToken: token, adminDir }, async (app) => {
      const res = await request(app).get('/admin/assets/admin-abc123.js').expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['x-frame-options']).toBe('DENY');
      await request(app).get('/admin/assets/nope.js').expect(404);
    });
  });

  it('is a 404 without a token, whose page says how to switch moderation on', async () => {
    await withApp({ adminDir }, async (app) => {
      const res = await request(app).get('/admin').expect(404);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('<fto-admin switched-off>');
      expect(res.text).toContain('<title>Moderation</title>');
      expect(directives(res.headers['content-security-policy']).get('frame-ancestors')).toBe(
        "'none'",
      );
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control']).toBe('no-store');
      // The page's script draws that message; the admin API itself does not exist.
      await request(app).get('/admin/assets/admin-abc123.js').expect(200);
      await request(app).get('/api/admin/moderation').expect(404);
    });
  });

  it('answers 503 with what to run when the page has not been built', async () => {
    await withApp({ adminToken: token, adminDir: join(adminDir, 'missing') }, async (app) => {
      const res = await request(app).get('/admin').expect(503);
      expect(res.text).toMatch(/npm run build/);
    });
  });

  it('never writes the token to the request log, whatever the request', async () => {
    const lines: unknown[] = [];
    const log = { error: (o: object) => lines.push(o), info: (o: object) => lines.push(o) };
    await withApp({ adminToken: token, adminDir, log }, async (app) => {
      const auth = { Authorization: `Bearer ${token}` };
      await request(app).get('/admin').expect(200);
      await request(app).get('/api/admin/moderation').set(auth).expect(200);
      await request(app).get('/api/admin/places?q=Lyon').set(auth).expect(501);
      await request(app).post('/api/admin/accounts/nope/hide').set(auth).expect(400);
      await request(app).get('/api/admin/moderation').set('Authorization', `Bearer ${token}x`);
      await request(app).get(`/api/admin/moderation?token=${token}`).expect(401);
    });
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('leaves the framable embed and the map’s own policy as they were', async () => {
    await withApp({ adminToken: token, adminDir }, async (app) => {
      const map = await request(app).get('/').expect(200);
      expect(directives(map.headers['content-security-policy']).get('default-src')).toBe("'self'");
      const embed = await request(app).get('/embed/yourturn');
      expect(directives(embed.headers['content-security-policy']).get('frame-ancestors')).toBe('*');
      // "/administrator" is not the admin page.
      const other = await request(app).get('/administrator');
      expect(other.headers['x-robots-tag']).toBeUndefined();
    });
  });
});
