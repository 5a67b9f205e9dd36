// Stage 1: find the spans of a post (its text, hashtags, or a profile field) that name a place.
import { FEATURE_NOUNS, LOCATIVE } from './cues.js';
import { isEnglishWord } from './english-words.js';
import type { Extracted, Token } from './extract.js';
import { foldName, foldTag } from './fold.js';
import {
  SLAVIC,
  adjectiveNounForms,
  hasLocativeSuffixes,
  hyphenatedForms,
  hasScriptAffixes,
  scriptForms,
  unmutatedForms,
} from './inflection.js';
import { NameKind, RegionKind, localCodeKey } from './gazetteer.js';
import type { Gazetteer, NameHit } from './gazetteer.js';
import {
  classify,
  firstStemTowns,
  indexReach,
  lookupInflected,
  lookupWords,
  stemTowns,
} from './candidates.js';
import type { Mention } from './candidates.js';
import { LANGUAGE_COUNTRIES, defaults } from './locator-defaults.js';

export type { Mention } from './candidates.js';

/** Endings that make a name's role: "-based" is home, "-born" and "-raised" are the past. */
export const SUFFIX_ROLES = new Set(['based', 'born', 'raised', 'bred', 'native', 'settled']);
const CYRILLIC = /\p{Script=Cyrillic}/u;
export const isParen = (t: Token): boolean =>
  t.kind === 'punct' && (t.text === '(' || t.text === ')');

