import type {
  ContributorFeature,
  ContributorProperties,
  LngLat,
  PlaceLabel,
} from '../shared/types.js';

/** One pin on the map: everyone who named the same GeoNames place. */
export interface City {
  /** GeoNames id of the place; stable across updates, so it keys the pin. */
  id: number;
  /** The place as the server labels it. */
  place: PlaceLabel;
  /** [lng, lat] of the city centre, as the server sent it. */
  coordinates: LngLat;
  /** The contributors there, newest post first. */
  people: ContributorProperties[];
}

/** Counts for the header. */
export interface Tally {
  people: number;
  cities: number;
  countries: number;
}

const newestFirst = (a: ContributorProperties, b: ContributorProperties) =>
  b.postedAt.localeCompare(a.postedAt) || a.acct.localeCompare(b.acct);

/** Groups contributors by place id; biggest cities first so they are drawn (and tabbed to) first. */
export function groupByCity(features: Iterable<ContributorFeature>): City[] {
  const byId = new Map<number, City>();
  for (const f of features) {
    const place = f.properties.place;
    let city = byId.get(place.id);
    if (!city) {
      city = { id: place.id, place, coordinates: f.geometry.coordinates, people: [] };
      byId.set(place.id, city);
    }
    city.people.push(f.properties);
  }
  const cities = [...byId.values()];
  for (const city of cities) city.people.sort(newestFirst);
  return cities.sort(
    (a, b) => b.people.length - a.people.length || a.place.name.localeCompare(b.place.name),
  );
}

export function tally(cities: readonly City[]): Tally {
  return {
    people: cities.reduce((n, c) => n + c.people.length, 0),
    cities: cities.length,
    countries: new Set(cities.map((c) => c.place.country)).size,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "12 people in 9 cities, 7 countries". */
export function describeTally(t: Tally): string {
  if (t.people === 0) return 'No one on the map yet';
  return `${plural(t.people, 'person', 'people')} in ${plural(t.cities, 'city', 'cities')}, ${plural(t.countries, 'country', 'countries')}`;
}

/** "Lagos, NG"; the region is added only when it tells two same-named places apart ("Portland, Oregon, US"). */
export function placeLabel(place: PlaceLabel): string {
  const parts = [place.name];
  if (place.admin1 && place.admin1 !== place.name) parts.push(place.admin1);
  parts.push(place.country);
  return parts.join(', ');
}

/** The accessible name of a pin: "Lagos, NG: 3 people". */
export function pinLabel(city: City): string {
  return `${placeLabel(city.place)}: ${plural(city.people.length, 'person', 'people')}`;
}

/** Pin diameter in CSS pixels: grows with the log of the count so one big city doesn't hide its neighbours. */
export function pinDiameter(count: number): number {
  return Math.round(Math.min(64, 28 + 7 * Math.log2(Math.max(1, count))));
}
