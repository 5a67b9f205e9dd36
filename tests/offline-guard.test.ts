import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnServe } from './helpers/server-process.js';

// Every address here is TEST-NET-1 (RFC 5737) or under .invalid (RFC 6761): nothing answers
// there, so even a guard that failed could not reach a real host.
const outside = '192.0.2.1';

interface Attempt {
  kind: string;
  host: string;
  port?: number;
  pid: number;
  script: string;
  stack: string[];
}

const dir = mkdtempSync(join(tmpdir(), 'fto-guard-'));
let log: string;
let runLog: string | undefined;
let n = 0;

// The attempts made on purpose go to this test's own file, not the run's (which would fail it).
beforeEach(() => {
  runLog = process.env.FTO_OFFLINE_GUARD_LOG;
  log = join(dir, `attempts-${++n}.jsonl`);
  process.env.FTO_OFFLINE_GUARD_LOG = log;
});
afterEach(() => {
  process.env.FTO_OFFLINE_GUARD_LOG = runLog;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const attempts = (): Attempt[] =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Attempt)
    : [];

describe('the offline guard', () => {
  it('is loaded into every test worker and handed down to the processes it starts', () => {
    expect(process.env.NODE_OPTIONS).toMatch(/--import=\S*offline-guard\.js/);
  });

  it('refuses fetch to a non-loopback address and records the host and the calling line', async () => {
    const err = await fetch(`https://${outside}/`).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error & { cause?: { offlineGuard?: boolean } }).cause?.offlineGuard).toBe(true);
    const [attempt] = attempts();
    expect(attempt).toMatchObject({ kind: 'connect', host: outside, pid: process.pid });
    expect(attempt!.stack[0]).toContain('offline-guard.test.ts');
  });

  it('refuses fetch to a name that is not localhost without looking it up', async () => {
    await expect(fetch('https://fto-offline-guard.invalid/feed')).rejects.toThrow('fetch failed');
    expect(attempts()).toMatchObject([{ kind: 'dns', host: 'fto-offline-guard.invalid' }]);
  });

  it('refuses a WebSocket to a non-loopback address', async () => {
    const err = await new Promise<Error>((resolve) => {
      const ws = new WebSocket(`wss://${outside}/subscribe`);
      ws.on('open', () => resolve(new Error('the WebSocket opened')));
      ws.on('error', resolve);
    });
    expect(err.message).toContain('refused by the offline guard');
    expect(attempts()).toMatchObject([{ kind: 'connect', host: outside, port: 443 }]);
  });

  it('lets loopback and data: URLs through', async () => {
    expect(await (await fetch('data:text/plain,here')).text()).toBe('here');
    const server = createServer((_req, res) => res.end('here'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('here');
      expect(await (await fetch(`http://localhost:${port}/`)).text()).toBe('here');
    } finally {
      server.close();
    }
    expect(attempts()).toEqual([]);
  });

  it("refuses a plain node child's raw socket, recording it under the child's pid", () => {
    const script = `require('net').connect(80, '${outside}').on('error', (e) => { console.log(e.message); process.exit(0) })`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.stdout).toContain('refused by the offline guard');
    const [attempt] = attempts();
    expect(attempt).toMatchObject({ kind: 'connect', host: outside, port: 80 });
    expect(attempt!.pid).not.toBe(process.pid);
  });

  it('refuses the Jetstream and AppView connections of a spawned find-the-others serve', async () => {
    const serve = spawnServe(
      [
        ...['--db', join(dir, 'guard.db'), '--instance', 'http://127.0.0.1:9'],
        ...['--bluesky', '--jetstream', `wss://${outside}/subscribe`],
        ...['--bsky-appview', `http://${outside}`],
      ],
      { FTO_OFFLINE_GUARD_LOG: log },
    );
    await serve.url;
    await expect
      .poll(() => attempts().find((a) => a.host === outside && a.port === 443), {
        timeout: 15_000,
      })
      .toMatchObject({ kind: 'connect', script: expect.stringContaining('cli-from-source.ts') });
    expect(attempts().every((a) => a.pid === serve.child.pid)).toBe(true);
    await serve.stop();
  });
});
