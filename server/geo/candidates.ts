// Stage 2: gazetteer look-ups. What places a span of words may name, whether it names a region
// rather than a city, and how likely each namesake is given the post's hints.
import { baseForms } from './inflection.js';
import { NameKind, RegionKind } from './gazetteer.js';
import type { Gazetteer, GazetteerPlace, NameHit, RegionRef } from './gazetteer.js';
import type { Token } from './extract.js';
import { defaults } from './locator-defaults.js';

/** A span of the post that names one or more places or regions. */
export interface Mention {
  seg: number;
  /** Token range in its segment; -1 for a name found inside unspaced text. */
  start: number;
  end: number;
  /** Offsets into Extracted.text. */
  textStart: number;
  textEnd: number;
  key: string;
  cities: NameHit[];
  regions: RegionRef[];
  isRegion: boolean;
  /** Matched an exact-case alias ("LA", "OR"). */
  cased: boolean;
  /** Found without its case ending, which itself says "in"/"from" ("Tampereelta"). */
  inflected?: boolean;
  /** The token of "Philadelphia-based", "Brooklyn-born": its ending gives the name its role. */
  suffix?: Token;
  /** "I'm a Chicagoan": the first-person words before a demonym, which make its town home. */
  demonym?: Token;
}

/** What the post says besides its names: where its language, flags and profile point. */
export interface Hints {
  admin1: Set<string>;
  countries: Set<string>;
  flags: Set<string>;
  /** States or provinces and countries the post itself names, apart from any one name. */
  postAdmin1: Set<string>;
  postCountries: Set<string>;
  language: Set<string>;
  /** The first country of a non-English post's language. */
  homeLanguage: string | null;
  instance: string | null;
  /** The country at least two of the post's other names clearly lie in ("touring Madrid, Bilbao and Zaragoza"). */
  mentioned?: string;
}

export function regionMatches(r: RegionRef, p: GazetteerPlace): boolean {
  if (r.kind === RegionKind.Country) return p.country === r.country;
  if (r.kind === RegionKind.Admin1) return p.admin1Code === r.admin1Code;
  // "Canterbury, Kent", "Windsor, Berkshire": places carry no county, so a county holds the
  // namesakes of its state or nation (England for Kent), which tells Dover, Kent from Dover, Delaware.
  if (r.kind === RegionKind.Admin2)
    return p.admin1Code !== '' && r.admin1Code.startsWith(`${p.admin1Code}.`);
  return false;
}

/** One hit per place, with its most trustworthy kind of name. */
export function dedupe(hits: NameHit[]): NameHit[] {
  if (hits.length < 2) return hits;
  // Most short lists name each place once: then the list is its own answer (never changed after).
  // (Long lists are copied: handing back the index's own arrays made the code after slower.)
  if (hits.length <= 16 && !repeatsPlace(hits)) return hits;
  const best = new Map<number, NameHit>();
  for (const h of hits) {
    const had = best.get(h.place.id);
    if (!had || had.kind > h.kind) best.set(h.place.id, h);
  }
  return [...best.values()];
}

function repeatsPlace(hits: NameHit[]): boolean {
  for (let i = 1; i < hits.length; i++)
    for (let j = 0; j < i; j++) if (hits[j]!.place.id === hits[i]!.place.id) return true;
  return false;
}

/** `mentions` with `added` among them in reading order; `mentions` itself when none are added. */
export function withAdded(mentions: Mention[], added: Mention[]): Mention[] {
  if (added.length === 0) return mentions;
  return [...mentions, ...added].sort((a, b) => a.textStart - b.textStart);
}

