// Build time: where each country's name goes on the outline-only map (see scripts/map-assets.ts).
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature } from 'topojson-client';
import { unwrap } from '../client/world-outline.js';

type Atlas = Topology<{ countries: GeometryCollection<{ name?: string }> }>;

/** Where a country's name goes: inside its largest piece of land, across its widest part. */
export interface CountryLabelPoint {
  name: string;
  lat: number;
  lng: number;
  /** Degrees of longitude the land spans where the label sits: the room the name has. */
  span: number;
}

const RAD = Math.PI / 180;
/** Mercator's y in degrees, so areas and rows compare as the map draws them. */
const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * RAD) / 2)) / RAD;
const latOf = (y: number) => (2 * Math.atan(Math.exp(y * RAD)) - Math.PI / 2) / RAD;

/** Shoelace area of a ring in (longitude, Mercator y), unsigned. */
function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    sum += (ring[j]![0]! - ring[i]![0]!) * (mercY(ring[j]![1]!) + mercY(ring[i]![1]!));
  return Math.abs(sum / 2);
}

/** The widest stretch of land along the row at Mercator y, as [west, east]. */
function widestAt(ring: Position[], y: number): [number, number] | null {
  const xs: number[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x1, y1] = [ring[j]![0]!, mercY(ring[j]![1]!)];
    const [x2, y2] = [ring[i]![0]!, mercY(ring[i]![1]!)];
    if (y1 <= y !== y2 <= y) xs.push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1));
  }
  xs.sort((a, b) => a - b);
  let best: [number, number] | null = null;
  for (let k = 0; k + 1 < xs.length; k += 2)
    if (!best || xs[k + 1]! - xs[k]! > best[1] - best[0]) best = [xs[k]!, xs[k + 1]!];
  return best;
}

/**
 * A label point for each named country in world-atlas's countries TopoJSON: on the widest of a
 * few rows across the middle of its largest piece of land, so it lies on land even for countries
 * shaped like Chile or Norway, and says how wide the land is there.
 */
export function countryLabels(atlas: unknown): CountryLabelPoint[] {
  const topology = atlas as Atlas;
  const labels: CountryLabelPoint[] = [];
  for (const geometry of topology.objects.countries.geometries) {
    const name = (geometry.properties as { name?: string } | undefined)?.name;
    if (!name) continue;
    const shape = feature(topology, geometry) as unknown as Feature<Polygon | MultiPolygon>;
    const g = shape.geometry;
    if (!g) continue;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    let outer: Position[] | null = null;
    let area = 0;
    for (const polygon of polygons) {
      const ring = unwrap(polygon[0] ?? []);
      const a = ringArea(ring);
      if (a > area) [outer, area] = [ring, a];
    }
    if (!outer) continue;
    const ys = outer.map((p) => mercY(p[1]!));
    const [low, high] = [Math.min(...ys), Math.max(...ys)];
    let best: { y: number; west: number; east: number } | null = null;
    for (const share of [0.5, 0.4, 0.6, 0.3, 0.7]) {
      const y = low + (high - low) * share;
      const row = widestAt(outer, y);
      // A row off the middle must be clearly wider to win, so labels stay central.
      if (row && (!best || row[1] - row[0] > (best.east - best.west) * 1.25))
        best = { y, west: row[0], east: row[1] };
    }
    if (!best) continue;
    const lng = (best.west + best.east) / 2;
    labels.push({
      name,
      lat: latOf(best.y),
      lng: ((((lng + 180) % 360) + 360) % 360) - 180,
      span: best.east - best.west,
    });
  }
  return labels;
}
