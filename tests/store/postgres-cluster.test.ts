import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, startPostgres, testDatabase, type PostgresCluster } from '../helpers/postgres.js';

// The ground the PostgreSQL store (#18) stands on: a private cluster per run, the pg driver, and
// LISTEN/NOTIFY, the seam a PostgreSQL ChangeFeed (server/store/change-feed.ts) will follow.

const connect = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
};

describe('a private PostgreSQL cluster for tests', () => {
  let cluster: PostgresCluster;
  const clients: pg.Client[] = [];
  const open = async () => {
    const client = await connect(cluster.url);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    cluster = await startPostgres({ database: 'cluster_test' });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await cluster?.stop();
  });

  it('listens on 127.0.0.1 and its own socket directory only, with durability off for speed', async () => {
    const db = await open();
    const setting = async (name: string) =>
      (await db.query<{ v: string }>(`SELECT current_setting($1) AS v`, [name])).rows[0]?.v;
    expect(await setting('listen_addresses')).toBe('127.0.0.1');
    expect(await setting('unix_socket_directories')).toBe(cluster.dir);
    expect(await setting('port')).toBe(String(cluster.port));
    expect(await setting('fsync')).toBe('off');
    expect((await db.query('SELECT current_database() AS d')).rows[0].d).toBe('cluster_test');
    expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/cluster_test`);
  });

  it('keeps what a committed transaction wrote and nothing of one rolled back', async () => {
    const db = await open();
    await db.query(
      'CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL)',
    );
    await db.query('BEGIN');
    await db.query(`INSERT INTO events (body) VALUES ('kept')`);
    await db.query('COMMIT');
    await db.query('BEGIN');
    await db.query(`INSERT INTO events (body) VALUES ('undone')`);
    expect((await db.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(2);
    await db.query('ROLLBACK');

    const other = await open();
    const { rows } = await other.query('SELECT body FROM events ORDER BY id');
    expect(rows).toEqual([{ body: 'kept' }]);
  });

  it('delivers a NOTIFY from one connection to a LISTEN on another, when the sender commits and not before', async () => {
    const listener = await open();
    const sender = await open();
    const heard: pg.Notification[] = [];
    listener.on('notification', (n) => heard.push(n));
    await listener.query('LISTEN fto_events');

    await sender.query('BEGIN');
    await sender.query(`SELECT pg_notify('fto_events', '41')`);
    // A round trip on the listener: a notification sent inside an open transaction is not out yet.
    await listener.query('SELECT 1');
    expect(heard).toEqual([]);
    await sender.query('COMMIT');
    await sender.query(`NOTIFY fto_events, '42'`);

    await until(() => heard.length >= 2);
    expect(heard.map((n) => [n.channel, n.payload])).toEqual([
      ['fto_events', '41'],
      ['fto_events', '42'],
    ]);
    expect(heard[0]?.processId).toBe(
      (await sender.query('SELECT pg_backend_pid() AS p')).rows[0].p,
    );
  });

  // The ordering catch docs/postgres.md plans around: a feed that reads by id and moves its cursor
  // past what it read would skip an id whose transaction commits later.
  it('hands out identity ids in insert order, not commit order', async () => {
    const [a, b, reader] = [await open(), await open(), await open()];
    await a.query('CREATE TABLE ids_demo (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)');
    await a.query('BEGIN');
    const first = Number(
      (await a.query('INSERT INTO ids_demo DEFAULT VALUES RETURNING id')).rows[0]?.id,
    );
    await b.query('BEGIN');
    const second = Number(
      (await b.query('INSERT INTO ids_demo DEFAULT VALUES RETURNING id')).rows[0]?.id,
    );
    await b.query('COMMIT');
    expect(second).toBeGreaterThan(first);
    const visible = async () =>
      (await reader.query('SELECT id FROM ids_demo ORDER BY id')).rows.map((r) => Number(r.id));
    expect(await visible()).toEqual([second]); // the lower id is not there yet
    await a.query('COMMIT');
    expect(await visible()).toEqual([first, second]);
  });

  it('makes event ids commit in order when each writer takes a transaction advisory lock before its insert', async () => {
    const [a, b, watcher] = [await open(), await open(), await open()];
    await a.query('CREATE TABLE locked_demo (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)');
    const take = 'SELECT pg_advisory_xact_lock(7001)';
    const insert = 'INSERT INTO locked_demo DEFAULT VALUES RETURNING id';
    await a.query('BEGIN');
    await a.query(take);
    const first = Number((await a.query(insert)).rows[0]?.id);
    await b.query('BEGIN');
    let bHasLock = false;
    const bLock = b.query(take).then(() => (bHasLock = true));
    const waiting = async () =>
      (
        await watcher.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
        )
      ).rows[0]?.n;
    await until(async () => (await waiting()) === 1);
    expect(bHasLock).toBe(false); // b cannot take an id while a, holding a lower one, is open
    await a.query('COMMIT');
    await bLock;
    const second = Number((await b.query(insert)).rows[0]?.id);
    await b.query('COMMIT');
    expect(second).toBeGreaterThan(first);
  });

  it('drops a NOTIFY sent inside a transaction that rolls back', async () => {
    const listener = await open();
    const sender = await open();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query('LISTEN fto_rollback');
    await sender.query('BEGIN');
    await sender.query(`NOTIFY fto_rollback, 'never'`);
    await sender.query('ROLLBACK');
    await sender.query(`NOTIFY fto_rollback, 'after'`);
    await until(() => heard.length >= 1);
    expect(heard).toEqual(['after']);
  });
});

describe('stopping a private cluster', () => {
  it('leaves no server process and no directory behind', async () => {
    const cluster = await startPostgres();
    expect(alive(cluster.pid)).toBe(true);
    expect(existsSync(cluster.dir)).toBe(true);
    const client = await connect(cluster.url);
    client.on('error', () => {}); // the server goes away under it
    await cluster.stop();
    expect(alive(cluster.pid)).toBe(false);
    expect(existsSync(cluster.dir)).toBe(false);
    await expect(connect(cluster.url)).rejects.toThrow(/ECONNREFUSED/);
    await cluster.stop(); // a second stop is harmless
  }, 60_000);
});

describe('a private cluster with settings of its own', () => {
  it('lays the given settings over the durability-off defaults and lives in the given directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fto-pgroot-'));
    chmodSync(root, 0o755); // as root, the cluster runs as the postgres user, who must get in
    let cluster: PostgresCluster | undefined;
    try {
      cluster = await startPostgres({
        settings: { fsync: 'on', synchronous_commit: 'on', shared_buffers: "'48MB'" },
        root,
      });
      expect(dirname(cluster.dir)).toBe(root);
      const client = await connect(cluster.url);
      const setting = async (name: string) =>
        (await client.query<{ v: string }>(`SELECT current_setting($1) AS v`, [name])).rows[0]?.v;
      expect(await setting('fsync')).toBe('on');
      expect(await setting('synchronous_commit')).toBe('on');
      expect(await setting('shared_buffers')).toBe('48MB');
      expect(await setting('full_page_writes')).toBe('off'); // a default not overridden stays
      await client.end();
    } finally {
      await cluster?.stop();
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a database per test file', () => {
  it('gives each caller its own empty database, and drops it', async () => {
    const [a, b] = await Promise.all([testDatabase('feed'), testDatabase('feed')]);
    try {
      expect(a.url).not.toBe(b.url);
      const one = await connect(a.url);
      await one.query('CREATE TABLE only_in_a (x int)');
      await one.end();
      const two = await connect(b.url);
      const { rows } = await two.query(`SELECT to_regclass('only_in_a') AS t`);
      expect(rows).toEqual([{ t: null }]);
      await two.end();
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
    await expect(connect(a.url)).rejects.toThrow(/does not exist|ECONNREFUSED/);
  }, 60_000);
});

/** Waits (up to 5 s) until `done()` holds. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
