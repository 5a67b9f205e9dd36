import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGazetteer } from '../../server/geo/build-gazetteer.js';
import { NameKind, openGazetteer } from '../../server/geo/gazetteer.js';
import type { Gazetteer } from '../../server/geo/gazetteer.js';
import { ensureGazetteer } from './ensure-gazetteer.js';
import { foldName } from '../../server/geo/fold.js';

let gazetteer: Gazetteer;
beforeAll(async () => {
  gazetteer = await ensureGazetteer();
});
afterAll(() => gazetteer.close());

describe('gazetteer', () => {
  it('fails with the path and "run npm run build" when the file is missing', () => {
    expect(() => openGazetteer('/nonexistent/gazetteer.db')).toThrow(
      /\/nonexistent\/gazetteer\.db.*run npm run build/,
    );
  });

  it('knows local and non-Latin names from GeoNames alternates', () => {
    const ids = (key: string) => gazetteer.lookup(key).map((h) => h.place.id);
    expect(ids('munchen')).toContain(2867714);
    expect(ids('москва')).toContain(524901);
    expect(ids('北京')).toContain(1816670);
    expect(ids('den haag')).toContain(2747373);
  });

  it('keeps primary names apart from alternates, which hold junk (Portland as an alternate of Sandusky)', () => {
    const hits = gazetteer.lookup('portland');
    expect(hits.find((h) => h.place.id === 5746545)?.kind).toBe(NameKind.Primary);
    expect(
      hits.filter((h) => h.kind === NameKind.Alternate).every((h) => h.place.name !== 'Portland'),
    ).toBe(true);
  });

  it('lists the places under a name most populous first, each the same as place(id) gives', () => {
    const hits = gazetteer.lookup('springfield');
    expect(hits.length).toBeGreaterThan(20);
    const pops = hits.map((h) => h.place.population);
    expect(pops).toEqual([...pops].sort((a, b) => b - a));
    for (const h of hits) expect(gazetteer.place(h.place.id)).toEqual(h.place);
    expect(gazetteer.place(5746545)).toMatchObject({
      name: 'Portland',
      admin1: 'Oregon',
      admin1Code: 'US.OR',
      country: 'US',
    });
    expect(gazetteer.place(1)).toBeNull();
  });

  it('loads curated aliases, including upper-case-only ones', () => {
    expect(gazetteer.lookup('nyc').map((h) => [h.place.id, h.kind])).toContainEqual([
      5128581,
      NameKind.Alias,
    ]);
    expect(gazetteer.lookupCased('LA').map((h) => h.place.id)).toEqual([5368361]);
    expect(gazetteer.lookupCased('la')).toEqual([]);
  });

  it('names regions: countries in many languages, admin1 names and US postal codes', () => {
    expect(gazetteer.regions('deutschland').map((r) => r.country)).toContain('DE');
    expect(gazetteer.regions('oregon').map((r) => r.admin1Code)).toContain('US.OR');
    expect(gazetteer.regionsCased('OR').map((r) => r.admin1Code)).toContain('US.OR');
  });

  it('names states and provinces in other languages and scripts, with or without their suffix', () => {
    expect(gazetteer.regions(foldName('黑龙江省')).map((r) => r.admin1Code)).toContain('CN.08');
    expect(gazetteer.regions(foldName('黑龙江')).map((r) => r.admin1Code)).toContain('CN.08');
    expect(gazetteer.regions(foldName('경기도')).map((r) => r.admin1Code)).toContain('KR.13');
    expect(gazetteer.regions('kalifornien').map((r) => r.admin1Code)).toContain('US.CA');
    // …but a town's name stays the town's: "Berlin" is no less a city for being a state
    expect(gazetteer.lookup('berlin').length).toBeGreaterThan(0);
    expect(gazetteer.regions('berlin').map((r) => r.admin1Code)).not.toContain('DE.16');
    // …and a hamlet's does not keep a state's name from being the state ("Tirol", 730 people)
    expect(gazetteer.regions('tirol').map((r) => r.admin1Code)).toContain('AT.07');
  });

  it('names Australian states and Canadian provinces by their ISO codes, in capitals only', () => {
    expect(gazetteer.regionsCased('VIC').map((r) => r.admin1Code)).toContain('AU.07');
    expect(gazetteer.regionsCased('NS').map((r) => r.admin1Code)).toContain('CA.07');
    // "Visc a Vic": the Catalan town, not Victoria
    expect(gazetteer.regionsCased('Vic')).toEqual([]);
  });

  it('names a province or département without the administrative words GeoNames puts first', () => {
    // "Département du Vaucluse", "Province du Brabant Wallon"
    expect(gazetteer.regions('vaucluse').map((r) => r.admin1Code)).toContain('FR.93.84');
    expect(gazetteer.regions('brabant wallon').map((r) => r.admin1Code)).toContain('BE.WAL.WBR');
    // "Provincia di Cuneo": its chief town bears the name, so the bare name is the town
    expect(gazetteer.regions('cuneo')).toEqual([]);
  });

  it('builds the file atomically, with no temp file left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazetteer-'));
    try {
      const out = join(dir, 'g.db');
      const r = await buildGazetteer({ outPath: out });
      expect(r.outPath).toBe(out);
      expect(r.places).toBeGreaterThan(150_000);
      expect(r.names).toBeGreaterThan(500_000);
      expect(existsSync(out)).toBe(true);
      expect(readdirSync(dir)).toEqual(['g.db']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
