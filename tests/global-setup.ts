import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findPostgresBin, sharedClusterVariable, startPostgres } from './helpers/postgres.js';

/** The module that refuses and records every connection that would leave this machine. */
export const offlineGuard = join(import.meta.dirname, 'helpers', 'offline-guard.js');

// `npm test` builds first; this covers running `npx vitest` directly on a fresh checkout.
export default async function setup(): Promise<() => Promise<void>> {
  if (!existsSync('data/gazetteer.db')) {
    const { buildGazetteer } = await import('../server/geo/build-gazetteer.js');
    await buildGazetteer();
  }
  if (existsSync('client/index.html') && !existsSync('dist/client/index.html')) {
    execFileSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
  }
  // Every map without tiles fetches its labels (and flags) from the widget build's folder.
  if (existsSync('vite.widget.config.ts') && !existsSync('dist/widget/map-labels.json')) {
    execFileSync(
      'node_modules/.bin/vite',
      ['build', '--config', 'vite.widget.config.ts', '--logLevel', 'warn'],
      { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
    );
  }
  const stopPostgres = await sharePostgres();
  const checkTheNetwork = guardTheNetwork();
  return async () => {
    await stopPostgres();
    checkTheNetwork();
  };
}

/**
 * One PostgreSQL cluster for the whole run, rather than one server per test file side by side
 * (a database on it is 0.1-0.25 s): its admin URL goes to every worker in
 * FTO_TEST_POSTGRES_ADMIN_URL, and each test file makes its own database there
 * (tests/helpers/postgres.ts `testDatabase`). Skipped where PostgreSQL is not installed
 * (`npm test` installs it), and when the caller already gave one.
 */
async function sharePostgres(): Promise<() => Promise<void>> {
  if (process.env[sharedClusterVariable] || !findPostgresBin()) return async () => {};
  const cluster = await startPostgres({ database: 'fto_shared' });
  process.env[sharedClusterVariable] = cluster.adminUrl;
  return async () => {
    delete process.env[sharedClusterVariable];
    await cluster.stop();
  };
}

/**
 * No test reaches the internet: every worker, and every process a test starts (they inherit the
 * environment), loads the offline guard through NODE_OPTIONS. Whatever it refused fails the run.
 */
function guardTheNetwork(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'fto-offline-'));
  const log = join(dir, 'attempts.jsonl');
  writeFileSync(log, '');
  process.env.FTO_OFFLINE_GUARD_LOG = log;
  const flag = `--import=${pathToFileURL(offlineGuard).href}`;
  const options = process.env.NODE_OPTIONS ?? '';
  // Watch mode runs this again in the same process: add the flag once.
  if (!options.includes(flag)) process.env.NODE_OPTIONS = `${options} ${flag}`.trim();
  return () => {
    const attempts = readFileSync(log, 'utf8').trim();
    rmSync(dir, { recursive: true, force: true });
    if (!attempts) return;
    const lines = attempts.split('\n').map((line) => {
      const a = JSON.parse(line) as {
        kind: string;
        host: string;
        port?: number;
        script: string;
        stack: string[];
      };
      return `  ${a.kind} ${a.host}${a.port ? `:${a.port}` : ''} from ${a.script}\n      ${a.stack.join('\n      ')}`;
    });
    const message = `Tests tried to reach the internet (${lines.length} attempt(s), all refused):\n${lines.join('\n')}`;
    process.exitCode = 1;
    throw new Error(message);
  };
}
