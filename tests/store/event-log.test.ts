import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import type { StoreOptions } from '../../server/store/store.js';
import { createStore, type Store, type StoredEvent } from '../../server/store/store.js';
import { account, located, places, post } from '../helpers/posts.js';

const HOUR = 3_600_000;

describe('the live event log', () => {
  let dir: string;
  let db: Db;
  let clock: number;
  let n = 0;

  const open = (eventLog: StoreOptions['eventLog'] = {}): Store => {
    const store = createStore(db, { now: () => new Date(clock), eventLog });
    store.ensureCampaigns(['yourturn', 'otherside']);
    return store;
  };

  /** `count` new people join `tag`: one `contributor` event each. */
  function arrive(store: Store, tag: string, count: number): StoredEvent[] {
    const events: StoredEvent[] = [];
    for (let i = 0; i < count; i++) {
      n++;
      events.push(
        ...store.ingest([
          {
            post: post({
              uri: `https://a.example/users/p${n}/statuses/${n}`,
              account: account({ acct: `p${n}@a.example` }),
              tags: [tag],
            }),
            located: located(places.lagos),
            source: 'https://a.example',
            campaignTags: [tag],
          },
        ]),
      );
    }
    return events;
  }

  const ids = (store: Store, tag: string) => store.eventsSince(tag, 0, 10_000).map((e) => e.id);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fto-event-log-'));
    db = openTestDb(join(dir, 'test.db'));
    clock = Date.UTC(2026, 10, 20, 12);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the largest id pruning deleted in any campaign, never lowered by a later delete of smaller ids', async () => {
    const store = open({ maxPerCampaign: 2 });
    expect(store.eventLog.prunedThrough()).toBe(0);
    const yourturn = arrive(store, 'yourturn', 4);
    const otherside = arrive(store, 'otherside', 3);
    await store.eventLog.prune();
    // Campaigns are pruned in name order: otherside's oldest (the larger id) first, then
    // yourturn's two oldest, whose smaller ids leave the mark where it was.
    expect(ids(store, 'otherside')).toEqual(otherside.slice(1).map((e) => e.id));
    expect(ids(store, 'yourturn')).toEqual(yourturn.slice(2).map((e) => e.id));
    expect(store.eventLog.prunedThrough()).toBe(otherside[0]!.id);
  });

  it('keeps the newest events of each campaign up to the cap, whatever the other campaigns do', async () => {
    const store = open({ maxPerCampaign: 3 });
    const ours = arrive(store, 'yourturn', 5);
    const theirs = arrive(store, 'otherside', 2);
    expect(await store.eventLog.prune()).toBe(2);
    expect(ids(store, 'yourturn')).toEqual(ours.slice(2).map((e) => e.id));
    expect(ids(store, 'otherside')).toEqual(theirs.map((e) => e.id));
  });

  it('drops events older than the age limit, and only those', async () => {
    const store = open({ maxAgeMs: 24 * HOUR });
    const old = arrive(store, 'yourturn', 3);
    clock += 20 * HOUR;
    const recent = arrive(store, 'yourturn', 2);
    clock += 5 * HOUR; // the first three are now 25 hours old, the others 5
    expect(await store.eventLog.prune()).toBe(old.length);
    expect(ids(store, 'yourturn')).toEqual(recent.map((e) => e.id));
  });

  it('replays what a client missed while the log still holds it all', async () => {
    const store = open({ maxPerCampaign: 3 });
    const [seen, ...missed] = arrive(store, 'yourturn', 3);
    await store.eventLog.prune();
    expect(store.eventLog.resume('yourturn', seen!.id)).toEqual({ events: missed });
    expect(store.eventLog.resume('yourturn', missed.at(-1)!.id)).toEqual({ events: [] });
  });

  it('tells a client to reset when events after its id were pruned, not before', async () => {
    const store = open({ maxPerCampaign: 2 });
    const events = arrive(store, 'yourturn', 5);
    await store.eventLog.prune(); // ids 1–3 are gone, 4 and 5 kept
    expect(store.eventLog.resume('yourturn', events[1]!.id)).toEqual({ reset: true });
    // The newest pruned event is the last it saw: nothing after it is missing.
    expect(store.eventLog.resume('yourturn', events[2]!.id)).toEqual({ events: events.slice(3) });
  });

  it('pruning one campaign does not reset the clients of another', async () => {
    const store = open({ maxPerCampaign: 1 });
    const ours = arrive(store, 'yourturn', 1);
    arrive(store, 'otherside', 4);
    await store.eventLog.prune();
    expect(store.eventLog.resume('yourturn', ours[0]!.id)).toEqual({ events: [] });
  });

  it('tells a client to reset rather than replay more than the cap', () => {
    const store = open({ maxPerCampaign: 3 });
    const events = arrive(store, 'yourturn', 5);
    expect(store.eventLog.resume('yourturn', events[0]!.id)).toEqual({ reset: true });
    expect(store.eventLog.resume('yourturn', events[1]!.id)).toEqual({ events: events.slice(2) });
  });

  it('tells a client to reset when its id is newer than any this database gave out', () => {
    const store = open();
    const events = arrive(store, 'yourturn', 2);
    expect(store.eventLog.newestId()).toBe(events[1]!.id);
    expect(store.eventLog.resume('yourturn', events[1]!.id + 1)).toEqual({ reset: true });
  });

  it('after a restart, resets a client older than what is kept and replays a newer one', async () => {
    const before = open({ maxPerCampaign: 2 });
    const events = arrive(before, 'yourturn', 5);
    await before.eventLog.prune();
    const after = open({ maxPerCampaign: 2 }); // a new process: the floor is not remembered
    expect(after.eventLog.resume('yourturn', events[1]!.id)).toEqual({ reset: true });
    expect(after.eventLog.resume('yourturn', events[3]!.id)).toEqual({ events: [events[4]] });
  });

  it('after a restart with every event of a campaign pruned, resets anyone behind the newest id', async () => {
    const before = open({ maxAgeMs: HOUR });
    const ours = arrive(before, 'yourturn', 2);
    clock += 2 * HOUR;
    const theirs = arrive(before, 'otherside', 1);
    await before.eventLog.prune();
    expect(ids(before, 'yourturn')).toEqual([]);
    const after = open({ maxAgeMs: HOUR });
    expect(after.eventLog.resume('yourturn', ours[0]!.id)).toEqual({ reset: true });
    expect(after.eventLog.resume('yourturn', theirs[0]!.id)).toEqual({ events: [] });
  });

  it('deletes in batches and lets other work run between them', async () => {
    const store = open({ maxPerCampaign: 5, batchSize: 10 });
    arrive(store, 'yourturn', 45);
    const count = () => ids(store, 'yourturn').length;
    const seenBetween: number[] = [];
    let watching = true;
    const watch = () => {
      if (!watching) return;
      seenBetween.push(count());
      setImmediate(watch);
    };
    setImmediate(watch);
    const pruning = store.eventLog.prune();
    expect(store.eventLog.prune()).toBe(pruning); // a second call joins the pass under way
    expect(await pruning).toBe(40);
    watching = false;
    expect(count()).toBe(5);
    // Other callbacks ran while rows were still being deleted, 10 at a time.
    expect(seenBetween.some((c) => c > 5 && c < 45)).toBe(true);
    expect(seenBetween.every((c) => (45 - c) % 10 === 0 || c === 5)).toBe(true);
  });

  it('stops a pass at its next batch when stopped', async () => {
    const store = open({ maxPerCampaign: 5, batchSize: 10, intervalMs: 60_000 });
    arrive(store, 'yourturn', 45);
    store.eventLog.start((err) => {
      throw err;
    });
    await new Promise((resolve) => setImmediate(resolve)); // the first pass starts
    await new Promise((resolve) => setImmediate(resolve)); // and deletes its first batch
    await store.eventLog.stop();
    const left = ids(store, 'yourturn').length;
    expect(left).toBeGreaterThan(5);
    expect(left).toBeLessThan(45);
  });
});
