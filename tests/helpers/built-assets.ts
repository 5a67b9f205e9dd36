import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const CLIENT_DIR = path.resolve('dist/client');
export const WIDGET_DIR = path.resolve('dist/widget');
export const ADMIN_DIR = path.resolve('dist/admin');

/** Newest modification time of the files under the given files and folders. */
function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const p of paths) {
    if (!statSync(p).isDirectory()) {
      newest = Math.max(newest, statSync(p).mtimeMs);
      continue;
    }
    for (const entry of readdirSync(p, { withFileTypes: true, recursive: true })) {
      if (entry.isFile())
        newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** Runs the Vite builds unless every output is newer than every source, so no test runs a stale bundle. */
function buildUnlessFresh(outputs: string[], sources: string[], builds: string[][]): void {
  const oldest = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  if (oldest >= newestMtime(sources)) return;
  for (const args of builds) {
    execFileSync('node_modules/.bin/vite', ['build', ...args, '--logLevel', 'warn'], {
      stdio: 'inherit',
      // Vitest's NODE_ENV=test would make Vite pick Lit's development build (bigger, warns).
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
}

/** The map page build (dist/client), rebuilt when client/, shared/ or its config changed. */
export function ensureClientBuilt(): string {
  buildUnlessFresh(
    [path.join(CLIENT_DIR, 'index.html')],
    ['client', 'shared', 'vite.config.ts'],
    [[]],
  );
  return CLIENT_DIR;
}

/** The moderation page build (dist/admin), rebuilt when client/, shared/ or its config changed. */
export function ensureAdminBuilt(): string {
  buildUnlessFresh(
    [path.join(ADMIN_DIR, 'admin.html')],
    ['client', 'shared', 'vite.admin.config.ts'],
    [['--config', 'vite.admin.config.ts']],
  );
  return ADMIN_DIR;
}

/** The widget builds (module, classic, embed page) in dist/widget. */
export function ensureWidgetBuilt(): string {
  buildUnlessFresh(
    [
      'widget.js',
      'widget.classic.js',
      'embed-page.js',
      'world-outline.json',
      'map-labels.json',
    ].map((f) => path.join(WIDGET_DIR, f)),
    ['client', 'shared', 'vite.widget.config.ts', 'scripts/map-assets.ts'],
    ['production', 'classic', 'embed'].map((mode) => [
      '--config',
      'vite.widget.config.ts',
      '--mode',
      mode,
    ]),
  );
  return WIDGET_DIR;
}
