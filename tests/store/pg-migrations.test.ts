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

/** Both databases at the newest schema, fed the same SQL. */
const both = {
  lite: null as unknown as Database.Database,
  async reset() {
    this.lite?.close();
    this.lite = sqliteAt(migrations.length);
    await resetPg();
    await applyPg(0, pgMigrations.length);
  },
  async exec(sql: string) {
    this.lite.exec(sql);
    await client.query(sql);
  },
  /** The rows of one query on each: `{ lite, pg }`. */
  async rows(sql: string) {
    return { lite: this.lite.prepare(sql).all() as Row[], pg: await pgRows(sql) };
  },
  /** The error each database raises for `sql` (undefined when it runs). */
  async errors(sql: string) {
    const message = (run: () => unknown) => {
      try {
        run();
      } catch (err) {
        return (err as Error).message;
      }
      return undefined;
    };
    let pgError: string | undefined;
    await client.query(sql).catch((err: Error) => (pgError = err.message));
    return { lite: message(() => this.lite.exec(sql)), pg: pgError };
  },
};

const accountSql = (acct: string) => `
  INSERT INTO accounts (acct, display_name, url, avatar, updated_at)
    VALUES ('${acct}', '', 'https://example/${acct}', '', '2026-11-01T12:00:00.000Z');`;
const postSql = (id: number, acct: string, content: string, spoiler = '') => `
  INSERT INTO posts (id, uri, acct, url, content, spoiler_text, created_at, first_seen_at)
    VALUES (${id}, 'https://example/s/${id}', '${acct}', 'https://example/p/${id}', '${content}', '${spoiler}',
      '2026-11-01T12:00:00.000Z', '2026-11-01T12:00:00.000Z');`;
const tagSql = (id: number, tag = 'yourturn') =>
  `INSERT INTO post_tags (tag, post_id) VALUES ('${tag}', ${id});`;
const filterSql = (kind: string, value: string, action: string, tag = 'yourturn') => `
  INSERT INTO filters (tag, kind, value, action, created_by, created_at)
    VALUES ('${tag}', '${kind}', '${value}', '${action}', 'cli', '2026-11-01T12:00:00.000Z');`;
/** Accounts and posts (not yet tagged): [id, acct, content, spoiler?]. */
const postsSql = (posts: [number, string, string, string?][]) =>
  [...new Set(posts.map((p) => p[1]))].map(accountSql).join('') +
  posts.map(([id, acct, content, spoiler]) => postSql(id, acct, content, spoiler)).join('');

const isoMs = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** What the triggers decide, read the same from both; times only checked for their shape. */
async function outcome() {
  const read = async (sql: string) => {
    const { lite, pg } = await both.rows(sql);
    expect(pg, sql).toEqual(lite);
    return lite;
  };
  for (const sql of [
    'SELECT created_at AS t FROM hidden_posts',
    'SELECT created_at AS t FROM held_posts',
    'SELECT at AS t FROM audit_log',
  ])
    for (const { t } of (await both.rows(sql)).pg) expect(t).toMatch(isoMs);
  return {
    hidden: (await read('SELECT post_id FROM hidden_posts ORDER BY post_id')).map((r) => r.post_id),
    held: await read('SELECT post_id, tag, acct, reason FROM held_posts ORDER BY post_id'),
    audit: await read('SELECT actor, action, target, detail, note FROM audit_log ORDER BY id'),
  };
}

