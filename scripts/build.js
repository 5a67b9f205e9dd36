// npm run build: compile the server, bundle the client, build the offline gazetteer.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const run = (cmd, args) => {
  const started = Date.now();
  process.stdout.write(`> ${cmd} ${args.join(' ')}\n`);
  try {
    execFileSync(cmd, args, { stdio: 'inherit', cwd: root });
  } catch {
    process.stderr.write(`build failed at: ${cmd} ${args.join(' ')} (see its output above)\n`);
    process.exit(1);
  }
  process.stdout.write(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
};
const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

run(bin('tsc'), ['-p', 'tsconfig.build.json']);
run(bin('vite'), ['build', '--logLevel', 'warn']);
// The moderation page at /admin, a build of its own (see vite.admin.config.ts).
run(bin('vite'), ['build', '--config', 'vite.admin.config.ts', '--logLevel', 'warn']);
// The widget: the same components as one file per format (see vite.widget.config.ts).
for (const mode of ['production', 'classic', 'embed'])
  run(bin('vite'), [
    'build',
    '--config',
    'vite.widget.config.ts',
    '--mode',
    mode,
    '--logLevel',
    'warn',
  ]);

const gazetteer = new URL('../data/gazetteer.db', import.meta.url);
const inputs = [
  '../data/aliases.tsv',
  '../data/local-codes.tsv',
  '../data/nicknames.tsv',
  '../server/geo/build-gazetteer.ts',
  '../server/geo/airport-codes.ts',
  '../server/geo/name-index.ts',
  '../server/geo/place-columns.ts',
  '../package-lock.json',
].map((p) => new URL(p, import.meta.url));
const stale =
  !existsSync(gazetteer) ||
  inputs.some((p) => existsSync(p) && statSync(p).mtimeMs > statSync(gazetteer).mtimeMs) ||
  process.argv.includes('--force');
if (stale)
  run(process.execPath, [
    new URL('../bin/find-the-others.js', import.meta.url).pathname,
    'build-gazetteer',
  ]);
else process.stdout.write('> gazetteer is up to date (data/gazetteer.db)\n');
