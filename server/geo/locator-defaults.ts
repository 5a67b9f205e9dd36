import { OFFICIAL_LANGUAGE_COUNTRIES } from './language-countries.js';

// Every weight and threshold of the locator, in one place. Population weights are in log10 units
// (one unit = ten times the population); evidence and confidence are 0..1.

export const defaults = {
  // ── finding mentions (mentions.ts) ──
  maxWords: 5, // longest name tried, in words: "Las Palmas de Gran Canaria"
  maxUnspaced: 8, // longest Han/kana/Hangul name tried inside a run of text
  maxMentions: 200, // names read per post: no post names more places, and a 100 KB post stays fast
  stemMinPopulation: 10_000, // an inflected form ("z Krakowa") is tried only against towns this big
  abbreviationMinPopulation: 250_000, // "#Sthlm", "#Mpls": a tag that shortens a town's name names a town this big
  abbreviationDominance: 3, // …and only one such town, or one this many times as populous as the next
  typoBigPopulation: 100_000, // a misspelt word with no state ("Copenhagan") is read as a town this big
  typoMinPopulation: 50_000, // a misspelt word before a state ("Philadelhpia, PA") is read as a town of that state this big
  initialsMinPopulation: 100_000, // "#HTX", "#NOLA": initials and a state code name a town this big
  cityStateShare: 0.5, // a country code in capitals ("#HK", "#SG") is its capital when that holds this share of the country

  // ── what a name refers to (candidates.ts) ──
  regionCityMin: 1_000_000, // a name that is also a region counts as the city only above this ("Singapore", not "Luxembourg")
  regionDominance: 3, // a same-named region this many times more populous than the city means the region
  admin2CityMin: 100_000, // a county or province hides a same-named town only below this ("Cornwall" the county; "York" the city, not York Region)
  namesakeShare: 0.1, // a region's namesake city below this share of its population yields to it ("from Quebec")

  // ── scoring candidates (candidates.ts) ──
  alternatePenalty: 1.5, // primary names outrank alternates (GeoNames alternates hold junk: Portland for Sandusky)
  bigAlternateShare: 0.5, // share of alternatePenalty a city of bigAlternateMin or more pays (its alternates are exonyms)
  bigAlternateMin: 100_000, // from this population, alternates are mostly exonyms (Antwerp, Cologne)
  aliasBonus: 3, // curated aliases say what people mean
  profileAdmin1Bonus: 3, // the profile's location names the candidate's state or province
  profileCountryBonus: 2, // the profile's location names the candidate's country
  flagBonus: 2, // a flag emoji elsewhere in the post is the candidate's country
  postAdmin1Bonus: 3, // the post names the candidate's state or province elsewhere ("Naples … Florida")
  postCountryBonus: 2, // the post names the candidate's country elsewhere
  homeLanguageBonus: 1, // a non-English post's first country ("Valencia" in Spanish is in Spain)
  otherLanguageBonus: 0.4, // another country where the post's language is written
  instanceBonus: 0.4, // the instance's country
  mentionedCountryBonus: 1, // two or more of the post's other names clearly lie in the candidate's country
  hanJapanMin: 1_000_000, // in a Chinese post, a Japanese town named in Han characters must be this big (东京 yes, 小山 no)
  clearReading: 0.8, // certainty from which a name's reading is clear enough to count for that
  samePlaceDegrees: 0.3, // |Δlat| + |Δlng| under which two namesakes are one pin (a city and its centre)
  certaintyBase: 0.5, // certainty when the best candidate ties the next namesake
  certaintySlope: 0.3, // certainty gained per log10 unit the best candidate is ahead

  // ── evidence for "this is where I am" (evidence.ts) ──
  bigTown: 100_000, // a town this big is read more readily from weak context
  commonWordLeadMin: 1_000_000, // a common word opening the post on its own ("Phoenix, hot as ever") is a city only this big ("Nice!" is no city)
  commonWordMin: 50_000, // a common word ("Reading", "Nice") is a city after "in"/"from" only when it is this big
  nearbyDegrees: 0.5, // "NYC, Queens": a second name this close (|Δlat| + |Δlng|) is part of the first, not a list
  unspacedBig: 0.7, // a big town found inside unspaced (CJK, Thai) text
  unspacedSmall: 0.4, // a small town found inside unspaced text
  lowerCase: 0.2, // a name written in lower case mid-sentence
  sentenceStartBig: 0.5, // a big town's name opening a sentence (could be any capitalised word)
  sentenceStartSmall: 0.35, // a small town's name opening a sentence
  midSentence: 0.6, // a capitalised name mid-sentence
  wholeTag: 0.9, // the name is a whole hashtag (#Lisboa)
  partTag: 0.45, // the name is part of a hashtag (#LisboaNights)
  lead: 0.8, // the name alone opens the post ("Calgary. Go Flames!")
  headline: 0.7, // the name alone opens a later sentence
  locativeCapital: 0.85, // after "in", "from", "aus", "desde"…
  locativeLower: 0.55, // lower case after a locative of two letters or more ("from portland")
  lowerLocativeMin: 10_000, // a lower-case word after a locative ("survivre au chinook") is a town only this big
  homeLower: 0.75, // lower case after a home verb ("live in cleveland now"), a town of bigTown or more
  soleCapital: 0.95, // the name is all the post says
  soleLower: 0.8, // the name in lower case is all the post says
  qualified: 0.95, // "Portland, Maine", "Melbourne 🇦🇺"
  junkAlternateFactor: 0.5, // a single-word alternate of a small town (where GeoNames junk lives)
  tripFactor: 0.3, // a trip or wish word in the post, not tied to another place, and no home word here

  // ── choosing (pick.ts) ──
  threshold: 0.5, // below this confidence, abstain: a wrong pin is worse than none
  strongEvidence: 0.8, // evidence that outweighs a weaker rival city
  clusterDegrees: 0.5, // |Δlat| + |Δlng|: names this close are one place ("#CDMX … desde Coyoacán"); the biggest is the pin
  clusterShare: 0.34, // …when the others hold at most this share of the biggest's people (a district of it, not a neighbour town)
  rivalEvidence: 0.5, // a weak pick with another city of this evidence beside it is a coin toss: abstain

  // ── the profile's location field (locator.ts) ──
  profileMinPopulation: 10_000, // an unqualified name in the profile places the person only in a town this big ("Yorkshire" is no Virginia hamlet)
};

