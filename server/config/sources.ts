import { readFileSync } from 'node:fs';
import { splitList } from '../../shared/list.js';

/** The collector's part of the configuration: tokens, relays and the consent mode. */
export interface SourceConfig {
  /** Access tokens by instance origin (or relay URL). Never logged. */
  tokens: Record<string, string>;
  /** SSE firehose URLs. */
  relays: string[];
  /** Tag-search aggregator origins (none unless named: each is a third party the operator chooses). */
  aggregators: string[];
  /** Also require `discoverable !== false`. */
  strictConsent: boolean;
  /** Instances named in the config file (followed when no flag or FTO_INSTANCES names any). */
  fileInstances: string[];
  /** `--resolve HOST=URL`: where a host is really reached, by host (lower case) → origin. */
  resolve: Record<string, string>;
  /** The config file's `consent` object (ttlMs, unreachableAfterMs, unreachable, paceMs), unparsed. */
  fileConsent: Record<string, unknown>;
}

export interface SourceConfigInput {
  env: NodeJS.ProcessEnv;
  /** `--relay` values, when given. */
  relayFlags?: string[];
  /** `--aggregator` values, when given. */
  aggregatorFlags?: string[];
  /** `--strict-consent`, when given. */
  strictFlag?: boolean;
  /** `--resolve HOST=URL` values, when given. */
  resolveFlags?: string[];
  /** The parsed `--config` JSON file, or null. */
  file: unknown;
  /** Its path, for messages. */
  filePath: string | null;
  /** Normalises an instance URL to its origin; throws with a message naming `source`. */
  parseInstance(raw: string, source: string): string;
  /** Raise a configuration error (the caller's error class, so the CLI exits 2). */
  fail(message: string): never;
}

/**
 * Read tokens from `FTO_TOKENS=https://a=TOKEN,https://b=TOKEN` and from the config file's
 * `instances: { "https://x": { "token": "…" } }` (or `tokens: { "https://x": "…" }`); the
 * environment wins. Error messages name the instance, never the token.
 */
