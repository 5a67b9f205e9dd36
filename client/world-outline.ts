import type { FeatureCollection, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature, mesh } from 'topojson-client';
import atlas from 'world-atlas/countries-110m.json' with { type: 'json' };

/** Land and country borders from Natural Earth 1:110m, bundled so the map works offline. */
export interface WorldOutline {
  land: FeatureCollection<Polygon | MultiPolygon>;
  /** Borders between countries only (coastlines are the land's edge already). */
  borders: MultiLineString;
}

type Atlas = Topology<{ countries: GeometryCollection; land: GeometryCollection }>;

export function worldOutline(): WorldOutline {
  const topology = atlas as unknown as Atlas;
  return {
    land: feature(topology, topology.objects.land) as FeatureCollection<Polygon | MultiPolygon>,
    borders: mesh(topology, topology.objects.countries, (a, b) => a !== b),
  };
}
