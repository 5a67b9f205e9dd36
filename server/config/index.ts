import type { CampaignIdentity } from '../../shared/types.js';
import { defaultDbPath } from '../paths.js';
import { parseCommandLine, type Command } from './args.js';
import { parseBlueskyConfig, type BlueskyConfig } from './bluesky.js';
import { parseIdentities, parseTags } from './campaigns.js';
import {
  parseCollectorTiming,
  parseInstance,
  parseInstances,
  type CollectorConfig,
} from './collector.js';
import { parseConsentConfig, type ConsentConfig } from './consent.js';
import { parseGeocoderConfig, type GeocoderConfig } from './geocoder.js';
import { parseAccess, parseListen, parseTiles, type HttpConfig } from './http.js';
import { parseRole, type Role } from './role.js';
import { parseSourceConfig, readJsonFile } from './sources.js';
import { ConfigError } from './values.js';

export type { Command } from './args.js';
export type { Role } from './role.js';
export { defaultInstances } from './collector.js';
export { usage } from './usage.js';
export { ConfigError };

/**
 * Everything the command line, the environment and the `--config` file say, checked. Each part
 * is parsed by the file named after it: `campaigns.ts`, `collector.ts` and `sources.ts` (what
 * is read, from where), `consent.ts`, `http.ts`, `geocoder.ts`, `role.ts` (several processes).
 */
export interface Config extends CollectorConfig, HttpConfig, GeocoderConfig {
  command: Command;
  /** Campaign hashtags, lower case, without `#`. */
  tags: string[];
  /** SQLite database file. */
  dbPath: string;
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
  consent: ConsentConfig;
  /** The `--config` JSON file, or null. */
  configPath: string | null;
  /** Title, description, call to action… per campaign, from the config file's `campaigns` (defaults filled). */
  identities: Record<string, CampaignIdentity>;
  /** `backup FILE`: where to write the copy. */
  backupPath: string | null;
  /** Bluesky, the second network (`bluesky.ts`). */
  bluesky: BlueskyConfig;
  /** What this process does beside others on the same database (`role.ts`). */
  role: Role;
}

const defaults = {
  logLevel: 'info' as const, // a line per start, source and error; `debug` adds every poll
};

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
  const { command, flags, backupPath } = parseCommandLine(argv);
  const tags = parseTags(flags.tag, env);
  const configPath = flags.config ?? env.FTO_CONFIG ?? null;
  const fail = (message: string): never => {
    throw new ConfigError(message);
  };
  const file = configPath ? readJsonFile(configPath, fail) : null;
  const sources = parseSourceConfig({
    env,
    relayFlags: flags.relay,
    aggregatorFlags: flags.aggregator,
    strictFlag: flags['strict-consent'],
    resolveFlags: flags.resolve,
    file,
    filePath: configPath,
    parseInstance,
    fail,
  });
  const identities = parseIdentities(configPath ? file : {}, tags, configPath);
  const instances = parseInstances(flags, env, sources.fileInstances);

  const logLevel = (flags['log-level'] ?? env.LOG_LEVEL ?? defaults.logLevel) as Config['logLevel'];
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL "${logLevel}" is not one of ${logLevels.join(', ')}`);
  }

  return {
    command,
    tags,
    instances,
    dbPath: flags.db ?? env.FTO_DB ?? defaultDbPath,
    ...parseListen(flags, env),
    ...parseCollectorTiming(flags, env),
    ...parseTiles(flags, env, command),
    logLevel,
    tokens: sources.tokens,
    relays: sources.relays,
    aggregators: sources.aggregators,
    strictConsent: sources.strictConsent,
    resolve: sources.resolve,
    consent: parseConsentConfig(flags, env, sources.fileConsent, configPath),
    configPath,
    identities,
    ...parseAccess(env),
    backupPath,
    ...parseGeocoderConfig(flags, env),
    bluesky: parseBlueskyConfig(flags, env),
    role: parseRole(flags, env),
  };
}
