// Stage 3: the role of each mention in its sentence, and how strongly the post says "I am here".
import { isEnglishWord } from './english-words.js';
import {
  COMMON_WORDS,
  FEATURE_NOUNS,
  FILLER,
  HOME,
  LOCATIVE,
  LOCATIVE_EN,
  LOCATIVE_OR_TO,
  NOT_HOME,
  PAST,
  STOPWORDS,
} from './cues.js';
import type { Extracted, Segment, Token } from './extract.js';
import { NameKind, RegionKind } from './gazetteer.js';
import type { GazetteerPlace, NameHit } from './gazetteer.js';
import { dedupe, rank, regionMatches } from './candidates.js';
import type { Hints } from './candidates.js';
import { defaults } from './locator-defaults.js';
import { LATIN_CUE_LANGUAGES, clauseRole } from './clause-cues.js';
import {
  ELSEWHERE,
  chainedRole,
  identityRole,
  isCueWord,
  roleAfter,
  lifeStageAfter,
  roleOf,
  sinceAfter,
  stillHereAfter,
  uprootedAfter,
  stayAfter,
  thenMoved,
} from './roles.js';
import type { Role, RoleCue } from './roles.js';
import type { Mention } from './mentions.js';

/** One mention read as a city, with how strongly the post says the author is there. */
export interface Resolved {
  place: GazetteerPlace;
  evidence: number;
  confidence: number;
  /** A home word governs it: "I live in", "based in", "wohne in". */
  home: boolean;
  /** Its role in the sentence, and the word that says so. */
  role: Role;
  cue: Token | null;
  /** Narrowed by a region, country or flag next to it ("Portland, Maine", "Lyon 🇫🇷"). */
  qualified: boolean;
  /** Read from a case form ("Tampereella", "z Krakowa"), not a name as written. */
  inflected?: boolean;
  textStart: number;
  textEnd: number;
}

// Words that join a list of cities: "Portland and Seattle", "London, Paris".
const LIST_GLUE = new Set(', & / + and or und oder et ou y o e en och og i и'.split(' '));
const NEGATION = new Set([
  'not',
  'no',
  'nicht',
  'kein',
  'pas',
  'nao',
  'non',
  'niet',
  'inte',
  'ikke',
]);
// "your flight", "their vacation", "his trip": a trip word after another person's possessive.
const OTHERS_TRIP = new Set([
  'your',
  'his',
  'her',
  'their',
  'dein',
  'deine',
  'ton',
  'ta',
  'tu',
  'seu',
  'sua',
]);
const ASCII_TEXT = /^[\t\n\r\x20-\x7e]*$/;
const ARROWS = new Set(['→', '➡', '⟶', '>', '»']);
/**
 * "desde la Patagonia", "the Black Forest": a name after an article that is not part of it is a
 * region or a landscape, not a town (towns whose name holds the article match it whole: "La Paz",
 * "The Hague").
 */
const ARTICLES = new Set([
  'the',
  'la',
  'el',
  'los',
  'las',
  'le',
  'les',
  'il',
  'lo',
  'gli',
  'die',
  'der',
]);
const QUALIFIER_GLUE = new Set([',', '(', '-', '–', '/', '·', ':']);

/** Whether the post says the author is somewhere else than this place (a trip, a plan, a relative). */
export const isElsewhere = (r: Resolved): boolean => ELSEWHERE.has(r.role);

/**
 * Each city mention read in its sentence; null when the post lists several home cities
 * ("Portland and Seattle"), which is no one pin.
 */
