// Why the locator placed no pin, in one line a moderator can check (issue #14): "‘Lisbon’ is a
// trip, not home", "‘Portland’ and ‘Seattle’ are both named as home". It reads what the hand rules
// already decided (the mentions, their readings, the profile's city) and says which rule of
// pick.ts or locator.ts turned each name down; it is called only when a post has no pin, so the
// locator's hot path does none of this work.
import { isElsewhere } from './evidence.js';
import { acceptedReadings, mergeDistricts, near, oneOf } from './pick.js';
import type { Resolved } from './evidence.js';
import { RegionKind } from './gazetteer.js';
import type { Extracted } from './extract.js';
import { defaults } from './locator-defaults.js';
import type { Mention } from './mentions.js';
import { quote, span } from './reason.js';
import { ROLE_PHRASE, isCueWord } from './roles.js';
import { STOPWORDS } from './cues.js';

/** What the post's reading decided, as locator.ts computes it. */
export interface PostSide {
  ext: Extracted;
  /** Every place name found, regions included. */
  mentions: Mention[];
  /** The city readings; null when the post lists several homes. */
  results: Resolved[] | null;
  threshold: number;
}

/** The profile's location field, when the input has one. */
export interface ProfileSide {
  /** The field as written. */
  field: string;
  /** The one city read from it, or null when it gives none the locator takes. */
  city: Resolved | null;
  /** The field's text as read, and every place name found in it. */
  ext: Extracted;
  mentions: Mention[];
}

// Words that join a list of cities (evidence.ts LIST_GLUE), as the text between two names.
const LIST_GLUE =
  /^\s*(?:,|&|\/|\+|and|or|und|oder|et|ou|y|o|e|en|och|og|i|и)\s*(?:(?:and|or|und|oder|et|ou|y|o|e|en|och|og|i|и)\s*)?$/iu;
const UPPER = /\p{Lu}/u;

/** A number as the reasons print it: two decimals at most. */
const num = (x: number): string => String(Math.round(x * 100) / 100);

