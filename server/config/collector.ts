import type { Flags } from './args.js';
import { ConfigError, parseIntIn, splitList, unique } from './values.js';

/** The large instances followed when none are configured: the campaign is public there. */
export const defaultInstances = [
  'https://mastodon.social',
  'https://mastodon.online',
  'https://mstdn.social',
  'https://hachyderm.io',
];

const defaults = {
  pollIntervalMs: 30_000, // 120 polls/hour per tag: far inside the 300 per 15 min paging bucket
  backfillPosts: 2000, // per instance and tag on first start: 50 pages
  backfillDays: 365, // ...or a year back, whichever comes first
  userAgent: 'FindTheOthers/0.1 (+https://github.com/find-the-others/find-the-others)',
};

/** How the collector reads the instances: which, how often, how far back, and as whom. */
export interface CollectorConfig {
  /** Mastodon-compatible instance origins, e.g. "https://mastodon.social". */
  instances: string[];
  /** Wait between polls of one instance when it has nothing new (ms). */
  pollIntervalMs: number;
  /** How far back to read on first start, per instance and tag: whichever comes first. */
  backfill: { posts: number; days: number };
  /** Sent on every request to an instance: identifies us, as GoToSocial and Nominatim require. */
  userAgent: string;
}

/** `--instance`, else FTO_INSTANCES, else the config file's instances, else the defaults. */
export function parseInstances(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  fileInstances: string[],
): string[] {
  return unique(
    (
      flags.instance ??
      splitList(env.FTO_INSTANCES) ??
      (fileInstances.length ? fileInstances : null) ??
      defaultInstances
    ).map((u) => parseInstance(u, flags.instance ? '--instance' : 'FTO_INSTANCES')),
  );
}

/** The poll interval, the backfill and the User-Agent. */
export function parseCollectorTiming(
  flags: Flags,
  env: NodeJS.ProcessEnv,
): Omit<CollectorConfig, 'instances'> {
  return {
    pollIntervalMs: parseIntIn(
      flags['poll-interval'] ?? env.FTO_POLL_INTERVAL_MS,
      flags['poll-interval'] ? '--poll-interval' : 'FTO_POLL_INTERVAL_MS',
      defaults.pollIntervalMs,
      100,
      24 * 3600_000,
    ),
    backfill: {
      posts: parseIntIn(
        flags['backfill-posts'] ?? env.FTO_BACKFILL_POSTS,
        flags['backfill-posts'] ? '--backfill-posts' : 'FTO_BACKFILL_POSTS',
        defaults.backfillPosts,
        0,
        1_000_000,
      ),
      days: parseIntIn(
        flags['backfill-days'] ?? env.FTO_BACKFILL_DAYS,
        flags['backfill-days'] ? '--backfill-days' : 'FTO_BACKFILL_DAYS',
        defaults.backfillDays,
        0,
        36_500,
      ),
    },
    userAgent: env.FTO_USER_AGENT ?? defaults.userAgent,
  };
}

/** An instance URL ("mastodon.social", "https://mastodon.social/") as its origin. */
export function parseInstance(raw: string, source: string): string {
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
