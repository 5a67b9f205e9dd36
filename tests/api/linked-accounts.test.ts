import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createCityIndex } from '../../server/map/city-index.js';
import { blueskyNames, fediverseNames } from '../../server/model/account-links.js';
import type { Post } from '../../server/model/post.js';
import type { Place } from '../../shared/types.js';
import { account, located, places, post } from '../helpers/posts.js';
import { apiFixture } from './fixture.js';

// A linked pair (#16): ada@a.example's Mastodon field names ada.bsky.social, and that Bluesky
// account's description names @ada@a.example. One person on the map, wherever they posted last.

let fx: ReturnType<typeof apiFixture>;
afterEach(() => fx?.close());

const did = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';
const fedi = 'ada@a.example';
const tag = 'yourturn';
const world = '-180,-85,180,85';

const fediProfile = (field: string) => ({
  acct: fedi,
  url: 'https://a.example/@ada',
  note: '<p>Maps.</p>',
  fields: [{ name: 'Bluesky', value: field }],
});
const bskyProfile = (description: string) => ({ did, handle: 'ada.bsky.social', description });

let n = 0;
/** A Mastodon post by ada, whose profile field says `field`. */
function fediPost(place: Place, createdAt: string, field = 'ada.bsky.social') {
  n++;
  return ingest(
    post({
      uri: `https://a.example/users/ada/statuses/${n}`,
      createdAt,
      account: account({
        acct: fedi,
        displayName: 'Ada',
        url: 'https://a.example/@ada',
        links: fediverseNames(fediProfile(field)),
      }),
    }),
    place,
    'https://a.example',
  );
}

/** A Bluesky post by ada.bsky.social, whose description says `description`. */
function bskyPost(place: Place, createdAt: string, description = 'fedi: @ada@a.example') {
  n++;
  return ingest(
    post({
      uri: `at://${did}/app.bsky.feed.post/3k${n}`,
      url: `https://bsky.app/profile/${did}/post/3k${n}`,
      createdAt,
      account: account({
        acct: did,
        displayName: 'Ada (bsky)',
        url: `https://bsky.app/profile/${did}`,
        links: blueskyNames(bskyProfile(description)),
      }),
    }),
    place,
    'bluesky:jetstream',
  );
}

function ingest(p: Post, place: Place, source: string) {
  return fx.store.ingest([{ post: p, located: located(place), source, campaignTags: [tag] }]);
}

/** Ada on both networks (Portland on Mastodon, then Lagos on Bluesky), and Bo in Lyon. */
function linkedPair() {
  fx = apiFixture();
  fx.join('bo@b.example', places.lyon);
  fediPost(places.portland, '2026-11-01T10:00:00.000Z');
  bskyPost(places.lagos, '2026-11-02T10:00:00.000Z');
}

type Props = { acct: string; network: string; linked?: { acct: string; network: string } };

async function people(network = '') {
  const res = await request(fx.app)
    .get(`/api/campaigns/${tag}/contributors${network && `?network=${network}`}`)
    .expect(200);
  return (JSON.parse(res.text).features as { properties: Props & { place: { name: string } } }[])
    .map((f) => f.properties)
    .map((p) => `${p.acct}@${p.place.name}${p.linked ? `+${p.linked.acct}` : ''}`)
    .sort();
}

async function summary(network = '') {
  const res = await request(fx.app)
    .get(`/api/campaigns/${tag}${network && `?network=${network}`}`)
    .expect(200);
  return res.body as { contributors: number; cities: number; networks: Record<string, number> };
}

async function viewCities(network = '') {
  const res = await request(fx.app)
    .get(
      `/api/campaigns/${tag}/contributors?bbox=${world}&zoom=12${network && `&network=${network}`}`,
    )
    .expect(200);
  return (res.body.features as { properties: { place: { name: string }; count: number } }[])
    .map((f) => `${f.properties.place.name}:${f.properties.count}`)
    .sort();
}

