import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHub } from '../../server/hub.js';
import { createCityIndex } from '../../server/map/city-index.js';
import { type Db } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import {
  createStore,
  type Store,
  type StoreChange,
  type StoredEvent,
} from '../../server/store/store.js';
import { account, located, places, post } from '../helpers/posts.js';

// Two processes on one SQLite file, played by two connections: what one writes, the other's
// change stream tells, in id order, once.

const item = (acct: string, n = 1, place = places.lagos) => ({
  post: post({
    uri: `https://${acct.split('@')[1]}/statuses/${acct}-${n}`,
    localId: `${acct}-${n}`,
    account: account({ acct }),
  }),
  located: located(place),
  source: 'https://a.example',
  campaignTags: ['yourturn'],
});

describe('the change feed (several processes on one database)', () => {
  let dir: string;
  let dbs: Db[];
  let stops: (() => void)[];

  const open = (): Store => {
    const db = openTestDb(join(dir, 'shared.db'));
    dbs.push(db);
    const store = createStore(db, { changeFeed: { intervalMs: 20 } });
    store.ensureCampaigns(['yourturn']);
    return store;
  };
  const follow = (store: Store) =>
    stops.push(
      store.followOthers((err) => {
        throw err;
      }),
    );
  const heard = (store: Store) => {
    const events: StoredEvent[] = [];
    store.onChange((c) => events.push(...c.events));
    return events;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fto-feed-'));
    dbs = [];
    stops = [];
  });
  afterEach(() => {
    stops.forEach((stop) => stop());
    dbs.forEach((db) => db.close());
    rmSync(dir, { recursive: true, force: true });
  });

  it("tells one process's change stream what another process wrote, with the same event ids", async () => {
    const a = open();
    const b = open();
    follow(a);
    const onA = heard(a);
    const written = b.ingest([item('ada@a.example'), item('bo@b.example', 1, places.lyon)]);
    expect(written).toHaveLength(2);
    await expect
      .poll(() => onA.map((e) => e.id), { interval: 10 })
      .toEqual(written.map((e) => e.id));
    expect(onA.map((e) => e.data)).toEqual(written.map((e) => e.data));
  });

  it("tells a process's own writes once, and never again when the feed reads them back", async () => {
    const a = open();
    const b = open();
    follow(a);
    const onA = heard(a);
    const own = a.ingest([item('ada@a.example')]);
    const theirs = b.ingest([item('bo@b.example')]);
    const ownAgain = a.ingest([item('cy@c.example')]);
    await expect.poll(() => onA.length, { interval: 10 }).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onA.map((e) => e.id)).toEqual([own[0]!.id, theirs[0]!.id, ownAgain[0]!.id]);
  });

  it('tells events in id order even when an own write commits before the feed has looked', () => {
    const a = open();
    const b = open();
    follow(a);
    const onA = heard(a);
    const theirs = b.ingest([item('bo@b.example')]);
    // No timer has run yet: the own write's telling catches up with the other process first.
    const own = a.ingest([item('ada@a.example')]);
    expect(onA.map((e) => e.id)).toEqual([theirs[0]!.id, own[0]!.id]);
  });

  it("keeps another process's map model in line: appearing, moving and leaving contributors", async () => {
    const a = open();
    const b = open();
    follow(a);
    const cities = createCityIndex(a, a.queries, { staleMs: 0 });
    b.ingest([item('ada@a.example')]);
    cities.warm('yourturn');
    expect(cities.stats('yourturn').contributors).toBe(1);
    const seen = heard(a);
    b.ingest([item('bo@b.example', 1, places.lyon), item('ada@a.example', 2, places.portland)]);
    await expect.poll(() => seen.length, { interval: 10 }).toBe(2);
    expect(cities.stats('yourturn')).toEqual({ contributors: 2, cities: 2, countries: 2 });
    expect(cities.city('yourturn', places.portland.id)?.count).toBe(1);
    expect(cities.city('yourturn', places.lagos.id)).toBeNull();
    b.forgetAccount('bo@b.example');
    await expect.poll(() => seen.length, { interval: 10 }).toBe(3);
    expect(cities.stats('yourturn')).toEqual({ contributors: 1, cities: 1, countries: 1 });
    cities.close();
  });

  it("reads the map model's first load and the feed from one snapshot, so no change counts twice", async () => {
    const a = open();
    const b = open();
    follow(a);
    const cities = createCityIndex(a, a.queries, { staleMs: 0 });
    // Written elsewhere and not yet told here when the campaign loads: counted once, by the load.
    b.ingest([item('ada@a.example'), item('bo@b.example', 1, places.lyon)]);
    cities.warm('yourturn');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cities.stats('yourturn').contributors).toBe(2);
    cities.close();
  });

  it('says a client connecting now stands at what this process has told, not at what was logged elsewhere since', () => {
    const a = open();
    const b = open();
    follow(a);
    const own = a.ingest([item('ada@a.example')]);
    b.ingest([item('bo@b.example')]); // not followed yet: it must reach a new client live
    expect(a.toldThrough()).toBe(own[0]!.id);
    a.consistently(() => {});
    expect(a.toldThrough()).toBe(a.eventLog.newestId());
  });

  it('drops the posts of an account another process blocked, and takes them again once it is unblocked', () => {
    const a = open();
    const b = open();
    b.hideAccount('ada@a.example', { block: true });
    expect(a.ingest([item('ada@a.example', 1)])).toEqual([]);
    b.blockDomain('b.example');
    expect(a.ingest([item('bo@b.example', 1)])).toEqual([]);
    b.unhideAccount('ada@a.example');
    b.unblockDomain('b.example');
    expect(a.ingest([item('ada@a.example', 2), item('bo@b.example', 2)])).toHaveLength(2);
    expect(
      a
        .contributors('yourturn')
        .features.map((f) => f.id)
        .sort(),
    ).toEqual(['ada@a.example', 'bo@b.example']);
  });

  it('a client resuming on another process gets every event it missed, written by either', () => {
    const a = open();
    const b = open();
    const first = a.ingest([item('ada@a.example')]);
    const missed = [...b.ingest([item('bo@b.example')]), ...a.ingest([item('cy@c.example')])];
    expect(b.eventLog.resume('yourturn', first[0]!.id)).toEqual({ events: missed });
  });

  it("resets a client whose events another process's pruning removed", async () => {
    const a = open();
    const pruner = createStore(dbs[0]!, { eventLog: { maxPerCampaign: 1 } });
    const b = open();
    const first = a.ingest([item('ada@a.example')]);
    expect(b.eventLog.resume('yourturn', first[0]!.id)).toEqual({ events: [] });
    a.ingest([item('bo@b.example')]);
    a.ingest([item('cy@c.example')]);
    await pruner.eventLog.prune();
    expect(b.eventLog.resume('yourturn', first[0]!.id)).toEqual({ reset: true });
  });

  describe('events pruned before a follower read them', () => {
    /** A writer that keeps 5 events per campaign, and the contributors it added. */
    const pruningWriter = () => {
      const db = openTestDb(join(dir, 'shared.db'));
      dbs.push(db);
      return createStore(db, { eventLog: { maxPerCampaign: 5 } });
    };
    const people = (store: Store, count: number, from = 0) => {
      for (let n = from; n < from + count; n++)
        store.ingest([item(`p${n}@b.example`, 1, n % 2 ? places.lyon : places.portland)]);
    };
    const reloads = (store: Store) => {
      const got: number[] = [];
      store.onChange((c: StoreChange) => c.reload !== undefined && got.push(c.reload));
      return got;
    };

    it("reloads the follower's map model, so its counts equal a fresh process's, and resets its live clients", async () => {
      const a = open();
      const b = pruningWriter();
      follow(a);
      const cities = createCityIndex(a, a.queries, { staleMs: 0 });
      b.ingest([item('ada@a.example')]);
      cities.warm('yourturn');
      expect(cities.stats('yourturn').contributors).toBe(1);
      const hub = createHub(a);
      const live: StoredEvent[] = [];
      hub.subscribe('yourturn', (e) => live.push(e));
      // No turn of the event loop in between, so the follower's feed cannot look: 20 people
      // arrive and all but the newest 5 events are pruned before it reads them.
      people(b, 20);
      expect(await b.eventLog.prune()).toBe(16);
      expect(b.eventLog.prunedThrough()).toBeGreaterThan(a.toldThrough());

      const fresh = open();
      const freshCities = createCityIndex(fresh, fresh.queries, { staleMs: 0 });
      const want = freshCities.stats('yourturn');
      expect(want).toEqual({ contributors: 21, cities: 3, countries: 3 });
      await expect.poll(() => cities.stats('yourturn'), { interval: 10 }).toEqual(want);
      expect(cities.top('yourturn', 5)).toEqual(freshCities.top('yourturn', 5));
      expect(live.filter((e) => e.type === 'reset')).toEqual([
        { id: b.eventLog.newestId(), tag: 'yourturn', type: 'reset', data: {} },
      ]);
      expect(a.toldThrough()).toBe(b.eventLog.newestId());

      // And it follows on from there, one change at a time.
      people(b, 1, 20);
      await expect.poll(() => cities.stats('yourturn').contributors, { interval: 10 }).toBe(22);
      expect(live.at(-1)).toMatchObject({ type: 'contributor', id: b.eventLog.newestId() });
      cities.close();
      freshCities.close();
    });

    it('does not reload when pruning removed only events the follower had already told', async () => {
      const a = open();
      const b = pruningWriter();
      follow(a);
      const heardOnA = heard(a);
      const reloaded = reloads(a);
      people(b, 10);
      await expect.poll(() => heardOnA.length, { interval: 10 }).toBe(10);
      expect(await b.eventLog.prune()).toBe(5);
      people(b, 1, 10);
      await expect.poll(() => heardOnA.length, { interval: 10 }).toBe(11);
      expect(reloaded).toEqual([]);
    });

    it('takes a write rolled back after logging its event for no loss: no reload follows', async () => {
      const a = open();
      const b = pruningWriter();
      follow(a);
      const heardOnA = heard(a);
      const reloaded = reloads(a);
      people(b, 1);
      expect(() =>
        b.atomically(() => {
          people(b, 1, 1);
          throw new Error('rolled back');
        }),
      ).toThrow('rolled back');
      people(b, 1, 2);
      await expect.poll(() => heardOnA.length, { interval: 10 }).toBe(2);
      expect(heardOnA.map((e) => (e.data as { id?: string }).id)).toEqual([
        'p0@b.example',
        'p2@b.example',
      ]);
      expect(reloaded).toEqual([]);
    });
  });
});
