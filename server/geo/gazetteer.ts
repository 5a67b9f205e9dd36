import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Place } from '../../shared/types.js';
import { NameFlag, unpackNames } from './name-index.js';
import type { PackedNames } from './name-index.js';
import { unpackPlaces } from './place-columns.js';
import type { GazetteerPlace, PackedPlaces } from './place-columns.js';
import { defaultGazetteerPath } from '../paths.js';

/** Bumped when the file layout or the name folding changes, so an old build is rejected instead of misread. */
export const SCHEMA_VERSION = 10;

/** The cased_names key of a local code ("MS" in Germany): "#MS@DE", never a hashtag as written. */
export const localCodeKey = (code: string, country: string): string => `#${code}@${country}`;

/** How a name belongs to a place; lower is more trustworthy. */
export const NameKind = { Primary: 0, Alias: 1, Alternate: 2 } as const;
export type NameKind = (typeof NameKind)[keyof typeof NameKind];

/** What a region name refers to. */
export const RegionKind = { Country: 0, Admin1: 1, Area: 2, Admin2: 3 } as const;
export type RegionKind = (typeof RegionKind)[keyof typeof RegionKind];

export type { GazetteerPlace } from './place-columns.js';

/** A gazetteer place as the public Place: only the contract's fields, nothing internal. */
export function toPublicPlace(p: Place): Place {
  return {
    id: p.id,
    name: p.name,
    admin1: p.admin1,
    country: p.country,
    lat: p.lat,
    lng: p.lng,
    population: p.population,
  };
}

/** One place found under a name. */
export interface NameHit {
  place: GazetteerPlace;
  kind: NameKind;
}

/** A country, first- or second-level division, or named area (which is no one city). */
export interface RegionRef {
  kind: RegionKind;
  /** ISO 3166-1 alpha-2, or "" for an area. */
  country: string;
  /** "US.OR" for an admin1, "GB.ENG.C6" for an admin2 (county, province), "" otherwise. */
  admin1Code: string;
  /** Sum of the populations of its towns in the gazetteer (0 for an area). */
  population: number;
}

/** Read access to the built gazetteer. */
export interface Gazetteer {
  readonly path: string;
  /** Places under a folded name (`#` + foldTag for hashtag forms), most populous first. */
  lookup(key: string): NameHit[];
  /** Places under an exact-case alias such as "LA". */
  lookupCased(text: string): NameHit[];
  /** Regions under a folded name. */
  regions(key: string): RegionRef[];
  /**
   * Whether some folded name (of places or regions) may start with `prefix` and a space; false
   * only when none does, so the longer spans of words need no look-up.
   */
  mayContinue(prefix: string): boolean;
  /** Regions under an exact-case code such as "OR" or "UK". */
  regionsCased(text: string): RegionRef[];
  /** The length of the longest exact-case alias or code: a longer text is none. */
  readonly casedMaxLength: number;
  /** A country's capital (GeoNames feature PPLC), or null. */
  capital(country: string): GazetteerPlace | null;
  /** The towns of an admin1 ("US.TX") with at least `minPopulation` people, most populous first. */
  townsIn(admin1Code: string, minPopulation: number): GazetteerPlace[];
  /** Every town with at least `minPopulation` people, most populous first (read once, kept). */
  bigTowns(minPopulation: number): GazetteerPlace[];
  /**
   * Places under the first `maxNames` folded names that start with `prefix` (not the name equal
   * to it), in name order: for a search box, not for locating posts (nothing is cached).
   */
  lookupPrefix(prefix: string, maxNames: number): NameHit[];
  /** A place by GeoNames id. */
  place(id: number): GazetteerPlace | null;
  /** The nearest place in a country within maxKm of a point, or null. */
  nearest(lat: number, lng: number, country: string, maxKm: number): GazetteerPlace | null;
  close(): void;
}

/** Options for openGazetteer. */
export interface OpenGazetteerOptions {
  /** How many name lookups to remember; repeated words in a stream of posts hit this cache. */
  cacheSize?: number;
}

interface PlaceRow {
  id: number;
  name: string;
  admin1_code: string | null;
  admin1: string | null;
  country: string;
  lat: number;
  lng: number;
  population: number;
  feature: string;
  kind?: number;
}

const NONE: NameHit[] = [];
/** More than the file (≈75 MB): SQLite maps no more than the file holds. */
const LOAD_MMAP_BYTES = 256 * 2 ** 20;
const NO_REGIONS: RegionRef[] = [];
/** The most places kept under one name ("san jose" has 92; no name needs more). */
export const MAX_HITS = 200;

