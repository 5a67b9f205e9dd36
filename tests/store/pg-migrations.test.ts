import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDb } from '../../server/store/db.js';
import { migrations } from '../../server/store/migrations.js';
import { pgMigrations } from '../../server/store/pg/migrations.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';

// The PostgreSQL schema (server/store/pg/migrations.ts) against SQLite's, the reference: the same
// tables, columns, indexes and triggers at every version, the same data after the data steps,
// and triggers that hold, hide and refuse the same rows.

type Row = Record<string, unknown>;

const int8 = 20;
/** bigint as a JS number, as better-sqlite3 gives an INTEGER: rows compare equal across the two. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

let database: TestDatabase;
let client: pg.Client;
const pgRows = async (sql: string) => (await client.query<Row>(sql)).rows;

/** Migrations from+1..to, each in its own transaction, as a store would apply them. */
async function applyPg(from: number, to: number): Promise<void> {
  for (let v = from + 1; v <= to; v++) {
    await client.query('BEGIN');
    try {
      await client.query(pgMigrations[v - 1]!);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw new Error(`Postgres migration ${v} failed: ${(err as Error).message}`);
    }
  }
}

/** An empty database again: everything the migrations made goes, citext included. */
async function resetPg(): Promise<void> {
  await client.query(
    'DROP SCHEMA public CASCADE; DROP EXTENSION IF EXISTS citext; CREATE SCHEMA public',
  );
}

function sqliteAt(version: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, version);
  return db;
}

beforeAll(async () => {
  database = await testDatabase('pgmig');
  client = new pg.Client({ connectionString: database.url, types });
  await client.connect();
}, 60_000);
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

/** Rows a database at schema 1 holds, in SQL both databases run: two posts, one seen by two sources. */
const seedV1 = `
  INSERT INTO campaigns VALUES ('yourturn', '2026-11-01T12:00:00.000Z');
  INSERT INTO accounts (acct, display_name, url, avatar, updated_at)
    VALUES ('ada@a.example', 'Ada', 'https://a.example/@ada', '', '2026-11-01T12:00:00.000Z');
  INSERT INTO places VALUES (2332459, 'Lagos', 'Lagos', 'NG', 6.45407, 3.39467, 9000000);
  INSERT INTO posts (id, uri, acct, url, content, created_at, place_id, first_seen_at)
    VALUES (1, 'https://a.example/s/1', 'ada@a.example', 'https://a.example/@ada/1', '<p>#YourTurn Lagos</p>',
      '2026-11-01T12:00:00.000Z', 2332459, '2026-11-01T12:00:01.000Z');
  INSERT INTO posts (id, uri, acct, url, content, created_at, place_id, first_seen_at)
    VALUES (2, 'https://a.example/s/2', 'ada@a.example', 'https://a.example/@ada/2', '<p>#YourTurn again</p>',
      '2026-11-01T13:00:00.000Z', NULL, '2026-11-01T13:00:01.000Z');
  INSERT INTO post_tags VALUES ('yourturn', 1);
  INSERT INTO post_tags VALUES ('yourturn', 2);
  INSERT INTO post_sources VALUES ('https://a.example', '1', 1);
  INSERT INTO post_sources VALUES ('https://a.example', '2', 2);
  INSERT INTO post_sources VALUES ('https://b.example', '77', 2);
  INSERT INTO contributors (tag, acct, post_id, place_id, joined_at, updated_at)
    VALUES ('yourturn', 'ada@a.example', 1, 2332459, '2026-11-01T12:00:00.000Z', '2026-11-01T12:00:00.000Z');
  INSERT INTO cursors VALUES ('https://a.example', 'yourturn', '1', '1', 1, 0, '2026-11-01T12:00:00.000Z');
  INSERT INTO events (tag, type, data, created_at) VALUES ('yourturn', 'contributor', '{}', '2026-11-01T12:00:00.000Z');`;

