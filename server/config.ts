import { parseArgs } from 'node:util';
import { normalizeTag, notATag } from '../shared/tag.js';
import { defaultDbPath } from './paths.js';
import type { CampaignIdentity } from '../shared/types.js';
import { parseCampaignIdentities } from './api/campaign-identity.js';
import { parseSourceConfig, readJsonFile } from './collector/source-config.js';

/** Raised for bad flags or environment; the message names the bad value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Command = 'serve' | 'demo' | 'locate' | 'build-gazetteer' | 'backup' | 'help';

export interface Config {
  command: Command;
  /** Campaign hashtags, lower case, without `#`. */
  tags: string[];
  /** Mastodon-compatible instance origins, e.g. "https://mastodon.social". */
  instances: string[];
  /** SQLite database file. */
  dbPath: string;
  port: number;
  host: string;
  /** Wait between polls of one instance when it has nothing new (ms). */
  pollIntervalMs: number;
  /** How far back to read on first start, per instance and tag: whichever comes first. */
  backfill: { posts: number; days: number };
  /** Map tile URL template, or null for the bundled world outline only. */
  tileUrl: string | null;
  tileAttribution: string;
  /** Sent on every request to an instance: identifies us, as GoToSocial and Nominatim require. */
  userAgent: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Access tokens by instance origin (or relay URL), from FTO_TOKENS and the config file. Never logged. */
  tokens: Record<string, string>;
  /** SSE firehose URLs streaming all public posts, filtered by hashtag on our side. */
  relays: string[];
  /** Tag-search aggregator origins (e.g. https://fedi.buzz); none by default. */
  aggregators: string[];
  /** Consent: also require `discoverable !== false`. */
  strictConsent: boolean;
  /** `--resolve HOST=URL`: host (lower case) → the origin that answers for it. */
  resolve: Record<string, string>;
  /** Consent look-ups on each author's home server (docs/consent.md). */
  consent: {
    /** How long an answer is trusted before the home is asked again (ms). */
    ttlMs: number;
    /** How long a home may fail before the unreachable policy applies (ms). */
    unreachableAfterMs: number;
    /** `wait`: keep waiting (default); `show`: show its authors once that time has passed. */
    unreachable: 'wait' | 'show';
    /** At least this long between two requests to one home (ms). */
    paceMs: number;
  };
  /** The `--config` JSON file, or null. */
  configPath: string | null;
  /** Title, description, call to action… per campaign, from the config file's `campaigns` (defaults filled). */
  identities: Record<string, CampaignIdentity>;
  /** FTO_ADMIN_TOKEN (environment only: a flag would show in `ps`); null disables the admin API. */
  adminToken: string | null;
  /** Public API requests per second per client IP (FTO_RATE_LIMIT; 0 = no limit). */
  rateLimit: number;
  /** `backup FILE`: where to write the copy. */
  backupPath: string | null;
  /** Online geocoder for posts the gazetteer cannot place: "nominatim", or null (the default: offline only). */
  geocoder: 'nominatim' | null;
  /** Nominatim base URL; used only when `geocoder` is set. */
  geocoderUrl: string;
}

/** The large instances followed when none are configured: the campaign is public there. */
export const defaultInstances = [
  'https://mastodon.social',
  'https://mastodon.online',
  'https://mstdn.social',
  'https://hachyderm.io',
];

const defaults = {
  tags: ['yourturn'], // the campaign the project was made for
  port: 3000, // http://localhost:3000
  host: '0.0.0.0', // reachable from the LAN and containers; use 127.0.0.1 to keep it private
  pollIntervalMs: 30_000, // 120 polls/hour per tag: far inside the 300 per 15 min paging bucket
  backfillPosts: 2000, // per instance and tag on first start: 50 pages
  backfillDays: 365, // ...or a year back, whichever comes first
  tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  tileAttribution: '© OpenStreetMap contributors', // plain text: the map escapes it
  logLevel: 'info' as const,
};

