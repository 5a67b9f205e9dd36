// Scores accountsLinked on the blind linked-accounts set (tests/fixtures/linked-accounts-blind.jsonl,
// written by a tester who read no code) in aggregate only, per kind: never lists a case, so the set
// stays fit for judging the next change too. `npx tsx scripts/linked-blind.ts`.
import { readFileSync } from 'node:fs';
import { accountsLinked } from '../server/model/account-links.js';

interface Case {
  kind: string;
  fediverse: Parameters<typeof accountsLinked>[0];
  bluesky: Parameters<typeof accountsLinked>[1];
  linked: boolean;
}

const path = process.argv[2] ?? 'tests/fixtures/linked-accounts-blind.jsonl';
const cases = readFileSync(path, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Case);
const rows = new Map<
  string,
  { cases: number; right: number; falseLinks: number; missedLinks: number }
>();
for (const c of cases) {
  const said = accountsLinked(c.fediverse, c.bluesky);
  for (const k of [c.kind, 'all']) {
    const t = rows.get(k) ?? { cases: 0, right: 0, falseLinks: 0, missedLinks: 0 };
    t.cases++;
    if (said === c.linked) t.right++;
    else if (said) t.falseLinks++;
    else t.missedLinks++;
    rows.set(k, t);
  }
}
console.table(
  [...rows].map(([kind, t]) => ({
    kind,
    cases: t.cases,
    accuracy: (t.right / t.cases).toFixed(3),
    'linked, should not be': t.falseLinks,
    'missed a link': t.missedLinks,
  })),
);