export type LocatorDefaults = typeof defaults;

/**
 * Countries where a post's language is mostly written, its home country first; a hint only. The
 * hand-kept entries below win; every other language comes from its official status
 * (language-countries.ts, generated from the countries-list package), so a Croatian or Albanian
 * post is read as from Croatia or Albania without anyone listing them.
 */
const HAND_LANGUAGE_COUNTRIES: Record<string, readonly string[]> = {
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
  ms: ['MY'],
  ca: ['ES', 'AD'],
  eu: ['ES'],
  gl: ['ES'],
  hi: ['IN'],
  bn: ['BD', 'IN'],
  ur: ['PK', 'IN'],
  ta: ['IN', 'LK'],
  fa: ['IR', 'AF'],
  th: ['TH'],
  vi: ['VN'],
  sw: ['TZ', 'KE'],
  // Where the generated table is wrong or silent: Albanian's home is Albania (Kosovo has fewer
  // towns in GeoNames but no more people), "pa" there is Papiamento's mistake for Punjabi, and
  // regional languages have no official country of their own.
  sq: ['AL', 'XK', 'MK', 'ME'],
  pa: ['IN', 'PK'],
  cy: ['GB'],
  gd: ['GB'],
  yo: ['NG'],
  ig: ['NG'],
  ha: ['NG', 'NE'],
  te: ['IN'],
  mr: ['IN'],
  gu: ['IN'],
  kn: ['IN'],
  ml: ['IN'],
};

export const LANGUAGE_COUNTRIES: Record<string, readonly string[]> = {
  ...OFFICIAL_LANGUAGE_COUNTRIES,
  ...HAND_LANGUAGE_COUNTRIES,
};