/** Every place mention in reading order, longest name first at each position. */
export function findMentions(gazetteer: Gazetteer, ext: Extracted, lang = ''): Mention[] {
  if (lang === 'ga' || lang === 'cy') unmutate(gazetteer, ext, lang);
  // The country of the post's language, when its names take case endings ("Elan Tartus").
  const caseHome = hasLocativeSuffixes(lang) ? LANGUAGE_COUNTRIES[lang]?.[0] : undefined;
  const out: Mention[] = [];
  ext.segments.forEach((seg, s) => {
    if (out.length >= defaults.maxMentions) return;
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
      // "#PDX", "#BCN": city codes from GeoNames, as written in capitals.
      // "#Muc", "#Bog" too, when no town is called that.
      const text = toks[0]!.text;
      let coded = gazetteer.lookupCased(`#${text}`);
      // "#MS" in a German post, "#VR" in an Italian one: a car-plate or province code of the
      // country of the post's language (data/local-codes.tsv) before any other reading.
      const local = localCode(gazetteer, text, lang);
      if (local.length > 0) coded = local;
      // "#Muc", "#gdl", "#yeg": a code written as a word, when no town is called that and, all
      // in lower case, it is no English word ("#art", "#cat").
      if (
        coded.length === 0 &&
        (/^\p{Lu}\p{Ll}{2,3}$/u.test(text) || (/^[a-z]{3}$/.test(text) && !isEnglishWord(text))) &&
        gazetteer.lookup(toks[0]!.key).length === 0
      )
        coded = gazetteer.lookupCased(`#${text.toUpperCase()}`);
      let cities = coded.length > 0 ? coded : gazetteer.lookup(`#${toks[0]!.key}`);
      // "#HK", "#SG": the code of a city-state is its city. "#HTX", "#NOLA": initials and a state.
      if (cities.length === 0) cities = cityState(gazetteer, text);
      if (cities.length === 0) cities = initialsAndState(gazetteer, text);
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
            // "Baton Rouge #LA": a code in capitals may qualify the name before it.
            regions:
              local.length > 0
                ? []
                : CODE.test(text)
                  ? [...gazetteer.regions(toks[0]!.key), ...gazetteer.regionsCased(text)]
                  : gazetteer.regions(toks[0]!.key),
            // "#LA" in capitals is the code, not the article "la".
            cased: coded.length > 0 || CODE.test(text),
          }),
        );
        return;
      }
    }
    for (let i = 0; i < toks.length && out.length < defaults.maxMentions;) {
      const t = toks[i]!;
      if (t.kind !== 'word') {
        i++;
        continue;
      }
      if (t.unspaced) {
        findUnspaced(gazetteer, t, s, out);
        i++;
        continue;
      }
      // "у Новом Саду", "v Banskej Bystrici": an adjective and a noun, both inflected.
      const pair = t.capital && !seg.tag ? inflectedPair(gazetteer, toks, i, lang) : null;
      if (pair) {
        out.push(
          classify({
            seg: s,
            start: i,
            end: i + 2,
            textStart: t.start,
            textEnd: toks[i + 1]!.end,
            key: pair.key,
            cities: pair.cities,
            regions: [],
            cased: false,
            inflected: true,
          }),
        );
        i += 2;
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
      let inflectedHere = false;
      const reach = indexReach(gazetteer, toks, i, runEnd);
      for (let j = runEnd; j > i; j--) {
        if (isParen(toks[j - 1]!) && toks[j - 1]!.text === '(') continue;
        const hit = lookupWords(gazetteer, toks, i, j, ext.text, j <= reach);
        if (hit.cities.length === 0 && hit.regions.length === 0) continue;
        // "tinggal di Yogyakarta": a lower-case word before a capitalised name is no part of it
        // when only an alternate ("di Yogyakarta") says so; the capitalised name is read alone.
        if (
          j > i + 1 &&
          !t.capital &&
          !seg.tag &&
          toks[i + 1]!.capital &&
          hit.regions.length === 0 &&
          hit.cities.every((h) => h.kind === NameKind.Alternate)
        )
          continue;
        // "Rock hall, lake effect snow": a capitalised word and a lower-case one are no name of
        // several words whose words are all capitalised ("Rock Hall"); "Frankfurt am Main" keeps
        // its "am", written so in the name.
        if (
          j > i + 1 &&
          t.capital &&
          !seg.tag &&
          (lang === '' || lang === 'en') &&
          lowerWordOutsideName(toks, i, j, hit.cities)
        )
          continue;
        // "Gotham City", "Lincoln Park": a capitalised place noun after the name makes another place.
        const after = toks[j];
        if (after?.kind === 'word' && after.capital && FEATURE_NOUNS.has(after.key)) break;
        // "z Brna": after a Slavic locative, a word that is only some town's alternate ("Brna" is
        // listed for Pirna) is read as the case form of a town's own name (Brno) when there is one.
        if (
          j === i + 1 &&
          t.capital &&
          !seg.tag &&
          hit.regions.length === 0 &&
          hit.cities.every((h) => h.kind === NameKind.Alternate) &&
          i > 0 &&
          LOCATIVE.has(toks[i - 1]!.key) &&
          (SLAVIC.has(lang) || CYRILLIC.test(t.text))
        ) {
          const stems = lookupInflected(gazetteer, t, lang, true);
          if (stems.some((h) => h.kind === NameKind.Primary)) {
            hit.cities = stems;
            inflectedHere = true;
          }
        }
        // "Elan Tartus" (Estonian: I live in Tartu): a word that names only towns abroad is read
        // as a case form when that names a town of the post's own language's country.
        if (
          caseHome !== undefined &&
          j === i + 1 &&
          t.capital &&
          !seg.tag &&
          !hit.cities.some((h) => h.place.country === caseHome) &&
          !hit.regions.some((r) => r.country === caseHome)
        ) {
          const stems = lookupInflected(gazetteer, t, lang, false).filter(
            (h) => h.place.country === caseHome,
          );
          if (stems.length > 0) {
            hit.cities = stems;
            hit.regions = [];
            inflectedHere = true;
          }
        }
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
            ...(inflectedHere ? { inflected: true } : {}),
          }),
        );
        i = j;
        found = true;
        break;
      }
      // "מתל אביב" (from Tel Aviv), "מבאר שבע": a letter glued onto a name of several words.
      if (!found && runEnd - i > 1 && hasScriptAffixes(t.text)) {
        const rest = toks.slice(i + 1, runEnd).filter((r) => r.kind === 'word');
        search: for (let n = rest.length; n >= 1; n--) {
          const tail = rest
            .slice(0, n)
            .map((r) => r.key)
            .join(' ');
          // The whole name is long enough: its first word may be short ("תל").
          for (const form of scriptForms(t.key, 2)) {
            const cities = stemTowns(gazetteer, `${form} ${tail}`);
            if (cities.length === 0) continue;
            const last = rest[n - 1]!;
            out.push(
              classify({
                seg: s,
                start: i,
                end: toks.indexOf(last) + 1,
                textStart: t.start,
                textEnd: last.end,
                key: `${form} ${tail}`,
                cities,
                regions: [],
                cased: false,
                inflected: true,
              }),
            );
            i = toks.indexOf(last) + 1;
            found = true;
            break search;
          }
        }
        if (found) continue;
      }
      // The two fallbacks below find a name in this one word, never matched by its case.
      const oneWord = (
        m: Omit<Mention, 'isRegion' | 'seg' | 'start' | 'end' | 'textStart' | 'cased'>,
      ) =>
        out.push(
          classify({ seg: s, start: i, end: i + 1, textStart: t.start, cased: false, ...m }),
        );
      // "Philadelphia-based", "Brooklyn-born": the name before a role word.
      const dash = t.text.lastIndexOf('-');
      if (!found && t.capital && dash > 0 && SUFFIX_ROLES.has(foldName(t.text.slice(dash + 1)))) {
        const name = t.text.slice(0, dash);
        const key = foldName(name);
        const cities = gazetteer.lookup(key);
        if (cities.length > 0)
          oneWord({
            textEnd: t.start + name.length,
            key,
            cities,
            regions: gazetteer.regions(key),
            suffix: t,
          });
      }
      // "Berlin-Neukölln", "Hamburg-Altona", "Warszawa-Mokotów": a big town and one of its
      // districts, written as one word. The town is the place (a pin is city-level anyway).
      const first = t.text.indexOf('-');
      if (!found && t.capital && first > 0 && !SUFFIX_ROLES.has(foldName(t.text.slice(dash + 1)))) {
        const rest = t.text.slice(first + 1);
        const name = t.text.slice(0, first);
        if (rest[0] !== rest[0]!.toLowerCase()) {
          const key = foldName(name);
          const cities = gazetteer
            .lookup(key)
            .filter((h) => h.kind !== NameKind.Alternate && h.place.population >= defaults.bigTown);
          if (cities.length > 0)
            oneWord({ textEnd: t.start + name.length, key, cities, regions: [] });
        }
      }
      // "I'm a Chicagoan", "we're Londoners": a demonym after a first-person copula.
      const self = !found && t.capital && !seg.tag ? demonymSubject(toks, i) : null;
      if (self) {
        const town = demonymTown(gazetteer, t.key);
        if (town) {
          oneWord({
            textEnd: t.end,
            key: town.key,
            cities: town.cities,
            regions: [],
            demonym: self,
          });
          i++;
          continue;
        }
      }
      // "Ngihlala eNewcastle", "Ndihlala eMonti": Zulu and Xhosa write "in" as e- (or kwa-) on the name.
      const nguni = !found && NGUNI.has(lang) ? NGUNI_LOCATIVE.exec(t.text) : null;
      if (nguni) {
        const key = foldName(t.text.slice(nguni[1]!.length));
        const cities = stemTowns(gazetteer, key);
        if (cities.length > 0) {
          oneWord({ textEnd: t.end, key, cities, regions: [], inflected: true });
          i++;
          continue;
        }
      }
      if (!found && t.capital && !seg.tag) {
        const afterLocative =
          i > 0 && LOCATIVE.has(toks[i - 1]!.key) && (SLAVIC.has(lang) || CYRILLIC.test(t.text));
        if (
          afterLocative ||
          hasLocativeSuffixes(lang) ||
          /['’]/.test(t.text) ||
          hasScriptAffixes(t.text)
        ) {
          let cities = lookupInflected(gazetteer, t, lang, afterLocative);
          // "w Bielsku-Białej", "в Ростове-на-Дону": a hyphenated name, inflected.
          if (cities.length === 0 && afterLocative && t.key.includes(' '))
            cities = firstStemTowns(gazetteer, hyphenatedForms(t.key, lang));
          // "عايش في إسكندرية": after "in" or "from", spoken Arabic drops the article GeoNames
          // writes (الإسكندرية, Alexandria).
          if (cities.length === 0 && ARABIC.test(t.text) && ARABIC_IN.has(toks[i - 1]?.key ?? ''))
            cities = firstStemTowns(
              gazetteer,
              [t.key, ...scriptForms(t.key)].map((form) => `ال${form}`),
            );
          if (cities.length > 0)
            oneWord({ textEnd: t.end, key: t.key, cities, regions: [], inflected: true });
        }
      }
      if (!found) i++;
    }
  });
  return out;
}

