// The fitted scorer (issue #14): a logistic model over the cities a post's reading offers, fitted
// on the development sets by scripts/fit-locator-scorer.ts, instead of the hand rules of pick.ts
// deciding alone. Each candidate city (every place the post names, and the profile's city) is
// described by a few numbers — the hand rules' own verdict and confidence, the name's role, its
// evidence, population, qualifiers, whether the post's language is spoken there, how the name
// was matched — and the model says how likely it is to be the author's city. The most likely
// candidate is the answer when that likelihood reaches the fitted threshold; otherwise no pin.
// Why a linear model and not trees or a network: ~2,300 labelled posts, features a person can
// read off the weights file, no dependency, and a score computed in well under a microsecond.
import type { Resolved } from './evidence.js';
import { isElsewhere } from './evidence.js';
import type { Extracted, Token } from './extract.js';
import { foldName } from './fold.js';
import type { GazetteerPlace } from './gazetteer.js';
import { isEnglishWord } from './english-words.js';
import { isCueWord } from './roles.js';
import { LANGUAGE_COUNTRIES, defaults } from './locator-defaults.js';

/** Everything the locator read from one post, before choosing. */
export interface PostReading {
  ext: Extracted;
  /** Every city the post's names resolve to; null when the post lists several homes. */
  results: Resolved[] | null;
  /** The hand rules' answer (pick.ts and the profile rule), or null when they abstain. */
  hand: { place: GazetteerPlace; fromProfile: boolean } | null;
  /** The profile location field's one city, read as a post of its own, or null. */
  profile: Resolved | null;
  /** The post's language, lower case, no region ("en", "pt"), or "". */
  lang: string;
}

/** One city the scorer may answer with. */
export interface Candidate {
  place: GazetteerPlace;
  /** The post's strongest reading of this place, or null when only the profile names it. */
  post: Resolved | null;
  /** The profile's reading, when the profile's city is this place. */
  profile: Resolved | null;
}

