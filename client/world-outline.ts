import type { FeatureCollection, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature, mesh } from 'topojson-client';

/** Land and country borders from Natural Earth 1:110m, bundled so the map works offline. */
export interface WorldOutline {
  land: FeatureCollection<Polygon | MultiPolygon>;
  /** Borders between countries only (coastlines are the land's edge already). */
  borders: MultiLineString;
}

type Atlas = Topology<{ countries: GeometryCollection; land: GeometryCollection }>;

/**
 * Makes a ring or line continuous across the antimeridian: where Natural Earth jumps from 180°
 * to -180° (Fiji, Chukotka, Antarctica), Leaflet would draw a stroke across the whole world.
 * Shifting the rest of the line by 360° keeps it on one side instead.
 */
export function unwrap(line: Position[]): Position[] {
  let shift = 0;
  let previous: number | undefined;
  return line.map(([lng = 0, lat = 0]) => {
    if (previous !== undefined) {
      const jump = lng + shift - previous;
      if (jump > 180) shift -= 360;
      else if (jump < -180) shift += 360;
    }
    previous = lng + shift;
    return [previous, lat];
  });
}

/** Land and borders from world-atlas's countries TopoJSON, ready for Leaflet. */
export function worldOutline(atlas: unknown): WorldOutline {
  const topology = atlas as Atlas;
  const land = feature(topology, topology.objects.land) as FeatureCollection<
    Polygon | MultiPolygon
  >;
  for (const f of land.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') g.coordinates = g.coordinates.map(unwrap);
    else g.coordinates = g.coordinates.map((polygon) => polygon.map(unwrap));
  }
  const borders = mesh(topology, topology.objects.countries, (a, b) => a !== b);
  borders.coordinates = borders.coordinates.map(unwrap);
  return { land, borders };
}
