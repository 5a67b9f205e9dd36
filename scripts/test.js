// npm test: make sure Chromium, nginx and PostgreSQL are there (Debian's packages), build, then run
// every test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

const root = new URL('..', import.meta.url);

/** The first of `names` on PATH or in `dirs` (nginx lives in /usr/sbin, which a non-root PATH lacks). */
function findCommand(names, dirs = []) {
  for (const name of names) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    if (found) return found;
    for (const dir of dirs) if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return null;
}

const findChromium = () =>
  process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)
    ? process.env.CHROMIUM_PATH
    : findCommand(['chromium', 'chromium-browser']);
const findNginx = () =>
  process.env.NGINX_PATH && existsSync(process.env.NGINX_PATH)
    ? process.env.NGINX_PATH
    : findCommand(['nginx'], ['/usr/sbin', '/usr/local/sbin']);
/** The directory of initdb: $PG_BIN, PATH, or Debian's /usr/lib/postgresql/<version>/bin (off PATH). */
function findPostgresBin() {
  if (process.env.PG_BIN && existsSync(`${process.env.PG_BIN}/initdb`)) return process.env.PG_BIN;
  const onPath = findCommand(['initdb']);
  if (onPath) return dirname(realpathSync(onPath)); // pg_ctl and postgres sit beside the real one
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const newest = readdirSync(root)
    .filter((v) => existsSync(`${root}/${v}/bin/initdb`))
    .sort((a, b) => Number(b) - Number(a))[0];
  return newest ? `${root}/${newest}/bin` : null;
}

/** apt-get install what is missing, as root or through sudo; exits naming the package when it cannot. */
function aptInstall(packages, why, variable) {
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (...args) =>
    execFileSync(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  process.stdout.write(`Missing ${packages.join(' and ')}: installing Debian's packages ${why}…\n`);
  try {
    apt('update');
    apt('install', '-y', '--no-install-recommends', ...packages);
  } catch {
    process.stderr.write(
      `Could not install ${packages.join(' ')}. Install it yourself (apt-get install ${packages.join(' ')}) or set ${variable}.\n`,
    );
    process.exit(1);
  }
}

const missing = [];
if (!findChromium()) missing.push('chromium');
// nginx is the balancer in front of several servers (tests/helpers/balancer.ts). Only its binary
// is used, with a private config: a system nginx service is neither needed nor touched.
if (!findNginx()) missing.push('nginx');
// PostgreSQL: tests/global-setup.ts starts a private cluster (initdb in a temporary directory, as
// the postgres user when root) for the run. The system service the package sets up is not used.
if (!findPostgresBin()) missing.push('postgresql');
if (missing.length)
  aptInstall(
    missing,
    'for the browser, balancer and PostgreSQL tests',
    'CHROMIUM_PATH / NGINX_PATH / PG_BIN',
  );
process.env.CHROMIUM_PATH = findChromium() ?? '';
process.env.NGINX_PATH = findNginx() ?? '';
process.env.PG_BIN = findPostgresBin() ?? '';

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
