import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations.js';
import { PgDatabase, withoutCredentials } from './pg/database.js';
import { pgMigrations } from './pg/migrations.js';

export type Db = Database.Database;

/** True for a `postgres://` or `postgresql://` URL: the PostgreSQL store (`--db`, `FTO_DB`). */
export function isPostgresUrl(path: string): boolean {
  return /^postgres(ql)?:\/\//i.test(path);
}

/**
 * Open (creating if needed) the database, set pragmas and bring the schema up to date. A
 * `postgres://` URL opens the PostgreSQL store instead: the same statements and the same
 * migrations' PostgreSQL twins, through better-sqlite3's interface (server/store/pg/database.ts).
 */
export function openDb(path: string): Db {
  if (isPostgresUrl(path)) return openPostgres(path);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new Error(`cannot open database ${path}: ${(err as Error).message}`);
  }
  // First: another process opening the same file at the same moment makes us wait, not fail.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A million contributors is ~900 MB: map it and keep hot index pages cached, so reads skip syscalls.
  db.pragma('mmap_size = 1073741824');
  db.pragma('cache_size = -65536');
  migrate(db);
  return db;
}

/**
 * Apply every migration newer than the database's user_version, each in its own transaction.
 * Several processes may start on one file at once: each step takes the write lock first and
 * reads the version again under it, so a step another process has just applied is skipped.
 */
export function migrate(db: Db, target = migrations.length): void {
  applySteps(db, migrations, target, {
    version: () => db.pragma('user_version', { simple: true }) as number,
    setVersion: (n) => db.pragma(`user_version = ${n}`),
  });
}

/** The migration loop both engines share: each step under the write lock, skipped if done. */
function applySteps(
  db: Pick<Db, 'exec' | 'transaction'>,
  steps: string[],
  target: number,
  schema: { version: () => number; setVersion: (n: number) => void },
): void {
  const current = schema.version();
  if (current > steps.length) {
    throw new Error(
      `database schema version ${current} is newer than this program knows (${steps.length}); upgrade find-the-others`,
    );
  }
  for (let next = current + 1; next <= target; next++) {
    db.transaction(() => {
      if (schema.version() >= next) return;
      db.exec(steps[next - 1]!);
      schema.setVersion(next);
    }).immediate();
  }
}

/** The PostgreSQL store: connect, and apply the migrations it lacks under the write lock. */
function openPostgres(url: string): Db {
  let db: PgDatabase;
  try {
    db = new PgDatabase(url);
  } catch (err) {
    throw new Error(`cannot open database ${withoutCredentials(url)}: ${(err as Error).message}`);
  }
  try {
    migratePostgres(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db as unknown as Db;
}

/** As migrate(), with a one-row `schema_version` table in place of SQLite's user_version. */
export function migratePostgres(db: PgDatabase, target = pgMigrations.length): void {
  const version = () =>
    (db.prepare('SELECT version FROM schema_version').pluck().get() as number | undefined) ?? 0;
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version bigint NOT NULL)');
    if (db.prepare('SELECT count(*) FROM schema_version').pluck().get() === 0) {
      db.exec('INSERT INTO schema_version VALUES (0)');
    }
  }).immediate();
  applySteps(db as unknown as Db, pgMigrations, target, {
    version,
    setVersion: (n) => db.exec(`UPDATE schema_version SET version = ${n}`),
  });
}
