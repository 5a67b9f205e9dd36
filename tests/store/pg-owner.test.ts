import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../server/store/db.js';
import { createStore } from '../../server/store/store.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';

// docs/deploy.md tells operators to run the server as a plain role that owns its database, not
// as a superuser: the first start must make the whole schema (citext included) with that.

describe('the PostgreSQL store run by a role that only owns its database', () => {
  let admin: TestDatabase;
  let client: pg.Client;
  const role = `fto_owner_${process.pid}`;
  const database = `fto_owned_${process.pid}`;
  beforeAll(async () => {
    admin = await testDatabase('owner_admin');
    client = new pg.Client({ connectionString: admin.url });
    await client.connect();
    await client.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    await client.query(`CREATE DATABASE ${database} OWNER ${role}`);
  }, 60_000);
  afterAll(async () => {
    await client?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client?.query(`DROP ROLE IF EXISTS ${role}`);
    await client?.end();
    await admin?.drop();
  });

  it('makes the schema at the first start and stores a campaign', () => {
    const url = new URL(admin.url);
    url.username = role;
    url.pathname = `/${database}`;
    const db = openDb(url.href);
    try {
      const store = createStore(db);
      store.ensureCampaigns(['yourturn']);
      expect(store.campaigns()).toContain('yourturn');
      expect(db.prepare('SELECT current_user').pluck().get()).toBe(role);
      expect(
        db.prepare('SELECT rolsuper FROM pg_roles WHERE rolname = current_user').pluck().get(),
      ).toBe(0);
    } finally {
      db.close();
    }
  });
});
