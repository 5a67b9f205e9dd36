// The locator: a post in, the one city its author says they are in out, or nothing. Four stages,
// each in its own module: mentions (find place names), candidates (gazetteer look-ups and
// scoring), evidence (the role of each name in its sentence), pick (choose or abstain). Every
// weight and threshold is in locator-defaults.ts.
import { withAbbreviatedTags } from './abbreviations.js';
import { foldName } from './fold.js';
import { extract } from './extract.js';
import type { Extracted } from './extract.js';
import { regionMatches } from './candidates.js';
import type { Hints } from './candidates.js';
import { isElsewhere, readMentions } from './evidence.js';
import type { Resolved } from './evidence.js';
import { located, quote } from './reason.js';
import { abstention } from './abstain.js';
import type { ProfileSide } from './abstain.js';
import { RegionKind, toPublicPlace } from './gazetteer.js';
import type { Gazetteer } from './gazetteer.js';
import { LANGUAGE_COUNTRIES, defaults } from './locator-defaults.js';
import { findMentions } from './mentions.js';
import type { Mention } from './mentions.js';
import { pick } from './pick.js';
import { candidatesOf, choose, featuresOf, likelihood } from './scorer.js';
import type { PostReading, ScorerWeights } from './scorer.js';
import { FITTED } from './scorer-weights.js';
import { searchPlaces } from './place-search.js';
import { withMisspeltTowns, withQualifiedTypos } from './typos.js';
import type { Explained, LocateInput, Located, Locator } from './types.js';

export { defaults } from './locator-defaults.js';

/** Options for createLocator. */
export interface LocatorOptions {
  /** Results below this confidence are not returned (a wrong pin is worse than none). */
  threshold?: number;
  /** Campaign hashtags to ignore when the input names none (lower case, no `#`). */
  campaignTags?: string[];
  /**
   * The fitted scorer (scorer.ts) that chooses among the post's cities, or null for the hand
   * rules of pick.ts alone. Defaults to FITTED (scorer-weights.ts): it beat the hand rules on
   * blind-7 by the criterion fixed before that set was read (docs/locator.md, fourth round).
   */
  scorer?: ScorerWeights | null;
}

// A profile field's parts: "Geelong, Vic" → "Geelong" and "Vic"; "Münster (Westf.)" → "Münster";
// "Winterthur ZH" → "Winterthur" (a trailing code of two or three capitals, or an abbreviation).
const FIELD_SEPARATORS = /\s*(?:[,;|/()·•]|\s[-–—]\s)\s*/u;
const TRAILING_CODE = /\s+(?:\p{Lu}{2,3}|\p{L}{1,6}\.)$/u;
function fieldParts(field: string): string[] {
  const parts: string[] = [];
  for (const [k, raw] of field.split(FIELD_SEPARATORS).entries()) {
    const part = raw.trim();
    // After the first part, a code or an abbreviation qualifies it ("Vic", "NB", "Westf."): no town.
    if (part === '' || (k > 0 && (part.length <= 4 || part.endsWith('.')))) continue;
    parts.push(part);
    const bare = part.replace(TRAILING_CODE, '');
    if (bare !== part && bare !== '') parts.push(bare);
  }
  return parts.length > 1 || parts[0] !== field ? parts : [];
}

const PRONOUNS =
  /\b(?:she|he|they|xe|ze|it|sie|er|elle|il|ella|él|ele)\s*\/\s*[\p{L}]+(?:\s*\/\s*[\p{L}]+)?/giu;

/** The subdivision of a tag-sequence flag (🏴 + "gbsct" + cancel tag: "SCT"), or null. */
function subdivision(flag: string): string | null {
  const cps = Array.from(flag, (c) => c.codePointAt(0)!);
  if (cps[0] !== 0x1f3f4 || cps.length < 5) return null;
  return String.fromCharCode(...cps.slice(3, -1).map((c) => c - 0xe0061 + 65));
}

const num = (x: number): string => String(Math.round(x * 100) / 100);

/** "pt-BR", "zh_Hant" → "pt", "zh": the language without its region or script. */
function languageOf(input: LocateInput): string {
  const tag = input.language?.toLowerCase();
  if (tag === undefined) return '';
  const dash = tag.search(/[-_]/);
  return dash < 0 ? tag : tag.slice(0, dash);
}