describe('linked accounts on the map', () => {
  it('shows a linked pair once, at the newer post’s city, with both accounts', async () => {
    linkedPair();
    expect(await people()).toEqual(['bo@b.example@Lyon', `${did}@Lagos+${fedi}`].sort());
    const res = await request(fx.app).get(`/api/campaigns/${tag}/contributors`).expect(200);
    const ada = JSON.parse(res.text).features.find((f: { id: string }) => f.id === did);
    expect(ada.properties).toMatchObject({
      acct: did,
      network: 'bluesky',
      profileUrl: `https://bsky.app/profile/${did}`,
      linked: { acct: fedi, network: 'fediverse', profileUrl: 'https://a.example/@ada' },
    });
    expect(await summary()).toMatchObject({
      contributors: 2,
      cities: 2,
      networks: { fediverse: 2, bluesky: 1 },
    });
    expect(await viewCities()).toEqual(['Lagos:1', 'Lyon:1']);
    const portland = await request(fx.app)
      .get(`/api/campaigns/${tag}/places/${places.portland.id}/contributors`)
      .expect(200);
    expect(portland.body.total).toBe(0);
    const lagos = await request(fx.app)
      .get(`/api/campaigns/${tag}/places/${places.lagos.id}/contributors`)
      .expect(200);
    expect(lagos.body.contributors.map((p: Props) => p.acct)).toEqual([did]);
    const csv = await request(fx.app).get(`/api/campaigns/${tag}/export.csv`).expect(200);
    expect(csv.text.trim().split('\n')).toHaveLength(3); // header and two people
    const near = await request(fx.app)
      .get(`/api/campaigns/${tag}/nearby?lat=6.4&lng=3.4&limit=10&radiusKm=20000`)
      .expect(200);
    expect(near.body.features.map((f: { id: string }) => f.id).sort()).toEqual([
      'bo@b.example',
      did,
    ]);
    // The post route answers for either account of the pair.
    const post = await request(fx.app)
      .get(`/api/campaigns/${tag}/contributors/${encodeURIComponent(fedi)}/post`)
      .expect(200);
    expect(post.body.acct).toBe(did);
  });

  it('counts the pair in each network’s figures and under either filter, once in everyone', async () => {
    linkedPair();
    expect(await summary('bluesky')).toMatchObject({ contributors: 1, cities: 1 });
    expect(await summary('fediverse')).toMatchObject({ contributors: 2, cities: 2 });
    expect(await people('bluesky')).toEqual([`${did}@Lagos+${fedi}`].sort());
    expect(await people('fediverse')).toEqual(['bo@b.example@Lyon', `${did}@Lagos+${fedi}`].sort());
    expect(await viewCities('fediverse')).toEqual(['Lagos:1', 'Lyon:1']);
    const cities = await request(fx.app).get(`/api/campaigns/${tag}/cities?network=fediverse`);
    expect(cities.body.total).toBe(2);
  });

  it('moves the person to the fediverse account’s city when it posts later', async () => {
    linkedPair();
    const events = fediPost(places.portland, '2026-11-03T10:00:00.000Z');
    expect(events.map((e) => `${e.type} ${(e.data as { acct?: string }).acct ?? ''}`)).toEqual([
      `remove ${did}`,
      'contributor ',
    ]);
    expect(await people()).toEqual(['bo@b.example@Lyon', `${fedi}@Portland+${did}`].sort());
    expect(await summary()).toMatchObject({
      contributors: 2,
      networks: { fediverse: 2, bluesky: 1 },
    });
  });

  it('splits the pair when the Bluesky description no longer names the fediverse address', async () => {
    linkedPair();
    const events = fx.store.refreshAccount(did, {
      displayName: 'Ada (bsky)',
      url: `https://bsky.app/profile/${did}`,
      avatar: 'https://example.social/avatars/ada.png',
      links: blueskyNames(bskyProfile('Maps, only here now.')),
    });
    expect(events.map((e) => e.type).sort()).toEqual(['contributor', 'contributor']);
    expect(await people()).toEqual(
      [`${did}@Lagos`, 'bo@b.example@Lyon', `${fedi}@Portland`].sort(),
    );
    expect(await summary()).toMatchObject({
      contributors: 3,
      networks: { fediverse: 2, bluesky: 1 },
    });
    expect(await summary('bluesky')).toMatchObject({ contributors: 1 });
  });

  it('splits the pair when a new Mastodon post carries a profile without the handle', async () => {
    linkedPair();
    fediPost(places.portland, '2026-11-01T11:00:00.000Z', 'my other account is elsewhere');
    expect(await people()).toEqual(
      [`${did}@Lagos`, 'bo@b.example@Lyon', `${fedi}@Portland`].sort(),
    );
  });

  it('does not link when only one side names the other', async () => {
    fx = apiFixture();
    fediPost(places.portland, '2026-11-01T10:00:00.000Z');
    bskyPost(places.lagos, '2026-11-02T10:00:00.000Z', 'Maps.');
    expect(await people()).toEqual([`${did}@Lagos`, `${fedi}@Portland`].sort());
    expect(await summary()).toMatchObject({ contributors: 2 });
  });

  it('never shows a hidden account through its partner, and links again when it is unhidden', async () => {
    linkedPair();
    const events = fx.store.hideAccount(fedi);
    expect(await people()).toEqual([`${did}@Lagos`, 'bo@b.example@Lyon'].sort());
    const leaked = JSON.stringify(events.filter((e) => e.type === 'contributor'));
    expect(leaked).not.toContain(fedi);
    expect(leaked).not.toContain('a.example/@ada');
    expect(await summary('fediverse')).toMatchObject({ contributors: 1 });
    fx.store.unhideAccount(fedi);
    expect(await people()).toEqual(['bo@b.example@Lyon', `${did}@Lagos+${fedi}`].sort());
    fx.store.hideAccount(did);
    expect(await people()).toEqual(['bo@b.example@Lyon', `${fedi}@Portland`].sort());
  });

  it('splits the pair when one account opts out, and forgets its names', async () => {
    linkedPair();
    fx.store.forgetAccount(did);
    expect(await people()).toEqual(['bo@b.example@Lyon', `${fedi}@Portland`].sort());
    expect(
      fx.db.prepare('SELECT count(*) FROM account_names WHERE acct = ?').pluck().get(did),
    ).toBe(0);
  });

  it('links nobody when an account names two accounts on the other side that both name it', async () => {
    fx = apiFixture();
    const other = 'did:plc:second000000000000000000';
    fediPost(places.portland, '2026-11-01T10:00:00.000Z', 'ada.bsky.social and ada2.bsky.social');
    bskyPost(places.lagos, '2026-11-02T10:00:00.000Z');
    fx.store.ingest([
      {
        post: post({
          uri: `at://${other}/app.bsky.feed.post/3kz`,
          createdAt: '2026-11-03T10:00:00.000Z',
          account: account({
            acct: other,
            url: `https://bsky.app/profile/${other}`,
            links: blueskyNames({
              did: other,
              handle: 'ada2.bsky.social',
              description: '@ada@a.example',
            }),
          }),
        }),
        located: located(places.lyon),
        source: 'bluesky:jetstream',
        campaignTags: [tag],
      },
    ]);
    expect(await people()).toEqual([`${did}@Lagos`, `${fedi}@Portland`, `${other}@Lyon`].sort());
  });

  it('shows one account alone while the other has no located post, and links them once it has', async () => {
    fx = apiFixture();
    fx.store.ingest([
      {
        post: post({
          uri: 'https://a.example/users/ada/statuses/unplaced',
          account: account({
            acct: fedi,
            url: 'https://a.example/@ada',
            links: fediverseNames(fediProfile('ada.bsky.social')),
          }),
        }),
        located: null,
        source: 'https://a.example',
        campaignTags: [tag],
      },
    ]);
    const events = bskyPost(places.lagos, '2026-11-02T10:00:00.000Z');
    expect(JSON.stringify(events)).not.toContain(fedi);
    expect(await people()).toEqual([`${did}@Lagos`]);
    fediPost(places.portland, '2026-11-03T10:00:00.000Z');
    expect(await people()).toEqual([`${fedi}@Portland+${did}`]);
  });

  it('links a fediverse account with its Bridgy Fed mirror on Bluesky without any text', async () => {
    fx = apiFixture();
    const mirror = 'did:plc:mirror0000000000000000000';
    fediPost(places.portland, '2026-11-01T10:00:00.000Z', 'nothing about Bluesky');
    fx.store.ingest([
      {
        post: post({
          uri: `at://${mirror}/app.bsky.feed.post/3km`,
          createdAt: '2026-11-01T10:00:01.000Z',
          account: account({
            acct: mirror,
            url: `https://bsky.app/profile/${mirror}`,
            links: blueskyNames({
              did: mirror,
              handle: 'ada.a.example.ap.brid.gy',
              description: '',
            }),
          }),
        }),
        located: located(places.portland),
        source: 'bluesky:jetstream',
        campaignTags: [tag],
      },
    ]);
    expect(await people()).toEqual([`${mirror}@Portland+${fedi}`]);
  });

  it('keeps the live map model equal to one loaded afresh through links, moves and splits', async () => {
    fx = apiFixture();
    const live = createCityIndex(fx.store, fx.store.queries, { staleMs: 0 });
    const keys = [tag, `${tag}~fediverse`, `${tag}~bluesky`];
    keys.forEach((k) => live.warm(k));
    fx.join('bo@b.example', places.lyon);
    fediPost(places.portland, '2026-11-01T10:00:00.000Z');
    bskyPost(places.lagos, '2026-11-02T10:00:00.000Z');
    fediPost(places.lyon, '2026-11-03T10:00:00.000Z');
    fx.store.hideAccount(fedi);
    fx.store.unhideAccount(fedi);
    bskyPost(places.portland, '2026-11-04T10:00:00.000Z', 'nothing to say');
    bskyPost(places.lagos, '2026-11-05T10:00:00.000Z');
    const fresh = createCityIndex(fx.store, fx.store.queries, { staleMs: 0 });
    for (const key of keys) {
      expect(live.stats(key), key).toEqual(fresh.stats(key));
      expect(live.joinsPerDay(key), key).toEqual(fresh.joinsPerDay(key));
      expect(live.top(key, 10), key).toEqual(fresh.top(key, 10));
    }
    expect(fresh.stats(tag).contributors).toBe(2);
    live.close();
    fresh.close();
  });
});

