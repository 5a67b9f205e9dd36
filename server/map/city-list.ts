import type { CountryCount, Place } from '../../shared/types.js';
import type { CityEntry } from './campaign-cities.js';

/** Where a page of the city list ends: the last city's count, folded name and id. */
export interface CityKey {
  count: number;
  folded: string;
  id: number;
}

/** A city in the list, with its count when the list was sorted and its name folded for search. */
interface ListedCity extends CityKey {
  place: Place;
}

/** One campaign's cities most people first (then by name), and by country, as of one index build. */
export interface CityList {
  builtAt: number;
  all: ListedCity[];
  byCountry: Map<string, ListedCity[]>;
  countries: CountryCount[];
}

/** What a page asks for: all cities or one country's, those whose folded name holds `q`, after a key. */
export interface CityPageQuery {
  country?: string;
  /** Already folded; '' matches nothing (a filter with no letters or digits, such as "!!!"). */
  q?: string;
  limit: number;
  after?: CityKey | null;
}

/** Most people first, then by folded name, then by id: a total order, so a page key finds its place. */
function compareCities(a: CityKey, b: CityKey): number {
  return b.count - a.count || (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : a.id - b.id);
}

/** The index of the first city after `key` in a list sorted by compareCities. */
function after(list: ListedCity[], key: CityKey): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareCities(list[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sort a campaign's cities for the list and group them by country. */
export function toCityList(
  entries: CityEntry[],
  builtAt: number,
  folded: (p: Place) => string,
): CityList {
  const all: ListedCity[] = [];
  for (const e of entries) {
    if (e.count > 0)
      all.push({ place: e.place, count: e.count, folded: folded(e.place), id: e.place.id });
  }
  all.sort(compareCities);
  const byCountry = new Map<string, ListedCity[]>();
  for (const city of all) {
    let list = byCountry.get(city.place.country);
    if (!list) byCountry.set(city.place.country, (list = []));
    list.push(city);
  }
  const countries = [...byCountry].map(([country, cities]) => ({
    country,
    count: cities.reduce((n, city) => n + city.count, 0),
    cities: cities.length,
  }));
  countries.sort((a, b) => b.count - a.count || (a.country < b.country ? -1 : 1));
  return { builtAt, all, byCountry, countries };
}

/** One page of a sorted city list, with how many match in all and the key of the next page. */
export function cityPage(
  lists: CityList,
  query: CityPageQuery,
): { total: number; cities: CityEntry[]; next: CityKey | null } {
  const list = query.country ? (lists.byCountry.get(query.country) ?? []) : lists.all;
  const q = query.q ?? null;
  const matches = (city: ListedCity) => q !== null && q !== '' && city.folded.includes(q);
  const total = q === null ? list.length : list.reduce((n, city) => n + (matches(city) ? 1 : 0), 0);
  const cities: ListedCity[] = [];
  let more = false;
  for (let i = query.after ? after(list, query.after) : 0; i < list.length; i++) {
    if (q !== null && !matches(list[i]!)) continue;
    if (cities.length === query.limit) {
      more = true;
      break;
    }
    cities.push(list[i]!);
  }
  const last = cities.at(-1);
  return {
    total,
    cities: cities.map(({ place, count }) => ({ place, count })),
    // A page key rather than an offset: a city that gains people moves, the rest stay put.
    next: more && last ? { count: last.count, folded: last.folded, id: last.id } : null,
  };
}
