// A misspelt town before the state or province that qualifies it ("Philadelhpia, PA", "Albequerque,
// NM"): the qualifier says where to look, so the word is compared with that region's towns.
import type { Extracted } from './extract.js';
import { foldName } from './fold.js';
import { NameKind, RegionKind } from './gazetteer.js';
import type { Gazetteer } from './gazetteer.js';
import { classify } from './candidates.js';
import type { Mention } from './candidates.js';
import { defaults } from './locator-defaults.js';

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), capped at `max + 1`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The post's mentions with a town added for each capitalised word that names nothing but stands
 * right before a state or province ("Philadelhpia, PA"): the town of that region of
 * `typoMinPopulation` or more whose name is within one edit (two from eight letters) and starts
 * with the same letter, the most populous of the closest. Returns `mentions` itself when none.
 */
export function withQualifiedTypos(
  gazetteer: Gazetteer,
  ext: Extracted,
  mentions: Mention[],
): Mention[] {
  const added: Mention[] = [];
  for (const q of mentions) {
    if (q.start < 1 || (q.cities.length > 0 && !q.isRegion)) continue;
    const admin1 = q.regions.filter((r) => r.kind === RegionKind.Admin1);
    if (admin1.length === 0) continue;
    const toks = ext.segments[q.seg]!.tokens;
    let i = q.start - 1;
    if (toks[i]?.kind === 'punct' && toks[i]!.text === ',') i--;
    const t = toks[i];
    if (!t || t.kind !== 'word' || !t.capital || t.unspaced || t.key.length < 5) continue;
    if (mentions.some((m) => m.seg === q.seg && m.start <= i && m.end > i)) continue;
    const max = t.key.length >= 8 ? 2 : 1;
    let best: { d: number; hit: ReturnType<Gazetteer['townsIn']>[number] } | null = null;
    for (const r of admin1)
      for (const p of gazetteer.townsIn(r.admin1Code, defaults.typoMinPopulation)) {
        const name = foldName(p.name);
        if (name[0] !== t.key[0] || name.includes(' ')) continue;
        const d = editDistance(t.key, name, max);
        if (d <= max && d > 0 && (!best || d < best.d)) best = { d, hit: p };
      }
    if (!best) continue;
    added.push(
      classify({
        seg: q.seg,
        start: i,
        end: i + 1,
        textStart: t.start,
        textEnd: t.end,
        key: t.key,
        cities: [{ place: best.hit, kind: NameKind.Primary }],
        regions: [],
        cased: false,
      }),
    );
  }
  if (added.length === 0) return mentions;
  return [...mentions, ...added].sort((a, b) => a.textStart - b.textStart);
}
