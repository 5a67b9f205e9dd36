import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NearbyAmbiguous, NearbyResult, PlaceSuggestions } from '../../shared/types.js';
import { locator } from '../helpers/collector-harness.js';
import { places } from '../helpers/posts.js';
import { apiFixture } from './fixture.js';

// The visitor's "near me" box over the real gazetteer: suggestions while typing, a choice when a
// name is several places, and words a person can act on when it is none.
describe('place search and ambiguous names', () => {
  let f: ReturnType<typeof apiFixture>;
  beforeAll(() => {
    f = apiFixture({ locator: locator() });
    f.join('pdx@c.example', places.portland);
    f.join('ada@a.example', places.lagos);
  });
  afterAll(() => f.close());

  it('suggests places for a typed name, most likely first, with region, country and population', async () => {
    const res = await request(f.app).get('/api/places?q=Springfield').expect(200);
    expect(res.headers['cache-control']).toContain('max-age=3600');
    const { places: found } = res.body as PlaceSuggestions;
    expect(found.length).toBe(8);
    for (const p of found) {
      expect(p.name).toBe('Springfield');
      expect(p).toEqual(
        expect.objectContaining({
          id: expect.any(Number),
          country: expect.stringMatching(/^[A-Z]{2}$/),
          population: expect.any(Number),
        }),
      );
    }
    const populations = found.map((p) => p.population);
    expect(populations).toEqual([...populations].sort((a, b) => b - a));
    // A prefix offers the big city first; a qualifier narrows to that region.
    const prefix = (await request(f.app).get('/api/places?q=Portl&limit=3').expect(200)).body;
    expect(prefix.places[0]).toMatchObject({ name: 'Portland', admin1: 'Oregon' });
    const maine = (await request(f.app).get('/api/places?q=Portland,%20Maine').expect(200)).body;
    expect(maine.places[0]).toMatchObject({ name: 'Portland', admin1: 'Maine' });
    expect((await request(f.app).get('/api/places?q=Xyzzyplonk').expect(200)).body).toEqual({
      places: [],
    });
  });

  it('refuses a missing or overlong search with the one error shape', async () => {
    expect((await request(f.app).get('/api/places').expect(400)).body.error).toMatch(/^q: missing/);
    expect((await request(f.app).get('/api/places?q=x&limit=99').expect(400)).body.error).toMatch(
      /limit: "99" is above 20/,
    );
  });

  it('answers an ambiguous near= with 409 and the candidates, and placeId= with the one chosen', async () => {
    const res = await request(f.app)
      .get('/api/campaigns/yourturn/nearby?near=Springfield')
      .expect(409);
    const body = res.body as NearbyAmbiguous;
    expect(body.error).toBe('near: "Springfield" is several places; choose one');
    expect(body.candidates.length).toBeGreaterThan(1);
    expect(new Set(body.candidates.map((c) => c.name))).toEqual(new Set(['Springfield']));
    const chosen = body.candidates[1]!;
    const near = (
      await request(f.app)
        .get(`/api/campaigns/yourturn/nearby?placeId=${chosen.id}&limit=1`)
        .expect(200)
    ).body as NearbyResult;
    expect(near.origin).toMatchObject({ lat: chosen.lat, lng: chosen.lng });
    expect(near.origin.place).toMatchObject({ id: chosen.id, admin1: chosen.admin1 });
    expect(near.features[0]!.properties.acct).toBe('pdx@c.example');
  });

  it('says what to try when a name is no place, and 404s an unknown placeId', async () => {
    const none = await request(f.app)
      .get('/api/campaigns/yourturn/nearby?near=Xyzzyplonk')
      .expect(404);
    expect(none.body).toEqual({
      error: 'near: no place called "Xyzzyplonk"; try adding the country',
    });
    const id = await request(f.app).get('/api/campaigns/yourturn/nearby?placeId=1').expect(404);
    expect(id.body.error).toBe('placeId: no place with GeoNames id 1');
    // A plain name still answers at once.
    const portland = await request(f.app)
      .get('/api/campaigns/yourturn/nearby?near=Portland')
      .expect(200);
    expect(portland.body.origin.place).toMatchObject({ name: 'Portland', admin1: 'Oregon' });
  });
});