/** Whether a mention names a region (or an area) rather than one of its same-named cities. */
export function classify(m: Omit<Mention, 'isRegion'>): Mention {
  // Every caller hands a fresh object: completing it is a tenth of the cost of copying it.
  const out = m as Mention;
  // Most names are no region's: nothing below can make them one.
  if (m.regions.length === 0) {
    out.isRegion = false;
    return out;
  }
  const area = m.regions.some((r) => r.kind === RegionKind.Area);
  const curated = m.cities.some((h) => h.kind === NameKind.Alias);
  const big = m.cities.some(
    (h) => h.kind === NameKind.Primary && h.place.population >= defaults.regionCityMin,
  );
  // Zürich lies in the canton of Zürich: a region that contains its namesake city does not hide it,
  // unless the city is a small part of it (Québec is 8% of Quebec: "from Quebec" is the province).
  const namesake = m.cities.some((h) =>
    m.regions.every(
      (r) =>
        r.kind === RegionKind.Admin1 &&
        r.admin1Code === h.place.admin1Code &&
        h.place.population >= defaults.namesakeShare * r.population,
    ),
  );
  const topCity = m.cities.reduce((a, h) => Math.max(a, h.place.population), 0);
  // A region hides a city only when it is the bigger thing: Washington state, not Manchester parish (Jamaica).
  const dominant = m.regions.some(
    (r) =>
      r.population > defaults.regionDominance * topCity &&
      (r.kind !== RegionKind.Admin2 || topCity < defaults.admin2CityMin),
  );
  out.isRegion = area || (!curated && !big && !namesake && dominant);
  return out;
}

const NO_HITS: NameHit[] = [];
const NO_REGIONS: RegionRef[] = [];

/**
 * Places and regions under the words tokens[from..to), exact-case aliases ("LA", "OR") included.
 * With `indexed` false the caller knows no folded name starts with these words (see
 * `indexReach`): only the exact-case aliases are asked.
 */
