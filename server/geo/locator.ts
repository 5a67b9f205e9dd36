import {
  COMMON_WORDS,
  FEATURE_NOUNS,
  FILLER,
  HOME,
  LOCATIVE,
  NOT_HOME,
  PAST,
  STOPWORDS,
} from './cues.js';
import { extract } from './extract.js';
import type { Extracted, Segment, Token } from './extract.js';
import { foldName, foldTag } from './fold.js';
import { SLAVIC, baseForms, hasLocativeSuffixes } from './inflection.js';
import { searchPlaces } from './place-search.js';
import { NameKind, RegionKind, toPublicPlace } from './gazetteer.js';
import type { Gazetteer, GazetteerPlace, NameHit, RegionRef } from './gazetteer.js';
import type { LocateInput, Located, Locator } from './types.js';

/** Options for createLocator. */
export interface LocatorOptions {
  /** Results below this confidence are not returned (a wrong pin is worse than none). */
  threshold?: number;
  /** Campaign hashtags to ignore when the input names none (lower case, no `#`). */
  campaignTags?: string[];
}

const defaults = {
  threshold: 0.5, // below this, abstain
  maxWords: 5, // "Las Palmas de Gran Canaria"
  maxUnspaced: 8, // longest Han/kana/Hangul name tried inside a run of text
  regionCityMin: 1_000_000, // a name that is also a region counts as the city only above this ("Singapore", not "Luxembourg")
  commonWordMin: 50_000, // a common word ("Reading", "Nice") is a city after "in"/"from" only when it is this big
  alternatePenalty: 1.5, // in log10 population units: primary names outrank alternates (GeoNames alternates hold junk)
  aliasBonus: 3, // curated aliases say what people mean
  regionDominance: 3, // a same-named region this many times more populous than the city means the region
  stemMinPopulation: 10_000, // an inflected form ("z Krakowa") is tried only against towns this big
  namesakeShare: 0.1, // a region's namesake city below this share of its population yields to it ("from Quebec")
  homeLanguageBonus: 1, // log10 units: a non-English post's first country ("Valencia" in Spanish is in Spain)
  otherLanguageBonus: 0.4, // log10 units: another country where the post's language is written
};
// "NYC, Queens": a second name this close (|Δlat| + |Δlng|) to the first is part of it, not a list.
const NEARBY_DEGREES = 0.5;

// Countries where a post's language is mostly written, its home country first; a hint only.
const LANGUAGE_COUNTRIES: Record<string, string[]> = {
  en: ['US', 'GB', 'CA', 'AU', 'NZ', 'IE'],
  de: ['DE', 'AT', 'CH'],
  fr: ['FR', 'BE', 'CH', 'CA'],
  es: ['ES', 'MX', 'AR', 'CO', 'CL', 'PE', 'VE', 'EC', 'UY', 'CR'],
  pt: ['BR', 'PT'],
  it: ['IT', 'CH'],
  nl: ['NL', 'BE'],
  sv: ['SE', 'FI'],
  nb: ['NO'],
  no: ['NO'],
  da: ['DK'],
  fi: ['FI'],
  pl: ['PL'],
  cs: ['CZ'],
  ru: ['RU', 'BY', 'KZ'],
  uk: ['UA'],
  ja: ['JP'],
  zh: ['CN', 'TW', 'HK', 'SG'],
  ko: ['KR'],
  tr: ['TR'],
  el: ['GR', 'CY'],
  ar: ['EG', 'SA', 'MA', 'DZ', 'JO', 'LB', 'AE'],
  he: ['IL'],
  id: ['ID'],
};

const CYRILLIC = /\p{Script=Cyrillic}/u;
const isParen = (t: Token): boolean => t.kind === 'punct' && (t.text === '(' || t.text === ')');
// Words that join a list of cities: "Portland and Seattle", "London, Paris".
const LIST_GLUE = new Set([
  ',',
  '&',
  '/',
  '+',
  'and',
  'or',
  'und',
  'oder',
  'et',
  'ou',
  'y',
  'o',
  'e',
  'en',
  'och',
  'og',
  'i',
  'и',
]);
const QUALIFIER_GLUE = new Set([',', '(', '-', '–', '/', '·', ':']);

