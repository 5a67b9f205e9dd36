import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import { startDemoBluesky } from './demo/bluesky/start-demo-bluesky.js';
import { startDemoFediverse } from './demo/start-demo-fediverse.js';
import { startServer, type RunningServer } from './main.js';
import { defaultDbPath, packageRoot } from './paths.js';

const demoDbPath = join(packageRoot, 'data', 'demo.db');

/**
 * `find-the-others demo`: local Mastodon-compatible instances replay a sample campaign into the
 * real collector, store and map. Nothing leaves this machine: the map draws the bundled world
 * outline unless tiles are asked for (`--tiles URL`).
 */
export async function startDemo(config: Config, { log }: { log: Logger }): Promise<RunningServer> {
  const tag = config.tags[0]!;
  // A fresh demo database every run, so the map fills from empty while you watch.
  const dbPath = config.dbPath === defaultDbPath ? demoDbPath : config.dbPath;
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });

  let lastShown = -1;
  const fediverse = await startDemoFediverse({
    tag,
    onProgress(done, total) {
      const percent = Math.floor((done / total) * 10) * 10;
      if (percent !== lastShown) {
        lastShown = percent;
        log.info(`demo: ${done}/${total} sample posts published (${percent}%)`);
      }
    },
  });
  log.info(
    `demo: ${fediverse.instances.length} local instances (${fediverse.sources.map((s) => `${s.domain} at ${s.url}`).join(', ')}) replaying a sample #${tag} campaign`,
  );

  // Bluesky too, unless --no-bluesky: a local Jetstream and AppView with sample authors.
  const demoBluesky = config.bluesky.switchedOff ? null : await startDemoBluesky({ tag });
  if (demoBluesky)
    log.info(
      `demo: a local Bluesky (Jetstream ${demoBluesky.jetstream.url}, AppView ${demoBluesky.appView.url})`,
    );

  let server: RunningServer;
  try {
    server = await startServer(
      {
        ...config,
        dbPath,
        instances: fediverse.sources.map((s) => s.url),
        pollIntervalMs: Math.min(config.pollIntervalMs, 2000), // local instances: poll often so pins arrive quickly
        // The sample authors' homes are local too: consent is asked of them, quickly.
        resolve: { ...fediverse.resolve, ...config.resolve },
        consent: { ...config.consent, paceMs: Math.min(config.consent.paceMs, 100) },
        bluesky: demoBluesky
          ? {
              ...config.bluesky,
              enabled: true,
              jetstreams: [demoBluesky.jetstream.url],
              appViews: [demoBluesky.appView.url],
            }
          : { ...config.bluesky, enabled: false },
      },
      { log, tokens: Object.fromEntries(fediverse.sources.map((s) => [s.url, s.token])) },
    );
  } catch (err) {
    await fediverse.close();
    await demoBluesky?.close();
    throw err;
  }
  fediverse.replay.done.then(() => log.info('demo: every sample post is out; the map stays live'));
  return {
    ...server,
    async close() {
      await fediverse.close();
      await demoBluesky?.close();
      await server.close();
    },
  };
}
