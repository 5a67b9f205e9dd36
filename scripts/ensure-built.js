// Before start/demo/bench: build when the build is missing or older than the sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = [
  'dist/server/cli.js',
  'dist/client/index.html',
  'dist/admin/admin.html',
  'data/gazetteer.db',
].map((p) => join(root, p));

function newest(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return max;
}

const missing = outputs.filter((p) => !existsSync(p));
const sources = Math.max(...['server', 'client', 'shared'].map((d) => newest(join(root, d))));
const built = missing.length ? 0 : Math.min(...outputs.map((p) => statSync(p).mtimeMs));
if (missing.length || sources > built) {
  process.stdout.write(
    missing.length ? 'First run: building (about a minute)…\n' : 'Sources changed: rebuilding…\n',
  );
  execFileSync(process.execPath, [join(root, 'scripts/build.js')], { stdio: 'inherit', cwd: root });
}
