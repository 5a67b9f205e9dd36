import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import { createStore, type ContributorChange, type Store } from '../../server/store/store.js';
import type { Place } from '../../shared/types.js';
import { account, located, places, post } from '../helpers/posts.js';

// A Bluesky contributor's acct is their DID, which names no domain: a blocked domain reaches them
// through the handle the AppView last read (alice.example.com is under example.com).

const tags = ['yourturn'];
const did = (name: string) => `did:plc:${name.padEnd(24, '0')}`;
const alice = did('alice'); // alice.example.com: under the domain
const bare = did('bare'); // example.com itself
const near = did('near'); // notexample.com: only looks like it
const ada = 'ada@example.com'; // the fediverse account of the same domain

describe('Bluesky handles and blocked domains in the store', () => {
  let dir: string;
  let db: Db;
  let store: Store;
  let changes: ContributorChange[];
  let n = 0;

  const open = () => {
    db = openTestDb(join(dir, 'handles.db'));
    store = createStore(db);
    store.ensureCampaigns(tags);
    changes = [];
    store.onChange((c) => changes.push(...c.contributors));
  };
  const postBy = (acct: string, place: Place) => {
    const uri = acct.startsWith('did:')
      ? `at://${acct}/app.bsky.feed.post/3k${++n}`
      : `https://example.com/users/ada/statuses/${++n}`;
    return store.ingest([
      {
        post: post({ uri, account: account({ acct }) }),
        located: located(place),
        source: acct.startsWith('did:') ? 'bluesky:jetstream' : 'https://example.com',
        campaignTags: tags,
      },
    ]);
  };
  const onMap = () =>
    store
      .contributors('yourturn')
      .features.map((f) => f.properties.acct)
      .sort();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fto-handles-'));
    open();
    store.setBlueskyHandle(alice, 'Alice.Example.com');
    store.setBlueskyHandle(bare, 'example.com');
    store.setBlueskyHandle(near, 'near.notexample.com');
    postBy(alice, places.lagos);
    postBy(bare, places.lyon);
    postBy(near, places.portland);
    postBy(ada, places.lagos);
    changes = [];
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes off at once, with remove events, every Bluesky person whose handle is the blocked domain or under it', () => {
    const events = store.blockDomain('Example.COM');
    expect(events.map((e) => [e.type, (e.data as { acct: string }).acct]).sort()).toEqual(
      [
        ['remove', ada],
        ['remove', alice],
        ['remove', bare],
      ].sort(),
    );
    expect(onMap()).toEqual([near]);
    expect(changes.filter((c) => c.to === null).map((c) => c.acct)).toHaveLength(3);
    expect(store.queries.cityCounts('yourturn', 'bluesky').map((c) => c.count)).toEqual([1]);
    expect(store.isBlocked(alice)).toBe(true);
    expect(store.isBlocked(near)).toBe(false);
  });

  it('brings them back at once when the domain is unblocked, as it does fediverse accounts', () => {
    store.blockDomain('example.com');
    const events = store.unblockDomain('example.com');
    expect(events.filter((e) => e.type === 'contributor')).toHaveLength(3);
    expect(onMap()).toEqual([ada, alice, bare, near].sort());
  });

  it('drops new posts by a Bluesky person under a blocked domain at ingest', () => {
    store.blockDomain('example.com');
    expect(postBy(alice, places.portland)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM posts WHERE acct = ?').pluck().get(alice)).toBe(1);
  });

  it('takes a person off when their handle moves onto a blocked domain, and back when it moves off', () => {
    store.blockDomain('spam.example');
    const off = store.setBlueskyHandle(near, 'near.spam.example');
    expect(off.map((e) => e.type)).toEqual(['remove']);
    expect(onMap()).not.toContain(near);
    const back = store.setBlueskyHandle(near, 'near.bsky.social');
    expect(back.map((e) => e.type)).toEqual(['contributor']);
    expect(onMap()).toContain(near);
    expect(store.setBlueskyHandle(near, 'near.bsky.social')).toEqual([]);
  });

  it('keeps the handles and the block across a restart', () => {
    store.blockDomain('example.com');
    db.close();
    open();
    expect(store.isBlocked(alice)).toBe(true);
    expect(onMap()).toEqual([near]);
    store.unblockDomain('example.com');
    expect(onMap()).toEqual([ada, alice, bare, near].sort());
  });

  it('leaves unlocated posts of a Bluesky person under a blocked domain out of the moderators’ list', () => {
    store.ingest([
      {
        post: post({
          uri: `at://${alice}/app.bsky.feed.post/3kx`,
          account: account({ acct: alice }),
        }),
        located: null,
        source: 'bluesky:jetstream',
        campaignTags: tags,
      },
    ]);
    expect(store.unlocatedPosts('yourturn').map((p) => p.acct)).toEqual([alice]);
    store.blockDomain('example.com');
    expect(store.unlocatedPosts('yourturn')).toEqual([]);
    store.unblockDomain('example.com');
    expect(store.unlocatedPosts('yourturn').map((p) => p.acct)).toEqual([alice]);
  });

  it('blocks, from another process on the same file, the handles the collecting process stored after it opened', () => {
    // A serving process opened before the collector read Dora's profile; it learns the handle
    // from the table, so blocking the domain there takes her off too.
    const serving = createStore(openTestDb(join(dir, 'handles.db')));
    const dora = did('dora');
    store.setBlueskyHandle(dora, 'dora.example.com');
    postBy(dora, places.lagos);
    const events = serving.blockDomain('example.com');
    expect(events.map((e) => (e.data as { acct: string }).acct)).toContain(dora);
    expect(onMap()).toEqual([near]);
    expect(serving.isBlocked(dora)).toBe(true);
  });
});
