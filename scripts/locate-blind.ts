// Scores a blind locator set in aggregate only (per kind and overall), never listing a post:
// `npx tsx scripts/locate-blind.ts [tests/fixtures/locate-blind-5.jsonl]`. Used for the before and
// after figures of a session; tuning happens on the dev sets (scripts/locate-dev.ts).
import { loadCases, toInput } from '../bench/locate.bench.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { createLocator } from '../server/geo/locator.js';
import { defaultGazetteerPath } from '../server/paths.js';

const path = process.argv[2] ?? 'tests/fixtures/locate-blind-5.jsonl';
const cases = loadCases(path);
const locator = createLocator(openGazetteer(defaultGazetteerPath()));
const rows = new Map<
  string,
  {
    posts: number;
    named: number;
    placed: number;
    correct: number;
    unnamed: number;
    abstainOk: number;
  }
>();
for (const c of cases) {
  const answer = locator.locate(toInput(c))?.place.id ?? null;
  for (const k of [c.kind ?? c.category, 'all']) {
    const t = rows.get(k) ?? {
      posts: 0,
      named: 0,
      placed: 0,
      correct: 0,
      unnamed: 0,
      abstainOk: 0,
    };
    t.posts++;
    if (c.expect) t.named++;
    else t.unnamed++;
    if (answer != null) t.placed++;
    if (answer != null && c.expect && answer === c.expect.geonameId) t.correct++;
    if (answer == null && !c.expect) t.abstainOk++;
    rows.set(k, t);
  }
}
const r = (a: number, b: number) => (b === 0 ? '-' : (a / b).toFixed(3));
console.table(
  [...rows].map(([kind, t]) => ({
    kind,
    posts: t.posts,
    precision: r(t.correct, t.placed),
    recall: r(t.correct, t.named),
    abstain: r(t.abstainOk, t.unnamed),
  })),
);
