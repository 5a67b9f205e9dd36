import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../server/store/db.js';
import { migrations } from '../../server/store/migrations.js';
import { createStore } from '../../server/store/store.js';
import { account, located, places, post } from '../helpers/posts.js';

/** Rows a database at schema 1 or later holds: one campaign, one person on the map, one event. */
function seedV1(db: Database.Database) {
  const now = '2026-11-01T12:00:00.000Z';
  db.prepare("INSERT INTO campaigns VALUES ('yourturn', ?)").run(now);
  db.prepare(
    `INSERT INTO accounts (acct, display_name, url, avatar, updated_at)
     VALUES ('ada@a.example', 'Ada', 'https://a.example/@ada', '', ?)`,
  ).run(now);
  const p = places.lagos;
  db.prepare('INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    p.id,
    p.name,
    p.admin1,
    p.country,
    p.lat,
    p.lng,
    p.population,
  );
  db.prepare(
    `INSERT INTO posts (id, uri, acct, url, content, created_at, place_id, first_seen_at)
     VALUES (1, 'https://a.example/s/1', 'ada@a.example', 'https://a.example/@ada/1', '<p>#YourTurn Lagos</p>', ?, ?, ?)`,
  ).run(now, p.id, now);
  db.prepare("INSERT INTO post_tags VALUES ('yourturn', 1)").run();
  db.prepare("INSERT INTO post_sources VALUES ('https://a.example', '1', 1)").run();
  db.prepare(
    "INSERT INTO contributors (tag, acct, post_id, place_id, joined_at, updated_at) VALUES ('yourturn', 'ada@a.example', 1, ?, ?, ?)",
  ).run(p.id, now, now);
  db.prepare("INSERT INTO cursors VALUES ('https://a.example', 'yourturn', '1', '1', 1, 0, ?)").run(
    now,
  );
  db.prepare(
    "INSERT INTO events (tag, type, data, created_at) VALUES ('yourturn', 'contributor', '{}', ?)",
  ).run(now);
}

describe('migrations', () => {
  for (let from = 0; from < migrations.length; from++) {
    it(`brings a database at schema ${from} to ${migrations.length} with its data intact`, () => {
      const db = new Database(':memory:');
      db.pragma('foreign_keys = ON');
      migrate(db, from);
      expect(db.pragma('user_version', { simple: true })).toBe(from);
      if (from >= 1) seedV1(db);
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(db.pragma('foreign_key_check')).toEqual([]);

      const store = createStore(db);
      store.ensureCampaigns(['yourturn']);
      if (from >= 1) {
        expect(store.contributors('yourturn').features.map((f) => f.id)).toEqual(['ada@a.example']);
        expect(store.cursor('https://a.example', 'yourturn').newestId).toBe('1');
        expect(store.eventsSince('yourturn', 0)).toHaveLength(1);
        expect(
          store.queries.placePage('yourturn', places.lagos.id, 10, null).contributors,
        ).toHaveLength(1);
      }
      // The re-check cursor (schema 4) starts at 0 and is saved like the others.
      expect(store.recheckCursor('https://a.example')).toBe(0);
      store.saveRecheckCursor('https://a.example', 1);
      expect(store.recheckCursor('https://a.example')).toBe(1);
      // The migrated schema takes new posts and moderation like a fresh one.
      store.ingest([
        {
          post: post({ account: account({ acct: 'bo@b.example' }) }),
          located: located(places.lyon),
          source: 'https://b.example',
          campaignTags: ['yourturn'],
        },
      ]);
      store.hideAccount('bo@b.example');
      expect(store.contributors('yourturn').features.map((f) => f.id)).toEqual(
        from >= 1 ? ['ada@a.example'] : [],
      );
      db.close();
    });
  }

  it('keeps the geocoder tables a database at schema 7 already had, rows and all', () => {
    const db = new Database(':memory:');
    migrate(db, 7);
    // As the online geocoder created them itself before migration 8.
    db.exec(`CREATE TABLE IF NOT EXISTS geocode_cache (
      query TEXT PRIMARY KEY, server TEXT NOT NULL, answer TEXT, fetched_at INTEGER NOT NULL
    )`);
    db.exec(`CREATE TABLE IF NOT EXISTS geocode_queue (
      uri TEXT PRIMARY KEY, input TEXT NOT NULL, queued_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    db.prepare(
      "INSERT INTO geocode_cache VALUES ('hood river', 'https://n.example', 'null', 1)",
    ).run();
    db.prepare("INSERT INTO geocode_queue VALUES ('https://a.example/s/1', '{}', 'x')").run();
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare('SELECT count(*) AS n FROM geocode_cache').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM geocode_queue').get()).toEqual({ n: 1 });
    db.close();
  });

  it('creates every table by a numbered migration: a fresh database has the geocoder tables too', () => {
    const db = new Database(':memory:');
    migrate(db);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining(['geocode_cache', 'geocode_queue']));
    db.close();
  });
});