/**
 * "i mBaile Átha Cliath", "yng Nghaerdydd": an Irish or Welsh word the gazetteer does not know is
 * given the key of its unmutated form when that is a town's name (of `stemMinPopulation` or more)
 * or begins one. Changes the tokens in place; a word already known is left as written.
 */
function unmutate(gazetteer: Gazetteer, ext: Extracted, lang: string): void {
  for (const seg of ext.segments)
    for (const t of seg.tokens) {
      if (t.kind !== 'word' || t.text.length < 3) continue;
      if (gazetteer.lookup(t.key).length > 0 || gazetteer.mayContinue(t.key)) continue;
      for (const form of unmutatedForms(t.text, lang)) {
        const key = foldName(form);
        const town = stemTowns(gazetteer, key).length > 0;
        if (!town && !gazetteer.mayContinue(key)) continue;
        t.key = key;
        t.capital = true;
        break;
      }
    }
}

/**
 * A two-word name whose adjective and noun both carry a case ending after a Slavic preposition
 * ("у Новом Саду" is Нови Сад), when the words as written name nothing; else null.
 */
function inflectedPair(
  gazetteer: Gazetteer,
  toks: Token[],
  i: number,
  lang: string,
): { key: string; cities: NameHit[] } | null {
  const t = toks[i]!;
  const u = toks[i + 1];
  if (!u || u.kind !== 'word' || !u.capital || u.unspaced || t.unspaced) return null;
  if (i === 0 || !LOCATIVE.has(toks[i - 1]!.key)) return null;
  if (!SLAVIC.has(lang) && !CYRILLIC.test(t.text)) return null;
  if (gazetteer.lookup(`${t.key} ${u.key}`).length > 0) return null;
  for (const key of adjectiveNounForms(t, u, lang)) {
    const cities = stemTowns(gazetteer, key);
    if (cities.length > 0) return { key, cities };
  }
  return null;
}

