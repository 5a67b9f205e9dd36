// npm test: make sure Chromium is there (Debian's package), build, then run every test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url);

function findChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH))
    return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    if (found) return found;
  }
  return null;
}

if (!findChromium()) {
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (...args) =>
    execFileSync(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  process.stdout.write(
    "Chromium is missing: installing Debian's chromium package for the browser tests…\n",
  );
  try {
    apt('update');
    apt('install', '-y', '--no-install-recommends', 'chromium');
  } catch {
    process.stderr.write(
      'Could not install chromium. Install it yourself (apt-get install chromium) or set CHROMIUM_PATH.\n',
    );
    process.exit(1);
  }
}
process.env.CHROMIUM_PATH = findChromium() ?? '';

execFileSync(process.execPath, [new URL('build.js', import.meta.url).pathname], {
  stdio: 'inherit',
  cwd: root,
});
const vitest = new URL('../node_modules/.bin/vitest', import.meta.url).pathname;
const result = spawnSync(vitest, ['run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