export function parseSourceConfig(input: SourceConfigInput): SourceConfig {
  const { env } = input;
  const fail: (message: string) => never = input.fail;
  const where = input.filePath ?? 'the config file';
  const file = (input.file ?? {}) as Record<string, unknown>;
  if (typeof file !== 'object' || Array.isArray(file)) fail(`${where}: expected a JSON object`);

  const tokens: Record<string, string> = {};
  const fileInstances: string[] = [];
  const instances = file.instances;
  if (Array.isArray(instances)) {
    for (const raw of instances) {
      if (typeof raw !== 'string') fail(`${where}: "instances" must list instance URLs`);
      fileInstances.push(input.parseInstance(raw, `${where}: instances`));
    }
  } else if (instances && typeof instances === 'object') {
    for (const [raw, entry] of Object.entries(instances as Record<string, unknown>)) {
      const origin = input.parseInstance(raw, `${where}: instances`);
      fileInstances.push(origin);
      const token = (entry as { token?: unknown } | null)?.token;
      if (token === undefined || token === null) continue;
      if (typeof token !== 'string' || !token.trim())
        fail(`${where}: instances["${raw}"].token must be a non-empty string`);
      tokens[origin] = token.trim();
    }
  } else if (instances !== undefined) {
    fail(`${where}: "instances" must be an object of { "https://…": { "token": "…" } }`);
  }
  if (file.tokens !== undefined) {
    if (!file.tokens || typeof file.tokens !== 'object' || Array.isArray(file.tokens))
      fail(`${where}: "tokens" must be an object of { "https://…": "token" }`);
    for (const [raw, token] of Object.entries(file.tokens as Record<string, unknown>)) {
      if (typeof token !== 'string' || !token.trim())
        fail(`${where}: tokens["${raw}"] must be a non-empty string`);
      tokens[tokenKey(raw, `${where}: tokens`, input)] = token.trim();
    }
  }
  for (const pair of splitList(env.FTO_TOKENS) ?? []) {
    // The origin has no "=", so the first one separates it from the token (which may contain "=").
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1)
      fail(`FTO_TOKENS: expected https://instance=TOKEN pairs separated by commas`);
    tokens[tokenKey(pair.slice(0, eq), 'FTO_TOKENS', input)] = pair.slice(eq + 1).trim();
  }

  const relaysRaw =
    input.relayFlags ?? splitList(env.FTO_RELAYS) ?? (file.relays as unknown[] | undefined) ?? [];
  const relaySource = input.relayFlags ? '--relay' : env.FTO_RELAYS ? 'FTO_RELAYS' : where;
  if (!Array.isArray(relaysRaw)) fail(`${where}: "relays" must list SSE URLs`);
  const relays = [...new Set(relaysRaw.map((raw) => parseRelay(raw, relaySource, fail)))];

  const aggregatorsRaw =
    input.aggregatorFlags ??
    splitList(env.FTO_AGGREGATORS) ??
    (file.aggregators as unknown[] | undefined) ??
    [];
  const aggregatorSource = input.aggregatorFlags
    ? '--aggregator'
    : env.FTO_AGGREGATORS
      ? 'FTO_AGGREGATORS'
      : `${where}: aggregators`;
  if (!Array.isArray(aggregatorsRaw)) fail(`${where}: "aggregators" must list aggregator URLs`);
  const aggregators = [
    ...new Set(
      aggregatorsRaw.map((raw) => {
        if (typeof raw !== 'string') fail(`${aggregatorSource}: aggregators must be URLs`);
        return input.parseInstance(raw, aggregatorSource);
      }),
    ),
  ];

  let strictConsent = false;
  if (input.strictFlag) strictConsent = true;
  else if (env.FTO_STRICT_CONSENT !== undefined)
    strictConsent = parseBool(env.FTO_STRICT_CONSENT, 'FTO_STRICT_CONSENT', fail);
  else if (file.strictConsent !== undefined) {
    if (typeof file.strictConsent !== 'boolean')
      fail(`${where}: "strictConsent" must be true or false`);
    strictConsent = file.strictConsent;
  }

  // The file's entries first; FTO_RESOLVE and then --resolve win for the same host.
  const resolve: Record<string, string> = {};
  if (file.resolve !== undefined) {
    if (!file.resolve || typeof file.resolve !== 'object' || Array.isArray(file.resolve))
      fail(`${where}: "resolve" must be an object of { "host": "https://where-it-is" }`);
    for (const [host, url] of Object.entries(file.resolve as Record<string, unknown>))
      addResolve(resolve, host, url, `${where}: resolve`, fail);
  }
  for (const [list, source] of [
    [splitList(env.FTO_RESOLVE), 'FTO_RESOLVE'],
    [input.resolveFlags, '--resolve'],
  ] as const)
    for (const pair of list ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0)
        fail(`${source}: "${pair}" is not HOST=URL (like cw.example=http://127.0.0.1:4000)`);
      addResolve(resolve, pair.slice(0, eq), pair.slice(eq + 1), source, fail);
    }
  if (
    file.consent !== undefined &&
    (typeof file.consent !== 'object' || !file.consent || Array.isArray(file.consent))
  )
    fail(`${where}: "consent" must be an object like {"ttlMs": 86400000, "unreachable": "wait"}`);
  const fileConsent = (file.consent ?? {}) as Record<string, unknown>;

  return { tokens, relays, aggregators, strictConsent, fileInstances, resolve, fileConsent };
}

function addResolve(
  into: Record<string, string>,
  rawHost: string,
  rawUrl: unknown,
  source: string,
  fail: (message: string) => never,
): void {
  const host = rawHost.trim().toLowerCase();
  if (!/^[a-z0-9.-]+(:\d+)?$/.test(host)) fail(`${source}: "${rawHost}" is not a host name`);
  let url: URL | null = null;
  try {
    url = typeof rawUrl === 'string' ? new URL(rawUrl.trim()) : null;
  } catch {
    // the message below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/')
    fail(`${source}: "${String(rawUrl)}" for ${host} must be an http(s) origin without a path`);
  into[host] = url.origin;
}

/** Read and parse a JSON file; the message says which file and what is wrong. */
export function readJsonFile(path: string, fail: (message: string) => never): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(
      `--config: cannot read "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(`--config: "${path}" is not JSON: ${(err as Error).message}`);
  }
}

/** A relay keeps its full URL (path and query); an instance token is keyed by origin. */
function tokenKey(raw: string, source: string, input: SourceConfigInput): string {
  try {
    const url = new URL(raw);
    if (url.pathname !== '/' || url.search) return url.href;
  } catch {
    // not absolute: parseInstance adds https:// or says what is wrong
  }
  return input.parseInstance(raw, source);
}

function parseRelay(raw: unknown, source: string, fail: (message: string) => never): string {
  if (typeof raw !== 'string') fail(`${source}: relays must be URLs`);
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // fall through to the message
  }
  fail(`${source}: "${raw}" is not an http(s) URL of an SSE stream`);
}

function parseBool(raw: string, source: string, fail: (message: string) => never): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  return fail(`${source}: "${raw}" is not true or false`);
}
