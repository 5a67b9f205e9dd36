import KDBush from 'kdbush';
import Supercluster from 'supercluster';
import { distanceKm, toLngLat } from '../../shared/geo.js';
import type {
  CountryCount,
  LiveStats,
  Place,
  PlaceLabel,
  ViewFeature,
} from '../../shared/types.js';
import { foldName } from '../geo/fold.js';
import type { CampaignQueries } from './campaign-queries.js';
import type { ContributorChange, Store } from './store.js';

export interface CityIndexOptions {
  /** A view may be this old after a change before a query rebuilds it (ms); a timer rebuilds sooner. */
  staleMs?: number;
  /** Clustering radius in pixels at each zoom (supercluster's `radius`). */
  radius?: number;
  /** Above this zoom every city stands alone (supercluster's `maxZoom`). */
  maxZoom?: number;
  /** Told when a campaign's counters change (for throttled SSE `stats`). */
  onStats?: (tag: string) => void;
}

const defaults = {
  staleMs: 1000, // a new city shows up in clusters within a second; queries never wait for a rebuild
  radius: 60, // px, as Leaflet.markercluster's default 80 looks too coarse for city pins
  maxZoom: 12, // past city scale: neighbouring towns split here
};

/** A city in a campaign, with how many people named it. */
export interface CityEntry {
  place: Place;
  count: number;
}

/** A city found near a point. */
export interface NearCity extends CityEntry {
  distanceKm: number;
}

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
interface CityList {
  builtAt: number;
  all: ListedCity[];
  byCountry: Map<string, ListedCity[]>;
  countries: CountryCount[];
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

interface CityProps {
  id: number;
  name: string;
  count: number;
  population: number;
}
interface ClusterAcc {
  count: number;
  cities: number;
  label: string;
  population: number;
}

const label = (p: Place): PlaceLabel => ({
  id: p.id,
  name: p.name,
  admin1: p.admin1,
  country: p.country,
});

/** One campaign's cities in memory: counts kept live from store changes, indexes rebuilt after a debounce. */
class CampaignCities {
  constructor(readonly tag: string) {}
  readonly cities = new Map<number, CityEntry>();
  readonly countries = new Map<string, number>();
  /** New contributors per UTC hour (YYYY-MM-DDTHH); days are summed from them. */
  readonly joins = new Map<string, number>();
  contributors = 0;
  dirty = true;
  builtAt = 0;
  clusters: Supercluster<CityProps, ClusterAcc> | null = null;
  kd: KDBush | null = null;
  list: CityEntry[] = [];
  sorted: CityList | null = null;
  timer: NodeJS.Timeout | null = null;

