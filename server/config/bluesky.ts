import type { Flags } from './args.js';
import { ConfigError, splitList, unique } from './values.js';

/** Bluesky's public services (https://github.com/bluesky-social/jetstream, https://docs.bsky.app). */
export const blueskyDefaults = {
  enabled: true, // on, like the default Mastodon instances; --no-bluesky or FTO_BLUESKY=0 turns it off
  jetstreams: [
    'wss://jetstream1.us-east.bsky.network/subscribe',
    'wss://jetstream2.us-east.bsky.network/subscribe',
    'wss://jetstream1.us-west.bsky.network/subscribe',
    'wss://jetstream2.us-west.bsky.network/subscribe',
  ], // Bluesky's four public Jetstream instances, tried in this order
  appViews: ['https://public.api.bsky.app'], // the public, unauthenticated AppView
  pds: 'https://bsky.social', // where an app password logs in for search (FTO_BLUESKY_PDS for another host)
};

/** Bluesky, the second network: where its firehose and profiles come from, and an optional login. */
export interface BlueskyConfig {
  enabled: boolean;
  /** Turned off in so many words (`--no-bluesky`, FTO_BLUESKY=0): the demo leaves it off too. */
  switchedOff: boolean;
  /** Jetstream subscribe URLs (wss://…/subscribe), failed over in order. */
  jetstreams: string[];
  /** AppView origins for profiles and labels. */
  appViews: string[];
  /** The handle or DID and app password for searchPosts (backfill); never logged. */
  login: { identifier: string; appPassword: string } | null;
  /** Where the login and the search go (the account's PDS). */
  pds: string;
}

/**
 * `--bluesky`/`--no-bluesky` (FTO_BLUESKY), `--jetstream URL` (repeatable; FTO_JETSTREAM=url,url),
 * `--bsky-appview URL` (FTO_BSKY_APPVIEW), `--bluesky-identifier` and `--bluesky-app-password`
 * (FTO_BLUESKY_IDENTIFIER, FTO_BLUESKY_APP_PASSWORD). On by default; naming a Jetstream turns it on
 * even if the defaults were off.
 */
export function parseBlueskyConfig(flags: Flags, env: NodeJS.ProcessEnv): BlueskyConfig {
  if (flags.bluesky && flags['no-bluesky'])
    throw new ConfigError('--bluesky and --no-bluesky contradict each other: give one');
  const jetstreamRaw = flags.jetstream ?? splitList(env.FTO_JETSTREAM);
  const jetstreamSource = flags.jetstream ? '--jetstream' : 'FTO_JETSTREAM';
  const appViewRaw = flags['bsky-appview'] ?? splitList(env.FTO_BSKY_APPVIEW);
  const appViewSource = flags['bsky-appview'] ? '--bsky-appview' : 'FTO_BSKY_APPVIEW';
  let enabled = blueskyDefaults.enabled;
  let switchedOff = false;
  if (flags.bluesky) enabled = true;
  else if (flags['no-bluesky']) switchedOff = true;
  else if (env.FTO_BLUESKY !== undefined && env.FTO_BLUESKY.trim() !== '')
    switchedOff = !(enabled = parseSwitch(env.FTO_BLUESKY, 'FTO_BLUESKY'));
  else if (jetstreamRaw) enabled = true;
  if (switchedOff) enabled = false;

  const identifier = flags['bluesky-identifier'] ?? env.FTO_BLUESKY_IDENTIFIER;
  const appPassword = flags['bluesky-app-password'] ?? env.FTO_BLUESKY_APP_PASSWORD;
  if (Boolean(identifier?.trim()) !== Boolean(appPassword?.trim()))
    throw new ConfigError(
      identifier?.trim()
        ? `--bluesky-identifier "${identifier}" needs --bluesky-app-password (or FTO_BLUESKY_APP_PASSWORD) too`
        : '--bluesky-app-password needs --bluesky-identifier (or FTO_BLUESKY_IDENTIFIER) too',
    );

  return {
    enabled,
    switchedOff,
    jetstreams: unique(
      (jetstreamRaw ?? blueskyDefaults.jetstreams).map((u) => parseJetstream(u, jetstreamSource)),
    ),
    appViews: unique(
      (appViewRaw ?? blueskyDefaults.appViews).map((u) => parseOrigin(u, appViewSource)),
    ),
    login:
      identifier?.trim() && appPassword?.trim()
        ? { identifier: identifier.trim(), appPassword: appPassword.trim() }
        : null,
    pds: env.FTO_BLUESKY_PDS
      ? parseOrigin(env.FTO_BLUESKY_PDS, 'FTO_BLUESKY_PDS')
      : blueskyDefaults.pds,
  };
}

/** A Jetstream URL: ws(s), with `/subscribe` added when only the host is given. */
export function parseJetstream(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw.trim() : `wss://${raw.trim()}`);
  } catch {
    throw new ConfigError(
      `${source}: "${raw}" is not a Jetstream URL (like wss://jetstream2.us-east.bsky.network)`,
    );
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw new ConfigError(`${source}: "${raw}" must be a ws:// or wss:// URL`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/subscribe';
  url.search = '';
  return url.href;
}

function parseOrigin(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${source}: "${raw}" is not a URL (like https://public.api.bsky.app)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`${source}: "${raw}" must be an http(s) URL`);
  return url.origin;
}

function parseSwitch(raw: string, source: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${source}: "${raw}" is not true or false`);
}