describe('the PostgreSQL triggers, beside their SQLite originals', () => {
  beforeEach(() => both.reset());
  afterAll(() => both.lite?.close());

  it('audit_log_append_only_*: the audit log refuses UPDATE and DELETE with the same message and keeps its row', async () => {
    await both.exec(`INSERT INTO audit_log (at, actor, action, target, detail, note)
      VALUES ('2026-11-01T12:00:00.000Z', 'cli', 'account.hide', 'ada@a.example', NULL, 'spam')`);
    for (const sql of [
      "UPDATE audit_log SET note = 'rewritten'",
      'DELETE FROM audit_log',
      'DELETE FROM audit_log WHERE id = 1',
    ])
      expect(await both.errors(sql), sql).toEqual({
        lite: 'the audit log is append-only',
        pg: 'the audit log is append-only',
      });
    const { lite, pg } = await both.rows('SELECT id, actor, note FROM audit_log');
    expect(pg).toEqual(lite);
    expect(pg).toEqual([{ id: 1, actor: 'cli', note: 'spam' }]);
  });

  it('filter_hide_on_tag: a post a hide filter names by word or domain is hidden when tagged, with one audit row', async () => {
    await both.exec(
      filterSql('word', 'casino', 'hide') +
        filterSql('domain', 'spam.example', 'hide') +
        postsSql([
          [1, 'ada@a.example', '<p>Win at the CASINO</p>'],
          [2, 'bo@spam.example', '<p>hello</p>'],
          [3, 'cy@mail.SPAM.example', '<p>hi</p>'], // a subdomain, in any case
          [4, 'ada@a.example', '<p>nothing to see</p>', 'casino inside'], // the content warning counts
          [5, 'did:web:x.spam.example', '<p>a DID has no @: its whole acct is its domain</p>'],
          [6, 'dee@notspam.example', '<p>a look-alike domain</p>'],
          [7, 'ada@a.example', '<p>casino, already hidden by hand</p>'],
          [8, 'bo@spam.example', '<p>casino</p>'], // two filters, one audit row
          [9, 'ada@a.example', '<p>casino, another campaign</p>'],
        ]) +
        "INSERT INTO hidden_posts (post_id, created_at) VALUES (7, '2026-11-01T12:00:00.000Z');",
    );
    for (const id of [1, 2, 3, 4, 5, 6, 7, 8]) await both.exec(tagSql(id));
    await both.exec(tagSql(9, 'other'));
    const { hidden, held, audit } = await outcome();
    expect(hidden).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(held).toEqual([]);
    expect(audit.map((r) => r.target)).toEqual(
      [1, 2, 3, 4, 5, 8].map((id) => `https://example/s/${id}`),
    );
    expect(audit[0]).toEqual({
      actor: 'filter',
      action: 'post.hide',
      target: 'https://example/s/1',
      detail: '{"campaign":"yourturn","word":"casino"}',
      note: null,
    });
    expect(audit[1]!.detail).toBe('{"campaign":"yourturn","domain":"spam.example"}');
  });

  it('filter_hold_on_tag: hold filters and pre-moderation hold a new post, hidden, with the reason; an approved account passes', async () => {
    await both.exec(
      filterSql('word', 'crypto', 'hold') +
        filterSql('domain', 'hold.example', 'hold') +
        `INSERT INTO campaign_settings (tag, premoderation, updated_at) VALUES ('second', 1, '2026-11-01T12:00:00.000Z');
         INSERT INTO approved_accounts (tag, acct, approved_at) VALUES ('second', 'ada@a.example', '2026-11-01T12:00:00.000Z');` +
        postsSql([
          [1, 'ada@a.example', '<p>buy CRYPTO</p>'],
          [2, 'eve@hold.example', '<p>hello</p>'],
          [3, 'bo@b.example', '<p>hi, new here</p>'],
          [4, 'ada@a.example', '<p>hi, approved before</p>'],
          [5, 'ada@a.example', '<p>hi</p>'],
          [6, 'bo@b.example', '<p>crypto, already hidden by hand</p>'],
        ]) +
        "INSERT INTO hidden_posts (post_id, created_at) VALUES (6, '2026-11-01T12:00:00.000Z');",
    );
    for (const id of [1, 2, 5, 6]) await both.exec(tagSql(id));
    for (const id of [3, 4]) await both.exec(tagSql(id, 'second'));
    const { hidden, held, audit } = await outcome();
    expect(held).toEqual([
      { post_id: 1, tag: 'yourturn', acct: 'ada@a.example', reason: 'word: crypto' },
      { post_id: 2, tag: 'yourturn', acct: 'eve@hold.example', reason: 'domain: hold.example' },
      { post_id: 3, tag: 'second', acct: 'bo@b.example', reason: 'pre-moderation' },
    ]);
    expect(hidden).toEqual([1, 2, 3, 6]);
    expect(audit).toEqual([]);
    // A held post is hidden at the hold's own time.
    const { pg } = await both.rows(
      'SELECT h.created_at = x.created_at AS same FROM held_posts h JOIN hidden_posts x USING (post_id)',
    );
    expect(pg.map((r) => r.same)).toEqual([true, true, true]);
  });

  it('filter_hold_on_tag fires before filter_hide_on_tag, as in SQLite: a post both match is held, with no audit row', async () => {
    await both.exec(
      filterSql('word', 'casino', 'hide') +
        filterSql('word', 'crypto', 'hold') +
        filterSql('word', 'casino', 'hide', 'second') +
        `INSERT INTO campaign_settings (tag, premoderation, updated_at) VALUES ('second', 1, '2026-11-01T12:00:00.000Z');` +
        postsSql([
          [1, 'ada@a.example', '<p>casino and crypto</p>'],
          [2, 'bo@b.example', '<p>casino, pre-moderated</p>'],
        ]),
    );
    await both.exec(tagSql(1) + tagSql(2, 'second'));
    const { hidden, held, audit } = await outcome();
    expect(held.map((r) => r.reason)).toEqual(['word: crypto', 'pre-moderation']);
    expect(hidden).toEqual([1, 2]);
    expect(audit).toEqual([]);
  });

  it('filter_*_on_edit: an edit that brings in a filtered word hides or holds the post; deleted or hidden posts and other edits are left be', async () => {
    await both.exec(
      postsSql([
        [1, 'ada@a.example', '<p>clean</p>'],
        [2, 'ada@a.example', '<p>clean</p>'],
        [3, 'ada@a.example', '<p>clean</p>'],
        [4, 'ada@a.example', '<p>clean</p>'],
        [5, 'ada@a.example', '<p>clean</p>'],
        [6, 'ada@a.example', '<p>clean</p>'],
        [7, 'ada@a.example', '<p>casino before the filter</p>'],
        [8, 'ada@a.example', '<p>clean</p>'],
      ]) +
        [1, 2, 3, 4, 6, 7, 8].map((id) => tagSql(id)).join('') +
        tagSql(5, 'other'),
    );
    // No word filter yet: an edit changes nothing.
    await both.exec("UPDATE posts SET content = '<p>casino</p>' WHERE id = 8");
    await both.exec(
      filterSql('word', 'casino', 'hide') +
        filterSql('word', 'crypto', 'hold') +
        "UPDATE posts SET deleted_at = '2026-11-02T00:00:00.000Z' WHERE id = 3;" +
        "INSERT INTO hidden_posts (post_id, created_at) VALUES (4, '2026-11-01T12:00:00.000Z');",
    );
    await both.exec(`
      UPDATE posts SET content = '<p>CASINO night</p>' WHERE id = 1;
      UPDATE posts SET content = '<p>crypto tips</p>' WHERE id = 2;
      UPDATE posts SET content = '<p>casino</p>' WHERE id = 3;
      UPDATE posts SET content = '<p>casino</p>' WHERE id = 4;
      UPDATE posts SET content = '<p>casino</p>' WHERE id = 5;
      UPDATE posts SET spoiler_text = 'Casino crypto' WHERE id = 6;
      UPDATE posts SET language = 'en' WHERE id = 7;`);
    const { hidden, held, audit } = await outcome();
    expect(hidden).toEqual([1, 2, 4, 6]);
    expect(held).toEqual([
      { post_id: 2, tag: 'yourturn', acct: 'ada@a.example', reason: 'word: crypto' },
      { post_id: 6, tag: 'yourturn', acct: 'ada@a.example', reason: 'word: crypto' },
    ]);
    expect(audit).toEqual([
      {
        actor: 'filter',
        action: 'post.hide',
        target: 'https://example/s/1',
        detail: '{"campaign":"yourturn","word":"casino"}',
        note: 'edited',
      },
    ]);
  });

  it('unhide_releases_hold: unhiding a held post, or deleting it, releases its hold', async () => {
    await both.exec(
      filterSql('word', 'crypto', 'hold') +
        postsSql([
          [1, 'ada@a.example', '<p>crypto</p>'],
          [2, 'ada@a.example', '<p>crypto</p>'],
          [3, 'ada@a.example', '<p>crypto</p>'],
        ]) +
        tagSql(1) +
        tagSql(2) +
        tagSql(3),
    );
    expect((await outcome()).held.map((r) => r.post_id)).toEqual([1, 2, 3]);
    await both.exec('DELETE FROM hidden_posts WHERE post_id = 1; DELETE FROM posts WHERE id = 3;');
    const { hidden, held } = await outcome();
    expect(hidden).toEqual([2]);
    expect(held.map((r) => r.post_id)).toEqual([2]);
  });

  it('contributors_skip_hidden: a contributor row never points at a hidden post, not even by an upsert', async () => {
    await both.exec(
      "INSERT INTO places VALUES (2332459, 'Lagos', 'Lagos', 'NG', 6.45407, 3.39467, 9000000);" +
        postsSql([
          [1, 'ada@a.example', '<p>hidden</p>'],
          [2, 'ada@a.example', '<p>shown</p>'],
          [3, 'bo@b.example', '<p>hidden</p>'],
        ]) +
        "INSERT INTO hidden_posts (post_id, created_at) VALUES (1, '2026-11-01T12:00:00.000Z'), (3, '2026-11-01T12:00:00.000Z');",
    );
    const contributor = (acct: string, post: number, upsert = false) => `
      INSERT INTO contributors (tag, acct, post_id, place_id, joined_at, updated_at)
        VALUES ('yourturn', '${acct}', ${post}, 2332459, '2026-11-01T12:00:00.000Z', '2026-11-01T12:00:00.000Z')
      ${upsert ? 'ON CONFLICT (tag, acct) DO UPDATE SET post_id = excluded.post_id' : ''};`;
    await both.exec(contributor('ada@a.example', 1) + contributor('bo@b.example', 3));
    await both.exec(contributor('ada@a.example', 2));
    await both.exec(contributor('ada@a.example', 1, true));
    const { lite, pg } = await both.rows('SELECT acct, post_id FROM contributors ORDER BY acct');
    expect(pg).toEqual(lite);
    expect(pg).toEqual([{ acct: 'ada@a.example', post_id: 2 }]);
  });
});