function toPlace(r: PlaceRow): GazetteerPlace {
  return {
    id: r.id,
    name: r.name,
    admin1: r.admin1,
    country: r.country,
    lat: r.lat,
    lng: r.lng,
    population: r.population,
    admin1Code: r.admin1_code,
    feature: r.feature,
  };
}

function distanceKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(a));
}

/** Open the gazetteer built by buildGazetteer (read-only). */
export function openGazetteer(
  path: string = defaultGazetteerPath(),
  opts: OpenGazetteerOptions = {},
): Gazetteer {
  if (!existsSync(path)) {
    throw new Error(
      `gazetteer not found at ${path}: run npm run build (or npm run build:gazetteer) to create it`,
    );
  }
  const db = new Database(path, { readonly: true, fileMustExist: true });
  // Opening reads ≈35 MB of blobs: mapped, SQLite copies them out of the page cache without a read()
  // per 4 KB page (≈25 ms instead of ≈70–170 ms on the shared machine). Unmapped once open.
  db.pragma(`mmap_size = ${LOAD_MMAP_BYTES}`);
  const meta = new Map(
    (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: unknown }[]).map(
      (r) => [r.key, r.value],
    ),
  );
  if (meta.get('schema') !== SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `gazetteer at ${path} has schema ${String(meta.get('schema'))}, expected ${SCHEMA_VERSION}: run npm run build to rebuild it`,
    );
  }
  const places = unpackPlaces(Object.fromEntries(meta) as unknown as PackedPlaces);
  // Every name and its places' indexes (index * 4 + kind), most populous first, in memory, with
  // region and county names flagged.
  const names = unpackNames(Object.fromEntries(meta) as unknown as PackedNames);
  // The locator asks for a key's places, then its regions: the second asks the index no more.
  let lastKey: string | null = null;
  let lastEntry = -1;
  const entryOf = (key: string): number => {
    if (key !== lastKey) {
      lastEntry = names.find(key);
      lastKey = key;
    }
    return lastEntry;
  };
  // U+10FFFF sorts after every UTF-8 continuation of the prefix (SQLite compares the bytes).
  const byPrefix = db
    .prepare('SELECT hits FROM names WHERE key > ? AND key < ? ORDER BY key LIMIT ?')
    .pluck();
  const capitalOf = db.prepare(
    "SELECT id FROM places WHERE country = ? AND feature = 'PPLC' ORDER BY population DESC LIMIT 1",
  );
  const capitals = new Map<string, GazetteerPlace | null>();
  const townsOf = db
    .prepare(
      'SELECT id FROM places WHERE admin1_code = ? AND population >= ? ORDER BY population DESC',
    )
    .pluck();
  const towns = new Map<string, GazetteerPlace[]>();
  const allTownsOf = db
    .prepare('SELECT id FROM places WHERE population >= ? ORDER BY population DESC, id')
    .pluck();
  const inBox = db.prepare(
    'SELECT * FROM places WHERE country = ? AND lat BETWEEN ? AND ? AND lng BETWEEN ? AND ?',
  );

  const regionPopulation = new Map(
    (
      db.prepare('SELECT code, population FROM region_population').all() as {
        code: string;
        population: number;
      }[]
    ).map((r) => [r.code, r.population]),
  );
  const regionMap = new Map<string, RegionRef[]>();
  const casedRegionMap = new Map<string, RegionRef[]>();
  // Rows as arrays, not objects: 9,000 of them at every open.
  for (const [key, cased, kind, country, admin1Code] of db
    .prepare('SELECT key, cased, kind, country, admin1_code FROM regions')
    .raw()
    .all() as [string, number, RegionKind, string, string][]) {
    const map = cased ? casedRegionMap : regionMap;
    const list = map.get(key) ?? [];
    list.push({
      kind,
      country,
      admin1Code,
      population: regionPopulation.get(admin1Code || country) ?? 0,
    });
    map.set(key, list);
  }
  // Counties and provinces, read on demand: the name index flags each of their names.
  const admin2ByKey = db.prepare(
    'SELECT country, code, population FROM admin2_regions WHERE key = ?',
  );
  const admin2Cache = new Map<string, RegionRef[]>();
  const admin2 = (key: string): RegionRef[] => {
    const cached = admin2Cache.get(key);
    if (cached) return cached;
    const found = (
      admin2ByKey.all(key) as { country: string; code: string; population: number }[]
    ).map((r) => ({
      kind: RegionKind.Admin2,
      country: r.country,
      admin1Code: r.code,
      population: r.population,
    }));
    if (admin2Cache.size >= 10_000) admin2Cache.clear();
    admin2Cache.set(key, found);
    return found;
  };
  // The places come from the in-memory columns, not a join: the same values, without SQLite
  // making ten JS values per row.
  const casedNames = new Map<string, NameHit[]>();
  for (const [key, id] of db
    .prepare('SELECT key, place_id FROM cased_names ORDER BY key, place_id')
    .raw()
    .all() as [string, number][]) {
    const at = places.indexOf(id);
    if (at < 0) continue;
    const list = casedNames.get(key) ?? [];
    list.push({ place: places.at(at), kind: NameKind.Alias });
    casedNames.set(key, list);
  }
  db.pragma('mmap_size = 0');
  let casedMaxLength = 0;
  for (const key of [...casedNames.keys(), ...casedRegionMap.keys()])
    casedMaxLength = Math.max(casedMaxLength, key.length);

  /** An index entry's hits, most populous first. */
  const entryHits = (entry: number): NameHit[] => {
    const from = names.hitsStart(entry);
    const hits = new Array<NameHit>(names.hitsEnd(entry) - from);
    for (let i = 0; i < hits.length; i++) {
      const v = names.hits[from + i]!;
      hits[i] = { place: places.at(v >>> 2), kind: (v & 3) as NameKind };
    }
    return hits;
  };
  /** A names row's blob (the same indexes, for prefix search). */
  const toHits = (blob: Buffer): NameHit[] => {
    const hits = new Array<NameHit>(blob.length / 4);
    for (let i = 0; i < hits.length; i++) {
      const v = blob.readUInt32LE(i * 4);
      hits[i] = { place: places.at(v >>> 2), kind: (v & 3) as NameKind };
    }
    return hits;
  };

  const cacheSize = opts.cacheSize ?? 50_000;
  const cache = new Map<string, NameHit[]>();

  return {
    path,
    lookup(key) {
      const cached = cacheSize > 0 ? cache.get(key) : undefined;
      if (cached) {
        cache.delete(key);
        cache.set(key, cached);
        return cached;
      }
      const entry = entryOf(key);
      if (entry < 0 || names.hitsEnd(entry) === names.hitsStart(entry)) return NONE;
      const hits = entryHits(entry);
      if (cacheSize <= 0) return hits;
      cache.set(key, hits);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
      return hits;
    },
    lookupPrefix(prefix, maxNames) {
      if (!prefix || maxNames < 1) return NONE;
      const blobs = byPrefix.all(prefix, `${prefix}\u{10FFFF}`, maxNames) as Buffer[];
      return blobs.flatMap(toHits);
    },
    lookupCased: (text) => casedNames.get(text) ?? NONE,
    regions(key) {
      const entry = entryOf(key);
      if (entry < 0) return NO_REGIONS;
      const flags = names.flags(entry);
      const base = flags & NameFlag.Region ? (regionMap.get(key) ?? NO_REGIONS) : NO_REGIONS;
      if (!(flags & NameFlag.Admin2)) return base;
      const more = admin2(key);
      return more.length === 0 ? base : [...base, ...more];
    },
    regionsCased: (text) => casedRegionMap.get(text) ?? NO_REGIONS,
    casedMaxLength,
    mayContinue: (prefix) => names.mayContinue(prefix),
    townsIn(admin1Code, minPopulation) {
      const key = `${admin1Code}\u0000${minPopulation}`;
      let list = towns.get(key);
      if (!list) {
        list = (townsOf.all(admin1Code, minPopulation) as number[]).map((id) =>
          places.at(places.indexOf(id)),
        );
        towns.set(key, list);
      }
      return list;
    },
    bigTowns(minPopulation) {
      const key = `*\u0000${minPopulation}`;
      let list = towns.get(key);
      if (!list) {
        list = (allTownsOf.all(minPopulation) as number[]).map((id) =>
          places.at(places.indexOf(id)),
        );
        towns.set(key, list);
      }
      return list;
    },
    capital(country) {
      let c = capitals.get(country);
      if (c === undefined) {
        const row = capitalOf.get(country) as { id: number } | undefined;
        c = row ? places.at(places.indexOf(row.id)) : null;
        capitals.set(country, c);
      }
      return c;
    },
    place(id) {
      const i = places.indexOf(id);
      return i < 0 ? null : places.at(i);
    },
    nearest(lat, lng, country, maxKm) {
      const dLat = maxKm / 111;
      const dLng = maxKm / (111 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
      let best: PlaceRow | null = null;
      let bestKm = maxKm;
      for (const r of inBox.all(
        country.toUpperCase(),
        lat - dLat,
        lat + dLat,
        lng - dLng,
        lng + dLng,
      ) as PlaceRow[]) {
        const km = distanceKm(lat, lng, r.lat, r.lng);
        if (km <= bestKm) {
          best = r;
          bestKm = km;
        }
      }
      return best ? toPlace(best) : null;
    },
    close: () => db.close(),
  };
}
