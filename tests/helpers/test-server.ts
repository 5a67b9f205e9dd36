import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from '../../server/config/index.js';
import { startServer, type RunningServer, type StartOptions } from '../../server/main.js';
import { locator } from './collector-harness.js';
import { blueskyOffUnlessNamed } from './bluesky-off.js';
import { testHomeArgs } from './mastodon-instance.js';

/** How a test wants the real server: what it follows, where it keeps its file, and any extras. */
export interface TestServerOptions {
  /** Test instances to follow (their URLs). */
  instances: string[];
  /** Campaign hashtags (default: yourturn). */
  tags?: string[];
  /** The folder for the SQLite file; the file is `<name>.db` in it. */
  dir: string;
  name: string;
  /** Environment variables on top of FTO_TILE_URL=none and a 200 ms poll. */
  env?: Record<string, string>;
  /** More `serve` flags. */
  args?: string[];
  /** Per-instance tokens (turns streaming on). */
  tokens?: StartOptions['tokens'];
  /** The port (default: a free one); a restarted server reuses its predecessor's. */
  port?: number;
  /** More for startServer (a small event log…). */
  start?: Partial<StartOptions>;
}

/**
 * The real server in this process, on a free loopback port, silent, offline map tiles, with the
 * tests' shared locator: what every end-to-end test starts in the same way.
 */
export function startTestServer(opts: TestServerOptions): Promise<RunningServer> {
  const config = parseConfig({ FTO_TILE_URL: 'none', FTO_POLL_INTERVAL_MS: '200', ...opts.env }, [
    ...['node', 'find-the-others', 'serve'],
    ...(opts.tags ?? ['yourturn']).flatMap((t) => ['--tag', t]),
    ...opts.instances.flatMap((url) => ['--instance', url]),
    ...['--db', join(opts.dir, `${opts.name}.db`), '--port', String(opts.port ?? 0)],
    ...['--host', '127.0.0.1'],
    // The test instances are the homes of the test authors: consent is asked of them on loopback.
    ...testHomeArgs(),
    ...(opts.args ?? []),
    ...blueskyOffUnlessNamed(opts.args ?? [], opts.env),
  ]);
  return startServer(config, {
    log: pino({ level: 'silent' }),
    locator: locator(),
    ...(opts.tokens ? { tokens: opts.tokens } : {}),
    ...opts.start,
  });
}

/** The campaign summary, polled until `done` says so (the collector backfills in the background). */
export async function waitForCampaign<T extends object>(
  server: RunningServer | string,
  tag: string,
  done: (summary: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const base = typeof server === 'string' ? server : server.url;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${base}/api/campaigns/${tag}`);
    const body = res.ok ? ((await res.json()) as T) : null;
    if (body && done(body)) return body;
    if (Date.now() > deadline)
      throw new Error(`GET /api/campaigns/${tag}: ${res.status} ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Wait until each campaign has exactly this many people on its map. */
export async function waitForContributors(
  server: RunningServer | string,
  counts: Record<string, number>,
  timeoutMs = 15_000,
): Promise<void> {
  for (const [tag, n] of Object.entries(counts))
    await waitForCampaign<{ contributors: number }>(
      server,
      tag,
      (c) => c.contributors === n,
      timeoutMs,
    );
}
