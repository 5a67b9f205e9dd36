import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { places } from '../helpers/posts.js';
import { apiFixture } from './fixture.js';

describe('the unclustered contributors collection of a large campaign', () => {
  let f: ReturnType<typeof apiFixture>;
  beforeAll(() => {
    f = apiFixture({ streamContributorsAbove: 1 });
    f.join('a@x.example', places.lagos);
    f.join('b@x.example', places.lyon);
    f.join('c@x.example', places.portland);
    f.store.hideAccount('b@x.example');
  });
  afterAll(() => f.close());

  it('is streamed as the same GeoJSON a small campaign gets in one body, hidden people left out', async () => {
    const streamed = await request(f.app).get('/api/campaigns/yourturn/contributors').expect(200);
    expect(streamed.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(streamed.headers['content-length']).toBeUndefined();
    const body = JSON.parse(streamed.text);
    const oneBody = f.store.contributors('yourturn');
    const byAcct = (a: { properties: { acct: string } }, b: { properties: { acct: string } }) =>
      a.properties.acct.localeCompare(b.properties.acct);
    expect(body.type).toBe('FeatureCollection');
    expect([...body.features].sort(byAcct)).toEqual([...oneBody.features].sort(byAcct));
    expect(
      body.features.map((x: { properties: { acct: string } }) => x.properties.acct).sort(),
    ).toEqual(['a@x.example', 'c@x.example']);
  });
});
