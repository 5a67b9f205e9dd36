// Scores a blind locator set in aggregate only (per kind and overall), never listing a post, with
// the hand rules alone beside the fitted scorer (server/geo/scorer.ts):
// `npx tsx scripts/locate-blind.ts tests/fixtures/locate-blind-14.jsonl`. Used for the before and
// after figures of a session; tuning and fitting happen on the dev sets (scripts/locate-sets.ts).
import { loadCases, toInput } from '../bench/locate.bench.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { createLocator } from '../server/geo/locator.js';
import { FITTED } from '../server/geo/scorer-weights.js';
import { defaultGazetteerPath } from '../server/paths.js';

const path = process.argv[2] ?? 'tests/fixtures/locate-blind-14.jsonl';
const cases = loadCases(path);
const gazetteer = openGazetteer(defaultGazetteerPath());
const locators = {
  hand: createLocator(gazetteer, { scorer: null }),
  fitted: createLocator(gazetteer, { scorer: FITTED }),
};
interface Tally {
  posts: number;
  named: number;
  placed: number;
  correct: number;
  unnamed: number;
  abstainOk: number;
}
const rows = new Map<string, Record<keyof typeof locators, Tally>>();
const empty = (): Tally => ({
  posts: 0,
  named: 0,
  placed: 0,
  correct: 0,
  unnamed: 0,
  abstainOk: 0,
});
for (const c of cases) {
  for (const [which, locator] of Object.entries(locators) as [
    keyof typeof locators,
    (typeof locators)['hand'],
  ][]) {
    const answer = locator.locate(toInput(c))?.place.id ?? null;
    for (const k of [c.kind ?? c.category, 'all']) {
      const row = rows.get(k) ?? { hand: empty(), fitted: empty() };
      const t = row[which];
      t.posts++;
      if (c.expect) t.named++;
      else t.unnamed++;
      if (answer != null) t.placed++;
      if (answer != null && c.expect && answer === c.expect.geonameId) t.correct++;
      if (answer == null && !c.expect) t.abstainOk++;
      rows.set(k, row);
    }
  }
}
const r = (a: number, b: number): string => (b === 0 ? '-' : (a / b).toFixed(3));
const pra = (t: Tally): string =>
  `${r(t.correct, t.placed)} / ${r(t.correct, t.named)} / ${r(t.abstainOk, t.unnamed)}`;
// The criterion fixed before blind-7 was read, kept since: correct pins + correct abstentions − 2 × wrong pins.
const value = (t: Tally): number => t.correct + t.abstainOk - 2 * (t.placed - t.correct);
console.table(
  [...rows]
    .sort((a, b) => (a[0] === 'all' ? 1 : b[0] === 'all' ? -1 : a[0].localeCompare(b[0])))
    .map(([kind, t]) => ({
      kind,
      posts: t.hand.posts,
      'hand p / r / abstain': pra(t.hand),
      'fitted p / r / abstain': pra(t.fitted),
      'hand value': value(t.hand),
      'fitted value': value(t.fitted),
    })),
);
gazetteer.close();
