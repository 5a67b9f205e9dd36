import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const DIST = path.resolve('dist/client');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds the client unless dist/client is newer than every source file, so a test never runs
 * against a stale bundle (global setup only builds when dist is missing).
 */
export function ensureClientBuilt(): string {
  const index = path.join(DIST, 'index.html');
  const sources = Math.max(newestMtime(path.resolve('client')), statSync('vite.config.ts').mtimeMs);
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    execFileSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
  }
  return DIST;
}
