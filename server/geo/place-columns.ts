import type { Place } from '../../shared/types.js';

/** A place with the codes the locator matches qualifiers against. */
export interface GazetteerPlace extends Place {
  /** GeoNames admin1 code with its country, e.g. "US.OR"; null when unknown. */
  admin1Code: string | null;
  /** GeoNames feature code, e.g. "PPLA2". */
  feature: string;
}

/**
 * Every gazetteer place, packed column by column into a few blobs that load in milliseconds.
 *
 * Why not rows in SQLite: a name lookup that joins its places and hands back ten columns per place
 * spent most of its time making JS strings for every row (17 µs a lookup, 2/3 of locating a post).
 * With the places in memory as typed arrays (about 8 MB for 190,000 places), a lookup reads one
 * small blob of place indexes and builds the hits from these arrays (about 4 µs).
 */
export interface PlaceColumns {
  readonly count: number;
  /** The place at an index (0 … count-1). */
  at(index: number): GazetteerPlace;
  /** The index of a GeoNames id, or -1. */
  indexOf(id: number): number;
}

/** The blobs, stored under these keys in the gazetteer's meta table. */
export interface PackedPlaces {
  /** Int32, GeoNames ids in ascending order (so indexOf is a binary search). */
  place_ids: Buffer;
  /** Float64, lat and lng interleaved. */
  place_coords: Buffer;
  /** Float64 populations. */
  place_population: Buffer;
  /** Uint16 triples: admin1 entry, country, feature (indexes into place_strings). */
  place_codes: Buffer;
  /** UTF-8 names joined by "\n". */
  place_names: Buffer;
  /** JSON: { admin1: [code, name][], countries: string[], features: string[] }. */
  place_strings: string;
}

interface Strings {
  admin1: Array<[string | null, string | null]>;
  countries: string[];
  features: string[];
}

/** Pack places; they are stored in ascending id order, and the returned map gives each id's index. */
export function packPlaces(places: readonly GazetteerPlace[]): {
  packed: PackedPlaces;
  indexById: Map<number, number>;
} {
  const sorted = [...places].sort((a, b) => a.id - b.id);
  const n = sorted.length;
  const ids = new Int32Array(n);
  const coords = new Float64Array(n * 2);
  const population = new Float64Array(n);
  const codes = new Uint16Array(n * 3);
  const strings: Strings = { admin1: [], countries: [], features: [] };
  const interned = (list: unknown[], seen: Map<string, number>, key: string, value: unknown) => {
    let i = seen.get(key);
    if (i === undefined) {
      i = list.length;
      if (i > 0xffff) throw new Error(`place-columns: more than 65,535 distinct values of ${key}`);
      list.push(value);
      seen.set(key, i);
    }
    return i;
  };
  const admin1Seen = new Map<string, number>();
  const countrySeen = new Map<string, number>();
  const featureSeen = new Map<string, number>();
  const indexById = new Map<number, number>();
  const names: string[] = [];
  sorted.forEach((p, i) => {
    if (p.name.includes('\n')) throw new Error(`place ${p.id}: a name with a line break`);
    ids[i] = p.id;
    coords[i * 2] = p.lat;
    coords[i * 2 + 1] = p.lng;
    population[i] = p.population;
    codes[i * 3] = interned(
      strings.admin1,
      admin1Seen,
      `${p.admin1Code ?? ''}\u0000${p.admin1 ?? ''}`,
      [p.admin1Code, p.admin1],
    );
    codes[i * 3 + 1] = interned(strings.countries, countrySeen, p.country, p.country);
    codes[i * 3 + 2] = interned(strings.features, featureSeen, p.feature, p.feature);
    names.push(p.name);
    indexById.set(p.id, i);
  });
  const buf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return {
    packed: {
      place_ids: buf(ids),
      place_coords: buf(coords),
      place_population: buf(population),
      place_codes: buf(codes),
      place_names: Buffer.from(names.join('\n'), 'utf8'),
      place_strings: JSON.stringify(strings),
    },
    indexById,
  };
}

// SQLite hands small blobs back in Buffers that may sit at any offset of a shared pool: those
// are copied to align them; a large blob has a buffer of its own and is used as it is.
function aligned(b: Buffer): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b.buffer as ArrayBuffer;
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** Read what packPlaces wrote. */
export function unpackPlaces(packed: PackedPlaces): PlaceColumns {
  const ids = new Int32Array(aligned(packed.place_ids));
  const coords = new Float64Array(aligned(packed.place_coords));
  const population = new Float64Array(aligned(packed.place_population));
  const codes = new Uint16Array(aligned(packed.place_codes));
  const count = ids.length;
  const names = count === 0 ? [] : packed.place_names.toString('utf8').split('\n');
  const strings = JSON.parse(packed.place_strings) as Strings;
  if (names.length !== count || coords.length !== count * 2 || codes.length !== count * 3)
    throw new Error('gazetteer place columns disagree in length: rebuild it with npm run build');
  // Each place's object is made once, on its first use, and shared after: places never change,
  // and a look-up that made a fresh object for each of its hits spent a tenth of finding a post's
  // names doing so. At most one object per place (≈20 MB if every place were read; a stream of
  // posts reads a few thousand).
  const made = new Array<GazetteerPlace | undefined>(count);
  return {
    count,
    at(i) {
      const had = made[i];
      if (had !== undefined) return had;
      const [admin1Code, admin1] = strings.admin1[codes[i * 3]!]!;
      return (made[i] = {
        id: ids[i]!,
        name: names[i]!,
        admin1,
        country: strings.countries[codes[i * 3 + 1]!]!,
        lat: coords[i * 2]!,
        lng: coords[i * 2 + 1]!,
        population: population[i]!,
        admin1Code,
        feature: strings.features[codes[i * 3 + 2]!]!,
      });
    },
    indexOf(id) {
      let lo = 0;
      let hi = count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = ids[mid]!;
        if (v === id) return mid;
        if (v < id) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
  };
}
