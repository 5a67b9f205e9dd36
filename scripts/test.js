// npm test: make sure Chromium and nginx are there (Debian's packages), build, then run every test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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
if (missing.length)
  aptInstall(missing, 'for the browser and balancer tests', 'CHROMIUM_PATH / NGINX_PATH');
process.env.CHROMIUM_PATH = findChromium() ?? '';
process.env.NGINX_PATH = findNginx() ?? '';

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
