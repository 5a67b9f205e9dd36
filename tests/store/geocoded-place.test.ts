import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import { createStore, type Store } from '../../server/store/store.js';
import { located, places, post } from '../helpers/posts.js';

const source = 'https://a.example';

describe('a place from the online geocoder', () => {
  let db: Db;
  let store: Store;
  beforeEach(() => {
    db = openTestDb(':memory:');
    store = createStore(db);
    store.ensureCampaigns(['yourturn']);
  });
  afterEach(() => db.close());

  it('pins an unplaced post and says so live', () => {
    const p = post();
    store.ingest([{ post: p, located: null, source, campaignTags: ['yourturn'] }]);
    const events = store.setGeocodedPlace(p.uri, places.lyon, 'Lyon', 0.7);
    expect(events).toMatchObject([
      { type: 'contributor', data: { properties: { place: { name: 'Lyon' } } } },
    ]);
    expect(store.moderation().placeFixes).toEqual([]);
  });

  it('is not a moderator fix: a later edit naming another city moves the pin', () => {
    const p = post();
    store.ingest([{ post: p, located: null, source, campaignTags: ['yourturn'] }]);
    store.setGeocodedPlace(p.uri, places.lyon, 'Lyon', 0.7);
    const edited = { ...p, editedAt: '2026-11-20T00:00:00.000Z' };
    store.ingest([
      { post: edited, located: located(places.lagos), source, campaignTags: ['yourturn'] },
    ]);
    expect(store.contributors('yourturn').features[0]!.properties.place.name).toBe('Lagos');
  });

  it('leaves a post alone that was placed while the geocoder was asked', () => {
    const p = post();
    store.ingest([{ post: p, located: null, source, campaignTags: ['yourturn'] }]);
    store.ingest([
      {
        post: { ...p, editedAt: '2026-11-20T00:00:00.000Z' },
        located: located(places.lagos),
        source,
        campaignTags: ['yourturn'],
      },
    ]);
    expect(store.setGeocodedPlace(p.uri, places.lyon, 'Lyon', 0.7)).toEqual([]);
    expect(store.contributors('yourturn').features[0]!.properties.place.name).toBe('Lagos');
  });
});