describe('the PostgreSQL migrations', () => {
  beforeEach(resetPg);

  it('are exactly as many as the SQLite migrations', () => {
    expect(pgMigrations).toHaveLength(migrations.length);
  });

  it('apply to an empty database, each in its own transaction', async () => {
    await applyPg(0, pgMigrations.length);
    const { rows } = await client.query<{ n: number }>('SELECT n FROM moderation_version');
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('bring a database at every version to the newest with the same rows as SQLite', async () => {
    const n = migrations.length;
    for (let from = 0; from <= n; from++) {
      await resetPg();
      await applyPg(0, from);
      const lite = sqliteAt(from);
      if (from >= 1) {
        lite.exec(seedV1);
        await client.query(seedV1);
      }
      migrate(lite);
      await applyPg(from, n);
      for (const table of tablesOf(lite)) {
        const order = columnsOf(lite, table)
          .map((_, i) => i + 1)
          .join(', ');
        const sql = `SELECT * FROM ${table} ORDER BY ${order}`;
        expect(await pgRows(sql), `${table} after migrating from ${from}`).toEqual(
          lite.prepare(sql).all(),
        );
      }
      lite.close();
      // The data steps had rows to work on: reach (6) and the queue's start (10).
      if (from >= 1 && from < 6)
        expect(await pgRows('SELECT * FROM reach_counts ORDER BY source')).toEqual([
          { source: '', posts_first: 1, posts_only: 0 },
          { source: 'https://a.example', posts_first: 1, posts_only: 1 },
        ]);
      if (from >= 1 && from < 10)
        expect(await pgRows('SELECT value FROM queue_settings')).toEqual([{ value: '2' }]);
    }
  });
});

describe('the PostgreSQL schema', () => {
  let lite: Database.Database;
  beforeAll(async () => {
    await resetPg();
    await applyPg(0, pgMigrations.length);
    lite = openDb(':memory:');
  });
  afterAll(() => lite?.close());

  it('has the tables of the SQLite schema, with their columns in order, types, NOT NULLs and defaults', async () => {
    const pgTables = await pgRows(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    expect(pgTables.map((r) => r.table_name)).toEqual(tablesOf(lite));
    for (const table of tablesOf(lite)) {
      const sql = lite
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
        .pluck()
        .get(table) as string;
      const expected = columnsOf(lite, table).map((c) => ({
        name: c.name,
        type: pgType(c, sql),
        // An INTEGER PRIMARY KEY is never NULL in SQLite either, though table_info says 0.
        notNull: c.notnull === 1 || c.pk > 0,
        default: c.dflt_value,
      }));
      const actual = (
        await client.query<{
          column_name: string;
          data_type: string;
          udt_name: string;
          is_nullable: string;
          column_default: string | null;
        }>(
          `SELECT column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
          [table],
        )
      ).rows.map((c) => ({
        name: c.column_name,
        type: c.data_type === 'USER-DEFINED' ? c.udt_name : c.data_type,
        notNull: c.is_nullable === 'NO',
        default: c.column_default?.replace(/::[a-z ]+$/, '') ?? null,
      }));
      expect(actual, table).toEqual(expected);
    }
  });

  it('has the indexes of the SQLite schema, by name and table, and no others beside keys', async () => {
    const liteIndexes = lite
      .prepare(
        'SELECT name, tbl_name AS "table" FROM sqlite_master WHERE type = \'index\' AND sql IS NOT NULL ORDER BY name',
      )
      .all();
    // Primary keys and UNIQUE constraints make their own indexes on both sides (sqlite_autoindex_…).
    const pgIndexes = await pgRows(`
      SELECT indexname AS name, tablename AS "table" FROM pg_indexes
      WHERE schemaname = 'public'
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace)
      ORDER BY indexname`);
    expect(pgIndexes).toEqual(liteIndexes);
    expect(liteIndexes.length).toBeGreaterThan(15);
  });

  it('has the UNIQUE constraints of the SQLite schema', async () => {
    // SQLite names an inline UNIQUE's index sqlite_autoindex_<table>_<n>; list their columns instead.
    const liteUnique = tablesOf(lite).flatMap((table) =>
      (
        lite.prepare('SELECT name, origin FROM pragma_index_list(?)').all(table) as {
          name: string;
          origin: string;
        }[]
      )
        .filter((i) => i.origin === 'u')
        .map((i) => {
          const cols = lite
            .prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno')
            .pluck()
            .all(i.name) as string[];
          return `${table}(${cols.join(', ')})`;
        }),
    );
    const pgUnique = (
      await pgRows(`
        SELECT conrelid::regclass::text || '(' || string_agg(a.attname, ', ' ORDER BY k.n) || ')' AS u
        FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.contype = 'u' AND c.connamespace = 'public'::regnamespace GROUP BY c.oid, conrelid`)
    ).map((r) => r.u);
    expect(pgUnique.sort()).toEqual(liteUnique.sort());
    expect(liteUnique).toContain('filters(tag, kind, value)');
  });

  it('has the triggers of the SQLite schema, by name and table', async () => {
    const liteTriggers = lite
      .prepare(
        'SELECT name, tbl_name AS "table" FROM sqlite_master WHERE type = \'trigger\' ORDER BY name',
      )
      .all();
    const pgTriggers = await pgRows(`
      SELECT tgname AS name, tgrelid::regclass::text AS "table" FROM pg_trigger
      WHERE NOT tgisinternal ORDER BY tgname`);
    expect(pgTriggers).toEqual(liteTriggers);
    expect(liteTriggers).toHaveLength(8);
  });
});

/** The Postgres type a SQLite column becomes (server/store/pg/migrations.ts, the file comment). */
function pgType(column: LiteColumn, tableSql: string): string {
  const type = column.type.toUpperCase();
  if (type === 'INTEGER' || type === 'BIGINT') return 'bigint';
  if (type === 'REAL') return 'double precision';
  if (type === 'TEXT') {
    const nocase = new RegExp(`\\b${column.name}\\s+TEXT\\b[^,\\n]*COLLATE NOCASE`, 'i');
    return nocase.test(tableSql) ? 'citext' : 'text';
  }
  throw new Error(`no Postgres type known for SQLite type "${column.type}" of ${column.name}`);
}

/** Tables of a SQLite database, its own sqlite_* ones left out. */
const tablesOf = (db: Database.Database) =>
  db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .pluck()
    .all() as string[];

interface LiteColumn {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}
const columnsOf = (db: Database.Database, table: string) =>
  db.prepare('SELECT * FROM pragma_table_info(?) ORDER BY cid').all(table) as LiteColumn[];
