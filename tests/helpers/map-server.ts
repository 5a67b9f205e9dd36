import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer, StartOptions } from '../../server/main.js';
import type { AccountInput } from '../../server/demo/mastodon/index.js';
import { startMastodonInstance, type MastodonInstance } from './mastodon-instance.js';
import { startTestServer, waitForContributors } from './test-server.js';

export interface MapWorldOptions {
  /** The test instance's domain, e.g. "map.example". */
  domain: string;
  /** Posts on the instance before the server starts: [username, text, more about the account]. */
  posts: [username: string, text: string, account?: Partial<AccountInput>][];
  /** Campaign tags the server follows; default ["yourturn"]. */
  tags?: string[];
  /** How many people each campaign has once every post is located: startMapWorld waits for it. */
  expect: Record<string, number>;
  /** Extra environment for parseConfig (FTO_ADMIN_TOKEN…). */
  env?: Record<string, string>;
  /** The config file's content (campaign identities…), written next to the database. */
  config?: object;
  /** Passed to startServer (a small event log…). */
  start?: Partial<StartOptions>;
}

export interface MapWorld {
  instance: MastodonInstance;
  /** The running server; replaced by `start()`. */
  server: RunningServer;
  /** The server's database file. */
  db: string;
  /** Stops the server (the instance and the database stay). */
  stop(): Promise<void>;
  /** Starts the server again on the same port and database. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real server (in this process) following a test Mastodon instance, with a database in a
 * temporary folder, started once every post is located; no tiles, polling every 200 ms.
 */
export async function startMapWorld(options: MapWorldOptions): Promise<MapWorld> {
  const dir = mkdtempSync(join(tmpdir(), `fto-${options.domain}-`));
  const db = join(dir, 'map.db');
  const instance = await startMastodonInstance({ domain: options.domain, rateLimit: false });
  for (const [username, text, account] of options.posts) {
    instance.post({ account: { username, displayName: username, ...account }, text });
  }
  const configArgs: string[] = [];
  if (options.config) {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(options.config));
    configArgs.push('--config', file);
  }
  let port = 0;
  let server: RunningServer | null = null;
  const start = async () => {
    server = await startTestServer({
      instances: [instance.url],
      ...(options.tags ? { tags: options.tags } : {}),
      dir,
      name: 'map',
      ...(options.env ? { env: options.env } : {}),
      args: configArgs,
      port,
      ...(options.start ? { start: options.start } : {}),
    });
    port = Number(new URL(server.url).port);
  };
  const stop = async () => {
    await server?.close();
    server = null;
  };
  await start();
  await waitForContributors(server!.url, options.expect);
  return {
    instance,
    get server() {
      if (!server) throw new Error('the server is stopped');
      return server;
    },
    db,
    stop,
    start,
    async close() {
      await stop();
      await instance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
