// The locator's answers, saved so a speed change can be shown to change none of them:
// `npx tsx scripts/locate-snapshot.ts OUT.json [--compare BEFORE.json]`. Every tests/fixtures set
// whose name starts with "locate-" is located twice (lookup cache on and off, which must agree),
// and place id, confidence, matched span and reason are kept per post. With --compare, only the
// number of differing posts per set is printed: never a post's text, since blind sets are held out.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCases, toInput } from '../bench/locate.bench.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { createLocator } from '../server/geo/locator.js';
import type { Located } from '../server/geo/types.js';

type Answer = { id: number; confidence: number; matched: string; reason: string | null } | null;
type Snapshot = Record<string, Answer[]>;

const out = process.argv[2];
const compareAt = process.argv.indexOf('--compare');
const before = compareAt > 0 ? process.argv[compareAt + 1] : undefined;
if (!out || (compareAt > 0 && !before))
  throw new Error(
    `usage: locate-snapshot.ts OUT.json [--compare BEFORE.json], got ${JSON.stringify(process.argv.slice(2))}`,
  );

const dir = fileURLToPath(new URL('../tests/fixtures/', import.meta.url));
const sets = readdirSync(dir)
  .filter((f) => f.startsWith('locate-') && f.endsWith('.jsonl'))
  // The blind set is scored in aggregate only (scripts/locate-blind.ts): never post by post.
  .filter((f) => f !== 'locate-blind-14.jsonl')
  .sort();

const answer = (r: Located | null): Answer =>
  r
    ? { id: r.place.id, confidence: r.confidence, matched: r.matched, reason: r.reason ?? null }
    : null;

const cached = createLocator(openGazetteer());
const uncached = createLocator(openGazetteer(undefined, { cacheSize: 0 }));
const snapshot: Snapshot = {};
for (const set of sets) {
  const inputs = loadCases(join(dir, set)).map(toInput);
  const a = inputs.map((i) => answer(cached.locate(i)));
  const b = inputs.map((i) => answer(uncached.locate(i)));
  const split = a.filter((x, k) => JSON.stringify(x) !== JSON.stringify(b[k])).length;
  if (split > 0) throw new Error(`${set}: ${split} posts answered differently with the cache off`);
  snapshot[set] = a;
}
writeFileSync(out, JSON.stringify(snapshot) + '\n');

let total = 0;
for (const set of sets) {
  const mine = snapshot[set]!;
  let line = `${set}: ${mine.length} posts, ${mine.filter(Boolean).length} placed`;
  if (before) {
    const old = (JSON.parse(readFileSync(before, 'utf8')) as Snapshot)[set] ?? [];
    const differ =
      mine.filter((x, k) => JSON.stringify(x) !== JSON.stringify(old[k])).length +
      Math.max(0, old.length - mine.length);
    total += differ;
    line += `, ${differ} differ`;
  }
  console.log(line);
}
if (before) {
  console.log(total === 0 ? 'identical' : `${total} posts differ`);
  process.exitCode = total === 0 ? 0 : 1;
}
