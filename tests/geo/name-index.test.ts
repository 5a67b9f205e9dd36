import { describe, expect, it } from 'vitest';
import { NameFlag, packNames, unpackNames } from '../../server/geo/name-index.js';
import type { NameIndex, PackedNames } from '../../server/geo/name-index.js';

// What SQLite hands back: small blobs at an odd offset of a pooled Buffer, large ones whole.
function throughStorage(p: PackedNames): PackedNames {
  const odd = (b: Buffer) => Buffer.concat([Buffer.from([7]), b]).subarray(1);
  const whole = (b: Buffer) => Buffer.from(Uint8Array.prototype.slice.call(b));
  return {
    name_keys: odd(p.name_keys),
    name_key_ends: odd(p.name_key_ends),
    name_hit_ends: whole(p.name_hit_ends),
    name_hits: odd(p.name_hits),
    name_slots: whole(p.name_slots),
    name_flags: odd(p.name_flags),
    name_prefixes: p.name_prefixes && whole(p.name_prefixes),
  };
}

const hitsOf = (index: NameIndex, key: string): number[] => {
  const e = index.find(key);
  return e < 0 ? [] : [...index.hits.subarray(index.hitsStart(e), index.hitsEnd(e))];
};

describe('name index', () => {
  const entries: [string, Uint32Array, number][] = [
    ['portland', Uint32Array.from([40, 81, 122]), 0],
    ['#newyork', Uint32Array.from([9]), 0],
    ['new york', Uint32Array.from([9, 13]), NameFlag.Region],
    ['zürich', Uint32Array.from([20]), NameFlag.Region],
    ['москва', Uint32Array.from([44]), 0],
    ['北京', Uint32Array.from([48]), 0],
    ['𠮷野家', Uint32Array.from([52]), 0],
    ['lancaster county', new Uint32Array(0), NameFlag.Admin2],
    ['', Uint32Array.from([1]), 0],
  ];
  const index = unpackNames(throughStorage(packNames(entries)));

  it('finds every key with its hits in order and its flags, in any script', () => {
    for (const [key, hits, flags] of entries) {
      expect(hitsOf(index, key), key).toEqual([...hits]);
      expect(index.flags(index.find(key)), key).toBe(flags);
    }
  });

  it('finds nothing under a key it was not given, nor under a prefix or extension of one', () => {
    for (const key of [
      'portlan',
      'portlands',
      'Portland',
      'new  york',
      'zurich',
      '北',
      '𠮷野',
      'x',
    ])
      expect(index.find(key), key).toBe(-1);
  });

  it('matches nothing for a lone surrogate, as SQLite (which wrote it as U+FFFD) found nothing', () => {
    expect(index.find('\uD842野家')).toBe(-1);
    expect(index.find('𠮷野家'.slice(1))).toBe(-1);
  });

  it('finds each of thousands of keys once the table is crowded with near-identical ones', () => {
    const many = Array.from(
      { length: 5000 },
      (_, i) => [`town ${i}`, Uint32Array.from([i * 4]), 0] as [string, Uint32Array, number],
    );
    const big = unpackNames(throughStorage(packNames(many)));
    for (let i = 0; i < 5000; i++) expect(big.find(`town ${i}`)).toBe(i);
    expect(big.find('town 5000')).toBe(-1);
  });

  it('says the first words of every name of several words may go on, and of most other words not', () => {
    const many = Array.from(
      { length: 3000 },
      (_, i) =>
        [`saint ${i} du lac`, Uint32Array.from([i * 4]), 0] as [string, Uint32Array, number],
    );
    const big = unpackNames(throughStorage(packNames([...entries, ...many])));
    for (const prefix of ['new', 'lancaster', 'saint', 'saint 7', 'saint 2999 du'])
      expect(big.mayContinue(prefix), prefix).toBe(true);
    for (let i = 0; i < 3000; i++) expect(big.mayContinue(`saint ${i} du`)).toBe(true);
    // A Bloom filter may say yes to a prefix of nothing, but seldom.
    const strays = Array.from({ length: 1000 }, (_, i) => `saint ${i} de`);
    strays.push('portland', 'new york', 'zürich', 'москва', 'saint 3000', 'saint 7 du lac');
    const yes = strays.filter((p) => big.mayContinue(p));
    expect(yes.length).toBeLessThan(20);
  });

  it('lets every prefix go on when the file was built before the prefix filter', () => {
    const older = throughStorage(packNames(entries));
    delete older.name_prefixes;
    const index = unpackNames(older);
    expect(index.mayContinue('portland')).toBe(true);
    expect(index.find('new york')).toBeGreaterThanOrEqual(0);
  });

  it('refuses a key given twice and a key SQLite would have stored differently', () => {
    expect(() => packNames([entries[0]!, entries[0]!])).toThrow(/"portland" given twice/);
    expect(() => packNames([['bad\uD800', new Uint32Array(0), 0]])).toThrow(/lone surrogate/);
  });
});