/** A locator over a gazetteer: pure, synchronous, and never throws. */
export function createLocator(
  gazetteer: Gazetteer,
  opts: LocatorOptions = {},
): Locator & {
  readonly threshold: number;
  explain(input: LocateInput): Explained;
  reading(
    input: LocateInput,
  ): PostReading & { answer: Located | null; profileExt: Extracted | null };
} {
  const threshold = opts.threshold ?? defaults.threshold;
  const scorer = opts.scorer === undefined ? FITTED : opts.scorer;

  function hintsFrom(input: LocateInput, ext: Extracted, mentions: Mention[]): Hints {
    const hints: Hints = {
      admin1: new Set(),
      countries: new Set(),
      flags: new Set(),
      postAdmin1: new Set(),
      postCountries: new Set(),
      language: new Set(),
      homeLanguage: null,
      instance: input.instanceCountry?.toUpperCase() ?? null,
    };
    for (const seg of ext.segments)
      for (const t of seg.tokens) {
        if (t.kind !== 'flag') continue;
        hints.flags.add(t.key);
        // 🏴󠁧󠁢󠁳󠁣󠁴󠁿 is ISO 3166-2 GB-SCT: GeoNames' admin1 "GB.SCT", as if the post named Scotland.
        const sub = subdivision(t.text);
        if (sub) hints.postAdmin1.add(`${t.key}.${sub}`);
      }
    const lang = languageOf(input);
    for (const cc of (lang && LANGUAGE_COUNTRIES[lang]) || []) hints.language.add(cc);
    // English is written everywhere on the fediverse: it says nothing about one country.
    const home = lang && lang !== 'en' ? LANGUAGE_COUNTRIES[lang]?.[0] : undefined;
    hints.homeLanguage = home ?? null;
    // "Naples 🌴 … Florida winter": a region the post names elsewhere says which namesake.
    mentions.forEach((m, k) => {
      if (!m.isRegion) return;
      // "Cleveland, Ohio" already says which Cleveland: Ohio says nothing about the post's other names.
      const prev = mentions[k - 1];
      if (
        prev &&
        !prev.isRegion &&
        /^[\s,(]*$/.test(ext.text.slice(prev.textEnd, m.textStart)) &&
        prev.cities.some((h) => m.regions.some((r) => regionMatches(r, h.place)))
      )
        return;
      for (const r of m.regions) {
        if (r.kind === RegionKind.Admin1) hints.postAdmin1.add(r.admin1Code);
        if (r.kind === RegionKind.Admin2)
          hints.postAdmin1.add(r.admin1Code.split('.', 2).join('.'));
        if (r.country) hints.postCountries.add(r.country);
      }
    });
    if (input.profileLocation) {
      const profile = extract({ text: input.profileLocation });
      for (const seg of profile.segments)
        for (const t of seg.tokens) if (t.kind === 'flag') hints.countries.add(t.key);
      for (const m of findMentions(gazetteer, profile)) {
        if (m.isRegion || m.cities.length === 0) {
          for (const r of m.regions) {
            if (r.kind === RegionKind.Admin1) hints.admin1.add(r.admin1Code);
            if (r.country) hints.countries.add(r.country);
          }
        } else {
          const top = m.cities.reduce((a, b) => (b.place.population > a.place.population ? b : a));
          if (top.place.admin1Code) hints.admin1.add(top.place.admin1Code);
          hints.countries.add(top.place.country);
        }
      }
    }
    return hints;
  }

  /** The post's own reading: the results for every city it names, and the one it picks. */
  function readPost(
    ext: Extracted,
    input: LocateInput,
  ): { results: Resolved[] | null; chosen: Resolved | null } {
    const lang = languageOf(input);
    const mentions = withAbbreviatedTags(
      gazetteer,
      ext,
      withMisspeltTowns(
        gazetteer,
        ext,
        withQualifiedTypos(gazetteer, ext, findMentions(gazetteer, ext, lang)),
      ),
      lang,
    );
    if (!mentions.some((m) => m.cities.length > 0)) return { results: [], chosen: null };
    const results = readMentions(ext, mentions, hintsFrom(input, ext, mentions), lang);
    return { results, chosen: results && pick(results, threshold) };
  }

  /** The one city the profile's location field names, read as a post of its own. */
  function readProfile(input: LocateInput): { ext: Extracted; chosen: Resolved } | null {
    if (!input.profileLocation) return null;
    // Pronouns are no one else's place: "she/her · Leeds" is Leeds.
    const text = input.profileLocation.replace(PRONOUNS, ' ').trim();
    const whole = readField(text, input);
    if (whole !== undefined) return whole;
    // Nothing read from the whole field: "Geelong, Vic", "Winterthur ZH", "Münster (Westf.)",
    // "Te Whanganui-a-Tara / Wellington" carry a code or a second name the gazetteer does not
    // join to the town. Each part is read alone; one town among them is the place.
    let found: { ext: Extracted; chosen: Resolved } | null = null;
    for (const part of fieldParts(text)) {
      const r = readField(part, input);
      if (!r) continue;
      if (found && found.chosen.place.id !== r.chosen.place.id) return null;
      found ??= r;
    }
    return found;
  }

  /**
   * One profile field (or part of one) read as a post of its own: its city, null when it names
   * none that counts, undefined when it names nothing at all.
   */
  function readField(
    field: string,
    input: LocateInput,
  ): { ext: Extracted; chosen: Resolved } | null | undefined {
    // A field that is one city code ("PDX", "YVR") reads as the code's hashtag would.
    const text = /^\p{Lu}{3}$/u.test(field) ? `#${field}` : field;
    const ext = extract({ text });
    const { chosen } = readPost(ext, {
      text,
      language: input.language,
      instanceCountry: input.instanceCountry,
    });
    if (!chosen) return undefined;
    // The field is a statement, not a sentence: a name in it that the author says is elsewhere
    // ("moving to Berlin") is no location.
    if (isElsewhere(chosen)) return null;
    if (!chosen.qualified && chosen.place.population < defaults.profileMinPopulation) return null;
    // "Maine, USA": a state's name, whatever hamlet also bears it (a town of some size that names
    // its state is the town: "Porto", "Puebla").
    if (chosen.place.population < defaults.profileMinPopulation) {
      const words = foldName(ext.text.slice(chosen.textStart, chosen.textEnd).split(',')[0]!);
      if (gazetteer.regions(words).length > 0) return null;
    }
    return { ext, chosen };
  }

  /** The hand rules' answer: the post's pick, else the profile's city unless the post disagrees. */
  /** The hand rules' choice: the post's pick, else the profile's city unless the post disagrees. */
  function handChoice(
    results: Resolved[] | null,
    chosen: Resolved | null,
    profile: () => { ext: Extracted; chosen: Resolved } | null,
  ): { chosen: Resolved; profile: { ext: Extracted; chosen: Resolved } | null } | null {
    if (chosen) return { chosen, profile: null };
    // The post names no place of the author's: their own profile's location may (the post wins
    // when it names one: a list or two rival cities in the post abstain, unless the profile's
    // city is one of them).
    const p = profile();
    if (!p) return null;
    const claims =
      results === null ? null : results.filter((r) => !isElsewhere(r) && r.confidence >= threshold);
    if (claims === null || claims.length > 0) {
      const agrees = (claims ?? []).some((r) => r.place.id === p.chosen.place.id);
      if (!agrees) return null;
    }
    return { chosen: p.chosen, profile: p };
  }

  /** The hand rules' answer with its reason. */
  function handAnswer(
    ext: Extracted,
    input: LocateInput,
    results: Resolved[] | null,
    chosen: Resolved | null,
    profile: () => { ext: Extracted; chosen: Resolved } | null,
  ): Located | null {
    const c = handChoice(results, chosen, profile);
    if (!c) return null;
    return c.profile
      ? located(c.chosen, c.profile.ext.text, results ?? [], input.profileLocation!, ext.text)
      : located(c.chosen, ext.text, results ?? [], null);
  }

  const extractOf = (input: LocateInput): Extracted =>
    extract({
      html: input.html,
      text: input.text,
      campaignTags: input.campaignTags ?? opts.campaignTags ?? [],
    });

  /** Everything read from a post before choosing: what the fitted scorer chooses from. */
  function reading(
    input: LocateInput,
  ): PostReading & { answer: Located | null; profileExt: Extracted | null } {
    const read = readAll(input);
    const answer = read.choice
      ? read.choice.profile
        ? located(
            read.choice.chosen,
            read.choice.profile.ext.text,
            read.results ?? [],
            input.profileLocation!,
            read.ext.text,
          )
        : located(read.choice.chosen, read.ext.text, read.results ?? [], null)
      : null;
    return { ...read, answer };
  }

  /** The post's reading, the profile's and the hand rules' choice, with no reason written. */
  function readAll(input: LocateInput): PostReading & {
    profileExt: Extracted | null;
    choice: ReturnType<typeof handChoice>;
  } {
    const ext = extractOf(input);
    const { results, chosen } = readPost(ext, input);
    const profile = readProfile(input);
    const choice = handChoice(results, chosen, () => profile);
    return {
      ext,
      results,
      hand: choice ? { place: choice.chosen.place, fromProfile: choice.profile !== null } : null,
      profile: profile?.chosen ?? null,
      profileExt: profile?.ext ?? null,
      lang: languageOf(input),
      choice,
    };
  }

  function locate(input: LocateInput): Located | null {
    if (!scorer) {
      const ext = extractOf(input);
      const { results, chosen } = readPost(ext, input);
      return handAnswer(ext, input, results, chosen, () => readProfile(input));
    }
    const read = readAll(input);
    const best = choose(scorer, read, threshold);
    if (!best) return null;
    const { candidate, likelihood } = best;
    const fromPost = candidate.post !== null && !(read.hand?.fromProfile && candidate.profile);
    const result = fromPost
      ? located(candidate.post!, read.ext.text, read.results ?? [], null)
      : located(
          candidate.profile!,
          read.profileExt!.text,
          read.results ?? [],
          input.profileLocation!,
          read.ext.text,
        );
    result.confidence = Math.round(likelihood * 1000) / 1000;
    return result;
  }

  /** Why the hand rules placed no pin: the post's reading again, with its mentions kept. */
  function handWhy(input: LocateInput): string {
    const ext = extractOf(input);
    const lang = languageOf(input);
    const mentions = withQualifiedTypos(gazetteer, ext, findMentions(gazetteer, ext, lang));
    const results = mentions.some((m) => m.cities.length > 0)
      ? readMentions(ext, mentions, hintsFrom(input, ext, mentions), lang)
      : [];
    let profile: ProfileSide | null = null;
    if (input.profileLocation) {
      const field = extract({ text: input.profileLocation });
      profile = {
        field: input.profileLocation,
        city: readProfile(input)?.chosen ?? null,
        ext: field,
        mentions: findMentions(gazetteer, field, lang),
      };
    }
    return abstention({ ext, mentions, results, threshold }, profile);
  }

  /**
   * Why the fitted scorer placed no pin. When the hand rules find no place of the author's either,
   * their reason says what the post holds ("‘Off to Lisbon’ is a trip, not home"); when they would
   * have pinned one, the scorer's doubt is the reason, with its best candidate and how far below
   * its threshold that candidate scored.
   */
  function scorerWhy(input: LocateInput, model: ScorerWeights): string {
    const read = reading(input);
    if (!read.answer) return handWhy(input);
    let best: { text: string; p: number } | null = null;
    for (const c of candidatesOf(read)) {
      const p = likelihood(model, featuresOf(read, c, threshold));
      if (best && p <= best.p) continue;
      const text = c.post
        ? read.ext.text.slice(c.post.textStart, c.post.textEnd)
        : read.profileExt!.text.slice(c.profile!.textStart, c.profile!.textEnd);
      best = { text, p };
    }
    if (!best) return handWhy(input);
    return `the fitted scorer's best reading, ${quote(best.text)}, scored ${num(best.p)} (below ${num(model.threshold)}): too unsure to pin`;
  }

  /** `locate`, and one line saying why: the result's reason, or why there is no pin. */
  function explain(input: LocateInput): Explained {
    const answer = locate(input);
    if (answer) return { located: answer, reason: answer.reason ?? '' };
    return { located: null, reason: scorer ? scorerWhy(input, scorer) : handWhy(input) };
  }

  return {
    threshold,
    reading,
    explain,
    // No catch-all: a bug must fail the property tests, not pass for "no city". The pipeline
    // catches and logs, so one bad post never stops collection.
    locate,
    placeById(id) {
      try {
        const p = gazetteer.place(id);
        return p ? toPublicPlace(p) : null;
      } catch {
        return null;
      }
    },
    searchPlaces: (text, limit) => searchPlaces(gazetteer, text, limit),
  };
}
