import { describe, expect, it } from 'vitest';
import { campaignFromPath } from '../../client/campaign-from-path.js';
import { describeTally, groupByCity, pinDiameter, placeLabel, tally } from '../../client/cities.js';
import { initials } from '../../client/format.js';
import { contributor, contributors, places } from './fixtures.js';

describe('groupByCity', () => {
  it('puts everyone who named the same GeoNames place on one pin, biggest city first', () => {
    const cities = groupByCity(contributors);
    expect(cities.map((c) => [c.place.name, c.people.length])).toEqual([
      ['Berlin', 3],
      ['Lagos', 3],
      ['Portland', 2],
      ['Lyon', 1],
      ['Nairobi', 1],
      ['São Paulo', 1],
      ['Tokyo', 1],
    ]);
    expect(cities[0]!.coordinates).toEqual([places.berlin.lng, places.berlin.lat]);
  });

  it('lists the newest post first within a city', () => {
    const older = contributor('old@a.example', 'lyon', { postedAt: '2025-01-01T00:00:00Z' });
    const newer = contributor('new@a.example', 'lyon', { postedAt: '2025-06-01T00:00:00Z' });
    expect(groupByCity([older, newer])[0]!.people.map((p) => p.acct)).toEqual([
      'new@a.example',
      'old@a.example',
    ]);
  });
});

describe('describeTally', () => {
  it('counts people, cities and countries in words, singular when there is one', () => {
    expect(describeTally(tally(groupByCity(contributors)))).toBe(
      '12 people in 7 cities, 7 countries',
    );
    expect(describeTally(tally(groupByCity([contributor('a@b.example', 'tokyo')])))).toBe(
      '1 person in 1 city, 1 country',
    );
    expect(describeTally(tally([]))).toBe('No one on the map yet');
  });
});

describe('placeLabel', () => {
  it('adds the region only when it differs from the city name', () => {
    expect(placeLabel(places.lagos)).toBe('Lagos, NG');
    expect(placeLabel(places.portland)).toBe('Portland, Oregon, US');
  });
});

describe('pinDiameter', () => {
  it('grows with the count but stays between a touch target and 64 px', () => {
    expect(pinDiameter(1)).toBe(28);
    expect(pinDiameter(3)).toBeGreaterThan(pinDiameter(2));
    expect(pinDiameter(100_000)).toBe(64);
  });
});

describe('campaignFromPath', () => {
  it('reads /c/:tag, lower-cased and without a leading #', () => {
    expect(campaignFromPath('/c/YourTurn')).toBe('yourturn');
    expect(campaignFromPath('/c/%23YourTurn/')).toBe('yourturn');
    expect(campaignFromPath('/')).toBeNull();
    expect(campaignFromPath('/c/')).toBeNull();
    expect(campaignFromPath('/c/%E0%A4%A')).toBeNull();
  });
});

describe('initials', () => {
  it('takes up to two letters from the display name, or the account when it is empty', () => {
    expect(initials('Bọ́lá Àjàyí', 'bola@x.example')).toBe('BÀ');
    expect(initials('', 'chi@naija.town')).toBe('C');
    expect(initials('<img src=x>', 'ada@x.example')).toBe('IS');
  });
});
