import { distanceKm } from '../../shared/geo.js';
import type { CampaignCities, CityEntry } from './campaign-cities.js';

/** A city found near a point. */
export interface NearCity extends CityEntry {
  distanceKm: number;
}

/**
 * Cities by great-circle distance from a point, closest first, until they hold `people` contributors
 * or none is left within radiusKm. Searches a growing box in the k-d tree, so the cost is the cities near.
 */
export function nearest(
  c: CampaignCities,
  lat: number,
  lng: number,
  people: number,
  radiusKm: number,
): NearCity[] {
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