interface Mention {
  seg: number;
  start: number;
  end: number;
  textStart: number;
  textEnd: number;
  key: string;
  cities: NameHit[];
  regions: RegionRef[];
  isRegion: boolean;
  cased: boolean;
  /** Found without its case ending, which itself says "in"/"from" ("Tampereelta"). */
  inflected?: boolean;
}

interface Hints {
  admin1: Set<string>;
  countries: Set<string>;
  flags: Set<string>;
  language: Set<string>;
  /** The first country of a non-English post's language. */
  homeLanguage: string | null;
  instance: string | null;
}

interface Resolved {
  place: GazetteerPlace;
  evidence: number;
  confidence: number;
  home: boolean;
  textStart: number;
  textEnd: number;
}

function regionMatches(r: RegionRef, p: GazetteerPlace): boolean {
  if (r.kind === RegionKind.Country) return p.country === r.country;
  if (r.kind === RegionKind.Admin1) return p.admin1Code === r.admin1Code;
  return false;
}

function dedupe(hits: NameHit[]): NameHit[] {
  if (hits.length < 2) return hits;
  const best = new Map<number, NameHit>();
  for (const h of hits) {
    const had = best.get(h.place.id);
    if (!had || had.kind > h.kind) best.set(h.place.id, h);
  }
  return [...best.values()];
}