/** "‘A’", "‘A’ and ‘B’", "‘A’, ‘B’ and ‘C’". */
function names(quoted: string[]): string {
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/**
 * A name a reader would see as one: capitalised, an exact-case alias, a hashtag, or unspaced
 * script; not a word evidence.ts never reads as a name ("We", "Used", "Bor").
 */
function written(ext: Extracted, m: Mention): boolean {
  if (m.start < 0 || m.cased || ext.segments[m.seg]!.tag !== null) return true;
  if (STOPWORDS.has(m.key) || isCueWord(m.key)) return false;
  return ext.segments[m.seg]!.tokens[m.start]!.capital;
}

function regionNoun(m: Mention): string {
  if (m.regions.length > 0 && m.regions.every((r) => r.kind === RegionKind.Country))
    return 'a country';
  if (m.regions.length > 0 && m.regions.every((r) => r.kind === RegionKind.Area)) return 'an area';
  return 'a region';
}

/** Why one reading below the threshold is too weak, from how its confidence was made. */
function weak(r: Resolved, text: string, threshold: number): string {
  const name = quote(text.slice(r.textStart, r.textEnd));
  const figures = `(${num(r.confidence)}, below ${num(threshold)})`;
  // confidence = evidence × certainty (0.5..1 when namesakes compete), × tripFactor when a trip
  // word elsewhere in the post governs no other name.
  if (r.evidence < threshold) return `${name} is read too weakly as a place ${figures}`;
  if (r.confidence < r.evidence * defaults.certaintyBase - 1e-9)
    return `${name} is read as a place, but the post speaks of a trip ${figures}`;
  return `${name} could be several places ${figures}`;
}

/** The names of a list of homes: city names joined by list words ("Portland and Seattle"). */
function listNames(ext: Extracted, mentions: Mention[], all = false): string[] {
  const cities = mentions.filter(
    (m) => !m.isRegion && m.cities.length > 0 && (all || written(ext, m)),
  );
  const inList = new Set<Mention>();
  for (let k = 1; k < cities.length; k++) {
    const a = cities[k - 1]!;
    const b = cities[k]!;
    if (LIST_GLUE.test(ext.text.slice(a.textEnd, b.textStart))) inList.add(a).add(b);
  }
  return [...inList].map((m) => quote(ext.text.slice(m.textStart, m.textEnd)));
}

/**
 * The name with the word that gave it its role when that word is close (‘trip to Lisbon’,
 * ‘Moving to Denver’), else the name alone: "flying from Boston to Denver" is ‘Denver’.
 */
function cued(r: Resolved, text: string): string {
  const s = span(r, text);
  return s.length <= r.textEnd - r.textStart + CUE_REACH ? s : text.slice(r.textStart, r.textEnd);
}
const CUE_REACH = 12; // characters a cue and its glue may add to a name: "used to live in "

/**
 * Why pick.ts chose no city among the post's readings, following its steps in order: nothing at
 * or above the threshold that is the author's, then several cities none of its tie-breaks
 * separates, then a weak pick with a rival beside it. Null when pick would have chosen one (the
 * abstention came from the profile rule).
 */
function whyNoPick(results: Resolved[], text: string, threshold: number): string | null {
  const accepted = acceptedReadings(results, threshold);
  if (accepted.size === 0) {
    // Each place once, its strongest reading; hamlets GeoNames finds in lower-case words only
    // when nothing else is named.
    const byPlace = new Map<number, Resolved>();
    for (const r of results) {
      const had = byPlace.get(r.place.id);
      if (!had || had.evidence < r.evidence) byPlace.set(r.place.id, r);
    }
    const all = [...byPlace.values()];
    // As reason.ts does, names read this weakly are left out beside stronger ones; capitalised
    // ones are said when there is nothing stronger; lower-case ones only as a last resort.
    const strong = all.filter((r) => r.evidence >= defaults.rivalEvidence || isElsewhere(r));
    const capital = all.filter((r) => UPPER.test(text.slice(r.textStart, r.textEnd)));
    const shown = strong.length > 0 ? strong : capital;
    if (shown.length === 0)
      return `the post names no place, only lower-case words read too weakly as towns (${names(
        all.map((r) => quote(text.slice(r.textStart, r.textEnd))),
      )})`;
    return (
      shown
        // Work and near are below the threshold here: above it, pick takes them as the fallback.
        .map((r) =>
          isElsewhere(r) && r.role !== 'work' && r.role !== 'near'
            ? `${quote(cued(r, text))} ${ROLE_PHRASE[r.role]}`
            : weak(r, text, threshold),
        )
        .join('; ')
    );
  }
  const all = mergeDistricts([...accepted.values()]);
  const c = oneOf(all);
  if (!c) {
    const strong = all.filter((r) => r.evidence >= defaults.strongEvidence);
    const quoted = names(all.map((r) => quote(text.slice(r.textStart, r.textEnd))));
    const both = all.length === 2 ? 'both' : 'all';
    return strong.length >= 2
      ? `${quoted} are ${both} named strongly as the author's place: no one pin`
      : `${quoted} are ${both} named, and nothing says which is the author's`;
  }
  const rival =
    c.evidence < defaults.strongEvidence
      ? results.find(
          (r) =>
            r.place.id !== c.place.id &&
            !isElsewhere(r) &&
            !near(r, c) &&
            r.evidence >= defaults.rivalEvidence,
        )
      : undefined;
  if (rival)
    return `${quote(text.slice(c.textStart, c.textEnd))} is named too weakly beside ${quote(
      text.slice(rival.textStart, rival.textEnd),
    )}: a coin toss`;
  return null;
}

/** Why the post itself gives no pin. */
function postReason(post: PostSide): string | null {
  const { ext, mentions, results, threshold } = post;
  const text = ext.text;
  if (results === null) {
    // A lower-case word may be what made the list ("part en Bretagne": "en" joins lists in Dutch).
    let listed = listNames(ext, mentions);
    if (listed.length < 2) listed = listNames(ext, mentions, true);
    return listed.length >= 2
      ? `${names(listed)} are ${listed.length === 2 ? 'both' : 'all'} named as home: no one pin`
      : 'the post reads as a list of several homes: no one pin';
  }
  if (results.length > 0) return whyNoPick(results, text, threshold);
  // No reading at all: each name the post shows was a region, or was turned down as a city.
  const shown = mentions.filter((m) => written(ext, m));
  if (shown.length === 0) return 'the post names no place';
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const m of shown) {
    const name = quote(text.slice(m.textStart, m.textEnd));
    if (seen.has(name)) continue;
    seen.add(name);
    if (m.isRegion || m.cities.length === 0) parts.push(`${name} is ${regionNoun(m)}, not a city`);
    else parts.push(`${name} is not read as a city here`);
  }
  return parts.join('; ');
}

/** Why the profile's location field gives no pin either, or null when it says nothing. */
function profileReason(post: PostSide, profile: ProfileSide | null): string | null {
  if (!profile) return null;
  const field = quote(profile.field);
  if (!profile.city) {
    // "Texas", "Sicilia": a field that names only regions.
    const shown = profile.mentions.filter((m) => written(profile.ext, m));
    const region = shown.find((m) => m.isRegion || m.cities.length === 0);
    // A name that is also a region ("Texas", "Victoria") is a city only when qualified.
    if (region && shown.every((m) => m.isRegion || m.cities.length === 0))
      return `the profile's location field (${field}) names ${regionNoun(region)}, not a city`;
    return `the profile's location field (${field}) gives no city`;
  }
  // locator.ts handAnswer: the profile's city is the answer unless the post claims others.
  if (post.results === null)
    return `the profile's location field (${field}) does not settle the post's list`;
  return `the profile's location field (${field}) names a city the post does not claim`;
}

/** One line saying why the hand rules placed no pin. */
export function abstention(post: PostSide, profile: ProfileSide | null): string {
  const parts = [postReason(post), profileReason(post, profile)].filter(
    (p): p is string => p !== null,
  );
  return parts.length > 0
    ? parts.join('; ')
    : "the locator found no city it could say is the author's";
}
