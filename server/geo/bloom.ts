/** A Bloom filter over strings: "certainly absent" or "maybe present", in a few bits per key. */
export interface Bloom {
  /** Whether `prefix` + `key` may be present. */
  has(key: string, prefix?: string): boolean;
}

const HASHES = 7;

// FNV-1a and a second seeded variant, combined by double hashing (Kirsch–Mitzenmacher).
// `prefix` + `key` hash as the one string would, without making it.
function hashes(key: string, prefix = ''): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < prefix.length + key.length; i++) {
    const c = i < prefix.length ? prefix.charCodeAt(i) : key.charCodeAt(i - prefix.length);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return [h1 >>> 0, (h2 >>> 0) | 1];
}

/** Size a filter for `count` keys at about 1% false positives. */
export function bloomBits(count: number): number {
  return Math.max(1024, Math.ceil((count * 9.6) / 8) * 8);
}

/** Build the bit array for these keys. */
export function buildBloom(keys: Iterable<string>, bits: number): Uint8Array {
  const bytes = new Uint8Array(bits / 8);
  for (const key of keys) {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % bits;
      bytes[at >>> 3]! |= 1 << (at & 7);
    }
  }
  return bytes;
}

/** Wrap a bit array made by buildBloom. */
export function toBloom(bytes: Uint8Array): Bloom {
  const bits = bytes.length * 8;
  return {
    has(key, prefix = '') {
      const [h1, h2] = hashes(key, prefix);
      for (let i = 0; i < HASHES; i++) {
        const at = ((h1 + Math.imul(i, h2)) >>> 0) % bits;
        if ((bytes[at >>> 3]! & (1 << (at & 7))) === 0) return false;
      }
      return true;
    },
  };
}
