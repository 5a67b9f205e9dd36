// A private PostgreSQL cluster for a test run: initdb (or a copy of an earlier initdb's cluster)
// in a fresh directory (in /dev/shm when there is one), started on a free loopback port and a
// unix socket in that directory, trust auth, every durability setting off. Nothing is shared
// with a system PostgreSQL: no config, no port, no data directory.
//
// initdb and postgres refuse to run as root, so as root every PostgreSQL command runs as the
// `postgres` OS user (Debian's package makes it) through runuser, on a directory chowned to it.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  appendFileSync,
  constants,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './listen.js';

const run = promisify(execFile);

/** A running private cluster. */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/<database>`: the database made for the test. */
  url: string;
  /** The same cluster's `postgres` maintenance database, to create or drop other databases. */
  adminUrl: string;
  port: number;
  /** The cluster's own directory: `data/`, the unix socket, `postgres.log`, `owner.pid`. */
  dir: string;
  /** The database made for the test. */
  database: string;
  /** The postmaster's process id. */
  pid: number;
  /** Stops the server at once (`pg_ctl stop -m immediate`) and removes the directory. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** The database to create for the test. */
  database?: string;
  /**
   * postgresql.conf settings laid over the throwaway defaults (values as written in the file,
   * strings quoted: `{ shared_buffers: "'512MB'", fsync: 'on' }`); a benchmark gives a real
   * server's durability this way.
   */
  settings?: Record<string, string>;
  /**
   * Directory to make the cluster in, instead of clusterRoot()'s (/dev/shm): disk, for a
   * benchmark. As root, the `postgres` OS user must be able to enter it.
   */
  root?: string;
}

const defaults = {
  database: 'fto_test', // created on start, owned by the `postgres` superuser
  osUser: 'postgres', // who runs initdb and postgres when this process is root
  startTimeoutS: 30, // pg_ctl -w gives up after this; a normal start takes well under a second
  portTries: 3, // another process may take the free port before postgres binds it
  memoryDir: '/dev/shm', // where clusters go when it is there (see clusterRoot)
  staleAfterMs: 60 * 60_000, // a directory this old whose owner process is gone is a crashed run's
  // Settings for a throwaway cluster: nothing here needs to survive a crash of the machine.
  settings: {
    listen_addresses: "'127.0.0.1'", // loopback only; the unix socket is in the cluster's dir
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    wal_level: 'minimal', // no replication, so less WAL
    max_wal_senders: '0', // required by wal_level = minimal
    autovacuum: 'off', // no background work competing with the tests for the two cores
    shared_buffers: "'32MB'",
    max_connections: '50',
    log_min_messages: 'warning',
  } as Record<string, string>,
};

/** The directory holding initdb, pg_ctl and postgres, or null when PostgreSQL is not installed. */
export function findPostgresBin(): string | null {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (found) return dirname(realpathSync(found)); // pg_ctl and postgres sit beside the real one
  // Debian keeps the server's programs off PATH, one directory per major version.
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  return newest ? join(root, newest, 'bin') : null;
}

const isRoot = () => process.getuid?.() === 0;

/** argv for one PostgreSQL program, run as the `postgres` OS user when this process is root. */
function asOwner(bin: string, program: string, args: string[]): [string, string[]] {
  const path = join(bin, program);
  return isRoot() ? ['runuser', ['-u', defaults.osUser, '--', path, ...args]] : [path, args];
}

/**
 * Where clusters live: $FTO_TEST_PG_TMP, else /dev/shm (memory: a cluster's 40 MB copy takes 0.08 s
 * there against 0.9 s on this machine's disk, and nothing in it must outlive the run), else the
 * temporary directory.
 */
function clusterRoot(): string {
  const fromEnv = process.env.FTO_TEST_PG_TMP;
  if (fromEnv) return fromEnv;
  try {
    accessSync(defaults.memoryDir, constants.W_OK | constants.X_OK);
    if (statSync(defaults.memoryDir).isDirectory()) return defaults.memoryDir;
  } catch {
    // no /dev/shm here, or not ours to write
  }
  return tmpdir();
}

/** `pg_ctl stop -m immediate`, waiting until the server is gone; quiet when it already is. */
function stopSync(bin: string, data: string, cwd: string): void {
  const [file, argv] = asOwner(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
  spawnSync(file, argv, { cwd, stdio: 'ignore' });
}

/** Starts a private cluster; see the file comment. Rejects, quoting PostgreSQL's log, when it cannot. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresCluster> {
  const database = options.database ?? defaults.database;
  if (!/^[a-z_][a-z0-9_]*$/.test(database))
    throw new Error(`startPostgres: database "${database}" is not a plain lower-case identifier`);
  const bin = findPostgresBin();
  if (!bin)
    throw new Error(
      'startPostgres: no initdb on PATH, in $PG_BIN or in /usr/lib/postgresql/*/bin: install Debian\'s "postgresql" (npm test does)',
    );
  sweepStaleClusters(bin);

  const dir = mkdtempSync(join(options.root ?? clusterRoot(), 'fto-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  if (isRoot()) {
    const { uid, gid } = lookupUser(defaults.osUser);
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'owner.pid'), uid, gid);
  }
  const exec = (program: string, args: string[]) => {
    const [file, argv] = asOwner(bin, program, args);
    // cwd: the postgres user may not be allowed into this process's working directory.
    return run(file, argv, { cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
  };

  let started = false;
  try {
    await makeDataDir(bin, data, exec);
    let port = 0;
    for (let attempt = 1; !started; attempt++) {
      port = await freePort();
      const settings = {
        ...defaults.settings,
        ...options.settings,
        port: String(port),
        unix_socket_directories: `'${dir}'`,
      };
      // Later lines win in postgresql.conf, so a retry's port replaces the last one.
      appendFileSync(
        join(data, 'postgresql.conf'),
        `\n${Object.entries(settings)
          .map(([k, v]) => `${k} = ${v}`)
          .join('\n')}\n`,
      );
      try {
        await exec('pg_ctl', [
          'start',
          '-D',
          data,
          '-l',
          log,
          '-w',
          '-t',
          String(defaults.startTimeoutS),
        ]);
        started = true;
      } catch (err) {
        const portTaken = readLog(log).includes('could not bind');
        if (!portTaken || attempt >= defaults.portTries)
          throw new Error(`startPostgres: pg_ctl start failed: ${describe(err)}\n${readLog(log)}`);
      }
    }
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await createDatabase(adminUrl, database);

    let stopped = false;
    const stopNow = () => {
      if (stopped) return;
      stopped = true;
      process.off('exit', stopNow);
      stopSync(bin, data, dir);
      rmSync(dir, { recursive: true, force: true });
    };
    // A test run that ends without calling stop() (a crash, an interrupted run) still stops it.
    process.on('exit', stopNow);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/${database}`,
      adminUrl,
      port,
      dir,
      database,
      pid,
      async stop() {
        if (stopped) return;
        stopped = true;
        process.off('exit', stopNow);
        await exec('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => {
          // already gone (killed by hand or by a test): the directory still goes
        });
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (started) stopSync(bin, data, dir);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * A new cluster in `data`: a copy of this machine's template cluster (one per PostgreSQL
 * installation and OS user, beside the clusters), made by initdb the first time. initdb is most
 * of a first start (0.8 s on /dev/shm, 2-4 s on disk on this busy 2-core machine, against 0.08 s
 * to copy its 40 MB), and every cluster it makes with the same arguments is the same.
 */
