// Stage 4: choose one city among the mentions read in the post, or abstain.
import { defaults } from './locator-defaults.js';
import { isElsewhere } from './evidence.js';
import type { Resolved } from './evidence.js';

/**
 * The one city the post says the author is in, or null when it says none or is ambiguous.
 * abstain.ts follows these same steps to say why there is no pin: change both together.
 */
export function pick(results: Resolved[], threshold: number = defaults.threshold): Resolved | null {
  const accepted = acceptedReadings(results, threshold);
  const chosen = oneOf(mergeDistricts([...accepted.values()]));
  if (!chosen) return null;
  // A weak pick with another plausible city beside it is a coin toss: abstain.
  const c = chosen;
  if (
    c.evidence < defaults.strongEvidence &&
    results.some(
      (r) =>
        r.place.id !== c.place.id &&
        !isElsewhere(r) &&
        !near(r, c) &&
        r.evidence >= defaults.rivalEvidence,
    )
  )
    return null;
  return c;
}

/** Two readings close enough to be one place (clusterDegrees apart or less). */
export const near = (a: Resolved, b: Resolved): boolean =>
  Math.abs(a.place.lat - b.place.lat) + Math.abs(a.place.lng - b.place.lng) <=
  defaults.clusterDegrees;

/**
 * "#CDMX … desde Coyoacán", "#WAW … z Mokotowa": names that lie together are one place, the
 * biggest, when the others are districts of it (at most clusterShare of its people, in its state
 * or province). Two towns of a size a few kilometres apart (Basel and Mulhouse) stay two places,
 * and so does a city beside a bigger one across a provincial line: Suwon and Seoul, Kawasaki and
 * Tokyo, Ghaziabad and Delhi ("live in Suwon, commute to Seoul"), and so does a suburb the
 * author says they live in, or names with its state, beside the city named otherwise ("je vis à
 * Vitry, à côté de Paris", "Auburn, Washington, south of Seattle"),
 * unless GeoNames calls it a section of a city (PPLX: "live in Kreuzberg, Berlin").
 */
export function mergeDistricts(all: Resolved[]): Resolved[] {
  const biggest = all.reduce<Resolved | undefined>(
    (a, r) => (a && a.place.population >= r.place.population ? a : r),
    undefined,
  );
  if (
    biggest &&
    all.every(
      (r) =>
        r === biggest ||
        (near(r, biggest) &&
          r.place.country === biggest.place.country &&
          r.place.admin1Code === biggest.place.admin1Code &&
          (r.place.feature === 'PPLX' ||
            !(
              (r.role === 'home' || r.qualified) &&
              biggest.role !== 'home' &&
              !biggest.qualified
            )) &&
          r.place.population <= defaults.clusterShare * biggest.place.population),
    )
  )
    return [biggest];
  return all;
}

/**
 * The one city among several the post claims: the one stated as home, else the one strongly
 * said, else the one a home word governs, else the one after a locative; undefined when no rule
 * singles one out. One city is itself.
 */
export function oneOf(all: Resolved[]): Resolved | undefined {
  if (all.length <= 1) return all[0];
  for (const rule of ONE_OF) {
    const found = all.filter(rule);
    if (found.length === 1) return found[0];
  }
  return undefined;
}

const ONE_OF: ((r: Resolved) => boolean)[] = [
  (r) => r.role === 'home',
  (r) => r.evidence >= defaults.strongEvidence,
  (r) => r.home,
  (r) => r.home || r.role === 'locative',
];

/**
 * Each place the post claims for the author at or above the threshold, once, its strongest
 * reading. Where the author works, or what they live near, counts only when the post names no other.
 */
export function acceptedReadings(results: Resolved[], threshold: number): Map<number, Resolved> {
  const fallback = results.every((r) => isElsewhere(r) || r.confidence < threshold);
  const accepted = new Map<number, Resolved>();
  for (const r of results) {
    if (r.confidence < threshold) continue;
    if (isElsewhere(r) && !(fallback && (r.role === 'work' || r.role === 'near'))) continue;
    const had = accepted.get(r.place.id);
    if (!had || had.confidence < r.confidence) accepted.set(r.place.id, r);
  }
  return accepted;
}
