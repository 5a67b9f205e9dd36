import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CampaignSummary,
  CityPage,
  CountryList,
  NearbyResult,
  PlacePage,
  ViewFeature,
} from '../../shared/types.js';
import { account, places, post } from '../helpers/posts.js';
import { apiFixture } from './fixture.js';

const villeurbanne = {
  id: 2968254,
  name: 'Villeurbanne',
  admin1: 'Auvergne-Rhône-Alpes',
  country: 'FR',
  lat: 45.76601,
  lng: 4.8795,
  population: 130190,
};

const berlin = {
  id: 2950159,
  name: 'Berlin',
  admin1: 'Land Berlin',
  country: 'DE',
  lat: 52.52437,
  lng: 13.41053,
  population: 3426354,
};

describe('campaign endpoints', () => {
  let f: ReturnType<typeof apiFixture>;
  beforeAll(() => {
    f = apiFixture();
    for (let i = 0; i < 5; i++) f.join(`lagos${i}@a.example`, places.lagos);
    for (let i = 0; i < 3; i++) f.join(`lyon${i}@b.example`, places.lyon);
    f.join('pdx@c.example', places.portland);
    for (let i = 0; i < 2; i++) f.join(`vil${i}@b.example`, villeurbanne);
    f.store.ingest([
      {
        post: post({
          uri: 'https://c.example/users/x/statuses/nowhere',
          account: account({ acct: 'x@c.example' }),
        }),
        located: null,
        source: 'https://a.example',
        campaignTags: ['yourturn'],
      },
    ]);
  });
  afterAll(() => f.close());

  it('summarises a campaign: counts, top cities and countries, joins per day, unlocated posts', async () => {
    const res = await request(f.app).get('/api/campaigns/yourturn').expect(200);
    const s = res.body as CampaignSummary;
    expect(s).toMatchObject({
      tag: 'yourturn',
      contributors: 11,
      cities: 4,
      countries: 3,
      unlocatedPosts: 1,
      identity: { title: '#yourturn', examplePost: '#yourturn <your city>' },
    });
    expect(s.topCities[0]).toEqual({
      place: { id: places.lagos.id, name: 'Lagos', admin1: 'Lagos', country: 'NG' },
      count: 5,
    });
    expect(s.topCountries.map((c) => c.country)).toEqual(['FR', 'NG', 'US']);
    expect(s.joinsPerDay.reduce((n, d) => n + d.count, 0)).toBe(11);
    expect(s.joinsPerDay[0]!.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const all = await request(f.app).get('/api/campaigns').expect(200);
    expect(all.body).toHaveLength(1);
    expect(all.headers['access-control-allow-origin']).toBe('*');
  });

  it('counts a new unlocated post, though it moves no one on the map', async () => {
    const before = (await request(f.app).get('/api/campaigns/yourturn').expect(200)).body;
    f.store.ingest([
      {
        post: post({
          uri: 'https://c.example/users/y/statuses/couch',
          account: account({ acct: 'y@c.example' }),
        }),
        located: null,
        source: 'https://a.example',
        campaignTags: ['yourturn'],
      },
    ]);
    const after = (await request(f.app).get('/api/campaigns/yourturn').expect(200)).body;
    expect(after.unlocatedPosts).toBe(before.unlocatedPosts + 1);
    expect(after.contributors).toBe(before.contributors);
  });

  it('clusters cities weighted by their people at world zoom, and shows single cities at city zoom', async () => {
    const world = await request(f.app)
      .get('/api/campaigns/yourturn/contributors?bbox=-180,-85,180,85&zoom=0')
      .expect(200);
    const features = world.body.features as ViewFeature[];
    const total = features.reduce((n, ft) => n + ft.properties.count, 0);
    expect(total).toBe(11);
    const cluster = features.find((ft) => ft.properties.cluster);
    expect(cluster?.properties).toMatchObject({
      cluster: true,
      count: 5,
      cities: 2,
      label: 'Lyon',
    });

    const city = await request(f.app)
      .get('/api/campaigns/yourturn/contributors?bbox=3,6,4,7&zoom=12')
      .expect(200);
    expect(city.body.features).toEqual([
      {
        type: 'Feature',
        id: places.lagos.id,
        geometry: { type: 'Point', coordinates: [places.lagos.lng, places.lagos.lat] },
        properties: {
          cluster: false,
          place: { id: places.lagos.id, name: 'Lagos', admin1: 'Lagos', country: 'NG' },
          count: 5,
        },
      },
    ]);
  });

  it('expands a cluster into its children with the zoom at which it splits', async () => {
    const world = await request(f.app)
      .get('/api/campaigns/yourturn/contributors?bbox=-180,-85,180,85&zoom=0')
      .expect(200);
    const cluster = (world.body.features as ViewFeature[]).find((ft) => ft.properties.cluster)!;
    const id = (cluster.properties as { clusterId: number }).clusterId;
    const res = await request(f.app).get(`/api/campaigns/yourturn/clusters/${id}`).expect(200);
    expect(res.body.expansionZoom).toBe(
      (cluster.properties as { expansionZoom: number }).expansionZoom,
    );
    const names = (res.body.children as ViewFeature[]).map((c) =>
      c.properties.cluster ? 'cluster' : c.properties.place.name,
    );
    expect(names.sort()).toEqual(['Lyon', 'Villeurbanne']);
    await request(f.app).get('/api/campaigns/yourturn/clusters/999999').expect(404);
  });

  it('still returns every contributor as GeoJSON points without a bbox', async () => {
    const res = await request(f.app).get('/api/campaigns/yourturn/contributors').expect(200);
    expect(res.body.features).toHaveLength(11);
    expect(res.body.features[0].properties.acct).toMatch(/@/);
  });

  it('pages the people of one city newest first with a cursor until the last page', async () => {
    const first = await request(f.app)
      .get(`/api/campaigns/yourturn/places/${places.lagos.id}/contributors?limit=2`)
      .expect(200);
    const p1 = first.body as PlacePage;
    expect(p1.place).toMatchObject({ name: 'Lagos', lat: places.lagos.lat, lng: places.lagos.lng });
    expect(p1.total).toBe(5);
    expect(p1.contributors.map((c) => c.acct)).toEqual(['lagos4@a.example', 'lagos3@a.example']);
    const seen = [...p1.contributors.map((c) => c.acct)];
    let cursor = p1.nextCursor;
    while (cursor) {
      const next = await request(f.app)
        .get(
          `/api/campaigns/yourturn/places/${places.lagos.id}/contributors?limit=2&cursor=${cursor}`,
        )
        .expect(200);
      seen.push(...(next.body as PlacePage).contributors.map((c) => c.acct));
      cursor = (next.body as PlacePage).nextCursor;
    }
    expect(seen).toEqual([4, 3, 2, 1, 0].map((i) => `lagos${i}@a.example`));
    const bad = await request(f.app)
      .get(`/api/campaigns/yourturn/places/${places.lagos.id}/contributors?cursor=nope`)
      .expect(400);
    expect(bad.body.error).toMatch(/cursor: "nope"/);
  });

  it('lists the countries with their people and cities, most people first', async () => {
    const res = await request(f.app).get('/api/campaigns/yourturn/countries').expect(200);
    expect((res.body as CountryList).countries).toEqual([
      { country: 'FR', count: 5, cities: 2 },
      { country: 'NG', count: 5, cities: 1 },
      { country: 'US', count: 1, cities: 1 },
    ]);
  });

  it('pages the cities most people first, of one country or all, with a cursor until the last page', async () => {
    const names = (page: CityPage) =>
      page.features.map((c) => `${c.properties.place.name} ${c.properties.count}`);
    const first = (await request(f.app).get('/api/campaigns/yourturn/cities?limit=2').expect(200))
      .body as CityPage;
    expect(first.total).toBe(4);
    expect(names(first)).toEqual(['Lagos 5', 'Lyon 3']);
    expect(first.features[0]!.geometry.coordinates).toEqual([places.lagos.lng, places.lagos.lat]);
    const second = (
      await request(f.app)
        .get(`/api/campaigns/yourturn/cities?limit=2&cursor=${first.nextCursor}`)
        .expect(200)
    ).body as CityPage;
    expect(names(second)).toEqual(['Villeurbanne 2', 'Portland 1']);
    expect(second.nextCursor).toBeNull();

    const france = (await request(f.app).get('/api/campaigns/yourturn/cities?country=fr'))
      .body as CityPage;
    expect([france.total, names(france), france.nextCursor]).toEqual([
      2,
      ['Lyon 3', 'Villeurbanne 2'],
      null,
    ]);
  });

  it('finds cities by a part of their name, ignoring case and accents', async () => {
    const find = async (q: string) => {
      const res = await request(f.app)
        .get(`/api/campaigns/yourturn/cities?q=${encodeURIComponent(q)}&limit=1`)
        .expect(200);
      const page = res.body as CityPage;
      return {
        total: page.total,
        first: page.features[0]?.properties.place.name,
        next: page.nextCursor !== null,
      };
    };
    expect(await find('LYÓN')).toEqual({ total: 1, first: 'Lyon', next: false });
    expect(await find('l')).toEqual({ total: 4, first: 'Lagos', next: true });
    expect(await find('atlantis')).toEqual({ total: 0, first: undefined, next: false });
  });

  it('shows a new city in the list and the countries once it has people', async () => {
    f.join('berlin@d.example', berlin);
    const cities = (await request(f.app).get('/api/campaigns/yourturn/cities?country=DE'))
      .body as CityPage;
    expect(cities.features.map((c) => c.properties.place.name)).toEqual(['Berlin']);
    const countries = (await request(f.app).get('/api/campaigns/yourturn/countries'))
      .body as CountryList;
    expect(countries.countries).toContainEqual({ country: 'DE', count: 1, cities: 1 });
    f.store.forgetAccount('berlin@d.example');
    const gone = (await request(f.app).get('/api/campaigns/yourturn/countries'))
      .body as CountryList;
    expect(gone.countries.map((c) => c.country)).toEqual(['FR', 'NG', 'US']);
  });

  it('finds the nearest people with great-circle distances, closest first, from a point or a place name', async () => {
    const res = await request(f.app)
      .get('/api/campaigns/yourturn/nearby?lat=48.85&lng=2.35&limit=6')
      .expect(200);
    const r = res.body as NearbyResult;
    expect(r.origin).toEqual({ lat: 48.85, lng: 2.35, place: null });
    expect(r.features).toHaveLength(6);
    expect(r.features.slice(0, 5).every((ft) => ft.properties.place.country === 'FR')).toBe(true);
    expect(r.features[0]!.properties.distanceKm).toBeCloseTo(392, -1);
    expect(r.features[5]!.properties.place.name).toBe('Lagos');
    const distances = r.features.map((ft) => ft.properties.distanceKm);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));

    const near = await request(f.app)
      .get(`/api/campaigns/yourturn/nearby?near=${encodeURIComponent('Portland')}&limit=1`)
      .expect(200);
    expect(near.body.origin.place.name).toBe('Portland');
    expect(near.body.features[0].properties).toMatchObject({
      acct: 'pdx@c.example',
      distanceKm: 0,
    });

    const within = await request(f.app)
      .get('/api/campaigns/yourturn/nearby?lat=48.85&lng=2.35&radiusKm=500')
      .expect(200);
    expect(within.body.features).toHaveLength(5);
  });

  it('ignores parameters it does not know (utm_source, a cache-buster) and still checks the known ones', async () => {
    const extra = 'utm_source=newsletter&_=1733300000000&colour=red';
    for (const path of [
      `contributors?${extra}`,
      `countries?country=FR&${extra}`,
      `cities?${extra}`,
      `nearby?near=Portland&${extra}`,
      `export.geojson?${extra}`,
      `?${extra}`,
    ]) {
      const res = await request(f.app).get(`/api/campaigns/yourturn/${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const bad = await request(f.app).get(`/api/campaigns/yourturn/nearby?lat=91&lng=0&${extra}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/lat: "91" is above 90/);
  });

  it('matches no city for a filter with no letters or digits, instead of every city', async () => {
    const all = await request(f.app).get('/api/campaigns/yourturn/cities').expect(200);
    expect(all.body.total).toBeGreaterThan(0);
    for (const q of ['!!!', '...', '-', '#']) {
      const res = await request(f.app)
        .get(`/api/campaigns/yourturn/cities?q=${encodeURIComponent(q)}`)
        .expect(200);
      expect({ q, total: res.body.total, features: res.body.features }).toEqual({
        q,
        total: 0,
        features: [],
      });
    }
  });

  it('rejects every bad parameter with a 400 that names it and its value', async () => {
    const cases: [string, RegExp][] = [
      ['contributors?bbox=1,2,3&zoom=2', /bbox: "1,2,3" is not four numbers/],
      ['contributors?bbox=-10,-10,10,10&zoom=99', /zoom: "99" is above 24/],
      ['contributors?bbox=-10,-10,10,10', /zoom: missing/],
      ['nearby?lat=91&lng=0', /lat: "91" is above 90/],
      ['nearby?lat=abc&lng=0', /lat: "abc" is not a number/],
      ['nearby?limit=5', /lat: missing needs lat and lng, near, or placeId/],
      ['nearby?lat=1&lng=1&limit=1000', /limit: "1000" is above 100/],
      [`places/abc/contributors`, /placeId: "abc" is not a whole number/],
      ['clusters/-1', /clusterId: "-1" is not a whole number/],
      ['cities?country=FRA', /country: "FRA" is not a two-letter country code/],
      ['cities?q=', /q: "" is empty/],
      ['cities?limit=0', /limit: "0" is below 1/],
      ['cities?cursor=WyIyMDI2IiwxXQ', /cursor: "WyIyMDI2IiwxXQ" is not a cursor/],
    ];
    for (const [path, message] of cases) {
      const res = await request(f.app).get(`/api/campaigns/yourturn/${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error).toMatch(message);
    }
    // A pasted 15 KB value is named and cut, not echoed back whole.
    const long = await request(f.app)
      .get(`/api/campaigns/yourturn/nearby?near=${'x'.repeat(15_000)}`)
      .expect(400);
    expect(long.body.error).toMatch(/^near: "x{79}… \(15,002 characters\) is longer than 200/);
    expect(long.body.error.length).toBeLessThan(200);
    const unknown = await request(f.app)
      .get('/api/campaigns/yourturn/nearby?near=Atlantis')
      .expect(404);
    expect(unknown.body).toEqual({
      error: 'near: no place called "Atlantis"; try adding the country',
    });
  });

  it('exports GeoJSON and formula-safe CSV', async () => {
    f.join('evil@d.example', places.lyon, {});
    f.db
      .prepare("UPDATE accounts SET display_name = ? WHERE acct = 'evil@d.example'")
      .run('=HYPERLINK("http://x","click"), me');
    const geo = await request(f.app).get('/api/campaigns/yourturn/export.geojson').expect(200);
    expect(geo.headers['content-type']).toMatch(/application\/geo\+json/);
    const parsed = JSON.parse(geo.text);
    expect(parsed.type).toBe('FeatureCollection');
    expect(parsed.features).toHaveLength(12);
    const csv = await request(f.app).get('/api/campaigns/yourturn/export.csv').expect(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'acct,network,display_name,profile_url,post_url,posted_at,place_id,city,admin1,country,lat,lng,spoiler_text,sensitive',
    );
    expect(lines).toHaveLength(13);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x"",""click""), me"`);
    expect(csv.text).toContain(',-122.67621,,false');
  });
});
