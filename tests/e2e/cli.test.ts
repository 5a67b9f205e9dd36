import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';
import { freePort } from '../helpers/listen.js';

// The installed command, as `npx find-the-others` runs it after `npm run build`.
const bin = join(process.cwd(), 'bin', 'find-the-others.js');

describe('find-the-others command', () => {
  let dir: string;
  let instance: MastodonInstance;
  let child: ChildProcess | null = null;
  let output = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fto-cli-'));
    instance = await startMastodonInstance({ domain: 'cli.example', rateLimit: false });
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    await instance.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the contract: healthz, contributors as GeoJSON, from --tag/--instance/--db/--port', async () => {
    instance.post({ account: { username: 'kemi' }, text: '#YourTurn Lagos' });
    const port = await freePort();
    child = spawn(
      process.execPath,
      [
        bin,
        'serve',
        '--tag',
        'yourturn',
        '--instance',
        instance.url,
        '--db',
        join(dir, 'cli.db'),
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        // Bluesky is on by default, at Bluesky's public services: not the subject here.
        '--no-bluesky',
      ],
      {
        env: { ...process.env, FTO_POLL_INTERVAL_MS: '200', FTO_TILE_URL: 'none' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(
        async () =>
          (await fetch(`${base}/healthz`).then(
            (r) => r.json(),
            () => null,
          )) as unknown,
        { timeout: 15_000 },
      )
      // One process alone serves and collects (it took the collector lease as it started).
      .toEqual({ ok: true, role: 'all', collecting: true });
    await expect
      .poll(
        async () =>
          (await (await fetch(`${base}/api/campaigns/yourturn/contributors`)).json()).features
            .length,
        { timeout: 15_000 },
      )
      .toBe(1);
    const body = await (await fetch(`${base}/api/campaigns/yourturn/contributors`)).json();
    expect(body.features[0].properties).toMatchObject({
      acct: 'kemi@cli.example',
      place: { name: 'Lagos', country: 'NG' },
    });
    expect(output).toMatch(/map for #yourturn at http:\/\/127\.0\.0\.1:\d+/);
    const page = await fetch(`${base}/c/yourturn`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<find-the-others');
  });

  it('exits non-zero and names the bad value on a config error', () => {
    const result = spawnSync(process.execPath, [bin, 'serve', '--port', 'lots'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port: "lots" is not a whole number');
  });

  it('locates JSON lines on stdin and answers a bad line with an error line', () => {
    const input = [
      '{"id":"1","text":"#YourTurn Portland, Oregon"}',
      'not json',
      '{"id":"3","text":"#YourTurn from the couch"}',
    ].join('\n');
    const result = spawnSync(process.execPath, [bin, 'locate'], { input, encoding: 'utf8' });
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      id: '1',
      place: { name: 'Portland', admin1: 'Oregon', country: 'US' },
    });
    expect(lines[1].error).toBeTruthy();
    expect(lines[2]).toMatchObject({ id: '3', place: null });
  });
});
