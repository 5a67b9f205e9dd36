import { describe, expect, it } from 'vitest';
import type { CityProperties, PointFeature, ViewFeature } from '../../shared/types.js';
import { campaignFromPath } from '../../client/campaign-from-path.js';
import {
  describeTally,
  distanceLabel,
  featureKey,
  pinDiameter,
  pinLabel,
  pinText,
  placeName,
} from '../../client/cities.js';
import { initials, readableOn } from '../../client/format.js';
import { hashtagOf, instanceHost, shareUrl } from '../../client/share.js';
import { places } from './fixtures.js';

function city(key: keyof typeof places, count: number): PointFeature<CityProperties> {
  const { lng, lat, ...place } = places[key];
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lng, lat] },
    properties: { cluster: false, place, count },
  };
}

const cluster: ViewFeature = {
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [5, 50] },
  properties: {
    cluster: true,
    clusterId: 97,
    count: 1204,
    cities: 12,
    expansionZoom: 5,
    label: 'Berlin',
  },
};

describe('describeTally', () => {
  it('counts people, cities and countries in words with thousands separators, singular for one', () => {
    expect(describeTally({ contributors: 1204, cities: 312, countries: 58 })).toBe(
      '1,204 people in 312 cities, 58 countries',
    );
    expect(describeTally({ contributors: 1, cities: 1, countries: 1 })).toBe(
      '1 person in 1 city, 1 country',
    );
    expect(describeTally({ contributors: 0, cities: 0, countries: 0 })).toBe(
      'No one on the map yet',
    );
  });
});

describe('pinLabel', () => {
  it('names a city with its region only when that tells places apart and its country in full, and a cluster by its biggest city', () => {
    expect(pinLabel(city('lagos', 3))).toBe('Lagos, Nigeria: 3 people');
    expect(pinLabel(city('portland', 1))).toBe('Portland, Oregon, United States: 1 person');
    expect(pinLabel(cluster)).toBe('Berlin and 11 more cities: 1,204 people');
    expect(placeName(places.tokyo)).toBe('Tokyo, Japan');
  });

  it('does not say the city twice when its region is its own name in other words', () => {
    const at = (name: string, admin1: string, country: string) =>
      placeName({ id: 1, name, admin1, country });
    expect(at('Berlin', 'State of Berlin', 'DE')).toBe('Berlin, Germany');
    expect(at('Ulan Bator', 'Ulaanbaatar', 'MN')).toBe('Ulan Bator, Mongolia');
    expect(at('São Paulo', 'Sao Paulo', 'BR')).toBe('São Paulo, Brazil');
    expect(at('Tokyo', 'Tokyo Prefecture', 'JP')).toBe('Tokyo, Japan');
    expect(at('Mexico City', 'Mexico City', 'MX')).toBe('Mexico City, Mexico');
    // A region that only contains the name, or merely looks like it, stays.
    expect(at('York', 'New York', 'US')).toBe('York, New York, United States');
    expect(at('Portland', 'Oregon', 'US')).toBe('Portland, Oregon, United States');
    expect(at('Perth', 'Western Australia', 'AU')).toBe('Perth, Western Australia, Australia');
    expect(at('Lyon', 'Auvergne-Rhône-Alpes', 'FR')).toBe('Lyon, Auvergne-Rhône-Alpes, France');
    expect(at('Bern', 'Bern', 'CH')).toBe('Bern, Switzerland');
    expect(at('Kiel', 'Kiev', 'UA')).toBe('Kiel, Kiev, Ukraine');
  });
});

describe('featureKey', () => {
  it('keys a city by its GeoNames id and a cluster by its id, so they never collide', () => {
    expect(featureKey(city('lagos', 3))).toBe('city:2332459');
    expect(featureKey(cluster)).toBe('cluster:97');
  });
});

describe('pinText and pinDiameter', () => {
  it('shortens big counts to fit a pin and grows the pin with the log of the count, up to 64 px', () => {
    expect([999, 1204, 34_567, 1_250_000].map(pinText)).toEqual(['999', '1.2k', '34k', '1.2M']);
    expect(pinDiameter(1)).toBe(28);
    expect(pinDiameter(3)).toBeGreaterThan(pinDiameter(2));
    expect(pinDiameter(1_000_000)).toBe(64);
  });
});

describe('distanceLabel', () => {
  it('rounds to whole kilometres and calls the same city "here"', () => {
    expect(distanceLabel(0)).toBe('here');
    expect(distanceLabel(1529.6)).toBe('1,530 km');
  });
});

describe('share helpers', () => {
  it('finds the instance host in a domain, a URL or a handle, and refuses anything else', () => {
    expect(instanceHost('mastodon.social')).toBe('mastodon.social');
    expect(instanceHost(' https://Hachyderm.io/home ')).toBe('hachyderm.io');
    expect(instanceHost('@ada@tech.lgbt')).toBe('tech.lgbt');
    expect(instanceHost('ada@tech.lgbt')).toBe('tech.lgbt');
    // A profile URL pasted from the browser: the instance is its host, not the handle's "user".
    expect(instanceHost('https://mastodon.social/@me')).toBe('mastodon.social');
    expect(instanceHost('https://fosstodon.org/@ada@tech.lgbt')).toBe('fosstodon.org');
    expect(instanceHost('mastodon.social/@me')).toBe('mastodon.social');
    expect(instanceHost('not an instance')).toBeNull();
    expect(instanceHost('javascript:alert(1)')).toBeNull();
  });

  it('spells the hashtag as the author does and puts the post in a share link', () => {
    expect(hashtagOf('yourturn', '#YourTurn Portland')).toBe('#YourTurn');
    expect(hashtagOf('yourturn', '')).toBe('#yourturn');
    expect(shareUrl('mastodon.social', '#YourTurn São Paulo')).toBe(
      'https://mastodon.social/share?text=%23YourTurn%20S%C3%A3o%20Paulo',
    );
  });
});

describe('readableOn', () => {
  it('picks white text on a dark accent and black on a light one', () => {
    expect(readableOn('#0f766e')).toBe('#ffffff');
    expect(readableOn('#fde047')).toBe('#111111');
    expect(readableOn('rebeccapurple')).toBeNull();
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
