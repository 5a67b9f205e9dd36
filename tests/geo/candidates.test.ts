import { describe, expect, it } from 'vitest';
import { dedupe, rank, score } from '../../server/geo/candidates.js';
import type { Hints } from '../../server/geo/candidates.js';
import { NameKind } from '../../server/geo/gazetteer.js';
import type { GazetteerPlace, NameHit } from '../../server/geo/gazetteer.js';
import { defaults } from '../../server/geo/locator-defaults.js';

// A small deterministic generator, so a failure names the same lists every run.
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const place = (
  id: number,
  population: number,
  lat = 0,
  lng = 0,
  country = 'US',
): GazetteerPlace => ({
  id,
  name: `Town ${id}`,
  admin1: null,
  admin1Code: `${country}.01`,
  country,
  lat,
  lng,
  population,
  feature: 'PPL',
});

const hints = (over: Partial<Hints> = {}): Hints => ({
  admin1: new Set(),
  countries: new Set(),
  flags: new Set(),
  postAdmin1: new Set(),
  postCountries: new Set(),
  language: new Set(),
  homeLanguage: null,
  instance: null,
  ...over,
});

// What dedupe and rank were before they were made faster: a map per list, a sort per list.
function dedupeByMap(hits: NameHit[]): NameHit[] {
  const best = new Map<number, NameHit>();
  for (const h of hits) {
    const had = best.get(h.place.id);
    if (!had || had.kind > h.kind) best.set(h.place.id, h);
  }
  return [...best.values()];
}
function rankBySort(candidates: NameHit[], h: Hints) {
  const ranked = candidates
    .map((c) => ({ c, s: score(c, h) }))
    .sort((a, b) => b.s - a.s || b.c.place.population - a.c.place.population);
  const top = ranked[0]!;
  const rival = ranked.find(
    (r) =>
      Math.abs(r.c.place.lat - top.c.place.lat) + Math.abs(r.c.place.lng - top.c.place.lng) >
      defaults.samePlaceDegrees,
  );
  const certainty = rival
    ? Math.min(1, Math.max(0, defaults.certaintyBase + defaults.certaintySlope * (top.s - rival.s)))
    : 1;
  return { top: top.c, certainty, runnerUp: rival?.c ?? null };
}

// Lists like the index's (most populous first, ties and repeats) and unordered ones, short and long.
function lists(seed: number, count: number): NameHit[][] {
  const next = random(seed);
  const out: NameHit[][] = [];
  for (let k = 0; k < count; k++) {
    const n = 1 + Math.floor(next() * 60);
    const pool = Array.from({ length: 1 + Math.floor(next() * n) }, (_, i) =>
      place(
        k * 1000 + i,
        [0, 0, 500, 12_000, 600_000][Math.floor(next() * 5)]!,
        next() * 3,
        next() * 3,
        next() < 0.5 ? 'US' : 'GB',
      ),
    );
    const hits = Array.from({ length: n }, () => ({
      place: pool[Math.floor(next() * pool.length)]!,
      kind: Math.floor(next() * 3) as NameKind,
    }));
    if (k % 2 === 0) hits.sort((a, b) => b.place.population - a.place.population);
    out.push(hits);
  }
  return out;
}

describe('dedupe', () => {
  it('keeps each place once, with its most trustworthy kind of name, in first-seen order', () => {
    const a = place(1, 100);
    const b = place(2, 100);
    const hits = [
      { place: a, kind: NameKind.Alternate },
      { place: b, kind: NameKind.Primary },
      { place: a, kind: NameKind.Primary },
    ];
    expect(dedupe(hits)).toEqual([
      { place: a, kind: NameKind.Primary },
      { place: b, kind: NameKind.Primary },
    ]);
  });

  it('gives the same places as a map per list, for ordered and unordered lists of any length', () => {
    for (const hits of lists(7, 400)) expect(dedupe(hits)).toEqual(dedupeByMap(hits));
  });
});

describe('rank', () => {
  it('picks the same top, runner-up and certainty as sorting the namesakes', () => {
    const flagged = hints({ flags: new Set(['GB']), language: new Set(['US']) });
    for (const hits of lists(11, 400))
      for (const h of [hints(), flagged]) {
        const got = rank(hits, h);
        const want = rankBySort(hits, h);
        expect(got.top).toBe(want.top);
        expect(got.runnerUp).toBe(want.runnerUp);
        expect(got.certainty).toBe(want.certainty);
      }
  });
});
