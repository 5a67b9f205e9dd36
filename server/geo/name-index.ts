/**
 * The name index in memory: every folded name with its places' indexes, and whether it is also a
 * region's or a county's, packed at build time into a few blobs that load in milliseconds, and read
 * without SQLite. (It replaces the Bloom filter that kept most look-ups from reaching SQLite.)
 *
 * Why: with the names in SQLite, the ≈1.6 look-ups per post that pass the Bloom filter were a
 * third of locating a post uncached (≈20–40 µs each: a statement step, a Buffer, a JS string). A
 * map of 763,000 JS strings built at open took 2–4.5 s just to read the rows, so the build packs
 * an open-addressing hash table instead: the keys as UTF-8 in one byte array, compared in place
 * (no string is made per look-up), and the hits as one Uint32 array. About 26 MB, outside the JS
 * heap (ArrayBuffers), for the whole table.
 */

/** The blobs, stored under these keys in the gazetteer's meta table. */
export interface PackedNames {
  /** UTF-8 keys, one after another (entry order). */
  name_keys: Buffer;
  /** Uint32: the end of each entry's key in name_keys (its start is the previous end). */
  name_key_ends: Buffer;
  /** Uint32: the end of each entry's hits in name_hits. */
  name_hit_ends: Buffer;
  /** Uint32: place index * 4 + kind, most populous first within an entry. */
  name_hits: Buffer;
  /**
   * Uint32 slots of an open-addressing table (linear probing), 2^k of them, at most half full: 0
   * when empty, else entry + 1 in the low k bits and the key hash's top 32 - k bits above, so a
   * probe that meets another key almost never reads that key's bytes.
   */
  name_slots: Buffer;
  /** Uint8 per entry: NameFlag bits (what else is under the key besides its places). */
  name_flags: Buffer;
  /**
   * A Bloom filter (2^22 bits, two per prefix) of every key's beginnings that end before one of
   * its spaces ("new" and "new york" for "new york city"), as hashKey hashes them. Absent from
   * files built before it (2026-12-07): then every prefix may continue.
   */
  name_prefixes?: Buffer;
}

/** What else a key names: the locator asks for regions under every key it asks for places. */
export const NameFlag = { Region: 1, Admin2: 2 } as const;

/** Read access to a packed index. */
export interface NameIndex {
  readonly count: number;
  /** The entry of a key, or -1. */
  find(key: string): number;
  /** Where an entry's hits start and end in `hits`. */
  hitsStart(entry: number): number;
  hitsEnd(entry: number): number;
  /** NameFlag bits of an entry. */
  flags(entry: number): number;
  /** Place index * 4 + kind. */
  readonly hits: Uint32Array;
  /**
   * Whether some key may start with `prefix` and a space ("new" for "new york"); false only when
   * none does. A post's words are tried as names of up to five words: once their first words
   * begin no name, the longer spans need no look-up.
   */
  mayContinue(prefix: string): boolean;
}

/** FNV-1a over UTF-16 code units: the same for a key at build time and at look-up. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const UNSAFE = /[\uD800-\uDFFF\uFFFD]/u;

/** The prefix filter's size in bits (512 KiB: ≈440,000 prefixes, ≈3% false positives). */
const PREFIX_BITS = 22;
const PREFIX_MASK = (1 << PREFIX_BITS) - 1;
// The filter's two bits for a prefix's hash: its low bits, and its high bits mixed.
const prefixBit2 = (h: number): number => Math.imul(h, 0x9e3779b1) >>> (32 - PREFIX_BITS);

/** Slots for `count` entries: a power of two at most half full, so a probe ends in 1–2 steps. */
function slotCount(count: number): number {
  let n = 1024;
  while (n < count * 2) n *= 2;
  return n;
}

/**
 * Pack entries: each key once, with its hits as the names table's blobs hold them (none for a key
 * that is only a region's) and its NameFlag bits.
 */
