import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startMastodonInstance, type MastodonInstance } from './mastodon-instance.js';
import { spawnServe, type ServerProcess } from './server-process.js';

/** The cities the kill tests' posts name, in turn. */
export const backfillCities = 'Lagos Lima Osaka Quito Accra Hanoi Dakar Cusco Nairobi'.split(' ');

export interface SlowBackfillOptions {
  /** Names the temporary folder (fto-<name>-…) the servers' databases go in. */
  name: string;
  /** How many #YourTurn posts the instance holds (one every ten minutes up to now) and backfill reads. */
  posts: number;
  /** How many people wrote them. */
  accounts: number;
  /** How late each tag page answers. */
  delayMs: number;
  /** The servers' --poll-interval. */
  pollIntervalMs: number;
  /** beforeAll's timeout. */
  setupTimeoutMs?: number;
}

/**
 * The kill-and-restart tests' world: a test instance (a.example) whose backfill is slow enough to
 * kill a server in, started before the calling file's tests and closed after, with a temporary
 * folder, and `serve(db)` spawning a real server that reads it into `db`. The tests differ only
 * in these numbers.
 */
export function slowBackfillWorld(options: SlowBackfillOptions): {
  dir: string;
  instance: () => MastodonInstance;
  serve: (db: string) => ServerProcess;
} {
  const dir = mkdtempSync(join(tmpdir(), `fto-${options.name}-`));
  let a: MastodonInstance | undefined;
  beforeAll(async () => {
    a = await startMastodonInstance({ domain: 'a.example', rateLimit: false });
    for (let n = 0; n < options.posts; n++)
      a.post({
        account: { username: `u${n % options.accounts}` },
        text: `#YourTurn ${backfillCities[n % backfillCities.length]}`,
        createdAt: Date.now() - (options.posts - n) * 600_000,
      });
    a.setFault({ kind: 'delay', ms: options.delayMs }, '/api/v1/timelines/tag/');
  }, options.setupTimeoutMs);
  afterAll(async () => {
    await a?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const instance = () => {
    if (!a) throw new Error('slowBackfillWorld: the instance starts in beforeAll');
    return a;
  };
  return {
    dir,
    instance,
    serve: (db) =>
      spawnServe([
        ...['--instance', instance().url, '--db', db],
        ...['--backfill-posts', String(options.posts), '--backfill-days', '3650'],
        ...['--poll-interval', String(options.pollIntervalMs)],
      ]),
  };
}
