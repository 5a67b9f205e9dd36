import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { account, located, places, post } from '../helpers/posts.js';
import { apiFixture } from './fixture.js';

let fx: ReturnType<typeof apiFixture>;
afterEach(() => fx?.close());

const did = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';

/** One fediverse person in Portland and Lyon each, one Bluesky person in Lagos. */
function twoNetworks() {
  fx = apiFixture();
  fx.join('ada@a.example', places.portland);
  fx.join('bo@b.example', places.lyon);
  fx.store.ingest([
    {
      post: post({
        uri: `at://${did}/app.bsky.feed.post/3kabc`,
        url: `https://bsky.app/profile/${did}/post/3kabc`,
        account: account({ acct: did, displayName: 'Cy', url: `https://bsky.app/profile/${did}` }),
      }),
      located: located(places.lagos),
      source: 'bluesky:jetstream',
      campaignTags: ['yourturn'],
    },
  ]);
  return fx;
}

const world = '-180,-85,180,85';

describe('networks on the map', () => {
  it('marks each contributor with their network and counts both in the summary', async () => {
    twoNetworks();
    const all = await request(fx.app).get('/api/campaigns/yourturn/contributors').expect(200);
    const networks = Object.fromEntries(
      all.body.features.map((f: { properties: { acct: string; network: string } }) => [
        f.properties.acct,
        f.properties.network,
      ]),
    );
    expect(networks).toEqual({
      'ada@a.example': 'fediverse',
      'bo@b.example': 'fediverse',
      [did]: 'bluesky',
    });
    const summary = await request(fx.app).get('/api/campaigns/yourturn').expect(200);
    expect(summary.body.networks).toEqual({ fediverse: 2, bluesky: 1 });
    expect(summary.body.contributors).toBe(3);
  });

  it('answers ?network= with that network’s people, cities and figures only', async () => {
    twoNetworks();
    const bsky = await request(fx.app)
      .get(`/api/campaigns/yourturn/contributors?bbox=${world}&zoom=12&network=bluesky`)
      .expect(200);
    expect(
      bsky.body.features.map(
        (f: { properties: { place: { name: string } } }) => f.properties.place.name,
      ),
    ).toEqual(['Lagos']);
    const fedi = await request(fx.app).get('/api/campaigns/yourturn?network=fediverse').expect(200);
    expect(fedi.body).toMatchObject({
      contributors: 2,
      cities: 2,
      networks: { fediverse: 2, bluesky: 1 },
    });
    const list = await request(fx.app)
      .get('/api/campaigns/yourturn/contributors?network=bluesky')
      .expect(200);
    expect(
      JSON.parse(list.text).features.map(
        (f: { properties: { acct: string } }) => f.properties.acct,
      ),
    ).toEqual([did]);
    const geojson = await request(fx.app)
      .get('/api/campaigns/yourturn/export.geojson?network=bluesky')
      .expect(200);
    expect(JSON.parse(geojson.text).features.map((f: { id: string }) => f.id)).toEqual([did]);
    const csv = await request(fx.app)
      .get('/api/campaigns/yourturn/export.csv?network=fediverse')
      .expect(200);
    expect(csv.text.trim().split('\r\n')).toHaveLength(3);
    expect(csv.text).not.toContain(did);
    const everyone = await request(fx.app).get('/api/campaigns/yourturn/export.csv').expect(200);
    const rows = everyone.text
      .trim()
      .split('\r\n')
      .map((line) => line.split(',').slice(0, 2));
    expect(rows[0]).toEqual(['acct', 'network']);
    expect(rows).toContainEqual([did, 'bluesky']);
    expect(rows.filter(([, network]) => network === 'fediverse')).toHaveLength(2);
    // A new Bluesky person counts in the filtered view at once (the map model follows the store).
    fx.store.ingest([
      {
        post: post({
          uri: `at://did:plc:other/app.bsky.feed.post/1`,
          account: account({ acct: 'did:plc:other' }),
        }),
        located: located(places.lyon),
        source: 'bluesky:jetstream',
        campaignTags: ['yourturn'],
      },
    ]);
    const after = await request(fx.app).get('/api/campaigns/yourturn?network=bluesky').expect(200);
    expect(after.body).toMatchObject({ contributors: 2, cities: 2 });
  });

  it('narrows the city list, a city’s people and nearby to one network', async () => {
    twoNetworks();
    // Ada (fediverse) joins Cy (Bluesky) in Lagos.
    fx.join('dee@d.example', places.lagos);
    const countries = await request(fx.app)
      .get('/api/campaigns/yourturn/countries?network=bluesky')
      .expect(200);
    expect(countries.body.countries).toMatchObject([{ country: 'NG', count: 1 }]);
    const list = await request(fx.app)
      .get('/api/campaigns/yourturn/cities?network=fediverse')
      .expect(200);
    expect(
      list.body.features
        .map((f: { properties: { place: { name: string } } }) => f.properties.place.name)
        .sort(),
    ).toEqual(['Lagos', 'Lyon', 'Portland']);
    const lagos = await request(fx.app)
      .get(`/api/campaigns/yourturn/places/${places.lagos.id}/contributors?network=bluesky`)
      .expect(200);
    expect(lagos.body.total).toBe(1);
    expect(lagos.body.contributors.map((c: { acct: string }) => c.acct)).toEqual([did]);
    const near = await request(fx.app)
      .get(`/api/campaigns/yourturn/nearby?lat=6.5&lng=3.4&network=fediverse`)
      .expect(200);
    expect(near.body.features.map((f: { id: string }) => f.id)[0]).toBe('dee@d.example');
    expect(near.body.features.map((f: { id: string }) => f.id)).not.toContain(did);
  });

  it('refuses an unknown network, quoting it, and serves a Bluesky person’s post by DID', async () => {
    twoNetworks();
    const bad = await request(fx.app).get('/api/campaigns/yourturn?network=myspace').expect(400);
    expect(bad.body.error).toContain('network');
    expect(bad.body.error).toContain('myspace');
    const p = await request(fx.app)
      .get(`/api/campaigns/yourturn/contributors/${did}/post`)
      .expect(200);
    expect(p.body.acct).toBe(did);
  });

  it('lets a moderator hide a Bluesky person by DID', async () => {
    fx = apiFixture({ adminToken: 'secret-token' });
    fx.store.ingest([
      {
        post: post({ uri: `at://${did}/app.bsky.feed.post/1`, account: account({ acct: did }) }),
        located: located(places.lagos),
        source: 'bluesky:jetstream',
        campaignTags: ['yourturn'],
      },
    ]);
    await request(fx.app)
      .post(`/api/admin/accounts/${did}/hide`)
      .set('Authorization', 'Bearer secret-token')
      .expect(200);
    const all = await request(fx.app).get('/api/campaigns/yourturn/contributors').expect(200);
    expect(all.body.features).toEqual([]);
  });

  it('passes ?network= of a framed map on to the element, and refuses an unknown one', async () => {
    fx = apiFixture();
    const page = await request(fx.app).get('/embed/yourturn?network=bluesky').expect(200);
    expect(page.text).toContain(
      '<find-the-others campaign="yourturn" height="100vh" network="bluesky">',
    );
    await request(fx.app).get('/embed/yourturn?network=myspace').expect(400);
  });
});