  add(place: Place, delta: number): void {
    const entry = this.cities.get(place.id) ?? { place, count: 0 };
    entry.count += delta;
    if (entry.count <= 0) this.cities.delete(place.id);
    else this.cities.set(place.id, entry);
    const c = (this.countries.get(place.country) ?? 0) + delta;
    if (c <= 0) this.countries.delete(place.country);
    else this.countries.set(place.country, c);
    this.contributors += delta;
    this.dirty = true;
  }
}

/** Clusters, nearby cities and counters for every campaign, without touching a million rows per query. */
export function createCityIndex(
  store: Pick<Store, 'onChange'>,
  queries: Pick<CampaignQueries, 'cityCounts' | 'place' | 'joinsPerHour'>,
  options: CityIndexOptions = {},
) {
  const staleMs = options.staleMs ?? defaults.staleMs;
  const radius = options.radius ?? defaults.radius;
  const maxZoom = options.maxZoom ?? defaults.maxZoom;
  const campaigns = new Map<string, CampaignCities>();

  function load(tag: string): CampaignCities {
    let c = campaigns.get(tag);
    if (c) return c;
    c = new CampaignCities(tag);
    for (const { place, count } of queries.cityCounts(tag)) c.add(place, count);
    for (const { hour, count } of queries.joinsPerHour(tag)) c.joins.set(hour, count);
    campaigns.set(tag, c);
    return c;
  }

  function build(c: CampaignCities): void {
    if (c.timer) clearTimeout(c.timer);
    c.timer = null;
    // Views served before this build were stale: a stats event tells live clients to ask again.
    const changed = c.dirty && c.clusters !== null;
    c.list = [...c.cities.values()];
    const index = new Supercluster<CityProps, ClusterAcc>({
      radius,
      maxZoom,
      // Each point is a city weighted by its people: a million contributors stay 30,000 points.
      map: (p) => ({ count: p.count, cities: 1, label: p.name, population: p.population }),
      reduce: (acc, p) => {
        acc.count += p.count;
        acc.cities += p.cities;
        if (p.population > acc.population) {
          acc.population = p.population;
          acc.label = p.label;
        }
      },
    });
    index.load(
      c.list.map((e) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: toLngLat(e.place.lat, e.place.lng) },
        properties: {
          id: e.place.id,
          name: e.place.name,
          count: e.count,
          population: e.place.population,
        },
      })),
    );
    const kd = new KDBush(Math.max(1, c.list.length));
    for (const e of c.list) kd.add(e.place.lng, e.place.lat);
    if (c.list.length === 0) kd.add(0, 0); // kdbush needs one item; index 0 is never read when the list is empty
    kd.finish();
    c.clusters = index;
    c.kd = kd;
    c.dirty = false;
    c.builtAt = Date.now();
    if (changed) options.onStats?.(c.tag);
  }

  function fresh(tag: string): CampaignCities {
    const c = load(tag);
    if (!c.clusters || (c.dirty && Date.now() - c.builtAt >= staleMs)) build(c);
    return c;
  }

  // Place names never change: fold each once, not on every rebuild of the list.
  const foldedNames = new Map<number, string>();
  const folded = (p: Place) => {
    let f = foldedNames.get(p.id);
    if (f === undefined) foldedNames.set(p.id, (f = foldName(p.name)));
    return f;
  };

  /** The campaign's cities sorted for the list, rebuilt at most once per index build. */
  function cityList(tag: string): CityList {
    const c = fresh(tag);
    if (c.sorted?.builtAt === c.builtAt) return c.sorted;
    const all: ListedCity[] = [];
    for (const e of c.list) {
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
    c.sorted = { builtAt: c.builtAt, all, byCountry, countries };
    return c.sorted;
  }

  function toView(
    c: CampaignCities,
    f: ReturnType<Supercluster<CityProps, ClusterAcc>['getClusters']>[number],
  ): ViewFeature {
    const p = f.properties as Partial<Supercluster.ClusterProperties> & ClusterAcc & CityProps;
    const coordinates = f.geometry.coordinates as [number, number];
    if (p.cluster) {
      return {
        type: 'Feature',
        id: `c${p.cluster_id}`,
        geometry: { type: 'Point', coordinates },
        properties: {
          cluster: true,
          clusterId: p.cluster_id!,
          count: p.count,
          cities: p.cities,
          expansionZoom: c.clusters!.getClusterExpansionZoom(p.cluster_id!),
          label: p.label,
        },
      };
    }
    const entry = c.cities.get(p.id);
    return {
      type: 'Feature',
      id: p.id,
      geometry: { type: 'Point', coordinates },
      properties: {
        cluster: false,
        place: entry ? label(entry.place) : { id: p.id, name: '', admin1: null, country: '' },
        count: entry?.count ?? p.count,
      },
    };
  }

  store.onChange((changes: ContributorChange[]) => {
    const touched = new Set<string>();
    for (const ch of changes) {
      const c = campaigns.get(ch.tag);
      if (!c) continue; // not loaded yet: the first query reads the db
      if (ch.from !== null) {
        const entry = c.cities.get(ch.from);
        if (entry) c.add(entry.place, -1);
      }
      if ((ch.from === null) !== (ch.to === null) && ch.joinedAt) {
        const hour = ch.joinedAt.slice(0, 13);
        const n = (c.joins.get(hour) ?? 0) + (ch.to === null ? -1 : 1);
        if (n > 0) c.joins.set(hour, n);
        else c.joins.delete(hour);
      }
      if (ch.to !== null) {
        const place = c.cities.get(ch.to)?.place ?? queries.place(ch.to);
        if (place) c.add(place, 1);
      }
      touched.add(ch.tag);
    }
    for (const tag of touched) {
      const c = campaigns.get(tag)!;
      c.timer ??= setTimeout(() => build(c), staleMs).unref();
      options.onStats?.(tag);
    }
  });

  return {
    /** Load a campaign's counts now rather than on the first request. */
    warm(tag: string): void {
      fresh(tag);
    },

    /** Clusters of cities and single cities inside a view (bbox [w, s, e, n]). */
    view(tag: string, bbox: [number, number, number, number], zoom: number): ViewFeature[] {
      const c = fresh(tag);
      return c.clusters!.getClusters(bbox, zoom).map((f) => toView(c, f));
    },

    /** A cluster's children and the zoom at which it splits; null when the id is unknown (e.g. after a rebuild). */
    cluster(
      tag: string,
      clusterId: number,
    ): { expansionZoom: number; children: ViewFeature[] } | null {
      const c = fresh(tag);
      try {
        return {
          expansionZoom: c.clusters!.getClusterExpansionZoom(clusterId),
          children: c.clusters!.getChildren(clusterId).map((f) => toView(c, f)),
        };
      } catch {
        return null;
      }
    },

    /** Every country with people on the map, most people first, as of the last index build. */
    countries(tag: string): CountryCount[] {
      return cityList(tag).countries;
    },

    /**
     * One page of cities, most people first: all of them or one country's, optionally only those
     * whose folded name contains `q`'s, after `after` (a previous page's last key).
     */
    cityPage(
      tag: string,
      query: { country?: string; q?: string; limit: number; after?: CityKey | null },
    ): { total: number; cities: CityEntry[]; next: CityKey | null } {
      const lists = cityList(tag);
      const list = query.country ? (lists.byCountry.get(query.country) ?? []) : lists.all;
      // A filter with no letters or digits ("!!!") folds to nothing and matches nothing, not everything.
      const q = query.q === undefined ? null : foldName(query.q);
      const matches = (city: ListedCity) => q !== null && q !== '' && city.folded.includes(q);
      const total =
        q === null ? list.length : list.reduce((n, city) => n + (matches(city) ? 1 : 0), 0);
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
    },

    /** The people count of one city, or 0. */
    city(tag: string, placeId: number): CityEntry | null {
      return load(tag).cities.get(placeId) ?? null;
    },

    /**
     * Cities by great-circle distance from a point, closest first, until they hold `people` contributors
     * or none is left within radiusKm. Searches a growing box in the k-d tree, so the cost is the cities near.
     */
    nearest(tag: string, lat: number, lng: number, people: number, radiusKm: number): NearCity[] {
      const c = fresh(tag);
      if (c.list.length === 0) return [];
      for (let r = Math.min(radiusKm, 100); ; r = Math.min(radiusKm, r * 4)) {
        const found = within(c, lat, lng, r);
        let sum = 0;
        let enough = -1;
        for (let i = 0; i < found.length; i++) {
          sum += found[i]!.count;
          if (sum >= people) {
            enough = i;
            break;
          }
        }
        if (enough >= 0) return found.slice(0, enough + 1);
        if (r >= radiusKm || r >= 20_100) return found;
      }
    },

    /** The counters sent as SSE `stats`. */
    stats(tag: string): LiveStats {
      const c = load(tag);
      return { contributors: c.contributors, cities: c.cities.size, countries: c.countries.size };
    },

    /** New contributors per UTC day, oldest first (days with none left out). */
    joinsPerDay(tag: string): { date: string; count: number }[] {
      const days = new Map<string, number>();
      for (const [hour, n] of load(tag).joins) {
        const day = hour.slice(0, 10);
        days.set(day, (days.get(day) ?? 0) + n);
      }
      return [...days.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([date, count]) => ({ date, count }));
    },

    /**
     * New contributors per UTC hour, oldest first, when the joins span at most `maxHours`
     * (a campaign's first days, when a per-day chart would be one bar); null otherwise.
     */
    joinsPerHour(tag: string, maxHours = 72): { hour: string; count: number }[] | null {
      const hours = [...load(tag).joins.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      if (hours.length === 0) return [];
      const span =
        (Date.parse(`${hours.at(-1)![0]}:00Z`) - Date.parse(`${hours[0]![0]}:00Z`)) / 3.6e6;
      if (!(span < maxHours)) return null;
      return hours.map(([hour, count]) => ({ hour, count }));
    },

    /** The most-named cities and countries. */
    top(
      tag: string,
      n: number,
    ): {
      cities: { place: PlaceLabel; count: number }[];
      countries: { country: string; count: number }[];
    } {
      const c = load(tag);
      const cities = [...c.cities.values()]
        .sort((a, b) => b.count - a.count || b.place.population - a.place.population)
        .slice(0, n)
        .map((e) => ({ place: label(e.place), count: e.count }));
      const countries = [...c.countries.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, n)
        .map(([country, count]) => ({ country, count }));
      return { cities, countries };
    },

    close(): void {
      for (const c of campaigns.values()) if (c.timer) clearTimeout(c.timer);
    },
  };
}

/** Cities within r km of a point, closest first. The box covers the circle, across the antimeridian too. */
function within(c: CampaignCities, lat: number, lng: number, r: number): NearCity[] {
  const dLat = r / 111.19; // km per degree of latitude
  const minLat = lat - dLat;
  const maxLat = lat + dLat;
  const ids: number[] = [];
  const polar = maxLat >= 90 || minLat <= -90;
  const dLng = polar
    ? 180
    : r / (111.19 * Math.cos((Math.max(Math.abs(minLat), Math.abs(maxLat)) * Math.PI) / 180));
  if (dLng >= 180) {
    ids.push(...c.kd!.range(-180, minLat, 180, maxLat));
  } else {
    const w = lng - dLng;
    const e = lng + dLng;
    ids.push(...c.kd!.range(Math.max(-180, w), minLat, Math.min(180, e), maxLat));
    if (w < -180) ids.push(...c.kd!.range(w + 360, minLat, 180, maxLat));
    if (e > 180) ids.push(...c.kd!.range(-180, minLat, e - 360, maxLat));
  }
  const out: NearCity[] = [];
  const origin = { lat, lng };
  for (const i of ids) {
    const e = c.list[i]!;
    const d = distanceKm(origin, e.place);
    if (d <= r) out.push({ ...e, distanceKm: d });
  }
  return out.sort((a, b) => a.distanceKm - b.distanceKm || a.place.id - b.place.id);
}

export type CityIndex = ReturnType<typeof createCityIndex>;
