import { describe, expect, it } from 'vitest';
import { createCityIndex } from '../../server/map/city-index.js';
import type { ContributorChange, StoreChange } from '../../server/store/store.js';
import type { Place } from '../../shared/types.js';
import { places } from '../helpers/posts.js';

const fiji: Place = {
  id: 2198148,
  name: 'Suva',
  admin1: 'Central',
  country: 'FJ',
  lat: -18.14161,
  lng: 178.44149,
  population: 77366,
};
const samoa: Place = {
  id: 4035413,
  name: 'Apia',
  admin1: 'Tuamasaga',
  country: 'WS',
  lat: -13.83333,
  lng: -171.76666,
  population: 40407,
};

/** A city index over a fake store: counts in a table, changes pushed by hand. */
function fakeIndex(counts: { place: Place; count: number }[]) {
  let listener: (c: StoreChange) => void = () => {};
  const all = [places.lagos, places.lyon, places.portland, fiji, samoa];
  const index = createCityIndex(
    { onChange: (l) => ((listener = l), () => {}) },
    {
      cityCounts: () => counts,
      place: (id) => all.find((p) => p.id === id) ?? null,
      joinsPerHour: () => [{ hour: '2026-11-01T08', count: 2 }],
    },
    { staleMs: 0 },
  );
  return { index, push: (c: ContributorChange[]) => listener({ events: [], contributors: c }) };
}

describe('city index', () => {
  it('keeps counts live from store changes: a move counts once, a departure empties a city', () => {
    const { index, push } = fakeIndex([{ place: places.lagos, count: 2 }]);
    expect(index.stats('yourturn')).toEqual({ contributors: 2, cities: 1, countries: 1 });
    push([
      { tag: 'yourturn', acct: 'a@x', from: places.lagos.id, to: places.lyon.id },
      {
        tag: 'yourturn',
        acct: 'b@x',
        from: null,
        to: places.portland.id,
        joinedAt: '2026-11-02T10:00:00Z',
      },
    ]);
    expect(index.joinsPerDay('yourturn')).toEqual([
      { date: '2026-11-01', count: 2 },
      { date: '2026-11-02', count: 1 },
    ]);
    // Hours while the campaign is young: the same joins, by the hour they came in.
    expect(index.joinsPerHour('yourturn')).toEqual([
      { hour: '2026-11-01T08', count: 2 },
      { hour: '2026-11-02T10', count: 1 },
    ]);
    push([
      {
        tag: 'yourturn',
        acct: 'c@x',
        from: null,
        to: places.lyon.id,
        joinedAt: '2026-11-09T01:00:00Z',
      },
    ]);
    expect(index.joinsPerHour('yourturn')).toBeNull(); // over three days: per day says enough
    push([
      {
        tag: 'yourturn',
        acct: 'c@x',
        from: places.lyon.id,
        to: null,
        joinedAt: '2026-11-09T01:00:00Z',
      },
    ]);
    expect(index.stats('yourturn')).toEqual({ contributors: 3, cities: 3, countries: 3 });
    push([{ tag: 'yourturn', acct: 'b@x', from: places.portland.id, to: null }]);
    expect(index.city('yourturn', places.portland.id)).toBeNull();
    const world = index.view('yourturn', [-180, -85, 180, 85], 0);
    expect(world.reduce((n, f) => n + f.properties.count, 0)).toBe(2);
  });

  it('finds the nearest cities across the antimeridian, closest first', () => {
    const { index } = fakeIndex([
      { place: samoa, count: 1 },
      { place: fiji, count: 1 },
      { place: places.lagos, count: 5 },
    ]);
    const near = index.nearest('yourturn', -16, 179.9, 2, 20_000);
    expect(near.map((c) => c.place.name)).toEqual(['Suva', 'Apia']);
    expect(near[1]!.distanceKm).toBeLessThan(1500);
    expect(index.nearest('yourturn', -16, 179.9, 10, 500).map((c) => c.place.name)).toEqual([
      'Suva',
    ]);
  });

  it('gives each cluster its people, its cities and the name of its most populous city', () => {
    const { index } = fakeIndex([
      { place: places.lyon, count: 3 },
      {
        place: {
          ...places.lyon,
          id: 1,
          name: 'Villeurbanne',
          population: 1000,
          lng: 4.88,
          lat: 45.77,
        },
        count: 4,
      },
    ]);
    const [cluster] = index.view('yourturn', [-180, -85, 180, 85], 3);
    expect(cluster!.properties).toMatchObject({
      cluster: true,
      count: 7,
      cities: 2,
      label: 'Lyon',
    });
  });
});