/** A locator over a gazetteer: pure, synchronous, and never throws. */
export function createLocator(
  gazetteer: Gazetteer,
  opts: LocatorOptions = {},
): Locator & { readonly threshold: number } {
  const threshold = opts.threshold ?? defaults.threshold;

  function classify(m: Omit<Mention, 'isRegion'>): Mention {
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
    const dominant = m.regions.some((r) => r.population > defaults.regionDominance * topCity);
    const isRegion = area || (m.regions.length > 0 && !curated && !big && !namesake && dominant);
    return { ...m, isRegion };
  }

  function lookupWords(
    tokens: Token[],
    from: number,
    to: number,
    text: string,
  ): { cities: NameHit[]; regions: RegionRef[]; cased: boolean } {
    let key = '';
    let words = 0;
    for (let i = from; i < to; i++) {
      if (tokens[i]!.kind !== 'word') continue;
      key += key === '' ? tokens[i]!.key : ` ${tokens[i]!.key}`;
      words++;
    }
    let cities = gazetteer.lookup(key);
    let regions = gazetteer.regions(key);
    let cased = false;
    const raw = text.slice(tokens[from]!.start, tokens[to - 1]!.end);
    if (words <= 2 && raw !== raw.toLowerCase()) {
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

  // "z Krakowa", "в Москве", "Tampereelta", "Ankara'da": try the word without its case ending.
  function lookupInflected(t: Token, lang: string, afterLocative: boolean): NameHit[] {
    for (const form of baseForms(t.text, t.key, lang, afterLocative)) {
      const hits = gazetteer
        .lookup(form)
        .filter((h) => h.place.population >= defaults.stemMinPopulation);
      if (hits.length > 0) return hits;
    }
    return [];
  }

  function findMentions(ext: Extracted, lang = ''): Mention[] {
    const out: Mention[] = [];
    ext.segments.forEach((seg, s) => {
      const toks = seg.tokens;
      if (seg.tag && toks.length > 1) {
        // "#sanfrancisco" has no capitals to split on; the spaceless form is indexed for hashtags.
        const whole = ext.text.slice(seg.tag.start + 1, seg.tag.end);
        const cities = gazetteer.lookup(`#${foldTag(whole)}`);
        if (cities.length > 0) {
          out.push(
            classify({
              seg: s,
              start: 0,
              end: toks.length,
              textStart: seg.tag.start,
              textEnd: seg.tag.end,
              key: foldName(whole),
              cities,
              regions: [],
              cased: false,
            }),
          );
          return;
        }
      }
      if (seg.tag && toks.length === 1) {
        const cities = gazetteer.lookup(`#${toks[0]!.key}`);
        if (cities.length > 0) {
          out.push(
            classify({
              seg: s,
              start: 0,
              end: 1,
              textStart: seg.tag.start,
              textEnd: seg.tag.end,
              key: toks[0]!.key,
              cities,
              regions: gazetteer.regions(toks[0]!.key),
              cased: false,
            }),
          );
          return;
        }
      }
      for (let i = 0; i < toks.length;) {
        const t = toks[i]!;
        if (t.kind !== 'word') {
          i++;
          continue;
        }
        if (t.unspaced) {
          findUnspaced(t, s, out);
          i++;
          continue;
        }
        // Parentheses belong to some names: "Frankfurt (Oder)", "Halle (Saale)".
        let runEnd = i;
        for (let words = 0; runEnd < toks.length && words < defaults.maxWords; runEnd++) {
          const r = toks[runEnd]!;
          if (r.kind === 'word' && !r.unspaced) words++;
          else if (!isParen(r)) break;
        }
        let found = false;
        for (let j = runEnd; j > i; j--) {
          if (isParen(toks[j - 1]!) && toks[j - 1]!.text === '(') continue;
          const hit = lookupWords(toks, i, j, ext.text);
          if (hit.cities.length === 0 && hit.regions.length === 0) continue;
          // "Gotham City", "Lincoln Park": a capitalised place noun after the name makes another place.
          const after = toks[j];
          if (after?.kind === 'word' && after.capital && FEATURE_NOUNS.has(after.key)) break;
          const whole = seg.tag !== null && i === 0 && j === toks.length;
          out.push(
            classify({
              seg: s,
              start: i,
              end: j,
              textStart: whole ? seg.tag!.start : toks[i]!.start,
              textEnd: whole ? seg.tag!.end : toks[j - 1]!.end,
              key: foldName(ext.text.slice(toks[i]!.start, toks[j - 1]!.end)),
              ...hit,
            }),
          );
          i = j;
          found = true;
          break;
        }
        if (!found && t.capital && !seg.tag) {
          const afterLocative =
            i > 0 && LOCATIVE.has(toks[i - 1]!.key) && (SLAVIC.has(lang) || CYRILLIC.test(t.text));
          if (afterLocative || hasLocativeSuffixes(lang) || /['’]/.test(t.text)) {
            const cities = lookupInflected(t, lang, afterLocative);
            if (cities.length > 0) {
              out.push(
                classify({
                  seg: s,
                  start: i,
                  end: i + 1,
                  textStart: t.start,
                  textEnd: t.end,
                  key: t.key,
                  cities,
                  regions: [],
                  cased: false,
                  inflected: true,
                }),
              );
            }
          }
        }
        if (!found) i++;
      }
    });
    return out;
  }

  function findUnspaced(t: Token, seg: number, out: Mention[]): void {
    const chars = Array.from(t.text);
    const offsets: number[] = [0];
    for (const c of chars) offsets.push(offsets[offsets.length - 1]! + c.length);
    for (let i = 0; i < chars.length;) {
      let found = false;
      for (let len = Math.min(defaults.maxUnspaced, chars.length - i); len >= 2; len--) {
        const sub = chars.slice(i, i + len).join('');
        const key = foldName(sub);
        const cities = gazetteer.lookup(key);
        const regions = gazetteer.regions(key);
        if (cities.length === 0 && regions.length === 0) continue;
        out.push(
          classify({
            seg,
            start: -1,
            end: -1,
            textStart: t.start + offsets[i]!,
            textEnd: t.start + offsets[i + len]!,
            key,
            cities,
            regions,
            cased: false,
          }),
        );
        i += len;
        found = true;
        break;
      }
      if (!found) i++;
    }
  }

  function hintsFrom(input: LocateInput, ext: Extracted): Hints {
    const hints: Hints = {
      admin1: new Set(),
      countries: new Set(),
      flags: new Set(),
      language: new Set(),
      homeLanguage: null,
      instance: input.instanceCountry?.toUpperCase() ?? null,
    };
    for (const seg of ext.segments)
      for (const t of seg.tokens) if (t.kind === 'flag') hints.flags.add(t.key);
    const lang = input.language?.toLowerCase().split(/[-_]/)[0];
    for (const cc of (lang && LANGUAGE_COUNTRIES[lang]) || []) hints.language.add(cc);
    // English is written everywhere on the fediverse: it says nothing about one country.
    const home = lang && lang !== 'en' ? LANGUAGE_COUNTRIES[lang]?.[0] : undefined;
    hints.homeLanguage = home ?? null;
    if (input.profileLocation) {
      const profile = extract({ text: input.profileLocation });
      for (const seg of profile.segments)
        for (const t of seg.tokens) if (t.kind === 'flag') hints.countries.add(t.key);
      for (const m of findMentions(profile)) {
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

  function score(h: NameHit, hints: Hints): number {
    const p = h.place;
    let s = Math.log10(p.population + 10);
    // Alternates of big cities are mostly exonyms (Antwerp, Cologne); of small towns, mostly noise.
    if (h.kind === NameKind.Alternate)
      s -= p.population >= 100_000 ? defaults.alternatePenalty / 2 : defaults.alternatePenalty;
    if (h.kind === NameKind.Alias) s += defaults.aliasBonus;
    if (p.admin1Code && hints.admin1.has(p.admin1Code)) s += 3;
    if (hints.countries.has(p.country)) s += 2;
    if (hints.flags.has(p.country)) s += 2;
    if (hints.homeLanguage === p.country) s += defaults.homeLanguageBonus;
    else if (hints.language.has(p.country)) s += defaults.otherLanguageBonus;
    if (hints.instance === p.country) s += 0.4;
    return s;
  }

  function locate(input: LocateInput): Located | null {
    const ext = extract({
      html: input.html,
      text: input.text,
      campaignTags: input.campaignTags ?? opts.campaignTags ?? [],
    });
    const lang = input.language?.toLowerCase().split(/[-_]/)[0] ?? '';
    const mentions = findMentions(ext, lang);
    if (!mentions.some((m) => m.cities.length > 0)) return null;
    const hints = hintsFrom(input, ext);
    const segs = ext.segments;

    const covered = new Set<Token>();
    for (const m of mentions) {
      if (m.start >= 0) for (let i = m.start; i < m.end; i++) covered.add(segs[m.seg]!.tokens[i]!);
      else
        for (const t of segs[m.seg]!.tokens)
          if (t.start <= m.textStart && t.end >= m.textEnd) covered.add(t);
    }
    let otherWords = 0;
    let notHome = false;
    let firstWord: Token | null = null;
    for (const seg of segs) {
      for (const t of seg.tokens) {
        if (t.kind !== 'word') continue;
        if (!seg.tag && !firstWord) firstWord = t;
        if (NOT_HOME.has(t.key)) notHome = true;
        if (!seg.tag && !covered.has(t) && !FILLER.has(t.key)) otherWords++;
      }
    }
    const cityMentions = mentions.filter((m) => !m.isRegion).length;
    const sole = otherWords === 0 && cityMentions === 1;

    const wordBefore = (m: Mention, back: number): Token | null => {
      let seg = m.seg;
      let i = m.start - 1;
      for (let n = 0; ;) {
        const toks = segs[seg]!.tokens;
        if (i < 0) {
          // A hashtag continues the sentence before it: "from #Portland".
          if (seg === 0 || !(segs[seg]!.tag || segs[seg - 1]!.tag)) return null;
          seg--;
          i = segs[seg]!.tokens.length - 1;
          continue;
        }
        const t = toks[i]!;
        if (t.kind !== 'word') return null;
        if (++n === back) return t;
        i--;
      }
    };

    const results: Resolved[] = [];
    const used = new Set<Mention>();
    for (let k = 0; k < mentions.length; k++) {
      const m = mentions[k]!;
      if (used.has(m) || m.cities.length === 0 || m.regions.some((r) => r.kind === RegionKind.Area))
        continue;
      if (!m.cased && STOPWORDS.has(m.key)) continue;
      const seg = segs[m.seg]!;
      let candidates = dedupe(m.cities);
      let textEnd = m.textEnd;
      let qualified = false;

      const next = mentions[k + 1];
      if (next && next.regions.length > 0 && adjacent(m, next, segs)) {
        const matching = candidates.filter((h) =>
          next.regions.some((r) => regionMatches(r, h.place)),
        );
        if (matching.length > 0) {
          candidates = matching;
          qualified = true;
          textEnd = next.textEnd;
          used.add(next);
        }
      }
      // "Portland and Seattle", "London, Paris, Rome": several home cities, so no one pin.
      if (
        !qualified &&
        next &&
        !next.isRegion &&
        next.cities.length > 0 &&
        listed(m, next, segs) &&
        !STOPWORDS.has(next.key)
      ) {
        // "NYC, Queens", "Queens, NYC": a place inside the other narrows it; the pin is the bigger one.
        // Only the first name's likeliest place counts: "Berlin, Hamburg" has US namesakes side by side.
        const likeliest = candidates.reduce((a, b) =>
          b.place.population > a.place.population ? b : a,
        );
        const pair = commaPair(m, next, segs)
          ? nearestPair([likeliest], dedupe(next.cities))
          : null;
        if (!pair) return null;
        candidates = [pair[0].place.population >= pair[1].place.population ? pair[0] : pair[1]];
        qualified = true;
        textEnd = next.textEnd;
        used.add(next);
      }
      // A name that is also a region ("Victoria", "Washington") is the city only when qualified.
      if (m.isRegion && !qualified) continue;
      const flag = nearbyFlag(m, seg);
      if (flag) {
        const matching = candidates.filter((h) => h.place.country === flag.key);
        if (matching.length > 0) {
          candidates = matching;
          qualified = true;
          if (flag.start > textEnd) textEnd = flag.end;
        }
      }

      const ranked = candidates
        .map((h) => ({ h, s: score(h, hints) }))
        .sort((a, b) => b.s - a.s || b.h.place.population - a.h.place.population);
      const top = ranked[0]!;
      // GeoNames sometimes lists one town twice (a city and its centre): a namesake within ~30 km is the same pin.
      const rival = ranked.find(
        (r) =>
          Math.abs(r.h.place.lat - top.h.place.lat) + Math.abs(r.h.place.lng - top.h.place.lng) >
          0.3,
      );
      const certainty = rival ? Math.min(1, Math.max(0, 0.5 + 0.3 * (top.s - rival.s))) : 1;

      const first = m.start >= 0 ? seg.tokens[m.start]! : null;
      const prev = wordBefore(m, 1);
      const prev2 = wordBefore(m, 2);
      const prev3 = wordBefore(m, 3);
      // One-letter prepositions ("a Roma", "w Gdańsku") read as articles in English: "a Brussels waffle".
      const prep =
        m.inflected === true ||
        (prev !== null && LOCATIVE.has(prev.key) && (prev.key.length > 1 || lang !== 'en'));
      const home =
        prev !== null && (HOME.has(prev.key) || (prep && prev2 !== null && HOME.has(prev2.key)));
      // "originally from Winnipeg", "born in Lagos": where someone was, not where they are.
      if (!home && [prev, prev2, prev3].some((w) => w !== null && PAST.has(w.key))) continue;
      const wholeTag = seg.tag !== null && m.start === 0 && m.end === seg.tokens.length;
      const headline = first !== null && isHeadline(seg, textEnd);
      const lead = headline && first === firstWord;
      const capital = first === null || first.capital || m.cased;
      const popTop = top.h.place.population;

      let evidence: number;
      if (first === null) evidence = popTop >= 100_000 ? 0.7 : 0.4;
      else if (!capital) evidence = 0.2;
      else if (first.sentenceStart) evidence = popTop >= 100_000 ? 0.5 : 0.35;
      else evidence = 0.6;
      if (seg.tag) evidence = Math.max(evidence, wholeTag ? 0.9 : 0.45);
      if (lead) evidence = Math.max(evidence, 0.8);
      else if (headline && first.sentenceStart) evidence = Math.max(evidence, 0.7);
      // Lower case after a one-letter word ("a van", "i need") is too weak to count as "in Portland".
      if (prep)
        evidence = Math.max(
          evidence,
          capital ? 0.85 : prev !== null && prev.key.length > 1 ? 0.55 : evidence,
        );
      if (sole) evidence = Math.max(evidence, capital ? 0.95 : 0.8);
      if (qualified) evidence = Math.max(evidence, 0.95);

      if (
        COMMON_WORDS.has(m.key) &&
        !qualified &&
        !(capital && (prep || sole) && popTop >= defaults.commonWordMin)
      )
        continue;
      // Single-word alternates of small towns are where GeoNames junk lives ("Area", "From").
      if (
        top.h.kind === NameKind.Alternate &&
        popTop < 100_000 &&
        !qualified &&
        !m.key.includes(' ')
      )
        evidence *= 0.5;

      let confidence = evidence * certainty;
      if (notHome && !home) confidence *= 0.3;
      results.push({
        place: top.h.place,
        evidence,
        confidence,
        home,
        textStart: m.textStart,
        textEnd,
      });
    }

    const accepted = new Map<number, Resolved>();
    for (const r of results) {
      if (r.confidence < threshold) continue;
      const had = accepted.get(r.place.id);
      if (!had || had.confidence < r.confidence) accepted.set(r.place.id, r);
    }
    let pick: Resolved | undefined;
    const all = [...accepted.values()];
    if (all.length === 1) pick = all[0];
    else if (all.length > 1) {
      const strong = all.filter((r) => r.evidence >= 0.8);
      const homes = all.filter((r) => r.home);
      if (strong.length === 1) pick = strong[0];
      else if (homes.length === 1) pick = homes[0];
    }
    if (!pick) return null;
    // A weak pick with another plausible city beside it is a coin toss: abstain.
    const chosen = pick;
    if (
      chosen.evidence < 0.8 &&
      results.some((r) => r.place.id !== chosen.place.id && r.evidence >= 0.5)
    )
      return null;
    return {
      place: toPublicPlace(pick.place),
      confidence: Math.round(pick.confidence * 1000) / 1000,
      matched: ext.text.slice(pick.textStart, pick.textEnd),
    };
  }

  return {
    threshold,
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

function adjacent(a: Mention, b: Mention, segs: Segment[]): boolean {
  if (a.start < 0 || b.start < 0) return a.seg === b.seg && b.textStart - a.textEnd <= 2;
  if (a.seg === b.seg) {
    const between = segs[a.seg]!.tokens.slice(a.end, b.start);
    return (
      between.length <= 1 && between.every((t) => t.kind === 'punct' && QUALIFIER_GLUE.has(t.text))
    );
  }
  // "#Portland #Oregon", "Portland #Oregon": the qualifier may be the next hashtag.
  return (
    b.seg === a.seg + 1 &&
    b.start === 0 &&
    a.end === segs[a.seg]!.tokens.length &&
    (segs[a.seg]!.tag !== null || segs[b.seg]!.tag !== null)
  );
}

function nearbyFlag(m: Mention, seg: Segment): Token | null {
  if (m.start < 0) return seg.tokens.find((t) => t.kind === 'flag') ?? null;
  for (let i = m.end; i < Math.min(seg.tokens.length, m.end + 4); i++) {
    const t = seg.tokens[i]!;
    if (t.kind === 'flag') return t;
    if (t.kind === 'word' && i > m.end + 2) break;
  }
  for (let i = m.start - 1; i >= Math.max(0, m.start - 2); i--) {
    const t = seg.tokens[i]!;
    if (t.kind === 'flag') return t;
  }
  return null;
}

// The name stands alone as a phrase: "Calgary. Go Flames!", "Vienna here, ...", "...: Antwerp".
function isHeadline(seg: Segment, textEnd: number): boolean {
  const after = seg.tokens.find(
    (t) => t.start >= textEnd && !(t.kind === 'word' && FILLER.has(t.key)),
  );
  return after === undefined || after.kind !== 'word';
}

function listed(a: Mention, b: Mention, segs: Segment[]): boolean {
  if (a.seg !== b.seg || a.start < 0 || b.start < 0) return false;
  const between = segs[a.seg]!.tokens.slice(a.end, b.start);
  const first = segs[b.seg]!.tokens[b.start]!;
  return (
    first.capital &&
    !COMMON_WORDS.has(b.key) &&
    between.length >= 1 &&
    between.length <= 2 &&
    between.every((t) => LIST_GLUE.has(t.key))
  );
}

function commaPair(a: Mention, b: Mention, segs: Segment[]): boolean {
  const between = segs[a.seg]!.tokens.slice(a.end, b.start);
  return between.length === 1 && between[0]!.text === ',';
}

// The two namesakes, one from each list, that lie together (the same place counts); null when none do.
function nearestPair(as: NameHit[], bs: NameHit[]): [NameHit, NameHit] | null {
  for (const a of as)
    for (const b of bs)
      if (
        Math.abs(a.place.lat - b.place.lat) + Math.abs(a.place.lng - b.place.lng) <=
        NEARBY_DEGREES
      )
        return [a, b];
  return null;
}
