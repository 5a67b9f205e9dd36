import { describe, expect, it } from 'vitest';
import { queryDb } from '../helpers/server-process.js';
import { testStore } from '../helpers/test-db.js';
import { severalServers } from './world.js';

// Three processes started at the same moment on a database file that does not exist yet, as
// systemd starts its units: they race to create the schema and to take the collector lease.

const world = severalServers({ one: 'all', two: 'all', three: 'all' }, { together: true });

describe('several servers started together on a new database', () => {
  it('all start, the schema is made once, and exactly one collects', async () => {
    const healths = await Promise.all(world.members().map((m) => m.health()));
    expect(healths.map((h) => h?.ok)).toEqual([true, true, true]);
    await world.collector();
    const version = queryDb<{ user_version: number }>(
      world.db,
      testStore === 'postgres'
        ? 'SELECT version AS user_version FROM schema_version'
        : 'PRAGMA user_version',
    )[0];
    expect(version?.user_version).toBeGreaterThanOrEqual(11);
    const acct = world.post('zoe');
    await expect
      .poll(() => queryDb<{ acct: string }>(world.db, 'SELECT acct FROM posts'), {
        timeout: 10_000,
      })
      .toEqual([{ acct }]);
  }, 60_000);
});