export function readMentions(
  ext: Extracted,
  mentions: Mention[],
  hints: Hints,
  lang: string,
): Resolved[] | null {
  const segs = ext.segments;
  const covered = new Set<Token>();
  for (const m of mentions) {
    if (m.start >= 0) for (let i = m.start; i < m.end; i++) covered.add(segs[m.seg]!.tokens[i]!);
    else
      for (const t of segs[m.seg]!.tokens)
        if (t.start <= m.textStart && t.end >= m.textEnd) covered.add(t);
  }
  // Tokens of real names (not "from", which GeoNames lists as an old name of Frome).
  const names = new Set<Token>();
  // Lower-case words GeoNames knows as towns ("lives", "set", "going") are no name here.
  for (const m of mentions)
    if (
      m.start >= 0 &&
      (m.cased || !STOPWORDS.has(m.key)) &&
      (m.cased || segs[m.seg]!.tag !== null || !isCueWord(m.key)) &&
      (m.cased || segs[m.seg]!.tag !== null || segs[m.seg]!.tokens[m.start]!.capital)
    )
      for (let i = m.start; i < m.end; i++) names.add(segs[m.seg]!.tokens[i]!);
  // Each name's role; a trip word that is another name's cue ("from Bilbao, visiting Donostia")
  // says nothing about the rest of the post.
  const roles = mentions.map((m): RoleCue => {
    if (m.start < 0) return { role: 'none', cue: null };
    // "I'm a Chicagoan": the author's town.
    if (m.demonym)
      return { role: uprootedAfter(segs, m.seg, m.end) ? 'past' : 'home', cue: m.demonym };
    if (m.suffix) {
      const ending = m.suffix.key.split(' ').pop()!;
      const here =
        ending === 'based' ||
        ending === 'native' ||
        ending === 'settled' ||
        stillHereAfter(segs, m.seg, m.end);
      return { role: here ? 'home' : 'past', cue: m.suffix };
    }
    // "#Hoboken is where I sleep": a clause after the name that says what it is decides.
    const later = roleAfter(segs, m.seg, m.end);
    if (later && later.role !== 'home') return later;
    const r = roleOf(segs, m.seg, m.start, lang === 'en' ? LOCATIVE_EN : LOCATIVE, names);
    // "Both kids are at uni in Christchurch now": someone else's place, whatever "now" says.
    if (later && r.role !== 'other') return later;
    // "We're a Valencia band": what the author is.
    if (r.role === 'none' || r.role === 'locative') {
      const self = identityRole(segs, m.seg, m.start, m.end) ?? lifeStageAfter(segs, m.seg, m.end);
      if (self) return self;
    }
    // "Hobart since August", "in Kyoto for a week": the stay after the name, when nothing before
    // it gave the name a role.
    if (r.role === 'none' || r.role === 'locative') {
      const stay = stayAfter(segs, m.seg, m.end);
      if (stay) return stay;
    }
    // "lived in Milwaukee since 2015": still there.
    if (r.role === 'past' && r.cue?.key === 'lived') {
      const since = sinceAfter(segs, m.seg, m.end);
      if (since) return since;
    }
    // "the studio is in Nottingham where I live": the author's own "where I live" after the name
    // outweighs a workplace word before it.
    if (r.role === 'work' || r.role === 'near') {
      const stay = stayAfter(segs, m.seg, m.end);
      if (stay?.role === 'home') return stay;
    }
    // "Tampereella": the case ending itself says "in".
    return m.inflected && r.role === 'none' ? { role: 'locative', cue: null } : r;
  });
  // "I live in Tulsa — well, Broken Arrow technically": the name the author corrects to is home,
  // the names before it are not where they are.
  mentions.forEach((m, k) => {
    if (m.start < 0) return;
    // The nearest real name before it ("Lincoln… no sorry, Omaha"), not a word GeoNames knows.
    let prev: Mention | undefined;
    for (let j = k - 1; j >= 0 && !prev; j--) {
      const p = mentions[j]!;
      if (p.start >= 0 && p.cities.length > 0 && names.has(segs[p.seg]!.tokens[p.start]!)) prev = p;
    }
    const cue = correctionOf(
      segs,
      m,
      names.has(segs[m.seg]!.tokens[m.start]!) && !(lang === 'pt' || lang === 'gl')
        ? prev
        : undefined,
    );
    if (!cue) return;
    roles[k] = { role: 'home', cue };
    for (let j = 0; j < k; j++) {
      const before = roles[j]!;
      if (mentions[j]!.start >= 0 && !ELSEWHERE.has(before.role))
        roles[j] = { role: 'negated', cue };
    }
  });
  // What roleOf's word lists cannot read (unspaced scripts, a verb after the name, scripts that
  // fold badly): the cues of clause-cues.ts, in the raw text between the neighbouring names.
  const named = mentions.filter(
    (m) => m.start < 0 || names.has(segs[m.seg]!.tokens[m.start]!) || m.inflected === true,
  );
  const fromClause = new Set<number>();
  // Their Latin-script cues are Turkish, Swahili, Indonesian and Vietnamese: an ASCII post in
  // another language has nothing for them to read.
  const clauses = !ASCII_TEXT.test(ext.text) || lang === '' || LATIN_CUE_LANGUAGES.has(lang);
  mentions.forEach((m, k) => {
    const r = roles[k]!;
    if (!clauses || (r.role !== 'none' && r.role !== 'locative')) return;
    const toks = segs[m.seg]!.tokens;
    let from = toks[0]?.start ?? m.textStart;
    let to = toks[toks.length - 1]?.end ?? m.textEnd;
    for (const o of named) {
      if (o === m || o.seg !== m.seg) continue;
      // "住在江西抚州": the province right before the town is its qualifier, not another name.
      if (o.isRegion && (o.textEnd === m.textStart || o.textStart === m.textEnd)) continue;
      if (o.textEnd <= m.textStart && o.textEnd > from) from = o.textEnd;
      if (o.textStart >= m.textEnd && o.textStart < to) to = o.textStart;
    }
    const c = clauseRole(ext.text, m.textStart, m.textEnd, from, to);
    if (c && !(c.role === 'locative' && r.role === 'locative')) {
      roles[k] = c;
      fromClause.add(k);
    }
  });
  for (let k = 1; k < mentions.length; k++) {
    const a = mentions[k - 1]!;
    const b = mentions[k]!;
    if (
      (roles[k]!.role !== 'none' && roles[k]!.role !== 'locative') ||
      a.seg !== b.seg ||
      a.start < 0 ||
      b.start < 0
    )
      continue;
    const between = segs[b.seg]!.tokens.slice(a.end, b.start);
    // "Lviv → Berlin": from the first to the second, where the author is now.
    if (between.length === 1 && ARROWS.has(between[0]!.text)) {
      roles[k - 1] = { role: 'past', cue: between[0]! };
      roles[k] = { role: 'home', cue: between[0]! };
      continue;
    }
    // "moved from Atlanta to Asheville in 2019, then to Knoxville": the later move is home.
    if (thenMoved(roles[k - 1]!, between)) {
      roles[k] = roles[k - 1]!;
      roles[k - 1] = { role: 'past', cue: roles[k - 1]!.cue };
      continue;
    }
    const chained = chainedRole(roles[k - 1]!, between);
    if (chained) roles[k] = chained;
  }
  // A trip word says nothing about the other names when some name is the trip's.
  // (A lower-case word GeoNames knows is no such name: "on a 14 hour layover" is no trip to Hour.)
  const explained = roles.some(
    (r, k) =>
      ELSEWHERE.has(r.role) &&
      (mentions[k]!.start < 0 || names.has(segs[mentions[k]!.seg]!.tokens[mentions[k]!.start]!)),
  );
  let otherWords = 0;
  let notHome = false;
  let firstWord: Token | null = null;
  let before: Token | null = null;
  for (const seg of segs) {
    for (const [i, t] of seg.tokens.entries()) {
      if (t.kind !== 'word') continue;
      if (!seg.tag && !firstWord) firstWord = t;
      // "not visiting": a trip word denied; "you missed your flight": someone else's trip.
      if (
        NOT_HOME.has(t.key) &&
        !explained &&
        !NEGATION.has(before?.key ?? '') &&
        !OTHERS_TRIP.has(before?.key ?? '') &&
        // "never been to", "never lived in": not "the season never ends", "the wind never stops"
        (t.key !== 'never' || NEVER_WHERE.has(seg.tokens[i + 1]?.key ?? ''))
      )
        notHome = true;
      before = t;
      if (!seg.tag && !covered.has(t) && !FILLER.has(t.key)) otherWords++;
    }
  }
  // The author writes without capitals: no capital letter in the post's words (hashtags aside).
  let lowerWords = 0;
  let upper = false;
  for (const seg of segs)
    if (!seg.tag)
      for (const t of seg.tokens)
        if (t.kind === 'word') {
          if (UPPER_LETTER.test(t.text)) upper = true;
          else if (LOWER_LETTER.test(t.text)) lowerWords++;
        }
  const lowerPost = (lang === '' || lang === 'en') && !upper && lowerWords >= 4;
  let cityMentions = 0;
  for (const m of mentions) if (!m.isRegion) cityMentions++;
  const sole = otherWords === 0 && cityMentions === 1;
  // Names with a city reading written as names (not lower-case words GeoNames knows).
  let namedCities = 0;
  for (const m of mentions)
    if (
      !m.isRegion &&
      m.cities.length > 0 &&
      m.start >= 0 &&
      names.has(segs[m.seg]!.tokens[m.start]!)
    )
      namedCities++;

  // "across the river from Boston", "near DC": landmarks, each its likeliest place.
  const isName = (m: Mention): boolean =>
    m.start < 0 || names.has(segs[m.seg]!.tokens[m.start]!) || m.inflected === true;
  const landmarks: GazetteerPlace[] = [];
  mentions.forEach((m, k) => {
    if (roles[k]!.role === 'near' && m.cities.length > 0 && isName(m))
      landmarks.push(
        m.cities.reduce((a, h) => (h.place.population > a.place.population ? h : a)).place,
      );
  });
  // "touring Madrid, Bilbao and Zaragoza … a Valencia band": when two or more of a post's other
  // names clearly lie in one country, a name with namesakes is likelier to lie there too. (One is
  // not enough: "Vancouver … a warehouse in Seattle".)
  // Capitalised names with a city reading; fewer than three and no name has two others to agree.
  const readable = (m: Mention): boolean =>
    m.cities.length > 0 &&
    !m.isRegion &&
    isName(m) &&
    (m.start < 0 || m.cased || segs[m.seg]!.tokens[m.start]!.capital);
  let readables = 0;
  for (const m of mentions) if (readable(m)) readables++;
  const clear =
    readables < 3
      ? null
      : mentions.map((m) => {
          if (!readable(m)) return null;
          const r = rank(dedupe(m.cities), hints);
          return r.certainty >= defaults.clearReading ? r.top.place.country : null;
        });
  const hintsFor = (k: number): Hints => {
    if (clear === null) return hints;
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    clear.forEach((c, j) => {
      const key = `${c}|${mentions[j]!.key}`;
      if (c === null || j === k || seen.has(key) || mentions[j]!.key === mentions[k]!.key) return;
      seen.add(key);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    });
    const [country] = [...counts].find(([, n]) => n >= 2) ?? [];
    return country ? { ...hints, mentioned: country } : hints;
  };
  const results: Resolved[] = [];
  let homeList = false;
  const inList = new Set<number>();
  const used = new Set<Mention>();
  for (let k = 0; k < mentions.length; k++) {
    const m = mentions[k]!;
    if (used.has(m) || m.cities.length === 0 || m.regions.some((r) => r.kind === RegionKind.Area))
      continue;
    if (!m.cased && STOPWORDS.has(m.key)) continue;
    const seg = segs[m.seg]!;
    // "Time zone America/Chicago": a time zone's city says nothing of where the author is.
    if (
      m.start >= 2 &&
      seg.tokens[m.start - 1]!.text === '/' &&
      TIME_ZONE_AREAS.has(seg.tokens[m.start - 2]!.key)
    )
      continue;
    let candidates = dedupe(m.cities);
    // "我住在云南的一个小山村": in a Chinese post, Han characters that are only a Japanese town's name
    // ("小山" is Oyama, and "a small mountain") are the words, unless the town is a big city (东京).
    if (lang === 'zh' && (m.start < 0 || seg.tokens[m.start]!.unspaced)) {
      candidates = candidates.filter(
        (h) => h.place.country !== 'JP' || h.place.population >= defaults.hanJapanMin,
      );
      if (candidates.length === 0) continue;
    }
    let textEnd = m.textEnd;
    let qualified = false;

    const next = mentions[k + 1];
    const beside = next !== undefined && adjacent(m, next, segs);
    // "Halifax in West Yorkshire", "Sudbury in Suffolk": "in" before a region that holds one of
    // the name's namesakes qualifies it as a comma does (and names nothing else when none is there).
    if (next && next.regions.length > 0 && (beside || within(m, next, segs))) {
      const matching = candidates.filter((h) =>
        next.regions.some((r) => regionMatches(r, h.place)),
      );
      if (matching.length > 0) {
        candidates = matching;
        qualified = true;
        textEnd = next.textEnd;
        used.add(next);
      } else if (
        beside &&
        next.isRegion &&
        // written as a name: "Reykjavik, northern lights tonight" names no northern province
        (next.cased ||
          next.start < 0 ||
          segs[next.seg]!.tag !== null ||
          segs[next.seg]!.tokens[next.start]!.capital) &&
        next.regions.every(
          (r) =>
            r.kind === RegionKind.Admin1 ||
            // "Recife, PE" is Pernambuco, which GeoNames codes 30, not Peru: a two-letter code
            // that is only a country's says too little to rule the name out.
            (r.kind === RegionKind.Country && next.textEnd - next.textStart > 3),
        )
      ) {
        // "Sunshine Coast, BC": a place in that state or country the gazetteer lacks, not a namesake elsewhere.
        used.add(next);
        continue;
      }
    }
    // "Portland and Seattle", "London, Paris, Rome": several home cities, so no one pin.
    if (
      !qualified &&
      next &&
      !next.isRegion &&
      next.cities.length > 0 &&
      // "Leeds born, Leeds bred": one name twice is no list of homes, nor is a lower-case word
      // GeoNames knows ("born" is a Dutch town) before a name
      next.key !== m.key &&
      isName(m) &&
      listed(m, next, segs) &&
      !STOPWORDS.has(next.key)
    ) {
      // "NYC, Queens", "Queens, NYC": a place inside the other narrows it; the pin is the bigger one.
      // Only the first name's likeliest place counts: "Berlin, Hamburg" has US namesakes side by side.
      const likeliest = candidates.reduce((a, b) =>
        b.place.population > a.place.population ? b : a,
      );
      // "Bolzano/Bozen", "Biel/Bienne": one town's names in two languages, joined by a slash.
      const pair = commaPair(m, next, segs)
        ? nearestPair([likeliest], dedupe(next.cities))
        : slashPair(m, next, segs)
          ? samePlace(candidates, dedupe(next.cities))
          : null;
      if (!pair) {
        // A list of trips or relatives' places ("work in Basel und Zürich") says nothing about
        // home; beside a named home it is no rival either. Otherwise: several homes, no one pin.
        // "I've lived in Paris, Rome and Vienna": a home word before a list is no one home.
        if (!ELSEWHERE.has(roles[k]!.role) && !roles.some((r, j) => r.role === 'home' && j !== k)) {
          homeList = true;
          inList.add(m.textStart).add(next.textStart);
        }
        // "Brooklyn-born, Philadelphia-based": the next name has a role of its own.
        const own = roles[k + 1]!.role;
        if (own !== 'home' && own !== 'locative') used.add(next);
        continue;
      }
      candidates = [pair[0].place.population >= pair[1].place.population ? pair[0] : pair[1]];
      qualified = true;
      textEnd = next.textEnd;
      used.add(next);
    }
    const article = m.start > 0 ? seg.tokens[m.start - 1]! : null;
    if (
      article !== null &&
      article.kind === 'word' &&
      (!article.capital || article.sentenceStart) &&
      ARTICLES.has(article.key) &&
      !candidates.some((h) => h.kind === NameKind.Alias)
    )
      continue;
    // "Table Mountain", "Hyde Park", "Union Station": a place noun after a capitalised word is the
    // head of a landmark's name, not a town called Mountain or Park.
    if (
      article !== null &&
      article.kind === 'word' &&
      article.capital &&
      article.key.length > 1 &&
      !m.cased &&
      m.end - m.start === 1 &&
      FEATURE_NOUNS.has(m.key)
    )
      continue;
    // "Upstate New York", "Northern California": an area word makes the name an area.
    const area = mentions[k - 1];
    if (
      area?.regions.some((r) => r.kind === RegionKind.Area) &&
      area.seg === m.seg &&
      area.end === m.start
    )
      continue;
    // A name that is also a region ("Victoria", "Washington") is the city only when qualified.
    if (m.isRegion && !qualified) continue;
    // "Cambridge, right across the river from Boston": the namesake beside the landmark.
    if (!qualified && landmarks.length > 0 && roles[k]!.role !== 'near' && isName(m)) {
      const beside = candidates.filter((h) =>
        landmarks.some(
          (p) =>
            p.id !== h.place.id &&
            Math.abs(p.lat - h.place.lat) + Math.abs(p.lng - h.place.lng) <= defaults.nearbyDegrees,
        ),
      );
      if (beside.length > 0 && beside.length < candidates.length) {
        candidates = beside;
        qualified = true;
      }
    }
    const flag = nearbyFlag(m, seg);
    // "the banks of the Tay 🏴": a flag qualifies a name, not a lower-case word GeoNames knows.
    if (flag && (m.start < 0 || m.cased || seg.tokens[m.start]!.capital)) {
      const matching = candidates.filter((h) => h.place.country === flag.key);
      if (matching.length > 0) {
        candidates = matching;
        qualified = true;
        if (flag.start > textEnd) textEnd = flag.end;
      }
    }

    const { top, certainty } = rank(candidates, hintsFor(k));
    const first = m.start >= 0 ? seg.tokens[m.start]! : null;
    const prev = wordBefore(segs, m, 1);
    const prev2 = wordBefore(segs, m, 2);
    const prev3 = wordBefore(segs, m, 3);
    // One-letter prepositions ("a Roma", "w Gdańsku") read as articles in English: "a Brussels waffle".
    const prep =
      m.inflected === true ||
      (prev !== null && LOCATIVE.has(prev.key) && (prev.key.length > 1 || lang !== 'en'));
    let { role, cue } = roles[k]!;
    const home =
      role === 'home' ||
      (prev !== null && (HOME.has(prev.key) || (prep && prev2 !== null && HOME.has(prev2.key))));
    // "originally from Winnipeg", "born in Lagos": where someone was, not where they are.
    if (
      !home &&
      ((prev !== null && PAST.has(prev.key)) ||
        (prev2 !== null && PAST.has(prev2.key)) ||
        (prev3 !== null && PAST.has(prev3.key)))
    ) {
      role = 'past';
      cue ??= prev;
    }
    const wholeTag = seg.tag !== null && m.start === 0 && m.end === seg.tokens.length;
    // A lower-case word standing alone ("the Midwest!! corn, kindness") is no headline.
    const headline =
      first !== null && (first.capital || m.cased) && isHeadline(seg, m.start, textEnd);
    const lead = headline && first === firstWord;
    // "Chilliwack. Parents are in Abbotsford…", "Yokohama. Office in Shibuya…", "Evanston here.":
    // a name that is the post's whole first sentence is where the author is.
    // Not a greeting or a word that GeoNames knows as a hamlet ("Allô!", "Rain. Again."), nor in a
    // post that speaks of a trip ("Denver. Loving this vacation").
    if (
      lead &&
      role === 'none' &&
      !notHome &&
      leadSentence(seg, textEnd) &&
      top.place.population >= defaults.profileMinPopulation &&
      !STOPWORDS.has(m.key) &&
      !isEnglishWord(m.key)
    )
      role = 'home';
    const popTop = top.place.population;
    const big = popTop >= defaults.bigTown;
    // A big town's name that is no word of any list: read as a name when written in lower case
    // in the two cases below.
    const plainBigName =
      big && !COMMON_WORDS.has(m.key) && !STOPWORDS.has(m.key) && !isEnglishWord(m.key);
    // "moved to thunderbay last fall", "lodz is underrated!!": in a post written all in lower
    // case, a big town's name that is no English word is as good as capitalised.
    const capital =
      first === null ||
      first.capital ||
      m.cased ||
      (lowerPost && plainBigName && role !== 'home' && !beforeNoun(seg, m.end)) ||
      // "zurich, banker by day", "poznan! goats on the town hall clock": a big town's name in
      // lower case that opens the post and closes its phrase, in any English post.
      ((lang === '' || lang === 'en') &&
        first === firstWord &&
        plainBigName &&
        closesPhrase(seg, m.end));

    let evidence: number;
    if (first === null) evidence = big ? defaults.unspacedBig : defaults.unspacedSmall;
    else if (!capital) evidence = defaults.lowerCase;
    else if (first.sentenceStart)
      evidence = big ? defaults.sentenceStartBig : defaults.sentenceStartSmall;
    else evidence = defaults.midSentence;
    if (seg.tag) evidence = Math.max(evidence, wholeTag ? defaults.wholeTag : defaults.partTag);
    if (lead) evidence = Math.max(evidence, defaults.lead);
    // "#YourTurn Reykjavík, …" is the campaign's own form: a big town's name that opens the post
    // (the campaign tag aside), when the post names no other city, is as good as a headline.
    else if (
      first === firstWord &&
      capital &&
      big &&
      // (a lower-case name read as capitalised is not among the names counted)
      (namedCities === 1 || (namedCities === 0 && first !== null && !names.has(first))) &&
      !seg.tag &&
      !COMMON_WORDS.has(m.key) &&
      !isEnglishWord(m.key) &&
      // "#YourTurn Lincoln would have loved this": a person.
      !PERSON_VERBS.has(seg.tokens[m.end]?.key ?? '')
    )
      evidence = Math.max(evidence, defaults.lead);
    else if (headline && first.sentenceStart) evidence = Math.max(evidence, defaults.headline);
    // Lower case after a one-letter word ("a van", "i need") is too weak to count as "in Portland".
    if (prep)
      evidence = Math.max(
        evidence,
        capital
          ? defaults.locativeCapital
          : prev !== null &&
              prev.key.length > 1 &&
              popTop >= defaults.lowerLocativeMin &&
              // "fã de pinhão", "fan di basilico": after the Romance "of", a lower-case word is a
              // town only when a big one ("soy de madrid")
              !(ROMANCE_OF.has(prev.key) && ROMANCE.has(lang) && !big)
            ? defaults.locativeLower
            : evidence,
      );
    if (sole) evidence = Math.max(evidence, capital ? defaults.soleCapital : defaults.soleLower);
    if (qualified) evidence = Math.max(evidence, defaults.qualified);
    // "I live in", "moved to", "based in": the author says so.
    if ((role === 'home' || (role === 'locative' && fromClause.has(k))) && capital)
      evidence = Math.max(evidence, defaults.locativeCapital);
    // "live in cleveland now": a home verb makes a lower-case name the author's place too.
    if (
      role === 'home' &&
      !capital &&
      prev !== null &&
      prev.key.length > 1 &&
      LOCATIVE_OR_TO.has(prev.key) &&
      !COMMON_WORDS.has(m.key) &&
      popTop >= defaults.bigTown
    )
      evidence = Math.max(evidence, defaults.homeLower);

    // "Bor i Malmö", "Used to live in": a word that gives another name its role is no town here.
    if (!m.cased && !seg.tag && !qualified && !prep && isCueWord(m.key)) continue;
    if (
      COMMON_WORDS.has(m.key) &&
      !qualified &&
      !(capital && (prep || sole) && popTop >= defaults.commonWordMin) &&
      // "J'habite à Orange": after "in", a town of the post's own language's country is no word.
      !(capital && prep && hints.homeLanguage === top.place.country) &&
      // "Phoenix, hot as ever": a common word that opens the post alone names a city this big.
      !(lead && popTop >= defaults.commonWordLeadMin)
    )
      continue;
    // "Rain. Again.": in an English post, a common English word with no cue, naming a small town,
    // is the word (SCOWL, the list english-words.ts reads).
    if (
      (lang === '' || lang === 'en') &&
      !qualified &&
      !prep &&
      !sole &&
      !seg.tag &&
      role === 'none' &&
      popTop < defaults.bigTown &&
      !m.key.includes(' ') &&
      isEnglishWord(m.key)
    )
      continue;
    // "Gold rush town": an English word that is only a big town's alternate ("Gold" for Gold
    // Coast), with nothing to say it is a place, is the word.
    if (
      (lang === '' || lang === 'en') &&
      top.kind === NameKind.Alternate &&
      !qualified &&
      !prep &&
      !seg.tag &&
      role === 'none' &&
      !m.key.includes(' ') &&
      isEnglishWord(m.key)
    )
      continue;
    // Single-word alternates of small towns are where GeoNames junk lives ("Area", "From"); not
    // a capitalised name a home verb governs ("settled in Galway": GeoNames' primary is Gaillimh).
    if (
      top.kind === NameKind.Alternate &&
      !big &&
      !qualified &&
      !m.key.includes(' ') &&
      !(role === 'home' && capital)
    )
      evidence *= defaults.junkAlternateFactor;

    let confidence = evidence * certainty;
    if (notHome && !home) confidence *= defaults.tripFactor;
    results.push({
      place: top.place,
      evidence,
      confidence,
      home,
      role,
      cue,
      qualified,
      ...(m.inflected ? { inflected: true } : {}),
      textStart: m.textStart,
      textEnd,
    });
  }
  // A list of homes ("Portland and Seattle") is no one pin, unless another name in the post
  // stands out on its own ("Sydney 🇦🇺 … ferry to Manly, Opera House").
  if (
    homeList &&
    !results.some(
      (r) => r.evidence >= defaults.strongEvidence && !isElsewhere(r) && !inList.has(r.textStart),
    )
  )
    return null;
  return results;
}

