import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jetstreamSource } from '../../../server/collector/bluesky/index.js';
import { blueskyModerationDid } from '../../../server/collector/bluesky/profiles.js';
import {
  anotherJetstream,
  blueskyDoubles,
  closeBluesky,
  followBluesky,
  untilPeople,
} from './harness.js';

afterEach(closeBluesky);

const doubles = blueskyDoubles;

/** Bluesky's collector reading the doubles (harness.ts), with a profile TTL when given. */
const follow = (
  urls: { jetstreams: string[]; appView: string },
  options: { dir?: string; ttlMs?: number } = {},
) => followBluesky({ jetstreams: urls.jetstreams, appViews: [urls.appView], ...options });

const alice = 'did:plc:alice000000000000000000';
const bob = 'did:plc:bob0000000000000000000000';

// Each test may wait twice on a busy CI machine (untilPeople); 30 s was the whole budget for one.
describe('Bluesky through Jetstream', { timeout: 60_000 }, () => {
  it('puts an author on the map once the AppView has read their profile, with its name and a bsky.app link', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({
      did: alice,
      handle: 'alice.bsky.social',
      displayName: 'Alice',
      avatar: 'https://cdn.example/a.jpg',
    });
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url });
    await expect.poll(() => jetstream.connections()).toBe(1);
    const { rkey } = jetstream.post({ did: alice, text: '#YourTurn Lisbon, Portugal' });
    await untilPeople(b, { [alice]: 'Lisbon' });
    const f = b.store.contributor('yourturn', alice)!;
    expect(f.properties.displayName).toBe('Alice');
    expect(f.properties.avatar).toBe('https://cdn.example/a.jpg');
    expect(f.properties.profileUrl).toBe(`https://bsky.app/profile/${alice}`);
    expect(f.properties.postUrl).toBe(`https://bsky.app/profile/${alice}/post/${rkey}`);
    expect(appView.calls).toEqual([[alice]]);
  });

  it('matches the tag in the text in any case, without a facet, and ignores posts without it', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({ did: alice, handle: 'alice.bsky.social' });
    appView.setProfile({ did: bob, handle: 'bob.bsky.social' });
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url });
    await expect.poll(() => jetstream.connections()).toBe(1);
    jetstream.raw(
      JSON.stringify({
        did: alice,
        time_us: Date.now() * 1000,
        kind: 'commit',
        commit: {
          rev: 'x',
          operation: 'create',
          collection: 'app.bsky.feed.post',
          rkey: '3kabc',
          record: {
            $type: 'app.bsky.feed.post',
            text: 'me too #YOURTURN from Nairobi',
            createdAt: new Date().toISOString(),
          },
          cid: 'c',
        },
      }),
    );
    jetstream.post({ did: bob, text: 'just Oslo, no tag' });
    jetstream.post({ did: bob, text: 'Osaka', facetTags: ['YourTurn'] });
    await untilPeople(b, { [alice]: 'Nairobi', [bob]: 'Osaka' });
    expect(b.db.prepare('SELECT count(*) FROM posts').pluck().get()).toBe(2);
  });

  it('never shows an author with the !no-unauthenticated self-label or one the AppView does not serve, and stores nothing of them', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({
      did: alice,
      handle: 'alice.bsky.social',
      labels: [{ src: alice, val: '!no-unauthenticated' }],
    });
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url });
    await expect.poll(() => jetstream.connections()).toBe(1);
    jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    jetstream.post({ did: bob, text: '#YourTurn Lima' }); // bob: no profile served (taken down)
    await expect.poll(() => b.store.consent.get(bob)?.state).toBe('refused');
    await expect.poll(() => b.store.consent.get(alice)?.state).toBe('refused');
    expect(b.store.consent.get(alice)?.reason).toBe('label !no-unauthenticated');
    expect(b.people()).toEqual({});
    expect(b.db.prepare('SELECT count(*) FROM posts').pluck().get()).toBe(0);
    expect(b.store.consent.pendingCount()).toBe(0);
  });

  it('takes an author off the map when a moderation label appears at the re-check, and ignores labels of other labellers', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({
      did: alice,
      handle: 'alice.bsky.social',
      labels: [{ src: 'did:plc:somelabeller', val: 'spam' }],
    });
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url }, { ttlMs: 300 });
    await expect.poll(() => jetstream.connections()).toBe(1);
    jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    await untilPeople(b, { [alice]: 'Lisbon' });
    appView.setProfile({
      did: alice,
      handle: 'alice.bsky.social',
      labels: [{ src: blueskyModerationDid, val: '!hide' }],
    });
    await expect.poll(() => b.people(), { timeout: 5000 }).toEqual({});
    expect(b.store.consent.get(alice)?.reason).toBe('label !hide');
  });

  it('keeps off authors whose handle is under a blocked domain, and a DID hidden by a moderator', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({ did: alice, handle: 'alice.spam.example' });
    appView.setProfile({ did: bob, handle: 'bob.bsky.social' });
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url });
    b.store.blockDomain('spam.example');
    await expect.poll(() => jetstream.connections()).toBe(1);
    jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    jetstream.post({ did: bob, text: '#YourTurn Lima' });
    await untilPeople(b, { [bob]: 'Lima' });
    // The AppView vouched for alice; the moderators' block keeps her off, and nothing of her is kept.
    await expect.poll(() => b.store.consent.get(alice)?.state).toBe('known');
    expect(b.db.prepare('SELECT count(*) FROM posts WHERE acct = ?').pluck().get(alice)).toBe(0);
    b.store.hideAccount(bob);
    expect(b.people()).toEqual({});
    jetstream.post({ did: bob, text: '#YourTurn Porto' });
    await new Promise((r) => setTimeout(r, 200));
    expect(b.people()).toEqual({});
  });

  it('takes people off at once when their handle domain is blocked, back on unblock, and off when a handle change lands on a blocked domain', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({ did: alice, handle: 'alice.team.example' });
    appView.setProfile({ did: bob, handle: 'bob.bsky.social' });
    // A long TTL: nothing here waits for a profile re-read.
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url }, { ttlMs: 3600_000 });
    const live: string[] = [];
    b.store.onChange((c) =>
      live.push(
        ...c.events.map(
          (e) => `${e.type} ${JSON.stringify(e.data).includes(alice) ? 'alice' : 'bob'}`,
        ),
      ),
    );
    await expect.poll(() => jetstream.connections()).toBe(1);
    jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    jetstream.post({ did: bob, text: '#YourTurn Lima' });
    await untilPeople(b, { [alice]: 'Lisbon', [bob]: 'Lima' });
    const calls = appView.calls.length;

    live.length = 0;
    b.store.blockDomain('team.example');
    expect(b.people()).toEqual({ [bob]: 'Lima' });
    expect(live).toEqual(['remove alice']);
    b.store.unblockDomain('team.example');
    expect(b.people()).toEqual({ [alice]: 'Lisbon', [bob]: 'Lima' });
    expect(appView.calls.length).toBe(calls);

    b.store.blockDomain('spam.example');
    // The AppView is down: the identity event alone takes bob off.
    appView.failNext(10_000);
    jetstream.identity(bob, 'bob.spam.example');
    await expect.poll(() => b.people(), { timeout: 1000 }).toEqual({ [alice]: 'Lisbon' });
    jetstream.post({ did: bob, text: '#YourTurn Porto' });
    await new Promise((r) => setTimeout(r, 200));
    expect(b.people()).toEqual({ [alice]: 'Lisbon' });
  });

  it('updates a shown person’s name at the profile re-read, and at once after a handle change', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({ did: alice, handle: 'alice.bsky.social', displayName: 'Alice' });
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url }, { ttlMs: 400 });
    await expect.poll(() => jetstream.connections()).toBe(1);
    jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    const name = () => b.store.contributor('yourturn', alice)?.properties.displayName;
    await expect.poll(name).toBe('Alice');
    appView.setProfile({ did: alice, handle: 'alice.bsky.social', displayName: 'Alice Liddell' });
    await expect.poll(name, { timeout: 5000 }).toBe('Alice Liddell');
    // No display name: the handle stands in, and a new handle shows without waiting for the TTL.
    appView.setProfile({ did: alice, handle: 'alice.example.org' });
    jetstream.identity(alice, 'alice.example.org');
    await expect.poll(name, { timeout: 300 }).toBe('alice.example.org');
  });

  it('removes a deleted post, and an account taken down, from the map', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({ did: alice, handle: 'alice.bsky.social' });
    appView.setProfile({ did: bob, handle: 'bob.bsky.social' });
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url });
    await expect.poll(() => jetstream.connections()).toBe(1);
    const { rkey } = jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    jetstream.post({ did: bob, text: '#YourTurn Lima' });
    await untilPeople(b, { [alice]: 'Lisbon', [bob]: 'Lima' });
    jetstream.deletePost(alice, rkey);
    jetstream.account(bob, false, 'takendown');
    await untilPeople(b, {});
    expect(b.store.consent.get(bob)?.state).toBe('refused');
  });

  it('re-reads an author due soon in the same getProfiles call as one due now', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({ did: alice, handle: 'alice.bsky.social' });
    appView.setProfile({ did: bob, handle: 'bob.bsky.social' });
    // A 6 s TTL: a call made anyway takes those due within its twelfth, 500 ms.
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url }, { ttlMs: 6_000 });
    await expect.poll(() => jetstream.connections()).toBe(1);
    jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    await expect.poll(() => appView.calls.length).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    jetstream.post({ did: bob, text: '#YourTurn Lima' });
    await untilPeople(b, { [alice]: 'Lisbon', [bob]: 'Lima' });
    await expect.poll(() => appView.calls.length, { timeout: 15_000 }).toBe(3);
    expect(appView.calls).toEqual([[alice], [bob], [alice, bob]]);
  });

  it('saves a campaign post soon after it comes, without waiting for the periodic save of the cursor', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({ did: alice, handle: 'alice.bsky.social' });
    // The periodic save a minute away: only the save a campaign post asks for can show it.
    const b = followBluesky({
      jetstreams: [jetstream.url],
      appViews: [appView.url],
      jetstreamTuning: { flushMs: 60_000 },
    });
    await expect.poll(() => jetstream.connections()).toBe(1);
    jetstream.post({ did: alice, text: 'morning, no tag here' });
    jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    await untilPeople(b, { [alice]: 'Lisbon' });
    // A second post by someone already read goes the same way, with no look-up.
    jetstream.post({ did: alice, text: '#YourTurn Lima' });
    await untilPeople(b, { [alice]: 'Lima' });
    expect(appView.calls).toEqual([[alice]]);
  });
  it('drops a waiting post deleted before the AppView answered', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({ did: alice, handle: 'alice.bsky.social' });
    appView.failNext(2);
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url });
    await expect.poll(() => jetstream.connections()).toBe(1);
    const { rkey } = jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    await expect.poll(() => b.store.consent.pendingCount()).toBe(1);
    jetstream.deletePost(alice, rkey);
    await expect.poll(() => b.store.consent.pendingCount()).toBe(0);
    await expect.poll(() => b.store.consent.get(alice)?.state, { timeout: 5000 }).toBe('known');
    expect(b.people()).toEqual({});
  });

  it('saves the cursor with the posts and, reconnecting, replays from a little before it without duplicating', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({ did: alice, handle: 'alice.bsky.social' });
    const b = follow({ jetstreams: [jetstream.url], appView: appView.url });
    await expect.poll(() => jetstream.connections()).toBe(1);
    const { timeUs } = jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    await untilPeople(b, { [alice]: 'Lisbon' });
    await expect.poll(() => Number(b.store.cursor(jetstreamSource, '*').newestId)).toBe(timeUs);
    jetstream.dropConnections();
    await expect.poll(() => jetstream.requests.length).toBe(2);
    expect(Number(jetstream.requests[1]!.cursor)).toBe(timeUs - 5_000_000);
    expect(jetstream.requests[1]!.wantedCollections).toEqual(['app.bsky.feed.post']);
    jetstream.post({ did: alice, text: '#YourTurn Porto' });
    await untilPeople(b, { [alice]: 'Porto' });
    expect(b.db.prepare('SELECT count(*) FROM posts').pluck().get()).toBe(2);
    expect(b.db.prepare('SELECT count(*) FROM post_sources').pluck().get()).toBe(2);
  });

  it('fails over to the next Jetstream when one refuses, keeping one cursor', async () => {
    const { jetstream: first, appView } = await doubles();
    const second = await anotherJetstream();
    first.setDown(true);
    appView.setProfile({ did: alice, handle: 'alice.bsky.social' });
    const b = follow({ jetstreams: [first.url, second.url], appView: appView.url });
    await expect.poll(() => second.connections()).toBe(1);
    second.post({ did: alice, text: '#YourTurn Lisbon' });
    await untilPeople(b, { [alice]: 'Lisbon' });
    expect(
      b.lines.some((l) =>
        /^ws:\/\/127\.0\.0\.1:\d+\/subscribe answered HTTP 503 — trying the next Jetstream$/.test(
          l.msg,
        ),
      ),
    ).toBe(true);
  });

  it('resumes after a restart from the saved cursor: posts made while it was down arrive once', async () => {
    const { jetstream, appView } = await doubles();
    appView.setProfile({ did: alice, handle: 'alice.bsky.social' });
    appView.setProfile({ did: bob, handle: 'bob.bsky.social' });
    const dir = mkdtempSync(join(tmpdir(), 'fto-bsky-restart-'));
    const first = follow({ jetstreams: [jetstream.url], appView: appView.url }, { dir });
    await expect.poll(() => jetstream.connections()).toBe(1);
    jetstream.post({ did: alice, text: '#YourTurn Lisbon' });
    await expect.poll(() => first.people()).toEqual({ [alice]: 'Lisbon' });
    await first.close();
    jetstream.post({ did: bob, text: '#YourTurn Lima' });
    const second = follow({ jetstreams: [jetstream.url], appView: appView.url }, { dir });
    await expect.poll(() => second.people()).toEqual({ [alice]: 'Lisbon', [bob]: 'Lima' });
    expect(second.db.prepare('SELECT count(*) FROM posts').pluck().get()).toBe(2);
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
