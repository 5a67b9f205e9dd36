import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, migratePostgres, type Db } from '../../server/store/db.js';
import { openTestDb, testStore } from '../helpers/test-db.js';
import type { PgDatabase } from '../../server/store/pg/database.js';
import { pgMigrations } from '../../server/store/pg/migrations.js';
import { migrations } from '../../server/store/migrations.js';
import { createStore, type Store } from '../../server/store/store.js';
import type { ContributorFeature } from '../../shared/types.js';
import { account, located, places, post } from '../helpers/posts.js';

const source = 'https://a.example';
const other = 'https://b.example';

describe('store', () => {
  let dir: string;
  let db: Db;
  let store: Store;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fto-store-'));
    db = openTestDb(join(dir, 'test.db'));
    store = createStore(db);
    store.ensureCampaigns(['yourturn']);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(testStore !== 'sqlite')(
    'opens a real SQLite file in WAL mode at the latest schema version',
    () => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    },
  );

  it.skipIf(testStore !== 'postgres')(
    'opens a PostgreSQL database at the latest schema version, with the same number of migrations as SQLite',
    () => {
      expect(db.prepare('SELECT version FROM schema_version').pluck().get()).toBe(
        migrations.length,
      );
      expect(pgMigrations).toHaveLength(migrations.length);
    },
  );

  it('refuses a database from a newer version instead of corrupting it', () => {
    if (testStore === 'sqlite') {
      db.pragma(`user_version = ${migrations.length + 1}`);
      expect(() => migrate(db)).toThrow(/newer than this program knows/);
    } else {
      db.prepare('UPDATE schema_version SET version = ?').run(migrations.length + 1);
      expect(() => migratePostgres(db as unknown as PgDatabase)).toThrow(
        /newer than this program knows/,
      );
    }
  });

  it('puts a located post on the map as one GeoJSON point at the city, [lng, lat]', () => {
    const events = store.ingest([
      { post: post(), located: located(places.lagos), source, campaignTags: ['yourturn'] },
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('contributor');
    const { features } = store.contributors('yourturn');
    expect(features).toHaveLength(1);
    expect(features[0]!.geometry.coordinates).toEqual([3.39467, 6.45407]);
    expect(features[0]!.properties).toMatchObject({
      acct: 'ada@example.social',
      displayName: 'Ada',
      place: { id: 2332459, name: 'Lagos', admin1: 'Lagos', country: 'NG' },
    });
  });

  it('counts a person as joined on the day of their post, and a post dated in the future as now', () => {
    const old = post({ createdAt: '2026-10-03T08:15:00.000Z' });
    const future = post({
      account: account({ acct: 'bola@example.social' }),
      createdAt: '2999-01-01T00:00:00.000Z',
    });
    store.ingest([
      { post: old, located: located(places.lagos), source, campaignTags: ['yourturn'] },
      { post: future, located: located(places.lyon), source, campaignTags: ['yourturn'] },
    ]);
    const hours = store.queries.joinsPerHour('yourturn').map((h) => h.hour);
    expect(hours).toHaveLength(2);
    expect(hours[0]).toBe('2026-10-03T08');
    expect(hours[1]! < '2999').toBe(true);
    expect(hours[1]! >= new Date(Date.now() - 60_000).toISOString().slice(0, 13)).toBe(true);
  });

  it('keeps one pin per account when the same post arrives from two instances', () => {
    const p = post();
    const first = store.ingest([
      { post: p, located: located(places.lagos), source, campaignTags: ['yourturn'] },
    ]);
    const again = store.ingest([
      {
        post: { ...p, localId: '999' },
        located: located(places.lagos),
        source: other,
        campaignTags: ['yourturn'],
      },
    ]);
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(0);
    expect(store.contributors('yourturn').features).toHaveLength(1);
    expect(db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 1 });
  });

  it('moves the pin when a later post names another city, and keeps it when a post names none', () => {
    store.ingest([
      { post: post(), located: located(places.lagos), source, campaignTags: ['yourturn'] },
    ]);
    const moved = store.ingest([
      { post: post(), located: located(places.lyon), source, campaignTags: ['yourturn'] },
    ]);
    expect(moved.map((e) => e.type)).toEqual(['contributor']);
    const unplaced = store.ingest([
      { post: post(), located: null, source, campaignTags: ['yourturn'] },
    ]);
    expect(unplaced).toEqual([]);
    expect(store.contributors('yourturn').features[0]!.properties.place.name).toBe('Lyon');
  });

  it('does not move the pin back when an older post arrives late from a slow instance', () => {
    const newer = post({ createdAt: '2026-11-02T00:00:00.000Z' });
    const older = post({ createdAt: '2026-11-01T00:00:00.000Z' });
    store.ingest([
      { post: newer, located: located(places.lyon), source, campaignTags: ['yourturn'] },
    ]);
    const events = store.ingest([
      { post: older, located: located(places.lagos), source: other, campaignTags: ['yourturn'] },
    ]);
    expect(events).toEqual([]);
    expect(store.contributors('yourturn').features[0]!.properties.place.name).toBe('Lyon');
  });

  it('takes a contributor off the map when their only located post is deleted, and says so live', () => {
    const p = post();
    store.ingest([{ post: p, located: located(places.lagos), source, campaignTags: ['yourturn'] }]);
    const events = store.deleteByLocalId(source, p.localId);
    expect(events).toMatchObject([
      { type: 'remove', tag: 'yourturn', data: { acct: 'ada@example.social' } },
    ]);
    expect(store.contributors('yourturn').features).toEqual([]);
    // A slower instance still listing the deleted post does not bring it back.
    expect(
      store.ingest([
        {
          post: { ...p, localId: '7' },
          located: located(places.lagos),
          source: other,
          campaignTags: ['yourturn'],
        },
      ]),
    ).toEqual([]);
    expect(store.contributors('yourturn').features).toEqual([]);
  });

  it('falls back to the previous located post when the latest one is deleted', () => {
    store.ingest([
      { post: post(), located: located(places.lagos), source, campaignTags: ['yourturn'] },
    ]);
    const latest = post();
    store.ingest([
      { post: latest, located: located(places.lyon), source, campaignTags: ['yourturn'] },
    ]);
    const events = store.deleteByUri(latest.uri);
    expect(events.map((e) => e.type)).toEqual(['contributor']);
    expect(store.contributors('yourturn').features[0]!.properties.place.name).toBe('Lagos');
  });

  it('re-locates a post when a newer edit arrives, and ignores a re-read of the same version', () => {
    const p = post();
    store.ingest([{ post: p, located: located(places.lagos), source, campaignTags: ['yourturn'] }]);
    expect(
      store.ingest([
        { post: p, located: located(places.lagos), source, campaignTags: ['yourturn'] },
      ]),
    ).toEqual([]);
    const edited = {
      ...p,
      editedAt: '2026-11-05T00:00:00.000Z',
      content: '<p>#YourTurn Portland</p>',
    };
    const events = store.ingest([
      { post: edited, located: located(places.portland), source, campaignTags: ['yourturn'] },
    ]);
    expect(events.map((e) => e.type)).toEqual(['contributor']);
    expect(store.contributors('yourturn').features[0]!.properties.place.name).toBe('Portland');
  });

  it('forgets every post of an account that opted out', () => {
    store.ingest([
      { post: post(), located: located(places.lagos), source, campaignTags: ['yourturn'] },
    ]);
    store.ingest([
      {
        post: post({ account: account({ acct: 'bob@b.example', displayName: 'Bob' }) }),
        located: located(places.lyon),
        source,
        campaignTags: ['yourturn'],
      },
    ]);
    const events = store.forgetAccount('ada@example.social');
    expect(events).toMatchObject([{ type: 'remove', data: { acct: 'ada@example.social' } }]);
    expect(store.contributors('yourturn').features.map((f) => f.properties.acct)).toEqual([
      'bob@b.example',
    ]);
  });

  it('saves the cursor in the same transaction as the posts it covers', () => {
    const bad = {
      post: post(),
      located: located({ ...places.lagos, lat: null as unknown as number }),
      source,
      campaignTags: ['yourturn'],
    };
    const cursor = { newestId: '123', oldestId: '100', backfillCount: 40, backfillDone: false };
    expect(() => store.ingest([bad], { source, tag: 'yourturn', ...cursor })).toThrow();
    expect(store.cursor(source, 'yourturn').newestId).toBeNull();
    store.ingest(
      [{ post: post(), located: located(places.lagos), source, campaignTags: ['yourturn'] }],
      { source, tag: 'yourturn', ...cursor, newestId: '124' },
    );
    expect(store.cursor(source, 'yourturn')).toEqual({ ...cursor, newestId: '124' });
  });

  it('keeps each instance’s re-check cursor across a reopen of the file', () => {
    expect(store.recheckCursor(source)).toBe(0);
    store.saveRecheckCursor(source, 41);
    store.saveRecheckCursor(other, 7);
    store.saveRecheckCursor(source, 60);
    db.close();
    db = openTestDb(join(dir, 'test.db'));
    store = createStore(db);
    expect([store.recheckCursor(source), store.recheckCursor(other)]).toEqual([60, 7]);
  });

  it('replays events after a given id for SSE resume, in order', () => {
    const e1 = store.ingest([
      { post: post(), located: located(places.lagos), source, campaignTags: ['yourturn'] },
    ]);
    const e2 = store.ingest([
      {
        post: post({ account: account({ acct: 'bob@b.example' }) }),
        located: located(places.lyon),
        source,
        campaignTags: ['yourturn'],
      },
    ]);
    const replay = store.eventsSince('yourturn', e1[0]!.id);
    expect(replay.map((e) => e.id)).toEqual([e2[0]!.id]);
    expect(replay[0]!.data).toEqual(e2[0]!.data);
  });

  it('sends a contributor update when a placed person changes their display name', () => {
    store.ingest([
      { post: post(), located: located(places.lagos), source, campaignTags: ['yourturn'] },
    ]);
    const events = store.ingest([
      {
        post: post({ account: account({ displayName: 'Ada L.' }) }),
        located: null,
        source,
        campaignTags: ['yourturn'],
      },
    ]);
    expect(events).toHaveLength(1);
    expect(store.contributors('yourturn').features[0]!.properties.displayName).toBe('Ada L.');
  });

  it('keeps the custom emoji of a name, sends them on the map and updates them when they change', () => {
    const blobcat = { shortcode: 'blobcat', url: 'https://a.example/emoji/blobcat.png' };
    const [added] = store.ingest([
      {
        post: post({ account: account({ displayName: 'Ada :blobcat:', emojis: [blobcat] }) }),
        located: located(places.lagos),
        source,
        campaignTags: ['yourturn'],
      },
    ]);
    expect((added!.data as ContributorFeature).properties.emojis).toEqual([blobcat]);
    expect(store.contributors('yourturn').features[0]!.properties.emojis).toEqual([blobcat]);

    const party = { shortcode: 'blobcat', url: 'https://a.example/emoji/blobcat-v2.png' };
    const events = store.ingest([
      {
        post: post({ account: account({ displayName: 'Ada :blobcat:', emojis: [party] }) }),
        located: null,
        source,
        campaignTags: ['yourturn'],
      },
    ]);
    expect(events).toHaveLength(1);
    expect(store.contributors('yourturn').features[0]!.properties.emojis).toEqual([party]);
  });
});
