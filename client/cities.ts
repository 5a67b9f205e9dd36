import type { LiveStats, PlaceLabel, ViewFeature } from '../shared/types.js';
import { countryName } from './format.js';

const numbers = new Intl.NumberFormat('en');

/** "1,204". */
export const formatCount = (n: number): string => numbers.format(n);

const plural = (n: number, one: string, many: string) =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

/** "1 person" / "1,204 people". */
export const people = (n: number): string => plural(n, 'person', 'people');

/** "1,204 people in 312 cities, 58 countries". */
export function describeTally(t: LiveStats): string {
  if (t.contributors === 0) return 'No one on the map yet';
  return `${people(t.contributors)} in ${plural(t.cities, 'city', 'cities')}, ${plural(t.countries, 'country', 'countries')}`;
}

// Words that make a region's name from a city's ("State of Berlin", "Tokyo Prefecture").
const REGION_WORDS =
  /\b(state|of|the|city|province|region|prefecture|county|oblast|capital|district|metropolitan|municipality|federal|territory|special|autonomous|governorate|department|voivodeship|land|canton|krai|kray)\b/giu;

const folded = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(REGION_WORDS, '')
    .replace(/[^\p{L}\p{N}]/gu, '');

/** Levenshtein distance, for two short names. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length]!;
}

const repeatsCache = new Map<string, boolean>();

/**
 * Does the region only say the city's name again? "Berlin, State of Berlin", "Tokyo, Tokyo",
 * "Ulan Bator, Ulaanbaatar" (another spelling) do; "York, New York" and "Portland, Oregon" do not.
 */
export function regionRepeatsName(name: string, admin1: string): boolean {
  // Every pin's label asks on every render: answer each pair once (there are at most a few
  // thousand cities on a map).
  const key = `${name}\u0000${admin1}`;
  let repeats = repeatsCache.get(key);
  if (repeats === undefined) {
    const n = folded(name);
    const a = folded(admin1);
    // Transliterations differ in about a third of their letters at most ("ulanbator", "ulaanbaatar": 3).
    repeats =
      n === a ||
      (Math.min(n.length, a.length) >= 5 &&
        editDistance(n, a) <= Math.max(2, Math.round(Math.max(n.length, a.length) * 0.3)));
    repeatsCache.set(key, repeats);
  }
  return repeats;
}

/**
 * "Lagos, Nigeria", "Portland, Oregon, United States": the one way a place is named wherever a
 * person reads it (pins and their accessible names, lists, panels, suggestions). The region is
 * added only when it tells same-named places apart, not when it repeats the city's name.
 */
export function placeName(place: PlaceLabel): string {
  const parts = [place.name];
  if (place.admin1 && !regionRepeatsName(place.name, place.admin1)) parts.push(place.admin1);
  parts.push(countryName(place.country));
  return parts.join(', ');
}

/** A stable key for a map feature across refetches: the city's GeoNames id or the cluster's id. */
export function featureKey(f: ViewFeature): string {
  return f.properties.cluster
    ? `cluster:${f.properties.clusterId}`
    : `city:${f.properties.place.id}`;
}

/**
 * The accessible name of a pin: "Lagos, Nigeria: 3 people" for a city, "Lagos and 11 more cities:
 * 1,204 people" for a cluster.
 */
export function pinLabel(f: ViewFeature): string {
  const p = f.properties;
  if (!p.cluster) return `${placeName(p.place)}: ${people(p.count)}`;
  const others = p.cities - 1;
  const where =
    others > 0 ? `${p.label} and ${plural(others, 'more city', 'more cities')}` : p.label;
  return `${where}: ${people(p.count)}`;
}

/** The number on a pin, short enough to fit: 999, 1.2k, 34k, 1.2M. */
export function pinText(count: number): string {
  if (count < 1000) return String(count);
  const [n, unit] = count < 1e6 ? [count / 1e3, 'k'] : [count / 1e6, 'M'];
  return `${n < 10 ? Math.floor(n * 10) / 10 : Math.floor(n)}${unit}`;
}

/** Pin diameter in CSS pixels: grows with the log of the count so one big city doesn't hide its neighbours. */
export function pinDiameter(count: number): number {
  return Math.round(Math.min(64, 28 + 5 * Math.log2(Math.max(1, count))));
}

/** "12 km" / "1,530 km"; under a kilometre reads as "here". */
export function distanceLabel(km: number): string {
  return km < 1 ? 'here' : `${formatCount(Math.round(km))} km`;
}
