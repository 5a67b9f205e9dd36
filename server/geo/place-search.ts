import type { Place } from '../../shared/types.js';
import { foldName } from './fold.js';
import { NameKind, RegionKind, toPublicPlace } from './gazetteer.js';
import type { Gazetteer, GazetteerPlace, NameHit, RegionRef } from './gazetteer.js';

const defaults = {
  limit: 10, // a screenful of candidates
  prefixMinChars: 3, // "po" starts too many names to say anything
  prefixNames: 400, // names read for a prefix; their most populous places are offered
  alternatePenalty: 1.5, // in log10 population units, as the locator's
};

/**
 * Most populous first. As in the locator, an alternate name counts for less: a city's are mostly
 * exonyms ("Munich"), a small town's mostly noise.
 */
function weight(h: NameHit): number {
  const base = Math.log10(h.place.population + 10);
  if (h.kind !== NameKind.Alternate) return base;
  return base - (h.place.population >= 100_000 ? 0.5 : 1) * defaults.alternatePenalty;
}

function ranked(hits: NameHit[]): GazetteerPlace[] {
  const best = new Map<number, { place: GazetteerPlace; weight: number }>();
  for (const h of hits) {
    const w = weight(h);
    const had = best.get(h.place.id);
    if (!had || had.weight < w) best.set(h.place.id, { place: h.place, weight: w });
  }
  return [...best.values()].sort((a, b) => b.weight - a.weight).map((b) => b.place);
}

/** "Maine", "ME", "US", "Australia": does `place` lie in the region the words name? */
function inRegion(gazetteer: Gazetteer, qualifier: string): (place: GazetteerPlace) => boolean {
  const key = foldName(qualifier);
  const regions: RegionRef[] = [...gazetteer.regions(key), ...gazetteer.regionsCased(qualifier)];
  const code = qualifier.toUpperCase();
  return (p) =>
    p.country === code ||
    (p.admin1 !== null && key !== '' && foldName(p.admin1).startsWith(key)) ||
    regions.some((r) =>
      r.kind === RegionKind.Country
        ? r.country === p.country
        : r.kind === RegionKind.Admin1 && r.admin1Code === p.admin1Code,
    );
}

/**
 * Candidate cities for a moderator's search box: "Portland" offers Portland, Oregon before
 * Portland, Maine; "Portland, Maine" (or ", ME") keeps the one in that region; "Springf" also
 * offers names that start so (after the exact ones); a number is a GeoNames id.
 */
export function searchPlaces(
  gazetteer: Gazetteer,
  text: string,
  limit: number = defaults.limit,
): Place[] {
  const query = text.trim();
  if (/^\d{1,10}$/.test(query)) {
    const p = gazetteer.place(Number(query));
    return p ? [toPublicPlace(p)] : [];
  }
  const comma = query.indexOf(',');
  const name = (comma < 0 ? query : query.slice(0, comma)).trim();
  const qualifier = comma < 0 ? '' : query.slice(comma + 1).trim();
  const key = foldName(name);
  if (!key) return [];
  const keep = qualifier ? inRegion(gazetteer, qualifier) : () => true;

  const exact = ranked([...gazetteer.lookupCased(name), ...gazetteer.lookup(key)]).filter(keep);
  let found = exact.slice(0, limit);
  if (found.length < limit && key.length >= defaults.prefixMinChars) {
    const seen = new Set(found.map((p) => p.id));
    const more = ranked(gazetteer.lookupPrefix(key, defaults.prefixNames)).filter(
      (p) => !seen.has(p.id) && keep(p),
    );
    found = found.concat(more.slice(0, limit - found.length));
  }
  return found.map(toPublicPlace);
}
