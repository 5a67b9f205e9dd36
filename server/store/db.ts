import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations.js';

export type Db = Database.Database;

/** Open (creating if needed) the database, set pragmas and bring the schema up to date. */
export function openDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new Error(`cannot open database ${path}: ${(err as Error).message}`);
  }
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A million contributors is ~900 MB: map it and keep hot index pages cached, so reads skip syscalls.
  db.pragma('mmap_size = 1073741824');
  db.pragma('cache_size = -65536');
  migrate(db);
  return db;
}

/** Apply every migration newer than the database's user_version, each in its own transaction. */
export function migrate(db: Db, target = migrations.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this program knows (${migrations.length}); upgrade find-the-others`,
    );
  }
  for (let version = current + 1; version <= target; version++) {
    db.transaction(() => {
      db.exec(migrations[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
