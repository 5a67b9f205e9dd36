import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this file with a package.json (works from server/ and dist/server/). */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
})();

/** Where the built web client lives. */
export const clientDir = join(packageRoot, 'dist', 'client');

/** Default location of the SQLite database. */
export const defaultDbPath = join(packageRoot, 'data', 'find-the-others.db');

/** Where `npm run build` puts the offline gazetteer. */
export function defaultGazetteerPath(): string {
  return join(packageRoot, 'data', 'gazetteer.db');
}