const commands: Command[] = ['serve', 'demo', 'locate', 'build-gazetteer', 'backup', 'help'];
const logLevels: Config['logLevel'][] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/** Parse the command line (argv as process.argv) and environment into a Config. Throws ConfigError. */
export function parseConfig(env: NodeJS.ProcessEnv, argv: string[]): Config {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(2),
      allowPositionals: true,
      strict: true,
      options: {
        tag: { type: 'string', multiple: true, short: 't' },
        instance: { type: 'string', multiple: true, short: 'i' },
        db: { type: 'string' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'poll-interval': { type: 'string' },
        'backfill-posts': { type: 'string' },
        'backfill-days': { type: 'string' },
        tiles: { type: 'string' },
        'log-level': { type: 'string' },
        config: { type: 'string', short: 'c' },
        relay: { type: 'string', multiple: true },
        aggregator: { type: 'string', multiple: true },
        'strict-consent': { type: 'boolean' },
        resolve: { type: 'string', multiple: true },
        'consent-ttl': { type: 'string' },
        'consent-unreachable': { type: 'string' },
        'consent-unreachable-after': { type: 'string' },
        'consent-pace': { type: 'string' },
        geocoder: { type: 'string' },
        'geocoder-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const { values, positionals } = parsed;

  const commandArg = positionals[0] ?? 'serve';
  if (!commands.includes(commandArg as Command)) {
    throw new ConfigError(
      `unknown command "${commandArg}" (expected one of: ${commands.join(', ')})`,
    );
  }
  const backupPath = commandArg === 'backup' ? (positionals[1] ?? null) : null;
  if (commandArg === 'backup' && !backupPath && !values.help) {
    throw new ConfigError(
      'backup: name the FILE to write, e.g. "find-the-others backup backup.db"',
    );
  }
  if (positionals.length > (commandArg === 'backup' ? 2 : 1)) {
    throw new ConfigError(`unexpected argument "${positionals[1]}"`);
  }
  const command: Command = values.help ? 'help' : (commandArg as Command);

  const tags = unique(
    (values.tag ?? splitList(env.FTO_TAGS) ?? defaults.tags).map((t) =>
      parseTag(t, values.tag ? '--tag' : 'FTO_TAGS'),
    ),
  );
  const configPath = values.config ?? env.FTO_CONFIG ?? null;
  const fail = (message: string): never => {
    throw new ConfigError(message);
  };
  const sourceConfig = parseSourceConfig({
    env,
    relayFlags: values.relay,
    aggregatorFlags: values.aggregator,
    strictFlag: values['strict-consent'],
    resolveFlags: values.resolve,
    file: configPath ? readJsonFile(configPath, fail) : null,
    filePath: configPath,
    parseInstance,
    fail,
  });
  let identities: Record<string, CampaignIdentity>;
  try {
    identities = parseCampaignIdentities(configPath ? readJsonFile(configPath, fail) : {}, tags);
  } catch (err) {
    throw new ConfigError(`${configPath}: ${(err as Error).message}`);
  }
  const fileInstances = sourceConfig.fileInstances.length ? sourceConfig.fileInstances : null;
  const instances = unique(
    (values.instance ?? splitList(env.FTO_INSTANCES) ?? fileInstances ?? defaultInstances).map(
      (u) => parseInstance(u, values.instance ? '--instance' : 'FTO_INSTANCES'),
    ),
  );

  const tilesRaw = values.tiles ?? env.FTO_TILE_URL;
  const logLevel = (values['log-level'] ??
    env.LOG_LEVEL ??
    defaults.logLevel) as Config['logLevel'];
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL "${logLevel}" is not one of ${logLevels.join(', ')}`);
  }

  return {
    command,
    tags,
    instances,
    dbPath: values.db ?? env.FTO_DB ?? defaultDbPath,
    port: parseIntIn(
      values.port ?? env.PORT,
      values.port ? '--port' : 'PORT',
      defaults.port,
      0,
      65535,
    ),
    host: values.host ?? env.FTO_HOST ?? defaults.host,
    pollIntervalMs: parseIntIn(
      values['poll-interval'] ?? env.FTO_POLL_INTERVAL_MS,
      values['poll-interval'] ? '--poll-interval' : 'FTO_POLL_INTERVAL_MS',
      defaults.pollIntervalMs,
      100,
      24 * 3600_000,
    ),
    backfill: {
      posts: parseIntIn(
        values['backfill-posts'] ?? env.FTO_BACKFILL_POSTS,
        values['backfill-posts'] ? '--backfill-posts' : 'FTO_BACKFILL_POSTS',
        defaults.backfillPosts,
        0,
        1_000_000,
      ),
      days: parseIntIn(
        values['backfill-days'] ?? env.FTO_BACKFILL_DAYS,
        values['backfill-days'] ? '--backfill-days' : 'FTO_BACKFILL_DAYS',
        defaults.backfillDays,
        0,
        36_500,
      ),
    },
    tileUrl:
      tilesRaw === undefined
        ? // The demo is the offline way to try the map: only tiles asked for by name leave the machine.
          command === 'demo'
          ? null
          : defaults.tileUrl
        : tilesRaw === '' || tilesRaw === 'none'
          ? null
          : parseTileUrl(tilesRaw),
    tileAttribution: env.FTO_TILE_ATTRIBUTION ?? defaults.tileAttribution,
    userAgent:
      env.FTO_USER_AGENT ??
      'FindTheOthers/0.1 (+https://github.com/find-the-others/find-the-others)',
    logLevel,
    tokens: sourceConfig.tokens,
    relays: sourceConfig.relays,
    aggregators: sourceConfig.aggregators,
    strictConsent: sourceConfig.strictConsent,
    resolve: sourceConfig.resolve,
    consent: parseConsentConfig(values, env, sourceConfig.fileConsent, configPath),
    configPath,
    identities,
    adminToken: env.FTO_ADMIN_TOKEN?.trim() || null,
    rateLimit: parseIntIn(env.FTO_RATE_LIMIT, 'FTO_RATE_LIMIT', 20, 0, 1_000_000),
    backupPath,
    geocoder: parseGeocoder(
      values.geocoder ?? env.FTO_GEOCODER,
      values.geocoder ? '--geocoder' : 'FTO_GEOCODER',
    ),
    geocoderUrl: parseGeocoderUrl(
      values['geocoder-url'] ?? env.FTO_GEOCODER_URL,
      values['geocoder-url'] ? '--geocoder-url' : 'FTO_GEOCODER_URL',
    ),
  };
}

/** The consent flags, each from its flag, its variable or the config file's `consent` object. */
function parseConsentConfig(
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  file: Record<string, unknown>,
  configPath: string | null,
): Config['consent'] {
  const pick = (flag: string, envName: string, key: string): [string | undefined, string] => {
    if (typeof values[flag] === 'string') return [values[flag], `--${flag}`];
    if (env[envName] !== undefined) return [env[envName], envName];
    if (file[key] !== undefined) return [String(file[key]), `${configPath}: consent.${key}`];
    return [undefined, `--${flag}`];
  };
  const day = 24 * 3600_000;
  const [unreachableRaw, unreachableSource] = pick(
    'consent-unreachable',
    'FTO_CONSENT_UNREACHABLE',
    'unreachable',
  );
  const unreachable = (unreachableRaw ?? 'wait').trim().toLowerCase();
  if (unreachable !== 'wait' && unreachable !== 'show')
    throw new ConfigError(`${unreachableSource}: "${unreachableRaw}" is not wait or show`);
  return {
    ttlMs: parseIntIn(...pick('consent-ttl', 'FTO_CONSENT_TTL_MS', 'ttlMs'), day, 1000, 30 * day),
    unreachableAfterMs: parseIntIn(
      ...pick('consent-unreachable-after', 'FTO_CONSENT_UNREACHABLE_MS', 'unreachableAfterMs'),
      6 * 3600_000,
      0,
      30 * day,
    ),
    unreachable,
    paceMs: parseIntIn(...pick('consent-pace', 'FTO_CONSENT_PACE_MS', 'paceMs'), 2000, 0, 600_000),
  };
}

/** "nominatim" turns the online fallback on; empty or "none" keeps it off. */
function parseGeocoder(raw: string | undefined, source: string): Config['geocoder'] {
  const v = raw?.trim().toLowerCase();
  if (v === undefined || v === '' || v === 'none' || v === 'off') return null;
  if (v === 'nominatim') return 'nominatim';
  throw new ConfigError(`${source} "${raw}" is not a geocoder (expected nominatim or none)`);
}

function parseGeocoderUrl(raw: string | undefined, source: string): string {
  if (raw === undefined || raw.trim() === '') return 'https://nominatim.openstreetmap.org';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${source} "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`${source} "${raw}" must be an http(s) URL`);
  return url.href.replace(/\/+$/, '');
}

function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Hashtags as Mastodon matches them: letters, digits, underscore; we store them lower case. */
export function parseTag(raw: string, source: string): string {
  const tag = normalizeTag(raw);
  if (tag === null) throw new ConfigError(notATag(source, raw));
  return tag;
}

function parseInstance(raw: string, source: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(
      `${source}: "${raw}" is not an instance URL (like https://mastodon.social)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${source}: "${raw}" must be an http(s) URL`);
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigError(
      `${source}: "${raw}" must be an instance origin without a path (like https://mastodon.social)`,
    );
  }
  return url.origin;
}

function parseIntIn(
  raw: string | undefined,
  source: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${source}: "${raw}" is not a whole number`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${source}: ${raw} is outside ${min}..${max}`);
  return n;
}

function parseTileUrl(raw: string): string {
  if (!/^https?:\/\/.+\{z\}.*\{x\}.*\{y\}/.test(raw)) {
    throw new ConfigError(
      `FTO_TILE_URL/--tiles: "${raw}" must be an http(s) URL template with {z}, {x} and {y}, or "none"`,
    );
  }
  return raw;
}

export const usage = `find-the-others — a live map of a fediverse hashtag campaign

Usage:
  find-the-others serve [options]     run the server and the collector (default)
  find-the-others demo [options]      run with a built-in local demo instance (no internet needed)
  find-the-others locate              read statuses as JSON lines on stdin, write the city each names
  find-the-others build-gazetteer     (re)build data/gazetteer.db from GeoNames data in node_modules
  find-the-others backup FILE         copy the database to FILE while the server runs (SQLite online backup)

Options (each has an environment variable):
  -t, --tag TAG             campaign hashtag, repeatable        FTO_TAGS=yourturn,othertag   (yourturn)
  -i, --instance URL        instance to follow, repeatable      FTO_INSTANCES=https://a,https://b
  --db PATH                 SQLite database file                FTO_DB           (data/find-the-others.db)
  -p, --port N              HTTP port                           PORT             (3000)
  --host ADDR               listen address                      FTO_HOST         (0.0.0.0)
  --poll-interval MS        wait between polls of an instance   FTO_POLL_INTERVAL_MS (30000)
  --backfill-posts N        first start: read back N posts       FTO_BACKFILL_POSTS (2000)
  --backfill-days N         ...or N days, whichever comes first FTO_BACKFILL_DAYS  (365)
  --tiles URL|none          map tile URL template               FTO_TILE_URL     (OpenStreetMap)
  --log-level LEVEL         fatal..trace, silent                LOG_LEVEL        (info)
  -c, --config FILE         JSON config file                    FTO_CONFIG
                            (collector part: {"instances": {"https://x": {"token": "…"}}, "relays": [], "aggregators": [], "strictConsent": false,
                             "resolve": {"host": "https://…"}, "consent": {"ttlMs", "unreachable", "unreachableAfterMs", "paceMs"}})
                            access tokens also from             FTO_TOKENS=https://a=TOKEN,https://b=TOKEN
  --relay URL               SSE firehose of public posts, repeatable  FTO_RELAYS=url,url
  --aggregator URL          tag-search service (only the tag timeline, e.g. https://fedi.buzz),
                            repeatable; never trusted for profiles     FTO_AGGREGATORS=url,url  (none)
  --strict-consent          also require discoverable !== false FTO_STRICT_CONSENT=1
  --resolve HOST=URL        where HOST is really reached (split domains, local tests), repeatable
                                                                FTO_RESOLVE=host=url,host=url
  --consent-ttl MS          ask an author's home again after    FTO_CONSENT_TTL_MS (86400000: 24 h)
  --consent-unreachable wait|show  a home that does not answer: keep its authors waiting, or show
                            them after --consent-unreachable-after   FTO_CONSENT_UNREACHABLE (wait)
  --consent-unreachable-after MS                                FTO_CONSENT_UNREACHABLE_MS (21600000: 6 h)
  --consent-pace MS         least time between two requests to one home  FTO_CONSENT_PACE_MS (2000)
  --geocoder nominatim      ask Nominatim (1 request/s, cached) about places the gazetteer lacks
                                                                FTO_GEOCODER     (off)
  --geocoder-url URL        Nominatim server                    FTO_GEOCODER_URL (https://nominatim.openstreetmap.org)
                            (map part: {"campaigns": {"yourturn": {"title", "description", "callToAction",
                             "examplePost", "link": {"url", "label"}, "accentColor": "#c2410c"}}}; see docs/api.md)
  environment only:         FTO_ADMIN_TOKEN (enables /api/admin), FTO_RATE_LIMIT (requests/s per IP, 20; 0 = off)
  -h, --help                this text
`;
