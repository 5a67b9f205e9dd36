import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStatsPublisher } from '../../server/api/stats-publisher.js';
import { createHub } from '../../server/hub.js';
import { createCityIndex } from '../../server/map/city-index.js';
import { type Db } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import { createStore, type Store, type StoreChange } from '../../server/store/store.js';
import type { LiveEvent } from '../../shared/types.js';
import { account, located, places, post } from '../helpers/posts.js';

// The store's one way out: every write tells what it changed on one stream, after it commits.
// The hub (live maps) and the map model follow that stream; nobody publishes by hand.

const item = (acct: string, n = 1, place = places.lagos) => ({
  post: post({
    uri: `https://${acct.split('@')[1]}/statuses/${acct}-${n}`,
    localId: String(n),
    account: account({ acct }),
  }),
  located: located(place),
  source: 'https://a.example',
  campaignTags: ['yourturn'],
});

describe('the store change stream', () => {
  let db: Db;
  let store: Store;
  let changes: StoreChange[];

  beforeEach(() => {
    db = openTestDb(':memory:');
    store = createStore(db);
    store.ensureCampaigns(['yourturn']);
    changes = [];
    store.onChange((c) => changes.push(c));
  });
  afterEach(() => db.close());

  it('an ingest publishes exactly one contributor event on the hub, and the city index counts it, without the caller publishing', () => {
    const hub = createHub(store);
    const heard: LiveEvent[] = [];
    hub.subscribe('yourturn', (e) => heard.push(e));
    const cities = createCityIndex(store, store.queries, { staleMs: 0 });
    cities.warm('yourturn');

    const returned = store.ingest([item('ada@a.example')]);

    expect(heard).toEqual(returned);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ type: 'contributor', tag: 'yourturn' });
    expect(cities.stats('yourturn')).toEqual({ contributors: 1, cities: 1, countries: 1 });
    // One change for one write, carrying both what the hub sends and what the map counts.
    expect(changes).toEqual([
      {
        events: returned,
        contributors: [
          expect.objectContaining({ acct: 'ada@a.example', from: null, to: places.lagos.id }),
        ],
      },
    ]);
    cities.close();
  });

  it('sends stats after a change: the map model follows the same stream and tells the stats publisher', async () => {
    const hub = createHub(store);
    const heard: LiveEvent[] = [];
    hub.subscribe('yourturn', (e) => heard.push(e));
    const stats = createStatsPublisher({ hub, stats: (tag) => cities.stats(tag), intervalMs: 0 });
    const cities = createCityIndex(store, store.queries, {
      staleMs: 0,
      onStats: (tag) => stats.changed(tag),
    });
    cities.warm('yourturn');
    store.ingest([item('ada@a.example')]);
    // The contributor event goes out on the write's tick; stats never on the same tick.
    expect(heard.map((e) => e.type)).toEqual(['contributor']);
    await expect.poll(() => heard.map((e) => e.type)).toEqual(['contributor', 'stats']);
    expect(heard[1]!.data).toEqual({ contributors: 1, cities: 1, countries: 1 });
    stats.close();
    cities.close();
  });

  it('tells moderation, deletes and geocoder answers on the same stream', () => {
    store.ingest([item('ada@a.example')]);
    store.hideAccount('ada@a.example');
    store.unhideAccount('ada@a.example');
    store.deleteByUri(item('ada@a.example').post.uri);
    expect(changes.map((c) => c.events.map((e) => e.type))).toEqual([
      ['contributor'],
      ['remove'],
      ['contributor'],
      ['remove'],
    ]);
    expect(changes.map((c) => c.contributors.map((m) => [m.from, m.to]))).toEqual([
      [[null, places.lagos.id]],
      [[places.lagos.id, null]],
      [[null, places.lagos.id]],
      [[places.lagos.id, null]],
    ]);
  });

  it('says nothing for a write that changes nothing on the map, such as a re-poll', () => {
    store.ingest([item('ada@a.example')]);
    changes.length = 0;
    store.ingest([item('ada@a.example')]);
    store.saveRecheckCursor('https://a.example', 1);
    expect(changes).toEqual([]);
  });

  it('tells writes made together atomically once, after the outer transaction commits', () => {
    let heardInside = 0;
    store.atomically(() => {
      store.ingest([item('ada@a.example')]);
      store.ingest([item('bo@b.example', 1, places.lyon)]);
      heardInside = changes.length;
    });
    expect(heardInside).toBe(0);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.events.map((e) => (e.data as { id?: string }).id)).toEqual([
      'ada@a.example',
      'bo@b.example',
    ]);
  });

  it('never tells a write that rolled back, and keeps what the outer write did tell', () => {
    expect(() =>
      store.atomically(() => {
        store.ingest([item('ada@a.example')]);
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(changes).toEqual([]);
    expect(store.contributor('yourturn', 'ada@a.example')).toBeNull();

    store.atomically(() => {
      store.ingest([item('bo@b.example')]);
      try {
        store.atomically(() => {
          store.ingest([item('cy@c.example')]);
          throw new Error('inner fails');
        });
      } catch {
        // the inner savepoint rolled back; the outer write goes on
      }
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]!.contributors.map((c) => c.acct)).toEqual(['bo@b.example']);
    expect(store.contributor('yourturn', 'cy@c.example')).toBeNull();
  });

  it('delivers to every listener even when one throws, and then lets the writer know', () => {
    const later: StoreChange[] = [];
    const fresh = createStore(db);
    fresh.onChange(() => {
      throw new Error('broken listener');
    });
    fresh.onChange((c) => later.push(c));
    expect(() => fresh.ingest([item('ada@a.example')])).toThrow('broken listener');
    expect(later).toHaveLength(1);
    expect(fresh.contributor('yourturn', 'ada@a.example')).not.toBeNull();
  });
});