describe('the campaign figures behind their cache', () => {
  /** The pair and Bo, with the summary cached for a minute (the default is 5 s; tests use 0). */
  function cachedPair() {
    fx = apiFixture({ summaryTtlMs: 60_000 });
    fx.join('bo@b.example', places.lyon);
    fediPost(places.portland, '2026-11-01T10:00:00.000Z');
    bskyPost(places.lagos, '2026-11-02T10:00:00.000Z');
  }

  it('counts a pair that splits because one side is hidden at once, not when the cache expires', async () => {
    cachedPair();
    expect((await summary()).networks).toEqual({ fediverse: 2, bluesky: 1 });
    fx.store.hideAccount(fedi); // the pair's row stays, placed by the Bluesky account, unpaired
    expect((await summary()).networks).toEqual({ fediverse: 1, bluesky: 1 });
    expect((await summary('fediverse')).contributors).toBe(1);
  });

  it('counts someone who left at once, and keeps a newcomer for the cache’s lifetime', async () => {
    cachedPair();
    expect((await summary()).contributors).toBe(2);
    fx.store.hideAccount('bo@b.example');
    expect((await summary()).contributors).toBe(1);
    fx.join('cy@c.example', places.lyon); // arrivals are not worth a fresh read
    expect((await summary()).contributors).toBe(1);
  });
});
