import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { isPostgresUrl } from '../../server/store/db.js';
import { PgDatabase } from '../../server/store/pg/database.js';
import { onTestFinished } from 'vitest';
import { blueskyOffUnlessNamed } from './bluesky-off.js';
import { testHomeArgs } from './mastodon-instance.js';

const root = join(import.meta.dirname, '..', '..');
const cliScript = join(root, 'tests', 'helpers', 'cli-from-source.ts');

export interface ServerProcess {
  child: ChildProcess;
  /** The map's URL, from the server's "map for #… at URL" line (a collect-only process's health URL's origin). */
  url: Promise<string>;
  /** Every log line the server wrote, parsed. */
  lines: { level: number; msg: string }[];
  /** SIGKILL, as the OOM killer or a power cut would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));

/**
 * `find-the-others serve` in a second process, from source (tsx), so it neither needs nor
 * disturbs dist/. The process is killed when the test that started it ends, if still running.
 */
export function spawnServe(args: string[], env: Record<string, string> = {}): ServerProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      cliScript,
      'serve',
      ...['--port', '0', '--host', '127.0.0.1', '--tiles', 'none', '--log-level', 'info'],
      // The test instances open now are the homes of the test authors (consent look-ups).
      ...testHomeArgs(),
      ...args,
      ...blueskyOffUnlessNamed(args, env),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const lines: { level: number; msg: string }[] = [];
  const url = new Promise<string>((resolve, reject) => {
    void exited.then(() => reject(new Error('the server exited before it listened')));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { level: number; msg: string };
        lines.push(parsed);
        const m =
          /^map for .* at (http:\/\/\S+)/.exec(parsed.msg) ??
          /^collector for .* health at (http:\/\/\S+)\/healthz/.exec(parsed.msg);
        if (m) resolve(m[1]!);
      } catch {
        lines.push({ level: 30, msg: line });
      }
    });
  });
  url.catch(() => {}); // a test that never asks for the URL must not see an unhandled rejection
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  try {
    onTestFinished(() => signal('SIGKILL'));
  } catch {
    // outside a test the caller stops it
  }
  return { child, url, lines, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/** Read the database the way another process would, while the server writes it. */
export function queryDb<T>(db: string, sql: string): T[] {
  if (isPostgresUrl(db)) {
    const conn = new PgDatabase(db);
    try {
      return conn.prepare(sql).all() as T[];
    } catch {
      return []; // the schema is still being made
    } finally {
      conn.close();
    }
  }
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

/** What a run collected: every post and every pin, and how many posts were stored twice. */
export function dbSnapshot(db: string) {
  return {
    posts: queryDb<{ uri: string; place_id: number | null }>(
      db,
      'SELECT uri, place_id FROM posts ORDER BY uri',
    ),
    contributors: queryDb<{ acct: string; place_id: number }>(
      db,
      'SELECT c.tag, c.acct, c.place_id, p.uri FROM contributors c JOIN posts p ON p.id = c.post_id ORDER BY c.tag, c.acct',
    ),
    duplicates: queryDb<{ n: number }>(
      db,
      'SELECT count(*) - count(DISTINCT uri) AS n FROM posts',
    )[0]!.n,
  };
}

/** How far the (single) source's backfill has got, as saved with the posts. */
export const backfillCursor = (db: string) =>
  queryDb<{ backfill_count: number; backfill_done: number }>(
    db,
    'SELECT backfill_count, backfill_done FROM cursors',
  )[0];
