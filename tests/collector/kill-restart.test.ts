import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';

const root = join(import.meta.dirname, '..', '..');
// A private build, so this test neither needs nor disturbs the shared dist/ (packageRoot still finds data/).
const build = join(root, 'node_modules', '.cache', 'fto-kill-restart');
const bin = join(build, 'bin', 'find-the-others.js');
const dir = mkdtempSync(join(tmpdir(), 'fto-kill-'));
const children: ChildProcess[] = [];
let a: MastodonInstance;

beforeAll(async () => {
  execFileSync(
    join(root, 'node_modules', '.bin', 'tsc'),
    ['-p', 'tsconfig.build.json', '--outDir', join(build, 'dist'), '--sourceMap', 'false'],
    { cwd: root, stdio: 'pipe' },
  );
  mkdirSync(join(build, 'bin'), { recursive: true });
  copyFileSync(join(root, 'bin', 'find-the-others.js'), bin);
  a = await startMastodonInstance({ domain: 'a.example', rateLimit: false });
  const cities = ['Lagos', 'Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco', 'Nairobi'];
  for (let n = 0; n < 480; n++)
    a.post({
      account: { username: `u${n % 150}` },
      text: `#YourTurn ${cities[n % cities.length]}`,
      createdAt: Date.now() - (480 - n) * 600_000,
    });
  // Slow pages, so there is a "mid-backfill" to kill the process in.
  a.setFault({ kind: 'delay', ms: 120 }, '/api/v1/timelines/tag/');
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await a?.close();
  rmSync(dir, { recursive: true, force: true });
});

function serve(db: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      bin,
      'serve',
      ...['--instance', a.url, '--db', db, '--port', '0', '--host', '127.0.0.1'],
      ...['--backfill-posts', '480', '--backfill-days', '3650', '--poll-interval', '200'],
      ...['--tiles', 'none', '--log-level', 'warn'],
    ],
    { cwd: root, stdio: 'ignore' },
  );
  children.push(child);
  return child;
}

/** Read the database the way another process would, while the server writes it. */
function query<T>(db: string, sql: string): T[] {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return conn.prepare(sql).all() as T[];
    } finally {
      conn.close();
    }
  } catch {
    return []; // not created yet, or the schema is still being made
  }
}

const cursor = (db: string) =>
  query<{ backfill_count: number; backfill_done: number }>(
    db,
    'SELECT backfill_count, backfill_done FROM cursors',
  )[0];

function snapshot(db: string) {
  return {
    posts: query<{ uri: string; place_id: number | null }>(
      db,
      'SELECT uri, place_id FROM posts ORDER BY uri',
    ),
    contributors: query<{ acct: string; place_id: number }>(
      db,
      'SELECT c.acct, c.place_id, p.uri FROM contributors c JOIN posts p ON p.id = c.post_id ORDER BY c.acct',
    ),
    duplicates: query<{ n: number }>(
      db,
      'SELECT count(*) - count(DISTINCT uri) AS n FROM posts',
    )[0]!.n,
  };
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('collector: kill and restart', () => {
  it('loses nothing and duplicates nothing when the process is SIGKILLed mid-backfill', async () => {
    const clean = join(dir, 'clean.db');
    const uninterrupted = serve(clean);
    await expect.poll(() => cursor(clean)?.backfill_done, { timeout: 60_000 }).toBe(1);
    await stop(uninterrupted);

    const killed = join(dir, 'killed.db');
    const first = serve(killed);
    await expect
      .poll(() => cursor(killed)?.backfill_count ?? 0, { timeout: 60_000, interval: 20 })
      .toBeGreaterThanOrEqual(120);
    const exited = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await exited;
    expect(cursor(killed)!.backfill_done).toBe(0);
    const before = a.requestLog.length;

    const second = serve(killed);
    await expect.poll(() => cursor(killed)?.backfill_done, { timeout: 60_000 }).toBe(1);
    await stop(second);

    // The restart went on from its saved cursor rather than reading the newest pages again.
    const firstPageAgain = a.requestLog
      .slice(before)
      .filter(
        (r) => r.path.startsWith('/api/v1/timelines/tag/') && !r.query.max_id && !r.query.min_id,
      );
    expect(firstPageAgain).toEqual([]);
    const after = snapshot(killed);
    expect(after.duplicates).toBe(0);
    expect(after.posts).toHaveLength(480);
    expect(after).toEqual(snapshot(clean));
  }, 180_000);
});
