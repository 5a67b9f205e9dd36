import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases, toInput } from '../../bench/locate.bench.js';
import type { Gazetteer } from '../../server/geo/gazetteer.js';
import { createLocator } from '../../server/geo/locator.js';
import { ensureGazetteer } from './ensure-gazetteer.js';

let gazetteer: Gazetteer;
beforeAll(async () => {
  gazetteer = await ensureGazetteer();
});
afterAll(() => gazetteer.close());

describe('labelled set (tests/fixtures/locate-cases.jsonl)', () => {
  it('has at least 300 posts, unique ids, and every expected id in the gazetteer', () => {
    const cases = loadCases();
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases)
      if (c.expect) expect(gazetteer.place(c.expect.geonameId)?.name, c.id).toBe(c.expect.name);
  });

  it('meets the issue targets: precision ≥ 0.98, recall ≥ 0.95', () => {
    const locator = createLocator(gazetteer);
    let placed = 0;
    let correct = 0;
    let named = 0;
    for (const c of loadCases()) {
      const r = locator.locate(toInput(c));
      if (c.expect) named++;
      if (r) placed++;
      if (r && r.place.id === c.expect?.geonameId) correct++;
    }
    expect(correct / placed).toBeGreaterThanOrEqual(0.98);
    expect(correct / named).toBeGreaterThanOrEqual(0.95);
  });
});
