import type {
  CountryCount,
  LiveStats,
  Place,
  PlaceLabel,
  ViewFeature,
} from '../../shared/types.js';
import { NETWORKS, networkOf, type Network } from '../../shared/network.js';
import { foldName } from '../geo/fold.js';
import type { CampaignQueries } from '../store/campaign-queries.js';
import type { Store, StoreChange } from '../store/store.js';
import { CampaignCities, label, type CityEntry } from './campaign-cities.js';
import { cityPage, toCityList, type CityKey, type CityList } from './city-list.js';
import { nearest, type NearCity } from './nearby.js';

export type { CityEntry } from './campaign-cities.js';
export type { CityKey } from './city-list.js';
export type { NearCity } from './nearby.js';

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

/**
 * The map model: clusters, nearby cities and counters for every campaign, in memory, without
 * touching a million rows per query. Loaded from the store's queries on first use, then kept up
 * by the store's change stream (which tells other processes' writes too, when it follows them).
 */
export function createCityIndex(
  store: Pick<Store, 'onChange'> & Partial<Pick<Store, 'consistently'>>,
  queries: Pick<CampaignQueries, 'cityCounts' | 'place' | 'joinsPerHour'>,
  options: CityIndexOptions = {},
) {
  const staleMs = options.staleMs ?? defaults.staleMs;
  const shape = {
    radius: options.radius ?? defaults.radius,
    maxZoom: options.maxZoom ?? defaults.maxZoom,
  };
  // Keyed by tag, and by `tag~network` for one network's share (`?network=`), each loaded on first use.
  const campaigns = new Map<string, CampaignCities>();

  function load(key: string): CampaignCities {
    const known = campaigns.get(key);
    if (known) return known;
    const [tag, network] = key.split('~') as [string, Network | undefined];
    const loaded = new CampaignCities(tag);
    // One snapshot that every change told so far matches (other processes write too).
    (store.consistently ?? ((fn: () => void) => fn()))(() => {
      for (const { place, count } of queries.cityCounts(tag, network)) loaded.add(place, count);
      for (const { hour, count } of queries.joinsPerHour(tag, network))
        loaded.joins.set(hour, count);
    });
    campaigns.set(key, loaded);
    return loaded;
  }

  function build(c: CampaignCities): void {
    if (c.timer) clearTimeout(c.timer);
    c.timer = null;
    // Views served before this build were stale: a stats event tells live clients to ask again.
    const changed = c.dirty && c.clusters !== null;
    c.build(shape);
    if (changed && campaigns.get(c.tag) === c) options.onStats?.(c.tag);
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
  const sorted = new Map<string, CityList>();
  function cityList(tag: string): CityList {
    const c = fresh(tag);
    let list = sorted.get(tag);
    if (list?.builtAt !== c.builtAt)
      sorted.set(tag, (list = toCityList(c.list, c.builtAt, folded)));
    return list;
  }

  /** Forget every loaded campaign: the next query loads it from the database, as at start. */
  function reloadAll(): void {
    const tags = new Set<string>();
    for (const c of campaigns.values()) {
      if (c.timer) clearTimeout(c.timer);
      tags.add(c.tag);
    }
    campaigns.clear();
    sorted.clear();
    for (const tag of tags) options.onStats?.(tag);
  }

  function follow(change: StoreChange): void {
    // The stream lost changes (pruned before this process read them): counting on would stay wrong.
    if (change.reload !== undefined) reloadAll();
    const touched = new Set<string>();
    for (const ch of change.contributors) {
      const own = networkOf(ch.acct);
      for (const network of [null, ...NETWORKS]) {
        const key = networkKey(ch.tag, network);
        const c = campaigns.get(key);
        if (!c) continue; // not loaded yet: the first query reads the db
        // Everyone counts everywhere; a network counts its own accounts, and linked pairs (both).
        const inFrom = ch.from !== null && (!network || network === own || !!ch.paired?.from);
        const inTo = ch.to !== null && (!network || network === own || !!ch.paired?.to);
        if (!inFrom && !inTo) continue;
        if (inFrom) {
          const entry = c.cities.get(ch.from!);
          if (entry) c.add(entry.place, -1);
        }
        if (inFrom !== inTo && ch.joinedAt) c.join(ch.joinedAt, inTo ? 1 : -1);
        if (inTo) {
          const place = c.cities.get(ch.to!)?.place ?? queries.place(ch.to!);
          if (place) c.add(place, 1);
        }
        touched.add(key);
      }
    }
    for (const key of touched) {
      const c = campaigns.get(key)!;
      c.timer ??= setTimeout(() => build(c), staleMs).unref();
      if (key === c.tag) options.onStats?.(key);
    }
  }
  store.onChange(follow);

  return {
    /** Load a campaign's counts now rather than on the first request. */
    warm(tag: string): void {
      fresh(tag);
    },

    /** Clusters of cities and single cities inside a view (bbox [w, s, e, n]). */
    view(tag: string, bbox: [number, number, number, number], zoom: number): ViewFeature[] {
      const c = fresh(tag);
      return c.clusters!.getClusters(bbox, zoom).map((f) => c.toView(f));
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
          children: c.clusters!.getChildren(clusterId).map((f) => c.toView(f)),
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
      const q = query.q === undefined ? undefined : foldName(query.q);
      return cityPage(cityList(tag), { ...query, q });
    },

    /** The people count of one city, or 0. */
    city(tag: string, placeId: number): CityEntry | null {
      return load(tag).cities.get(placeId) ?? null;
    },

    /**
     * Cities by great-circle distance from a point, closest first, until they hold `people` contributors
     * or none is left within radiusKm.
     */
    nearest(tag: string, lat: number, lng: number, people: number, radiusKm: number): NearCity[] {
      return nearest(fresh(tag), lat, lng, people, radiusKm);
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

export type CityIndex = ReturnType<typeof createCityIndex>;

/**
 * The index key of one network's share of a campaign: every method taking `tag` takes it too,
 * and answers for that network's contributors alone. Without a network, the campaign's tag.
 */
export const networkKey = (tag: string, network: Network | null | undefined): string =>
  network ? `${tag}~${network}` : tag;
