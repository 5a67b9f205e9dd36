import { openDb, type Db } from '../../server/store/db.js';
import { PgDatabase } from '../../server/store/pg/database.js';
import { sharedClusterVariable } from './postgres.js';

/**
 * The store engine a test file runs on: SQLite, or PostgreSQL when FTO_TEST_STORE=postgres (the
 * `postgres` project in vite.config.ts runs the store, API and collector suites so). One suite,
 * two engines: a test opens its database with openTestDb and is otherwise the same.
 */
export const testStore: 'sqlite' | 'postgres' =
  process.env.FTO_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

const databases = new Map<string, string>();
let admin: PgDatabase | null = null;
const template = `template_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/**
 * The URL (or path) a test's database opens at: on PostgreSQL, a database of its own on the run's
 * cluster per SQLite path — the same path gives the same database (a test reopening its file
 * reopens it), and `:memory:` a new one each time. Migrated, unless `empty` (to test a first start).
 */
export function testDbPath(sqlitePath: string, options: { empty?: boolean } = {}): string {
  if (testStore === 'sqlite') return sqlitePath;
  const known = sqlitePath === ':memory:' ? undefined : databases.get(sqlitePath);
  if (known) return known;
  const adminUrl = process.env[sharedClusterVariable];
  if (!adminUrl)
    throw new Error(
      `FTO_TEST_STORE=postgres needs the run's cluster (${sharedClusterVariable}): run through vitest`,
    );
  const at = (name: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url;
  };
  if (!admin) {
    // One migrated database per test process, copied for each test (CREATE DATABASE … TEMPLATE
    // copies files, ~30 ms) rather than migrated each time (~300 ms).
    admin = new PgDatabase(adminUrl);
    admin.exec(`CREATE DATABASE ${template}`);
    openDb(at(template).href).close();
  }
  const name = `store_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  admin.exec(`CREATE DATABASE ${name}${options.empty ? '' : ` TEMPLATE ${template}`}`);
  const url = at(name);
  if (sqlitePath !== ':memory:') databases.set(sqlitePath, url.href);
  return url.href;
}

/** openDb on the engine this run tests. */
export function openTestDb(sqlitePath: string): Db {
  return openDb(testDbPath(sqlitePath));
}