// The n-th word before a mention, across a hashtag boundary ("from #Portland"); null at a non-word.
function wordBefore(segs: Segment[], m: Mention, back: number): Token | null {
  let seg = m.seg;
  let i = m.start - 1;
  for (let n = 0; ;) {
    const toks = segs[seg]!.tokens;
    if (i < 0) {
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
}

function adjacent(a: Mention, b: Mention, segs: Segment[]): boolean {
  if (a.start < 0 || b.start < 0) return a.seg === b.seg && b.textStart - a.textEnd <= 2;
  if (a.seg === b.seg) {
    const between = segs[a.seg]!.tokens.slice(a.end, b.start);
    return (
      between.length <= 1 && between.every((t) => t.kind === 'punct' && QUALIFIER_GLUE.has(t.text))
    );
  }
  // "#Portland #Oregon", "Portland #Oregon", "Baton Rouge, #LA": the qualifier may be the next hashtag.
  const toks = segs[a.seg]!.tokens;
  const glue = toks[a.end];
  return (
    b.seg === a.seg + 1 &&
    b.start === 0 &&
    (a.end === toks.length ||
      (a.end === toks.length - 1 && glue!.kind === 'punct' && QUALIFIER_GLUE.has(glue!.text))) &&
    (segs[a.seg]!.tag !== null || segs[b.seg]!.tag !== null)
  );
}

/** A name that ends its phrase: punctuation after it, or "is" ("lodz is underrated"). */
function closesPhrase(seg: Segment, end: number): boolean {
  const t = seg.tokens[end];
  return t === undefined || t.kind === 'punct' || t.key === 'is';
}

// The Romance "of / from", and the languages it is written in: after it a lower-case word is
// mostly a thing ("fã de pinhão"), not a town.
const ROMANCE_OF = new Set(['de', 'di', 'da', 'do', 'du', 'des', 'del', 'dos', 'das']);
const ROMANCE = new Set(['es', 'pt', 'fr', 'it', 'ca', 'gl', 'ro', 'oc']);

// What "never" must be followed by to say a place is not home ("never been to Lisbon").
const NEVER_WHERE = new Set([
  'been',
  'visited',
  'lived',
  'seen',
  'gone',
  'went',
  'moved',
  'left',
  'go',
  'heard',
  'looked',
]);

/** "bombay bicycle club": a lower-case word after the name that is no function word makes a compound. */
function beforeNoun(seg: Segment, end: number): boolean {
  const t = seg.tokens[end];
  return t?.kind === 'word' && !STOPWORDS.has(t.key) && !isCueWord(t.key);
}

const PERSON_VERBS = new Set([
  'would',
  'will',
  'could',
  'should',
  'said',
  'says',
  'was',
  'had',
  'wrote',
]);
const UPPER_LETTER = /\p{Lu}/u;
const LOWER_LETTER = /\p{Ll}/u;

// The areas of IANA time zone names ("Europe/Berlin", "America/Argentina/Cordoba").
const TIME_ZONE_AREAS = new Set([
  'africa',
  'america',
  'antarctica',
  'asia',
  'atlantic',
  'australia',
  'europe',
  'indian',
  'pacific',
  'argentina',
  'indiana',
  'kentucky',
  'north dakota',
]);

// "in" between a name and a region: "Halifax in West Yorkshire", "Córdoba en Veracruz".
const WITHIN = new Set(['in', 'en', 'im', 'em', 'no', 'na', 'nel', 'nella', 'dans']);
function within(a: Mention, b: Mention, segs: Segment[]): boolean {
  if (a.start < 0 || b.start < 0 || a.seg !== b.seg || b.start !== a.end + 1) return false;
  const t = segs[a.seg]!.tokens[a.end]!;
  return t.kind === 'word' && WITHIN.has(t.key);
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
// What ends a one-name first sentence: "Stirling. Castle on one hill…", "Ludwigsburg: Schloss…".
const SENTENCE_END = new Set(['.', ':', '—', '–']);
function leadSentence(seg: Segment, textEnd: number): boolean {
  for (const t of seg.tokens) {
    if (t.start < textEnd || (t.kind === 'word' && FILLER.has(t.key))) continue;
    return t.kind === 'punct' && SENTENCE_END.has(t.text);
  }
  return false;
}

function isHeadline(seg: Segment, from: number, textEnd: number): boolean {
  // Start at the name, not at the start of the line: a 100 KB post has one long line.
  for (let i = Math.max(0, from); i < seg.tokens.length; i++) {
    const t = seg.tokens[i]!;
    if (t.start < textEnd || (t.kind === 'word' && FILLER.has(t.key))) continue;
    return t.kind !== 'word';
  }
  return true;
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

function slashPair(a: Mention, b: Mention, segs: Segment[]): boolean {
  const between = segs[a.seg]!.tokens.slice(a.end, b.start);
  return between.length === 1 && between[0]!.text === '/';
}

// The one place both names are GeoNames names of, if any.
function samePlace(as: NameHit[], bs: NameHit[]): [NameHit, NameHit] | null {
  for (const a of as) {
    const b = bs.find((h) => h.place.id === a.place.id);
    if (b) return [a, b];
  }
  return null;
}

// The two namesakes, one from each list, that lie together (the same place counts); null when none do.
function nearestPair(as: NameHit[], bs: NameHit[]): [NameHit, NameHit] | null {
  for (const a of as)
    for (const b of bs)
      if (
        Math.abs(a.place.lat - b.place.lat) + Math.abs(a.place.lng - b.place.lng) <=
        defaults.nearbyDegrees
      )
        return [a, b];
  return null;
}

// "Tulsa — well, Broken Arrow technically", "Richland? No — Kennewick. Well, Pasco actually".
// Not "specifically": "NYC, Brooklyn specifically" narrows to a borough, whose city is the pin.
const CORRECTED_AFTER = new Set(['technically', 'actually', 'precisely', 'strictly']);
const CORRECTING = new Set(['well', 'rather']);
const DASHES = new Set(['—', '–', '-']);

// "Lincoln... no sorry, Omaha", "Ljubljana... no, Maribor", "medicine hat— wait. no. hello from
// lethbridge", "w Lwowie—nie, w Wilnie": a word that takes back what was just said. (Not in
// Portuguese or Galician, where "no" is "in the": "Moro em Lagos, no Algarve".)
const RETRACTING = new Set([
  'no',
  'nope',
  'wait',
  'sorry',
  'oops',
  'scratch',
  'nie',
  'nein',
  'non',
  'nao',
  'нет',
  'ні',
]);

/**
 * A retraction between the name before and this one ("X… no, Y"): right after punctuation, at
 * most two words after X, and at most three words before Y. Returns the retracting word or null.
 */
function retractionBefore(segs: Segment[], prev: Mention | undefined, m: Mention): Token | null {
  if (!prev || prev.start < 0 || prev.seg !== m.seg || prev.end > m.start) return null;
  const between = segs[m.seg]!.tokens.slice(prev.end, m.start);
  const words = between.filter((t) => t.kind === 'word');
  const at = words.findIndex((t) => RETRACTING.has(t.key));
  if (at < 0 || words.length - 1 - at > 3) return null;
  const word = words[at]!;
  const i = between.indexOf(word);
  // "…assumes I live in York because that's where the office is. Nope, Harrogate.": a sentence
  // that opens with the retraction and names the town next, however far the first name was.
  const opens = between[i - 1]?.kind === 'punct' && CLAUSE_END_MARKS.has(between[i - 1]!.text);
  if (at > 2 && !(opens && words.length - 1 - at === 0)) return null;
  // "Sorry Sydney, we were first": a word right before the name speaks to it.
  if (i === between.length - 1 || between[i - 1]?.kind !== 'punct') return null;
  // "Kiev — sorry, Kyiv", "Torino! Sorry, Turin": the same place, spelt again.
  if (m.cities.some((h) => prev.cities.some((p) => p.place.id === h.place.id))) return null;
  return word;
}

const CLAUSE_END_MARKS = new Set(['.', '!', '?', '…']);

/** The word that makes a name a correction of the names before it, or null. */
function correctionOf(segs: Segment[], m: Mention, prev?: Mention): Token | null {
  const retracted = m.isRegion || m.cities.length === 0 ? null : retractionBefore(segs, prev, m);
  if (retracted) return retracted;
  const toks = segs[m.seg]!.tokens;
  const after = toks.slice(m.end).find((t) => t.kind === 'word');
  // "Broken Arrow technically", "Hove, actually."
  const glued = after === toks[m.end] || (after === toks[m.end + 1] && toks[m.end]!.text === ',');
  if (after && glued && CORRECTED_AFTER.has(after.key)) return after;
  // "— well, X" / "— or rather X": the word before, after a dash.
  let i = m.start - 1;
  while (i >= 0 && toks[i]!.kind === 'punct' && toks[i]!.text === ',') i--;
  const word = toks[i];
  if (!word || word.kind !== 'word' || !CORRECTING.has(word.key)) return null;
  let d = i - 1;
  if (toks[d]?.key === 'or') d--;
  return toks[d]?.kind === 'punct' && DASHES.has(toks[d]!.text) ? word : null;
}