/** The model's inputs, in the order of the fitted weights. Each is 0..1 (or close). */
export const FEATURE_NAMES = [
  'bias',
  'hand_pick', // the hand rules chose this place
  'hand_abstained', // the hand rules chose nothing in this post
  'confidence', // the hand confidence of the post's reading (0 when only the profile names it)
  'evidence', // how strongly the post says "I am here" of this name, 0..1
  'log_population', // log10(population) / 7
  'big_town', // 100,000 people or more
  'small_foreign', // under 10,000 people, where the post's (non-English) language is not written
  'qualified', // narrowed by a state, country or flag next to it
  'role_home', // a home word governs it ("I live in")
  'role_locative', // "from", "in", an inflected "in"
  'role_none', // no cue: the name stands alone
  'role_elsewhere', // past, trip, future, someone else's, shipping, media, comparison, negated
  'role_work_near', // work, commute, near
  'from_profile', // the profile's location field names this place
  'profile_only', // only the profile names it, the post does not
  'profile_elsewhere', // the profile names a different city
  'rivals', // other places the post claims for the author (confidence ≥ 0.5, not elsewhere), /3
  'names', // places the post names at all, /5
  'top_confidence', // the highest-confidence reading of the post
  'list_of_homes', // the post lists several homes ("Portland and Seattle")
  'language_home', // the post's (non-English) language is first spoken in the place's country
  'language_spoken', // the place's country is among where the post's language is written
  'english', // the post is in English or has no language
  'primary_name', // the words matched are the place's own name, not an alternate or alias
  'hashtag', // the name is a hashtag
  'lower_case', // the name was written without capitals (in a script with case)
  'short_name', // three letters or fewer
  'seat', // a capital or a state's seat (GeoNames feature PPLC, PPLA)
  'pick_confidence', // hand_pick × confidence
  'rescue_evidence', // hand_abstained × evidence: what the hand rules left
  'rescue_profile', // hand_abstained × from_profile
  'english_word', // in an English post, the name is one common English word ("Rain", "Nice", "Split")
  'english_word_small', // …and a town under 100,000 people: most likely the word ("Rain. Again.")
  'inflected_abroad', // read from a case form of the post's language, in a country it is not written in
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** A fitted model: one weight per feature, and the likelihood from which it pins. */
export interface ScorerWeights {
  features: readonly string[];
  weights: readonly number[];
  threshold: number;
}

const UNSPACED_LETTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * A denial whose name has a word of its own right before it ("전라도 광주 아니에요": that other
 * province's Gwangju), which the gazetteer could not tell from the place itself. Not "Not in
 * London", where the word before is a cue.
 */
function qualifiedDenial(reading: PostReading, r: Resolved): boolean {
  // "福島の伊達じゃない": in a script without spaces, a word glued right before the name.
  if (UNSPACED_LETTER.test(reading.ext.text[r.textStart - 1] ?? '')) return true;
  let before: Token | null = null;
  for (const seg of reading.ext.segments)
    for (const t of seg.tokens)
      if (t.end <= r.textStart && (!before || t.end > before.end)) before = t;
  return (
    before !== null &&
    before.kind === 'word' &&
    before.capital &&
    r.textStart - before.end <= 1 &&
    !isCueWord(before.key)
  );
}

/**
 * The places a reading offers: each place the post names (its strongest reading, or the one that
 * denies it), and the profile's.
 */
export function candidatesOf(reading: PostReading): Candidate[] {
  const byId = new Map<number, Candidate>();
  for (const r of reading.results ?? []) {
    const had = byId.get(r.place.id);
    if (!had) byId.set(r.place.id, { place: r.place, post: r, profile: null });
    // "Not in London. Never been in London.": a place the post denies once stays denied, unless
    // another name says it is home ("경기도 광주에 살아요. 전라도 광주 아니에요"): that denial is
    // of a namesake the gazetteer read as the same place.
    else if (had.post?.role === 'negated') {
      if (r.role === 'home' && qualifiedDenial(reading, had.post)) had.post = r;
    } else if (r.role === 'negated') {
      if (had.post?.role !== 'home' || !qualifiedDenial(reading, r)) had.post = r;
    } else if (had.post && had.post.confidence < r.confidence) had.post = r;
  }
  const p = reading.profile;
  if (p) {
    const had = byId.get(p.place.id);
    if (had) had.profile = p;
    else byId.set(p.place.id, { place: p.place, post: null, profile: p });
  }
  return [...byId.values()];
}

const inTag = (ext: Extracted, at: number): boolean =>
  ext.segments.some((s) => s.tag !== null && s.tag.start <= at && at < s.tag.end);

const CASED = /\p{Lu}|\p{Ll}/u;
const UPPER = /\p{Lu}/u;

interface PostFacts {
  claims: Set<number>;
  places: number;
  top: number;
  langs: readonly string[];
  english: boolean;
}
const factsOf = new WeakMap<PostReading, PostFacts>();

// Names folded, memoised: the scorer folds every candidate's name and matched words for every
// post that names it, a third of its time. Bounded: cleared whole when it reaches this many.
const foldedNames = new Map<string, string>();
const FOLDED_NAMES_MAX = 50_000;
function folded(name: string): string {
  let key = foldedNames.get(name);
  if (key === undefined) {
    if (foldedNames.size >= FOLDED_NAMES_MAX) foldedNames.clear();
    key = foldName(name);
    foldedNames.set(name, key);
  }
  return key;
}

/** The matched words of a reading, folded. */
const keyOf = (reading: PostReading, r: Resolved): string =>
  folded(reading.ext.text.slice(r.textStart, r.textEnd));

/** In an English post, the matched words are one common English word ("Rain", "Nice"). */
const commonWord = (reading: PostReading, key: string): boolean =>
  (reading.lang === '' || reading.lang === 'en') && !key.includes(' ') && isEnglishWord(key);

/** …naming a town under `bigTown` ("Rain. Again."): most likely the word. */
const wordLike = (reading: PostReading, r: Resolved, key = keyOf(reading, r)): boolean =>
  r.place.population < defaults.bigTown && commonWord(reading, key);

/** What every candidate of a post shares, worked out once per post. */
function postFacts(reading: PostReading, threshold: number): PostFacts {
  let f = factsOf.get(reading);
  if (f) return f;
  const all = reading.results ?? [];
  const claims = new Set<number>();
  const places = new Set<number>();
  let top = 0;
  for (const x of all) {
    places.add(x.place.id);
    if (x.confidence > top) top = x.confidence;
    if (x.confidence >= threshold && !isElsewhere(x) && !wordLike(reading, x))
      claims.add(x.place.id);
  }
  const lang = reading.lang;
  f = {
    claims,
    places: places.size,
    top,
    langs: (lang && LANGUAGE_COUNTRIES[lang]) || [],
    english: lang === '' || lang === 'en',
  };
  factsOf.set(reading, f);
  return f;
}

/** The feature vector of one candidate, in FEATURE_NAMES order. */
export function featuresOf(reading: PostReading, c: Candidate, threshold: number): number[] {
  const { results, hand, profile, ext } = reading;
  const r = c.post;
  const facts = postFacts(reading, threshold);
  const { langs, english, top } = facts;
  const rivals = facts.claims.size - (facts.claims.has(c.place.id) ? 1 : 0);
  const matched = r ? ext.text.slice(r.textStart, r.textEnd) : '';
  const key = folded(matched);
  const pop = Math.max(1, c.place.population);
  const role = r?.role;
  const f: Record<FeatureName, number> = {
    bias: 1,
    hand_pick: hand?.place.id === c.place.id ? 1 : 0,
    hand_abstained: hand ? 0 : 1,
    confidence: r ? r.confidence : 0,
    evidence: r ? Math.min(1, r.evidence) : 0,
    log_population: Math.log10(pop) / 7,
    big_town: pop >= 100_000 ? 1 : 0,
    small_foreign: pop < 10_000 && !english && !langs.includes(c.place.country) ? 1 : 0,
    qualified: r?.qualified || c.profile?.qualified ? 1 : 0,
    role_home: role === 'home' || r?.home ? 1 : 0,
    role_locative: role === 'locative' ? 1 : 0,
    role_none: role === 'none' ? 1 : 0,
    role_elsewhere: r && isElsewhere(r) && role !== 'work' && role !== 'near' ? 1 : 0,
    role_work_near: role === 'work' || role === 'near' ? 1 : 0,
    from_profile: c.profile ? 1 : 0,
    profile_only: r ? 0 : 1,
    profile_elsewhere: profile && profile.place.id !== c.place.id ? 1 : 0,
    rivals: Math.min(3, rivals) / 3,
    names: Math.min(5, facts.places) / 5,
    top_confidence: top,
    list_of_homes: results === null ? 1 : 0,
    language_home: !english && langs[0] === c.place.country ? 1 : 0,
    language_spoken: langs.includes(c.place.country) ? 1 : 0,
    english: english ? 1 : 0,
    primary_name: r && key === folded(c.place.name) ? 1 : 0,
    seat: /^PPL(?:C|A)$/.test(c.place.feature) ? 1 : 0,
    pick_confidence: hand?.place.id === c.place.id && r ? r.confidence : 0,
    rescue_evidence: !hand && r ? Math.min(1, r.evidence) : 0,
    rescue_profile: !hand && c.profile ? 1 : 0,
    hashtag: r && inTag(ext, r.textStart) ? 1 : 0,
    lower_case: r && CASED.test(matched) && !UPPER.test(matched) ? 1 : 0,
    short_name: r && key.replace(/ /g, '').length <= 3 ? 1 : 0,
    english_word: r && commonWord(reading, key) ? 1 : 0,
    english_word_small: r && wordLike(reading, r, key) ? 1 : 0,
    inflected_abroad: r?.inflected && !english && !langs.includes(c.place.country) ? 1 : 0,
  };
  return FEATURE_NAMES.map((n) => f[n]);
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The likelihood the model gives a feature vector. */
export function likelihood(model: ScorerWeights, x: readonly number[]): number {
  let z = 0;
  for (let i = 0; i < x.length; i++) z += model.weights[i]! * x[i]!;
  return sigmoid(z);
}

/** The candidate the model picks and its likelihood, or null when none reaches the threshold. */
export function choose(
  model: ScorerWeights,
  reading: PostReading,
  threshold: number,
): { candidate: Candidate; likelihood: number } | null {
  let best: { candidate: Candidate; likelihood: number } | null = null;
  for (const c of candidatesOf(reading)) {
    const p = likelihood(model, featuresOf(reading, c, threshold));
    if (!best || p > best.likelihood) best = { candidate: c, likelihood: p };
  }
  return best && best.likelihood >= model.threshold ? best : null;
}
