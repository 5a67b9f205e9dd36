import type { Software } from '../id-generator.js';
import { isAtLeast } from './params.js';
import type { FeedAccess, MastodonInstanceOptions } from './types.js';

const SOFTWARE_DEFAULTS: Record<Software, { title: string; version: string; sourceUrl: string }> = {
  mastodon: {
    title: 'Mastodon',
    version: '4.5.0',
    sourceUrl: 'https://github.com/mastodon/mastodon',
  },
  snac: {
    title: 'snac',
    version: '4.0.0 (not true; really snac/2.94)',
    sourceUrl: 'https://codeberg.org/grunfink/snac2',
  },
  gotosocial: {
    title: 'GoToSocial',
    version: '0.19.1',
    sourceUrl: 'https://github.com/superseriousbusiness/gotosocial',
  },
};

/** `DEFAULT_STATUSES_LIMIT` in Mastodon's Api::BaseController: the most ids `GET /api/v1/statuses` takes. */
export const MULTIPLE_STATUSES_LIMIT = 20;

/** How this instance behaves: its software's defaults and quirks, with the options applied. */
export interface Quirks {
  software: Software;
  title: string;
  /** Reported by /api/v1/instance, /api/v2/instance and NodeInfo. */
  version: string;
  sourceUrl: string;
  heartbeatMs: number;
  /** A stream subscription delivers only this long after it is asked for. */
  subscribeDelayMs: number;
  /** Answer for a tag never used here: Mastodon and snac send `[]`, GoToSocial a 404. */
  unknownTag: 'empty' | 'not-found';
  /** Serves `GET /api/v1/statuses?id[]=` (Mastodon ≥ 4.3). */
  multipleStatuses: boolean;
  /** Hashtag subscriptions deliver nothing (GoToSocial); tests may change it while running. */
  silentHashtags: boolean;
  streamingRequiresToken: boolean;
  /** What the advertised streaming URL does on a server without streaming. */
  noStreaming: 'reset' | 'not-found' | null;
  /** `configuration.timelines_access.hashtag_feeds`, reported and enforced. */
  feedAccess: { local: FeedAccess; remote: FeedAccess };
}

/** The quirks of `options.software` (default Mastodon), each overridable by an option. */
export function toQuirks(options: MastodonInstanceOptions): Quirks {
  const software = options.software ?? 'mastodon';
  const defaults = SOFTWARE_DEFAULTS[software];
  const version = options.version ?? defaults.version;
  return {
    software,
    title: options.title ?? defaults.title,
    version,
    sourceUrl: defaults.sourceUrl,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    subscribeDelayMs: options.subscribeDelayMs ?? 0,
    unknownTag: options.unknownTag ?? (software === 'gotosocial' ? 'not-found' : 'empty'),
    multipleStatuses:
      options.multipleStatuses ?? (software === 'mastodon' && isAtLeast(version, 4, 3)),
    silentHashtags: options.silentHashtagStreams ?? software === 'gotosocial',
    streamingRequiresToken: software === 'gotosocial' || (options.streamingRequiresToken ?? true),
    noStreaming: options.noStreaming ?? (software === 'snac' ? 'reset' : null),
    feedAccess:
      typeof options.hashtagFeedsAccess === 'object'
        ? options.hashtagFeedsAccess
        : {
            local: options.hashtagFeedsAccess ?? 'public',
            remote: options.hashtagFeedsAccess ?? 'public',
          },
  };
}
