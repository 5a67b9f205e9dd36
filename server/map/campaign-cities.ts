import KDBush from 'kdbush';
import Supercluster from 'supercluster';
import { toLngLat } from '../../shared/geo.js';
import type { Place, PlaceLabel, ViewFeature } from '../../shared/types.js';

/** A city in a campaign, with how many people named it. */
export interface CityEntry {
  place: Place;
  count: number;
}

/** What each point of the cluster index carries: a city weighted by its people. */
interface CityProps {
  id: number;
  name: string;
  count: number;
  population: number;
}

/** What a cluster sums: people, cities, and the name of its most populous city. */
interface ClusterAcc {
  count: number;
  cities: number;
  label: string;
  population: number;
}

export type CityClusters = Supercluster<CityProps, ClusterAcc>;

export const label = (p: Place): PlaceLabel => ({
  id: p.id,
  name: p.name,
  admin1: p.admin1,
  country: p.country,
});

/** One campaign's cities in memory: counts kept live from store changes, indexes rebuilt after a debounce. */
export class CampaignCities {
  constructor(readonly tag: string) {}
  readonly cities = new Map<number, CityEntry>();
  readonly countries = new Map<string, number>();
  /** New contributors per UTC hour (YYYY-MM-DDTHH); days are summed from them. */
  readonly joins = new Map<string, number>();
  contributors = 0;
  dirty = true;
  builtAt = 0;
  clusters: CityClusters | null = null;
  kd: KDBush | null = null;
  list: CityEntry[] = [];
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

  /** Count a join (`delta` 1) or a departure (-1) in the hour of `joinedAt`. */
  join(joinedAt: string, delta: number): void {
    const hour = joinedAt.slice(0, 13);
    const n = (this.joins.get(hour) ?? 0) + delta;
    if (n > 0) this.joins.set(hour, n);
    else this.joins.delete(hour);
  }

  /** Rebuild the cluster index and the k-d tree from the counts. */
  build(options: { radius: number; maxZoom: number }): void {
    this.list = [...this.cities.values()];
    const index: CityClusters = new Supercluster<CityProps, ClusterAcc>({
      radius: options.radius,
      maxZoom: options.maxZoom,
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
      this.list.map((e) => ({
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
    const kd = new KDBush(Math.max(1, this.list.length));
    for (const e of this.list) kd.add(e.place.lng, e.place.lat);
    if (this.list.length === 0) kd.add(0, 0); // kdbush needs one item; index 0 is never read when the list is empty
    kd.finish();
    this.clusters = index;
    this.kd = kd;
    this.dirty = false;
    this.builtAt = Date.now();
  }

  /** A point of the cluster index as the API's view feature: a cluster or one city. */
  toView(f: ReturnType<CityClusters['getClusters']>[number]): ViewFeature {
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
          expansionZoom: this.clusters!.getClusterExpansionZoom(p.cluster_id!),
          label: p.label,
        },
      };
    }
    const entry = this.cities.get(p.id);
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
}
