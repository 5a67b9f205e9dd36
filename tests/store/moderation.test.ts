import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import { createStore, type ContributorChange, type Store } from '../../server/store/store.js';
import { account, located, places, post } from '../helpers/posts.js';

const source = 'https://a.example';
const tags = ['yourturn'];

describe('store moderation and change feed', () => {
  let dir: string;
  let db: Db;
  let store: Store;
  let changes: ContributorChange[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fto-mod-'));
    db = openTestDb(join(dir, 'test.db'));
    store = createStore(db);
    store.ensureCampaigns(tags);
    changes = [];
    store.onChange((c) => changes.push(...c.contributors));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports who appeared, moved and left, after each commit', () => {
    store.ingest([{ post: post(), located: located(places.lagos), source, campaignTags: tags }]);
    const later = post({ createdAt: '2027-01-01T00:00:00.000Z' });
    store.ingest([{ post: later, located: located(places.lyon), source, campaignTags: tags }]);
    store.forgetAccount('ada@example.social');
    const joinedAt = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);
    expect(changes).toEqual([
      { tag: 'yourturn', acct: 'ada@example.social', from: null, to: places.lagos.id, joinedAt },
      {
        tag: 'yourturn',
        acct: 'ada@example.social',
        from: places.lagos.id,
        to: places.lyon.id,
        joinedAt,
      },
      { tag: 'yourturn', acct: 'ada@example.social', from: places.lyon.id, to: null, joinedAt },
    ]);
  });

  it('falls back to the previous located post when the latest is hidden, and back again on unhide', () => {
    const older = post();
    const newer = post();
    store.ingest([
      { post: older, located: located(places.lagos), source, campaignTags: tags },
      { post: newer, located: located(places.lyon), source, campaignTags: tags },
    ]);
    const hidden = store.hidePost(newer.uri)!;
    expect(hidden.map((e) => e.type)).toEqual(['contributor']);
    expect(store.contributor('yourturn', 'ada@example.social')!.properties.place.name).toBe(
      'Lagos',
    );
    store.unhidePost(newer.uri);
    expect(store.contributor('yourturn', 'ada@example.social')!.properties.place.name).toBe('Lyon');
    expect(store.hidePost('https://nowhere.example/1')).toBeNull();
  });

  it('keeps a place set by hand when the author edits the post', () => {
    const p = post();
    store.ingest([{ post: p, located: located(places.lagos), source, campaignTags: tags }]);
    store.setPostPlace(p.uri, places.portland);
    const edited = {
      ...p,
      editedAt: '2027-01-01T00:00:00.000Z',
      content: '<p>#YourTurn Lagos!</p>',
    };
    store.ingest([{ post: edited, located: located(places.lagos), source, campaignTags: tags }]);
    expect(store.contributor('yourturn', 'ada@example.social')!.properties).toMatchObject({
      place: { name: 'Portland' },
      excerpt: '<p>#YourTurn Lagos!</p>',
    });
  });

  it('follows an edit that adds or removes a content warning, and sends the feature again', () => {
    const p = post({ content: '<p>#YourTurn Lagos, the story</p>' });
    store.ingest([{ post: p, located: located(places.lagos), source, campaignTags: tags }]);
    const warned = {
      ...p,
      editedAt: '2027-01-01T00:00:00.000Z',
      spoilerText: 'grief',
      sensitive: true,
    };
    const events = store.ingest([
      { post: warned, located: located(places.lagos), source, campaignTags: tags },
    ]);
    const expected = { contentWarning: 'grief', sensitive: true, excerpt: '' };
    expect(events.map((e) => e.type)).toEqual(['contributor']);
    expect(events[0]!.data).toMatchObject({ properties: expected });
    expect(store.contributor('yourturn', 'ada@example.social')!.properties).toMatchObject(expected);
    expect(store.contributorPost('yourturn', 'ada@example.social')).toMatchObject({
      contentWarning: 'grief',
      excerpt: '<p>#YourTurn Lagos, the story</p>',
    });
    const unwarned = { ...p, editedAt: '2027-01-02T00:00:00.000Z' };
    store.ingest([{ post: unwarned, located: located(places.lagos), source, campaignTags: tags }]);
    expect(store.contributor('yourturn', 'ada@example.social')!.properties).toMatchObject({
      contentWarning: null,
      sensitive: false,
      excerpt: '<p>#YourTurn Lagos, the story</p>',
    });
    // An older copy from a slower instance does not put the warning back.
    store.ingest([{ post: warned, located: located(places.lagos), source, campaignTags: tags }]);
    expect(store.contributor('yourturn', 'ada@example.social')!.properties.sensitive).toBe(false);
  });

  it('forgets the warning with the text when a post is deleted', () => {
    const p = post({ spoilerText: 'grief', sensitive: true });
    store.ingest([{ post: p, located: located(places.lagos), source, campaignTags: tags }]);
    store.deleteByUri(p.uri);
    expect(db.prepare('SELECT content, spoiler_text FROM posts').get()).toEqual({
      content: '',
      spoiler_text: '',
    });
    expect(store.contributorPost('yourturn', 'ada@example.social')).toBeNull();
  });

  it('drops posts of hidden accounts and blocked domains at ingest, and keeps that across a restart', () => {
    store.hideAccount('ada@example.social');
    store.blockDomain('Spam.Example');
    store.ingest([
      { post: post(), located: located(places.lagos), source, campaignTags: tags },
      {
        post: post({ account: account({ acct: 'x@spam.example' }) }),
        located: located(places.lyon),
        source,
        campaignTags: tags,
      },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 0 });
    const again = createStore(db);
    expect(again.isBlocked('ada@example.social')).toBe(true);
    expect(again.isBlocked('y@SPAM.example')).toBe(true);
    expect(again.isBlocked('y@other.example')).toBe(false);
    again.unblockDomain('spam.example');
    expect(again.isBlocked('y@spam.example')).toBe(false);
  });

  it("lists a campaign's unlocated posts newest first, without deleted ones", () => {
    const a = post({ uri: 'https://a.example/s/a' });
    const b = post({ uri: 'https://a.example/s/b' });
    store.ingest([
      { post: a, located: null, source, campaignTags: tags },
      { post: b, located: null, source, campaignTags: tags },
    ]);
    expect(store.unlocatedPosts('yourturn').map((p) => p.uri)).toEqual([b.uri, a.uri]);
    store.deleteByUri(b.uri);
    expect(store.unlocatedPosts('yourturn').map((p) => p.uri)).toEqual([a.uri]);
    expect(store.queries.unlocatedCount('yourturn')).toBe(1);
  });

  it('leaves hidden posts, hidden accounts and blocked domains out of the unlocated list until undone', () => {
    const by = (acct: string) => post({ account: account({ acct }) });
    const mine = by('ada@example.social');
    const hiddenPost = by('ada@example.social');
    const hiddenAccount = by('bo@example.social');
    const blocked = by('cy@Spam.Example');
    store.ingest(
      [mine, hiddenPost, hiddenAccount, blocked].map((p) => ({
        post: p,
        located: null,
        source,
        campaignTags: tags,
      })),
    );
    const unlocated = () => store.unlocatedPosts('yourturn').map((p) => p.uri);
    store.hidePost(hiddenPost.uri);
    store.hideAccount('bo@example.social');
    store.blockDomain('spam.example');
    expect(unlocated()).toEqual([mine.uri]);
    store.unhidePost(hiddenPost.uri);
    store.unhideAccount('bo@example.social');
    store.unblockDomain('spam.example');
    expect(unlocated()).toEqual([blocked.uri, hiddenAccount.uri, hiddenPost.uri, mine.uri]);
  });

  it('names the author, the link and the place of hidden and hand-placed posts', () => {
    const hidden = post();
    const placed = post({ account: account({ acct: 'bo@example.social' }) });
    store.ingest([
      { post: hidden, located: located(places.lagos), source, campaignTags: tags },
      { post: placed, located: null, source, campaignTags: tags },
    ]);
    store.hidePost(hidden.uri);
    store.setPostPlace(placed.uri, places.portland);
    const at = expect.stringMatching(/^\d{4}-/);
    expect(store.moderation()).toMatchObject({
      hiddenPosts: [{ uri: hidden.uri, url: hidden.url, acct: 'ada@example.social', at }],
      placeFixes: [
        {
          uri: placed.uri,
          url: placed.url,
          acct: 'bo@example.social',
          placeId: places.portland.id,
          place: { name: 'Portland', admin1: 'Oregon', country: 'US' },
          at,
        },
      ],
    });
  });
});