async function makeDataDir(
  bin: string,
  data: string,
  exec: (program: string, args: string[]) => Promise<unknown>,
): Promise<void> {
  const key = createHash('sha256').update(bin).digest('hex').slice(0, 12);
  const template = join(clusterRoot(), `fto-pgtemplate-${key}-${process.getuid?.() ?? 'user'}`);
  if (trustedTemplate(template) && existsSync(join(template, 'PG_VERSION'))) {
    await run('cp', ['-a', template, data]); // -a: keeps the postgres owner and the 0700 mode
    return;
  }
  await exec('initdb', [
    '-D',
    data,
    '--username=postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ]).catch((err: unknown) => {
    throw new Error(`startPostgres: initdb failed: ${describe(err)}`);
  });
  // Publish it whole or not at all: rename is atomic, and fails if another run got there first.
  const staging = `${template}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`;
  try {
    await run('cp', ['-a', data, staging]);
    renameSync(staging, template);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Only a template this run's own cluster user made is copied: /tmp is shared, and a directory
 * someone else put under that name would run their configuration as the postgres user.
 */
function trustedTemplate(template: string): boolean {
  if (!existsSync(template)) return false;
  const owner = isRoot() ? lookupUser(defaults.osUser).uid : process.getuid?.();
  const { uid, mode } = statSync(template);
  return uid === owner && (mode & 0o077) === 0;
}

/** `CREATE DATABASE name` on the cluster behind `adminUrl`. */
export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** Environment variable through which tests/global-setup.ts hands the run's shared cluster to test files. */
export const sharedClusterVariable = 'FTO_TEST_POSTGRES_ADMIN_URL';

/** A database of one's own, on the run's shared cluster, or on a private one when there is none. */
export interface TestDatabase {
  url: string;
  /** Drops the database (or stops the private cluster). */
  drop(): Promise<void>;
}

/**
 * A new database for one test file: on the cluster tests/global-setup.ts started for the whole
 * run (its admin URL in FTO_TEST_POSTGRES_ADMIN_URL), so a file adds a CREATE DATABASE
 * (0.1-0.25 s), not a server; outside such a run (no variable), on a private cluster of its own.
 */
export async function testDatabase(prefix = 'fto'): Promise<TestDatabase> {
  const adminUrl = process.env[sharedClusterVariable];
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  if (!adminUrl) {
    const cluster = await startPostgres({ database: name });
    return { url: cluster.url, drop: () => cluster.stop() };
  }
  await createDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

function lookupUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line)
    throw new Error(
      `startPostgres: running as root, and there is no "${name}" user to run PostgreSQL as (Debian's postgresql package makes it)`,
    );
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Removes the clusters of crashed runs: directories older than an hour whose owning process is
 * gone, stopping their server first if it still runs. A live run's cluster is never touched.
 */
function sweepStaleClusters(bin: string): void {
  const root = clusterRoot();
  for (const name of readdirSync(root)) {
    if (!name.startsWith('fto-pg-')) continue;
    const dir = join(root, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs < defaults.staleAfterMs) continue;
      const owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
      if (alive(owner)) continue;
      if (existsSync(join(dir, 'data', 'postmaster.pid'))) stopSync(bin, join(dir, 'data'), root);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours to judge (no owner file, another user's): leave it
    }
  }
}

/**
 * True while a process with this id runs. A zombie (exited, not yet reaped by init: the
 * postmaster's parent is gone once pg_ctl returns) counts as gone.
 */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // "pid (comm) S …": the state is the first field after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat'); // gone, or no /proc to ask (then trust kill)
  }
}

const readLog = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim() : '');

function describe(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(err)).slice(0, 2000);
}
