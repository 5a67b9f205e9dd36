import type { Logger } from 'pino';
import { ConfigError, parseConfig, usage, type Config } from './config/index.js';
import { createLogger } from './log.js';
import { startServer, type RunningServer } from './main.js';

/** The `find-the-others` command. Returns the exit code for one-shot commands. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  if (argv[2] === 'moderators' || argv[2] === 'tokens') {
    const { teamCli } = await import('./team-cli.js');
    return teamCli(argv.slice(2), env);
  }
  let config: Config;
  try {
    config = parseConfig(env, argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(
        `find-the-others: ${err.message}\nRun "find-the-others --help" for the options.\n`,
      );
      return 2;
    }
    throw err;
  }
  const log = createLogger(
    config.logLevel,
    config.command === 'locate' ? process.stderr : process.stdout,
  );

  switch (config.command) {
    case 'help':
      process.stdout.write(usage);
      return 0;
    case 'build-gazetteer': {
      const { buildGazetteer } = await import('./geo/build-gazetteer.js');
      const result = await buildGazetteer({ log: (msg) => log.info(msg) });
      log.info(
        `gazetteer: ${result.places} places, ${result.names} names → ${result.outPath} in ${result.ms} ms`,
      );
      return 0;
    }
    case 'locate': {
      const { openGazetteer } = await import('./geo/gazetteer.js');
      const { createLocator } = await import('./geo/locator.js');
      const { runLocateCli } = await import('./geo/locate-cli.js');
      const result = await runLocateCli(
        process.stdin,
        process.stdout,
        createLocator(openGazetteer()),
        { campaignTags: config.tags },
      );
      return result.errors > 0 ? 1 : 0;
    }
    case 'backup': {
      const { openDb } = await import('./store/db.js');
      const db = openDb(config.dbPath);
      try {
        // SQLite's online backup: consistent even while a server writes to the same file.
        const { totalPages } = await db.backup(config.backupPath!);
        log.info(`backup: ${config.dbPath} → ${config.backupPath} (${totalPages} pages)`);
      } finally {
        db.close();
      }
      return 0;
    }
    case 'demo': {
      const { startDemo } = await import('./demo-command.js');
      const demo = await startDemo(config, { log });
      keepRunning(demo, log);
      return null;
    }
    case 'serve': {
      const server = await startServer(config, { log });
      keepRunning(server, log);
      return null;
    }
  }
}

function keepRunning(server: Pick<RunningServer, 'close'>, log: Logger) {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    log.info(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