describe('the functions the shared SQL calls', () => {
  beforeAll(() => both.reset());

  it("fto_now() gives the time as SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') does: UTC to the millisecond", async () => {
    const lite = both.lite.prepare("SELECT strftime('%Y-%m-%dT%H:%M:%fZ') AS now").get() as Row;
    const [pg] = await pgRows('SELECT fto_now() AS now');
    expect(lite.now).toMatch(isoMs);
    expect(pg!.now).toMatch(isoMs);
    expect(Math.abs(Date.parse(pg!.now as string) - Date.now())).toBeLessThan(60_000);
  });

  it("instr gives SQLite's 1-based position, 0 when absent and NULL for NULL, also with a bound parameter", async () => {
    const sql = `SELECT instr('hello', 'l') AS a, instr('hello', 'z') AS b, instr('café@b.example', '@') AS c,
      instr('', '') AS d, instr(NULL, 'a') AS e, instr(lower('Ada@A.Example'), 'a.ex') AS f`;
    const { lite, pg } = await both.rows(sql);
    expect(pg).toEqual(lite);
    expect(pg).toEqual([{ a: 3, b: 0, c: 5, d: 1, e: null, f: 5 }]);
    const bound = await client.query('SELECT instr(lower($1), $2) > 0 AS found', ['Casino', 'sin']);
    expect(bound.rows).toEqual([{ found: true }]);
  });

  it("json_group_array gives SQLite's JSON text: strings escaped, numbers bare, NULL as null, [] for no rows", async () => {
    await both.exec(
      postsSql([[1, 'ada@a.example', '<p>reported</p>']]) +
        `INSERT INTO reports (tag, acct, post_id, reason, created_at) VALUES
          ('yourturn', 'ada@a.example', 1, 'spam', 't'), ('yourturn', 'ada@a.example', 1, 'say "no" \\ é', 't'),
          ('yourturn', 'ada@a.example', 1, 'old', 't');
         UPDATE reports SET resolved_at = 't' WHERE reason = 'old';`,
    );
    const queries = {
      strings:
        "SELECT json_group_array(x) AS j FROM (SELECT 'a' AS x UNION ALL SELECT 'say \"hi\"' UNION ALL SELECT NULL) AS v",
      numbers: 'SELECT json_group_array(n) AS j FROM (SELECT 1 AS n UNION ALL SELECT 22) AS v',
      none: "SELECT json_group_array(x) AS j FROM (SELECT 'a' AS x) AS v WHERE x = 'b'",
      // As the review queue asks for a post's open reports (server/store/queue.ts).
      reports: `SELECT p.id, (SELECT json_group_array(r.reason) FROM reports r WHERE r.post_id = p.id AND r.resolved_at IS NULL) AS j
        FROM posts p ORDER BY p.id`,
      grouped: 'SELECT post_id, json_group_array(id) AS j FROM reports GROUP BY post_id',
    };
    const expected = {
      strings: '["a","say \\"hi\\"",null]',
      numbers: '[1,22]',
      none: '[]',
      reports: '["spam","say \\"no\\" \\\\ é"]',
      grouped: '[1,2,3]',
    };
    for (const [name, sql] of Object.entries(queries)) {
      const { lite, pg } = await both.rows(sql);
      expect(pg, name).toEqual(lite);
      expect(pg[0]!.j, name).toBe(expected[name as keyof typeof expected]);
    }
  });
});