export function lookupWords(
  gazetteer: Gazetteer,
  tokens: Token[],
  from: number,
  to: number,
  text: string,
  indexed = true,
): { cities: NameHit[]; regions: RegionRef[]; cased: boolean } {
  let key = '';
  let words = 0;
  for (let i = from; i < to; i++) {
    if (tokens[i]!.kind !== 'word') continue;
    if (indexed) key += key === '' ? tokens[i]!.key : ` ${tokens[i]!.key}`;
    words++;
  }
  let cities = NO_HITS;
  let regions = NO_REGIONS;
  if (indexed) {
    cities = gazetteer.lookup(key);
    regions = gazetteer.regions(key);
    // "Nova Scotia's", "Seattle's": the possessive of a name.
    const last = tokens[to - 1]!.text;
    if (cities.length === 0 && regions.length === 0 && last.endsWith('s') && /['’]s$/.test(last)) {
      cities = gazetteer.lookup(key.slice(0, -1));
      regions = gazetteer.regions(key.slice(0, -1));
    }
  }
  let cased = false;
  // Exact-case aliases are of one or two words, and short ("LA", "#PDX").
  const start = tokens[from]!.start;
  const end = tokens[to - 1]!.end;
  if (words > 2 || end - start > gazetteer.casedMaxLength) return { cities, regions, cased };
  const raw = text.slice(start, end);
  if (raw !== raw.toLowerCase()) {
    const casedCities = gazetteer.lookupCased(raw);
    const casedRegions = gazetteer.regionsCased(raw);
    if (casedCities.length > 0) {
      cities = dedupe([...casedCities, ...cities]);
      cased = true;
    }
    if (casedRegions.length > 0) {
      regions = [...regions, ...casedRegions];
      cased = true;
    }
  }
  return { cities, regions, cased };
}

/**
 * How far a name starting at tokens[from] may reach, up to `to`: a name of several words starts
 * with its first words and a space, so once those begin no name in the index, a longer span needs
 * no look-up there (only exact-case aliases remain to ask). Spans ending at or before the returned
 * token index may be in the index.
 */
export function indexReach(
  gazetteer: Gazetteer,
  tokens: Token[],
  from: number,
  to: number,
): number {
  let key = '';
  let words = 0;
  for (let j = from; j < to; j++) {
    const t = tokens[j]!;
    if (t.kind !== 'word') continue;
    if (words > 0) {
      // A first word that folds to nothing joins the next without a space: no telling.
      if (key === '') return to;
      if (!gazetteer.mayContinue(key)) return j;
    }
    key += key === '' ? t.key : ` ${t.key}`;
    words++;
  }
  return to;
}

/** "z Krakowa", "в Москве", "Tampereelta", "Ankara'da": the word without its case ending. */
/** The towns a base form names, of `stemMinPopulation` or more (an inflected word's reading). */
export const stemTowns = (gazetteer: Gazetteer, key: string): NameHit[] =>
  gazetteer.lookup(key).filter((h) => h.place.population >= defaults.stemMinPopulation);

/** The towns of the first of `forms` that names any (stemTowns), or none. */
export function firstStemTowns(gazetteer: Gazetteer, forms: Iterable<string>): NameHit[] {
  for (const form of forms) {
    const hits = stemTowns(gazetteer, form);
    if (hits.length > 0) return hits;
  }
  return [];
}

export function lookupInflected(
  gazetteer: Gazetteer,
  t: Token,
  lang: string,
  afterLocative: boolean,
): NameHit[] {
  // "v Brně", "z Brna": the stem "brn" is an alternate of Bern (its airport code), "brno" a town's
  // own name. A base form that is some town's primary name is the likelier reading; failing one,
  // the first form with any hit.
  let fallback: NameHit[] = [];
  for (const form of baseForms(t.text, t.key, lang, afterLocative)) {
    const hits = stemTowns(gazetteer, form);
    if (hits.some((h) => h.kind === NameKind.Primary)) return hits;
    if (fallback.length === 0) fallback = hits;
  }
  return fallback;
}

/** How likely a namesake is: log population, the kind of name, and the post's hints. */
export function score(h: NameHit, hints: Hints): number {
  const p = h.place;
  let s = Math.log10(p.population + 10);
  // Alternates of big cities are mostly exonyms (Antwerp, Cologne); of small towns, mostly noise.
  if (h.kind === NameKind.Alternate)
    s -=
      p.population >= defaults.bigAlternateMin
        ? defaults.alternatePenalty * defaults.bigAlternateShare
        : defaults.alternatePenalty;
  if (h.kind === NameKind.Alias) s += defaults.aliasBonus;
  // Most hints are empty sets: their size is cheaper to ask than a hash look-up, per namesake.
  if (hints.admin1.size > 0 && p.admin1Code && hints.admin1.has(p.admin1Code))
    s += defaults.profileAdmin1Bonus;
  if (hints.countries.size > 0 && hints.countries.has(p.country)) s += defaults.profileCountryBonus;
  if (hints.flags.size > 0 && hints.flags.has(p.country)) s += defaults.flagBonus;
  if (hints.postAdmin1.size > 0 && p.admin1Code && hints.postAdmin1.has(p.admin1Code))
    s += defaults.postAdmin1Bonus;
  if (hints.postCountries.size > 0 && hints.postCountries.has(p.country))
    s += defaults.postCountryBonus;
  if (hints.homeLanguage === p.country) s += defaults.homeLanguageBonus;
  else if (hints.language.size > 0 && hints.language.has(p.country))
    s += defaults.otherLanguageBonus;
  if (hints.instance === p.country) s += defaults.instanceBonus;
  if (hints.mentioned === p.country) s += defaults.mentionedCountryBonus;
  return s;
}

/**
 * The likeliest namesake, with how sure it is against the best one elsewhere (the runner-up).
 * Candidates are ordered by score, then population, then their order in the list (as a stable
 * sort would): one pass finds the top, a second the best candidate farther than
 * `samePlaceDegrees` from it, with no sorting and no object per candidate.
 */
export function rank(
  candidates: NameHit[],
  hints: Hints,
): { top: NameHit; certainty: number; runnerUp: NameHit | null } {
  const n = candidates.length;
  const scores = new Array<number>(n);
  let best = 0;
  for (let i = 0; i < n; i++) {
    scores[i] = score(candidates[i]!, hints);
    if (i > 0 && ahead(candidates, scores, i, best)) best = i;
  }
  const top = candidates[best]!.place;
  // GeoNames sometimes lists one town twice (a city and its centre): a namesake nearby is the same pin.
  let rival = -1;
  for (let i = 0; i < n; i++) {
    const p = candidates[i]!.place;
    if (!(Math.abs(p.lat - top.lat) + Math.abs(p.lng - top.lng) > defaults.samePlaceDegrees))
      continue;
    if (rival < 0 || ahead(candidates, scores, i, rival)) rival = i;
  }
  const certainty =
    rival >= 0
      ? Math.min(
          1,
          Math.max(
            0,
            defaults.certaintyBase + defaults.certaintySlope * (scores[best]! - scores[rival]!),
          ),
        )
      : 1;
  return { top: candidates[best]!, certainty, runnerUp: rival >= 0 ? candidates[rival]! : null };
}

/** Whether candidate i ranks strictly before candidate j: a higher score, then more people. */
function ahead(candidates: NameHit[], scores: number[], i: number, j: number): boolean {
  return (
    scores[i]! > scores[j]! ||
    (scores[i] === scores[j] && candidates[i]!.place.population > candidates[j]!.place.population)
  );
}
