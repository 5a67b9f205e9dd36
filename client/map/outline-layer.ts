import * as L from 'leaflet';
import { apiUrl } from '../api.js';
import type { CityLabel, CountryLabel } from './place-labels.js';

/**
 * The world outline's TopoJSON (Natural Earth 1:110m, ~38 kB gzipped). The map page loads it as
 * a separate chunk alongside the data; the widget, one file within its size budget, fetches the
 * same JSON from its server, where it is cached.
 */
async function loadTopology(server: string): Promise<unknown> {
  if (__FTO_WIDGET__) {
    const res = await fetch(apiUrl(server, '/world-outline.json'));
    if (!res.ok) throw new Error(`world outline: ${res.status}`);
    return res.json();
  }
  return (await import('world-atlas/countries-110m.json')).default;
}

/**
 * Draws land and borders into the map's `outline` pane, under any tiles, so it shows wherever
 * tiles are missing. The outline is backdrop: pins, tiles and lists work without it, so a failure
 * draws nothing, and so does a map replaced meanwhile (`current()` is another map).
 */
export async function addOutline(
  map: L.Map,
  server: string,
  current: () => L.Map | null,
): Promise<void> {
  let topology: unknown;
  try {
    topology = await loadTopology(server);
  } catch {
    return;
  }
  const { worldOutline } = await import('../world-outline.js');
  if (current() !== map) return;
  const { land, borders } = worldOutline(topology);
  const common = { pane: 'outline', interactive: false, smoothFactor: 0.5 };
  L.geoJSON(land, { ...common, style: { className: 'fto-land', stroke: true } }).addTo(map);
  L.geoJSON(borders, { ...common, style: { className: 'fto-borders', fill: false } }).addTo(map);
}

/**
 * The names for the bare outline: countries (Natural Earth) and capitals and big cities
 * (GeoNames), built by scripts/map-assets.ts and fetched from the map's server only when a map
 * without tiles needs them; nothing when they cannot be had.
 */
export async function loadMapLabels(
  server: string,
): Promise<{ countries: CountryLabel[]; cities: CityLabel[] }> {
  try {
    const res = await fetch(apiUrl(server, '/map-labels.json'));
    if (!res.ok) return { countries: [], cities: [] };
    const body = (await res.json()) as { countries?: unknown; cities?: unknown };
    const rows = (value: unknown) => (Array.isArray(value) ? value.filter(isLabelRow) : []);
    return { countries: rows(body.countries), cities: rows(body.cities) };
  } catch {
    return { countries: [], cities: [] };
  }
}

function isLabelRow(row: unknown): row is [string, number, number, number] {
  return (
    Array.isArray(row) &&
    typeof row[0] === 'string' &&
    [row[1], row[2], row[3]].every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}