/**
 * Whether an English word of toks[i..j) after the first is in lower case ("hall") while no place
 * the words name writes it so: the words are then no name ("Rock hall" is not Rock Hall, MD).
 */
function lowerWordOutsideName(toks: Token[], i: number, j: number, cities: NameHit[]): boolean {
  for (let k = i + 1; k < j; k++) {
    const w = toks[k]!;
    if (w.kind !== 'word' || w.capital || w.key.length < 3 || !isEnglishWord(w.key)) continue;
    if (!cities.some((h) => h.place.name.includes(w.text))) return true;
  }
  return false;
}

const CODE = /^\p{Lu}{2,3}$/u;
const ARABIC = /\p{Script=Arabic}/u;
const NGUNI = new Set(['zu', 'xh', 'ss', 'nr', 'nd']);
const NGUNI_LOCATIVE = /^(e|kwa)\p{Lu}/u;
// "in", "from", "to", folded as the post's words are.
const ARABIC_IN = new Set(['في', 'من', 'الى', 'إلى'].map(foldName));

/** The town a local code in capitals stands for in the countries of the post's language, if any. */
function localCode(gazetteer: Gazetteer, text: string, lang: string): NameHit[] {
  if (!CODE.test(text)) return [];
  for (const cc of LANGUAGE_COUNTRIES[lang] ?? []) {
    const hits = gazetteer.lookupCased(localCodeKey(text, cc));
    if (hits.length > 0) return hits;
  }
  return [];
}

