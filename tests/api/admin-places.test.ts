import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Place } from '../../shared/types.js';
import { locator } from '../helpers/collector-harness.js';
import { apiFixture } from './fixture.js';

// GET /api/admin/places: the city search behind "Place it", over the real offline gazetteer.

const token = 'test-admin-token';
const auth = { Authorization: `Bearer ${token}` };

describe('GET /api/admin/places', () => {
  let f: ReturnType<typeof apiFixture>;
  beforeAll(() => {
    f = apiFixture({ adminToken: token, locator: locator() });
  });
  afterAll(() => f.close());

  const search = async (query: string, status = 200) =>
    (await request(f.app).get(`/api/admin/places?${query}`).set(auth).expect(status)).body as {
      places: Place[];
      error?: string;
    };
  const labels = (places: Place[]) => places.map((p) => `${p.name}, ${p.admin1}, ${p.country}`);

  it('offers every Portland, most populous first: Oregon, then Maine', async () => {
    const { places } = await search('q=Portland');
    expect(labels(places).slice(0, 2)).toEqual(['Portland, Oregon, US', 'Portland, Maine, US']);
    expect(places[0]).toEqual({
      id: 5746545,
      name: 'Portland',
      admin1: 'Oregon',
      country: 'US',
      lat: expect.any(Number),
      lng: expect.any(Number),
      population: expect.any(Number),
    });
    const populations = places.map((p) => p.population);
    expect(populations).toEqual([...populations].sort((a, b) => b - a));
    expect(places.length).toBeGreaterThan(2);
  });

  it('narrows by the region or country after a comma, by name or code', async () => {
    expect(labels((await search('q=Portland%2C%20Maine')).places)).toEqual(['Portland, Maine, US']);
    expect(labels((await search('q=portland,ME')).places)).toEqual(['Portland, Maine, US']);
    const inAustralia = (await search('q=Portland, Australia')).places;
    expect(inAustralia.length).toBeGreaterThan(0);
    expect(inAustralia.every((p) => p.country === 'AU')).toBe(true);
  });

  it('finds places by exonym, other scripts and GeoNames id', async () => {
    expect(labels((await search('q=Munich')).places)[0]).toBe('Munich, Bavaria, DE');
    expect((await search(`q=${encodeURIComponent('Москва')}`)).places[0]!.id).toBe(524901);
    expect(labels((await search('q=5746545')).places)).toEqual(['Portland, Oregon, US']);
    expect((await search('q=999999999')).places).toEqual([]);
  });

  it('completes the start of a name after the exact matches', async () => {
    const { places } = await search('q=Springf&limit=5');
    expect(places).toHaveLength(5);
    expect(places.every((p) => p.name.startsWith('Springf'))).toBe(true);
    expect(labels(places)[0]).toBe('Springfield, Missouri, US');
    // Two letters start too many names to be worth offering.
    expect((await search('q=Sp')).places).toEqual([]);
  });

  it('answers an empty list for a name no place has', async () => {
    expect(await search('q=Qqxzvvy')).toEqual({ places: [] });
  });

  it('keeps to limit: 10 by default, 1 to 50', async () => {
    expect((await search('q=Springfield')).places).toHaveLength(10);
    expect((await search('q=Springfield&limit=3')).places).toHaveLength(3);
    expect((await search('q=Springfield&limit=50')).places.length).toBeGreaterThan(10);
    expect((await search('q=Springfield&limit=0', 400)).error).toBe('limit: "0" is below 1');
    expect((await search('q=Springfield&limit=51', 400)).error).toBe('limit: "51" is above 50');
    expect((await search('q=Springfield&limit=few', 400)).error).toBe(
      'limit: "few" is not a whole number',
    );
  });

  it('refuses a missing, empty, blank, repeated or overlong query, and ignores unknown parameters', async () => {
    expect((await search('', 400)).error).toMatch(/^q: missing/);
    expect((await search('q=', 400)).error).toBe('q: "" is empty');
    expect((await search('q=%20%20', 400)).error).toBe('q: "  " is empty');
    expect((await search('q=a&q=b', 400)).error).toMatch(/^q: \["a","b"\]/);
    expect((await search(`q=${'a'.repeat(201)}`, 400)).error).toMatch(
      /is longer than 200 characters$/,
    );
    await search('q=Lyon&utm_source=x', 200);
  });

  it('needs the admin token like every admin route', async () => {
    await request(f.app).get('/api/admin/places?q=Lyon').expect(401);
    await request(f.app)
      .get('/api/admin/places?q=Lyon')
      .set('Authorization', 'Bearer wrong')
      .expect(401);
  });

  it('says so when the locator cannot search (a 501, not a crash)', async () => {
    const bare = apiFixture({ adminToken: token }); // its fake locator has no searchPlaces
    try {
      const res = await request(bare.app).get('/api/admin/places?q=Lyon').set(auth).expect(501);
      expect(res.body.error).toMatch(/place search needs the offline gazetteer/);
    } finally {
      bare.close();
    }
  });
});
