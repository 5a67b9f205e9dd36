// A misspelt town before the state or province that qualifies it ("Philadelhpia, PA", "Albequerque,
// NM"): the qualifier says where to look, so the word is compared with that region's towns.
import type { Extracted } from './extract.js';
import { foldName } from './fold.js';
import { NameKind, RegionKind } from './gazetteer.js';
import type { Gazetteer, GazetteerPlace } from './gazetteer.js';
import { isEnglishWord } from './english-words.js';
import { classify, withAdded } from './candidates.js';
import type { Mention } from './candidates.js';
import { defaults } from './locator-defaults.js';
import { FEATURE_NOUNS, LOCATIVE_OR_TO } from './cues.js';

// Three rows of the distance table, reused by every call: the typo search compares each long
// unknown word with hundreds of town names, and fresh arrays per row were a fifth of its time.
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/**
 * Optimal string alignment distance (Levenshtein with adjacent transpositions), capped at
 * `max + 1`. Only the band of cells within `max` of the diagonal is worked out: a cell outside it
 * is over the cap anyway, and the typo search asks for one or two edits of long words.
 */
export function editDistance(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;
  const n = b.length;
  if (rows[0]!.length <= n + 1) rows = [0, 1, 2].map(() => new Int32Array(2 * (n + 2)));
  let [prev2, prev, row] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j <= max ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(n, i + max);
    row[0] = i <= max ? i : over;
    row[lo - 1] = lo === 1 ? row[0] : over;
    let best = row[0];
    const ai = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        d = Math.min(d, prev2[j - 2]! + 1);
      if (d > over) d = over;
      row[j] = d;
      if (d < best) best = d;
    }
    if (hi < n) row[hi + 1] = over;
    if (best > max) return over;
    [prev2, prev, row] = [prev, row, prev2];
  }
  return Math.min(prev[n]!, over);
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
    // A word that names a town of that region is that town; one that names only towns elsewhere
    // may still misspell one there ("Glouster, England": Glouster is in Ohio).
    const codes = new Set(admin1.map((r) => r.admin1Code));
    if (
      mentions.some(
        (m) =>
          m.seg === q.seg &&
          m.start <= i &&
          m.end > i &&
          (m.end - m.start > 1 || m.cities.some((h) => codes.has(h.place.admin1Code ?? ''))),
      )
    )
      continue;
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
  return withAdded(mentions, added);
}

interface BigName {
  key: string;
  place: GazetteerPlace;
}
const LATIN_WORD = /^[a-z]+$/;
const bigNames = new WeakMap<Gazetteer, Map<string, BigName[]>>();

/**
 * One-word names of the towns of `typoBigPopulation` or more, by first letter and length ("b9"),
 * most populous first: a word is compared only with names it could be within two edits of.
 */
function bigNamesOf(gazetteer: Gazetteer): Map<string, BigName[]> {
  let byKey = bigNames.get(gazetteer);
  if (byKey) return byKey;
  byKey = new Map();
  for (const place of gazetteer.bigTowns(defaults.typoBigPopulation)) {
    const key = foldName(place.name);
    if (key.includes(' ') || !/^[a-z]+$/.test(key)) continue;
    const bucket = `${key[0]}${key.length}`;
    const list = byKey.get(bucket) ?? [];
    list.push({ key, place });
    byKey.set(bucket, list);
  }
  bigNames.set(gazetteer, byKey);
  return byKey;
}

/**
 * The big towns a capitalised word misspells ("Copenhagan", "Philidelphia"), most populous first:
 * every town at the smallest distance found, for the locator's usual ranking to choose among
 * ("Barcelonna": Barcelona, Spain and Barcelona, Venezuela). Empty when none.
 */
export function misspeltTowns(gazetteer: Gazetteer, word: string): GazetteerPlace[] {
  const key = foldName(word);
  if (key.length < 7 || !LATIN_WORD.test(key) || isEnglishWord(key)) return [];
  const max = key.length >= 9 ? 2 : 1;
  const byKey = bigNamesOf(gazetteer);
  let best = max + 1;
  let found: GazetteerPlace[] = [];
  for (let len = key.length - max; len <= key.length + max; len++)
    for (const { key: name, place } of byKey.get(`${key[0]}${len}`) ?? []) {
      // "Berliner", "Hamburger", "Londoner": a word made from the name is no misspelling of it.
      if (key.startsWith(name)) continue;
      const d = editDistance(key, name, Math.min(max, best));
      if (d === 0 || d > max || d > best) continue;
      if (d < best) {
        best = d;
        found = [];
      }
      found.push(place);
    }
  return found.length > 1 ? found.sort((a, b) => b.population - a.population) : found;
}

/**
 * The post's mentions with a town added for each capitalised word of seven letters or more that
 * names nothing, is no English word, and is within one edit (two from nine letters) of a big
 * town's one-word name starting with the same letter ("Expat in Copenhagan"). Returns `mentions`
 * itself when none.
 */
export function withMisspeltTowns(
  gazetteer: Gazetteer,
  ext: Extracted,
  mentions: Mention[],
): Mention[] {
  const added: Mention[] = [];
  ext.segments.forEach((seg, s) => {
    if (seg.tag) return;
    seg.tokens.forEach((t, i) => {
      if (t.kind !== 'word' || t.unspaced || t.key.length < 7) return;
      // A misspelling in lower case only right after "in", "to" or "from": "moved to glascow".
      if (!t.capital && !(i > 0 && LOCATIVE_OR_TO.has(seg.tokens[i - 1]!.key))) return;
      if (!LATIN_WORD.test(t.key) || isEnglishWord(t.key)) return;
      if (mentions.some((m) => m.seg === s && m.start <= i && m.end > i)) return;
      // "Belgrave Road", "Hawthorne Street": a word before a place noun names the street.
      const next = seg.tokens[i + 1];
      if (next?.kind === 'word' && next.capital && FEATURE_NOUNS.has(next.key)) return;
      const places = misspeltTowns(gazetteer, t.text);
      if (places.length === 0) return;
      added.push(
        classify({
          seg: s,
          start: i,
          end: i + 1,
          textStart: t.start,
          textEnd: t.end,
          key: t.key,
          cities: places.map((place) => ({ place, kind: NameKind.Primary })),
          regions: [],
          cased: false,
        }),
      );
    });
  });
  return withAdded(mentions, added);
}