// Demonym endings, longest first: Sydneysider, Torontonian, Bostonian, Chicagoan, Londoner,
// Seattleite; the plural too ("Berliners"). What is left must be a town of `bigTown` or more
// under its own name ("Yorker" is no York: the word before "New" is a name, so never read).
const DEMONYM_ENDINGS = [
  'siders',
  'sider',
  'nians',
  'nian',
  'ians',
  'ian',
  'ites',
  'ite',
  'ans',
  'an',
  'ers',
  'er',
];
// A first-person copula and what may stand between it and the demonym: "I'm a proud Londoner".
const COPULA_1ST = new Set(['im', 'am', 'were', 'bin', 'sind']);
const BETWEEN = new Set([
  'a',
  'an',
  'ein',
  'eine',
  'proud',
  'born',
  'true',
  'lifelong',
  'real',
  'now',
  'still',
  'and',
]);

/** The copula token of "I'm a …" right before tokens[i], or null. */
function demonymSubject(toks: Token[], i: number): Token | null {
  for (let j = i - 1, n = 0; j >= 0 && n < 4; j--, n++) {
    const w = toks[j]!;
    if (w.kind !== 'word') return null;
    if (COPULA_1ST.has(w.key)) return w;
    if (!BETWEEN.has(w.key)) return null;
  }
  return null;
}

/** The town a demonym names ("Chicagoan" → Chicago), primary names of `bigTown` or more only. */
function demonymTown(gazetteer: Gazetteer, key: string): { key: string; cities: NameHit[] } | null {
  for (const ending of DEMONYM_ENDINGS) {
    if (!key.endsWith(ending) || key.length - ending.length < 4) continue;
    const stem = key.slice(0, -ending.length);
    const cities = gazetteer
      .lookup(stem)
      .filter((h) => h.kind === NameKind.Primary && h.place.population >= defaults.bigTown);
    if (cities.length > 0) return { key: stem, cities };
  }
  return null;
}
/** Province, prefecture and state suffixes in Chinese and Japanese (道 as in 北海道). */
const REGION_SUFFIX = new Set(['省', '県', '县', '道', '州', '郡']);

/**
 * A country code in capitals whose capital holds at least `cityStateShare` of the country's people
 * (Hong Kong, Singapore): the city, as a hit of its own. Empty otherwise ("#FR" stays France).
 */
function cityState(gazetteer: Gazetteer, text: string): NameHit[] {
  if (!CODE.test(text)) return [];
  for (const r of gazetteer.regionsCased(text)) {
    if (r.kind !== RegionKind.Country) continue;
    const c = gazetteer.capital(r.country);
    if (c && c.population >= defaults.cityStateShare * r.population)
      return [{ place: c, kind: NameKind.Alias }];
  }
  return [];
}

/**
 * "#HTX" (Houston, TX), "#SATX" (San Antonio), "#NOLA" (New Orleans, LA): the initials of a town's
 * words, or its first letter, then a US state's postal code, in capitals: the state's most
 * populous town of `initialsMinPopulation` or more with those initials. Empty otherwise.
 */
function initialsAndState(gazetteer: Gazetteer, text: string): NameHit[] {
  if (!/^\p{Lu}{3,5}$/u.test(text)) return [];
  const initials = text.slice(0, -2).toLowerCase();
  for (const r of gazetteer.regionsCased(text.slice(-2))) {
    if (r.kind !== RegionKind.Admin1 || r.country !== 'US') continue;
    const town = gazetteer.townsIn(r.admin1Code, defaults.initialsMinPopulation).find((p) => {
      const words = foldName(p.name).split(' ');
      const letters = words.map((w) => w[0]).join('');
      return letters === initials || (initials.length === 1 && words[0]![0] === initials);
    });
    if (town) return [{ place: town, kind: NameKind.Alias }];
  }
  return [];
}

/** Han, kana, Hangul, Thai, Lao, Khmer and Myanmar are written without spaces: try every substring, longest first. */
function findUnspaced(gazetteer: Gazetteer, t: Token, seg: number, out: Mention[]): void {
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
      // "北海道" (Hokkaido), "福岡県": a name followed by a province's suffix is the province.
      if (cities.length > 0 && regions.length === 0 && REGION_SUFFIX.has(chars[i + len] ?? ''))
        continue;
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
