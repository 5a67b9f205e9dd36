// Locator accuracy on the development sets only (never a blind set such as locate-blind-14): per set
// and per category, with --misses listing every wrong answer.
// `npx tsx scripts/locate-dev.ts [--misses] [--reasons] [--set NAME]`.
import { loadCases, toInput } from '../bench/locate.bench.js';
import { extract } from '../server/geo/extract.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { createLocator } from '../server/geo/locator.js';
import { DEV_SETS as sets } from './locate-sets.js';

const only = process.argv.includes('--set')
  ? process.argv[process.argv.indexOf('--set') + 1]
  : null;

const gazetteer = openGazetteer();
const locator = createLocator(gazetteer);
const showMisses = process.argv.includes('--misses');
const showReasons = process.argv.includes('--reasons');
for (const [name, path] of sets) {
  if (only && name !== only) continue;
  let cases;
  try {
    cases = loadCases(path);
  } catch (err) {
    console.log(`${name}: cannot read (${(err as Error).message})`);
    continue;
  }
  const by = new Map<
    string,
    { placed: number; correct: number; named: number; unnamed: number; ok: number }
  >();
  const bump = (k: string, placed: boolean, correct: boolean, named: boolean): void => {
    const t = by.get(k) ?? { placed: 0, correct: 0, named: 0, unnamed: 0, ok: 0 };
    if (placed) t.placed++;
    if (correct) t.correct++;
    if (named) t.named++;
    else {
      t.unnamed++;
      if (!placed) t.ok++;
    }
    by.set(k, t);
  };
  for (const c of cases) {
    const r = locator.locate(toInput(c));
    const correct = !!r && r.place.id === c.expect?.geonameId;
    bump('all', !!r, correct, !!c.expect);
    bump(c.kind ?? c.category, !!r, correct, !!c.expect);
    if ((showMisses && (r?.place.id ?? null) !== (c.expect?.geonameId ?? null)) || showReasons) {
      const text = extract({ html: c.content, campaignTags: ['yourturn'] })
        .text.replace(/\s+/g, ' ')
        .trim();
      console.log(
        `${c.id} ${(c.kind ?? c.category).padEnd(12)} ${JSON.stringify(text).slice(0, 110).padEnd(80)} prof=${JSON.stringify(c.profileLocation)} want ${c.expect?.name ?? 'none'} got ${r ? `${r.place.name}, ${r.place.admin1 ?? ''} ${r.place.country} (${r.place.id})` : 'none'}${showReasons && r ? ` — ${(r as { reason?: string }).reason ?? ''}` : ''}`,
      );
    }
  }
  const f = (a: number, b: number): string => (b === 0 ? '  -  ' : (a / b).toFixed(3));
  for (const [k, t] of [...by].sort((a, b) =>
    a[0] === 'all' ? 1 : b[0] === 'all' ? -1 : a[0].localeCompare(b[0]),
  ))
    console.log(
      `${name.padEnd(12)} ${k.padEnd(18)} n=${String(t.named + t.unnamed).padStart(3)} p=${f(t.correct, t.placed)} r=${f(t.correct, t.named)} abstain=${f(t.ok, t.unnamed)}`,
    );
}
gazetteer.close();