export function packNames(
  entries: ReadonlyArray<readonly [string, Uint32Array, number]>,
): PackedNames {
  const n = entries.length;
  const keyEnds = new Uint32Array(n);
  const hitEnds = new Uint32Array(n);
  const keyBytes: Buffer[] = [];
  let keyTotal = 0;
  let hitTotal = 0;
  entries.forEach(([key, hits], i) => {
    // SQLite wrote a lone surrogate as U+FFFD: with neither in a key, both readings agree.
    if (UNSAFE.test(key))
      throw new Error(`name index: key ${JSON.stringify(key)} holds U+FFFD or a lone surrogate`);
    const b = Buffer.from(key, 'utf8');
    keyBytes.push(b);
    keyTotal += b.length;
    keyEnds[i] = keyTotal;
    hitTotal += hits.length;
    hitEnds[i] = hitTotal;
  });
  const allHits = new Uint32Array(hitTotal);
  const flags = new Uint8Array(entries.map((e) => e[2]));
  entries.forEach(([, hits], i) => allHits.set(hits, hitEnds[i]! - hits.length));
  const size = slotCount(n);
  const slots = new Uint32Array(size);
  const bits = Math.log2(size);
  const seen = new Set<string>();
  entries.forEach(([key], i) => {
    if (seen.has(key)) throw new Error(`name index: key ${JSON.stringify(key)} given twice`);
    seen.add(key);
    const h = hashKey(key);
    let s = h & (size - 1);
    while (slots[s] !== 0) s = (s + 1) & (size - 1);
    slots[s] = (((h >>> bits) << bits) | (i + 1)) >>> 0;
  });
  const prefixes = new Uint32Array(1 << (PREFIX_BITS - 5));
  for (const [key] of entries)
    for (let at = key.indexOf(' '); at >= 0; at = key.indexOf(' ', at + 1)) {
      const h = hashKey(key.slice(0, at));
      const b2 = prefixBit2(h);
      prefixes[(h & PREFIX_MASK) >>> 5]! |= 1 << (h & 31);
      prefixes[b2 >>> 5]! |= 1 << (b2 & 31);
    }
  const buf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return {
    name_keys: Buffer.concat(keyBytes, keyTotal),
    name_key_ends: buf(keyEnds),
    name_hit_ends: buf(hitEnds),
    name_hits: buf(allHits),
    name_slots: buf(slots),
    name_flags: buf(flags),
    name_prefixes: buf(prefixes),
  };
}

// SQLite hands small blobs back in Buffers that may sit at any offset of a shared pool: those
// are copied to align them; a large blob has a buffer of its own and is used as it is.
function aligned(b: Buffer): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b.buffer as ArrayBuffer;
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** Whether the UTF-8 bytes[from..to) spell key (encoded on the fly: no string or Buffer is made). */
function sameKey(key: string, bytes: Uint8Array, from: number, to: number): boolean {
  let p = from;
  for (let i = 0; i < key.length; i++) {
    let c = key.charCodeAt(i);
    if (c < 0x80) {
      if (p >= to || bytes[p++] !== c) return false;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < key.length ? key.charCodeAt(i + 1) : 0;
      // A lone surrogate is no key (packNames refuses them): nothing can match it.
      if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) return false;
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      i++;
      if (p + 4 > to) return false;
      if (bytes[p++] !== (0xf0 | (c >>> 18))) return false;
      if (bytes[p++] !== (0x80 | ((c >>> 12) & 0x3f))) return false;
    } else if (c >= 0x800) {
      if (p + 3 > to) return false;
      if (bytes[p++] !== (0xe0 | (c >>> 12))) return false;
    } else {
      if (p + 2 > to) return false;
      if (bytes[p++] !== (0xc0 | (c >>> 6))) return false;
      if (bytes[p++] !== (0x80 | (c & 0x3f))) return false;
      continue;
    }
    if (bytes[p++] !== (0x80 | ((c >>> 6) & 0x3f))) return false;
    if (bytes[p++] !== (0x80 | (c & 0x3f))) return false;
  }
  return p === to;
}

/** Read what packNames wrote. */
export function unpackNames(packed: PackedNames): NameIndex {
  const keys = new Uint8Array(aligned(packed.name_keys));
  const keyEnds = new Uint32Array(aligned(packed.name_key_ends));
  const hitEnds = new Uint32Array(aligned(packed.name_hit_ends));
  const hits = new Uint32Array(aligned(packed.name_hits));
  const slots = new Uint32Array(aligned(packed.name_slots));
  const flags = new Uint8Array(aligned(packed.name_flags));
  const prefixes = packed.name_prefixes ? new Uint32Array(aligned(packed.name_prefixes)) : null;
  const count = keyEnds.length;
  const mask = slots.length - 1;
  const bits = Math.log2(slots.length);
  if (
    hitEnds.length !== count ||
    flags.length !== count ||
    (slots.length & mask) !== 0 ||
    slots.length < count * 2 ||
    (count > 0 && (keyEnds[count - 1] !== keys.length || hitEnds[count - 1] !== hits.length)) ||
    (prefixes !== null && prefixes.length !== 1 << (PREFIX_BITS - 5))
  )
    throw new Error('gazetteer name index disagrees in length: rebuild it with npm run build');
  return {
    count,
    hits,
    mayContinue(prefix) {
      if (prefixes === null) return true;
      const h = hashKey(prefix);
      const b2 = prefixBit2(h);
      return (
        (prefixes[(h & PREFIX_MASK) >>> 5]! & (1 << (h & 31))) !== 0 &&
        (prefixes[b2 >>> 5]! & (1 << (b2 & 31))) !== 0
      );
    },
    find(key) {
      const h = hashKey(key);
      const tag = h >>> bits;
      for (let s = h & mask; ; s = (s + 1) & mask) {
        const v = slots[s]!;
        if (v === 0) return -1;
        if (v >>> bits !== tag) continue;
        const e = v & mask;
        if (sameKey(key, keys, e === 1 ? 0 : keyEnds[e - 2]!, keyEnds[e - 1]!)) return e - 1;
      }
    },
    hitsStart: (entry) => (entry === 0 ? 0 : hitEnds[entry - 1]!),
    hitsEnd: (entry) => hitEnds[entry]!,
    flags: (entry) => flags[entry]!,
  };
}
