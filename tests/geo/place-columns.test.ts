import { describe, expect, it } from 'vitest';
import type { GazetteerPlace } from '../../server/geo/gazetteer.js';
import { packPlaces, unpackPlaces } from '../../server/geo/place-columns.js';
import type { PackedPlaces } from '../../server/geo/place-columns.js';

const place = (id: number, over: Partial<GazetteerPlace> = {}): GazetteerPlace => ({
  id,
  name: `Town ${id}`,
  admin1: 'Oregon',
  admin1Code: 'US.OR',
  country: 'US',
  lat: 45.523452 + id / 1000,
  lng: -122.676207,
  population: 1000 + id,
  feature: 'PPL',
  ...over,
});

// What SQLite hands back: each blob copied to an odd offset, as a pooled Buffer may be.
function throughStorage(p: PackedPlaces): PackedPlaces {
  const odd = (b: Buffer) => Buffer.concat([Buffer.from([7]), b]).subarray(1);
  return {
    place_ids: odd(p.place_ids),
    place_coords: odd(p.place_coords),
    place_population: odd(p.place_population),
    place_codes: odd(p.place_codes),
    place_names: odd(p.place_names),
    place_strings: p.place_strings,
  };
}

describe('place columns', () => {
  it('gives back every field of every place, in id order, from misaligned blobs', () => {
    const places = [
      place(5746545, { name: 'Portland', population: 652503 }),
      place(12, {
        name: 'São Paulo',
        admin1: null,
        admin1Code: null,
        country: 'BR',
        lat: -23.5475,
      }),
      place(524901, {
        name: 'Москва',
        admin1: 'Moscow',
        admin1Code: 'RU.48',
        country: 'RU',
        feature: 'PPLC',
      }),
      place(1816670, { name: '北京', country: 'CN', population: 18960744 }),
    ];
    const { packed, indexById } = packPlaces(places);
    const cols = unpackPlaces(throughStorage(packed));
    expect(cols.count).toBe(4);
    expect([0, 1, 2, 3].map((i) => cols.at(i).id)).toEqual([12, 524901, 1816670, 5746545]);
    for (const p of places) {
      expect(indexById.get(p.id)).toBe(cols.indexOf(p.id));
      expect(cols.at(cols.indexOf(p.id))).toEqual(p);
    }
  });

  it('answers -1 for an id it does not hold, below, between and above the stored ones', () => {
    const cols = unpackPlaces(packPlaces([place(10), place(20), place(30)]).packed);
    expect([0, 15, 25, 31].map((id) => cols.indexOf(id))).toEqual([-1, -1, -1, -1]);
    expect(unpackPlaces(packPlaces([]).packed).indexOf(1)).toBe(-1);
  });

  it('refuses columns of different lengths instead of misreading them', () => {
    const a = packPlaces([place(1), place(2)]).packed;
    const b = packPlaces([place(1)]).packed;
    expect(() => unpackPlaces({ ...a, place_names: b.place_names })).toThrow(/rebuild/);
  });

  it('refuses a name with a line break, which would shift every later name', () => {
    expect(() => packPlaces([place(1, { name: 'a\nb' })])).toThrow(/line break/);
  });
});
