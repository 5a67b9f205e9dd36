import type { MastodonAccount, MastodonStatus, MastodonVisibility } from '../entities.js';
import type { Fault } from '../faults.js';
import type { Software } from '../id-generator.js';
import type { RateLimitBucket, RateLimitOptions } from '../rate-limiter.js';

export type { Software } from '../id-generator.js';
export type { Fault } from '../faults.js';

/** Who may read a feed, as in 4.5's `configuration.timelines_access`. */
export type FeedAccess = 'public' | 'authenticated' | 'disabled';

/** How to start an instance; every field is optional. */
export interface MastodonInstanceOptions {
  /** LOCAL_DOMAIN: the domain local accounts belong to (default `<software>-<port>.test`). */
  domain?: string;
  /** Instance title (default by software). */
  title?: string;
  /** Which server to imitate, quirks included (default 'mastodon'). */
  software?: Software;
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Version reported by /api/v2/instance (default by software). */
  version?: string;
  /** Throttles (default Mastodon's); one bucket sets all of them; `false` turns limiting off. */
  rateLimit?: false | RateLimitOptions | RateLimitBucket;
  /** Tag timeline needs a token, as with `timeline_preview` off in Mastodon ≤4.4 (default false). */
  requireToken?: boolean;
  /** Accepted bearer tokens (default: any non-empty token). */
  tokens?: string[];
  /** `configuration.timelines_access.hashtag_feeds`, reported and enforced (default 'public'). */
  hashtagFeedsAccess?: FeedAccess | { local: FeedAccess; remote: FeedAccess };
  /** Answer for a tag never used here: Mastodon and snac send `[]`, GoToSocial a 404. */
  unknownTag?: 'empty' | 'not-found';
  /** Streaming needs a token, as since Mastodon 4.2 (default true). */
  streamingRequiresToken?: boolean;
  /** Interval of `:thump` SSE comments and WebSocket pings (default 15 s, as Mastodon). */
  heartbeatMs?: number;
  /**
   * A stream subscription (a WebSocket subscribe message or `?stream=`, an SSE stream) delivers
   * only this long after it is asked for, as when a busy streaming server's Redis SUBSCRIBE is
   * slow; Mastodon sends no acknowledgement either way (default 0: at once).
   */
  subscribeDelayMs?: number;
  /**
   * Serve `GET /api/v1/statuses?id[]=` (Mastodon ≥ 4.3). Default: on for Mastodon 4.3 and later,
   * off for older versions, snac and GoToSocial; off, the path is a 404 like any unknown route.
   */
  multipleStatuses?: boolean;
  /** Accept hashtag streams but deliver nothing on them (default: GoToSocial does this). */
  silentHashtagStreams?: boolean;
  /**
   * What the advertised streaming URL does on a server without streaming (default for snac:
   * 'reset', as snac's `wss://` URL on its plain HTTP port did; 'not-found' answers 404).
   */
  noStreaming?: 'reset' | 'not-found';
  /** Clock for ids, timestamps and rate-limit windows (default Date.now). */
  now?: () => number;
  /**
   * More domains this instance is the home server of (besides `domain`): their accounts are
   * answered as local by the account lookup, WebFinger and profile pages, `noindex` included, so a
   * remote author seen elsewhere can be looked up here (tests point `--resolve` at it).
   */
  homeFor?: string[];
}

/** An account to create or refresh; camelCase, converted to the Account entity. */
export interface AccountInput {
  /** Username without `@` or domain. */
  username: string;
  /** The account's home domain; absent or equal to the instance's domain means local. */
  domain?: string;
  /** Display name, plain text; `:shortcode:` renders with `emojis`. */
  displayName?: string;
  /** Bio as plain text (wrapped into HTML) unless it starts with `<`. */
  note?: string;
  /** Profile fields; values are plain text or HTML. */
  fields?: { name: string; value: string; verifiedAt?: string | null }[];
  /** Custom emoji shortcodes (without colons) used in the name, bio or posts. */
  emojis?: string[];
  bot?: boolean;
  locked?: boolean;
  group?: boolean;
  discoverable?: boolean | null;
  indexable?: boolean;
  /** Only serialised for local accounts, as Mastodon does. */
  noindex?: boolean;
  /** Profile page URL (default `https://<domain>/@<username>`); another host makes a split domain. */
  url?: string;
  suspended?: boolean;
  limited?: boolean;
  /** ISO date of account creation. */
  createdAt?: string;
  /** Avatar URL (default: a generated SVG served by this instance). */
  avatar?: string;
  followersCount?: number;
  followingCount?: number;
}

/** A post to add, local or arriving by federation. */
export interface PostInput {
  /** The author, or the acct (`user` or `user@domain`) of an account already known here. */
  account: AccountInput | string;
  /** Body as HTML, used as is. */
  content?: string;
  /** Body as plain text, wrapped into Mastodon-style HTML. */
  text?: string;
  /** Hashtags (default: the `#hashtags` in the text). */
  tags?: string[];
  language?: string | null;
  /** Default 'public'. */
  visibility?: MastodonVisibility;
  /** When written (default now). */
  createdAt?: string | number | Date;
  /** ActivityPub id; the same uri on several instances is the same post. */
  uri?: string;
  /** Human link (default derived from the uri). */
  url?: string | null;
  spoilerText?: string;
  sensitive?: boolean;
  /** Local id of the parent status. */
  inReplyToId?: string;
  /** uri of the parent status; resolved when this instance knows it. */
  inReplyToUri?: string;
  /** Image attachments, by alt text. */
  media?: { description?: string | null }[];
}

/** Changes for an edit; absent fields stay as they were. */
export type EditInput = Pick<
  PostInput,
  'content' | 'text' | 'tags' | 'language' | 'spoilerText' | 'sensitive'
>;

/** One request as the instance saw it. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** Query parameters; repeated keys (`any[]`) become arrays. */
  query: Record<string, string | string[]>;
  /** The User-Agent header, or null when none was sent. */
  userAgent: string | null;
  /** Whether an Authorization header or access_token was present. */
  authorized: boolean;
  /** Clock time of arrival (ms). */
  time: number;
  /** Status code sent (101 for WebSocket, 0 while none was sent). */
  status: number;
}

/** A running instance and its control surface for tests and the demo. */
export interface MastodonInstance {
  /** Origin, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  /** LOCAL_DOMAIN. */
  domain: string;
  software: Software;
  /** `configuration.urls.streaming`, e.g. `ws://127.0.0.1:PORT`. */
  streamingUrl: string;
  /** Adds a status (idempotent per uri) and streams it; returns it as this instance serves it. */
  post(input: PostInput): MastodonStatus;
  /** Edits a status by local id, sets edited_at and streams `status.update`. */
  edit(id: string, changes: EditInput): MastodonStatus;
  /** Deletes a status by local id and streams `delete`. */
  delete(id: string): void;
  /** A status by local id, unless deleted. */
  status(id: string): MastodonStatus | undefined;
  /** A status by uri, unless deleted. */
  statusByUri(uri: string): MastodonStatus | undefined;
  /** Every status not deleted, newest first. */
  statuses(): MastodonStatus[];
  /** An account by acct as this instance writes it (`user` or `user@domain`). */
  account(acct: string): MastodonAccount | undefined;
  /** Creates or changes an account without a post (a home's profile: noindex, bio, suspended…). */
  putAccount(input: AccountInput): MastodonAccount;
  /** Every request received, oldest first; clear it with `requestLog.length = 0`. */
  requestLog: RequestLogEntry[];
  /** Injects `fault` into the next `count` requests (matching `path`, a prefix or pattern). */
  failNext(count: number, fault: Fault, path?: string | RegExp): void;
  /** Injects `fault` into every request (matching `path`) until called with null. */
  setFault(fault: Fault | null, path?: string | RegExp): void;
  /** Open streaming connections (SSE and WebSocket). */
  openStreams(): number;
  /**
   * Hashtag subscriptions that deliver now. A WebSocket client subscribes by a message after the
   * connection opens, so a post made before this counts it is not streamed (as on Mastodon).
   */
  hashtagSubscriptions(): number;
  /** Make hashtag subscriptions from now on silent or delivering (a server fixed or upgraded). */
  setSilentHashtagStreams(silent: boolean): void;
  /** Ends open streams and stops listening. */
  close(): Promise<void>;
}

/** An account as the instance keeps it. */
export interface AccountRecord {
  id: string;
  username: string;
  domain: string;
  local: boolean;
  input: AccountInput;
  createdAt: string;
}

/** A status as the instance keeps it; `deleted` ones stay for ids and reply counts. */
export interface StatusRecord {
  id: string;
  seq: number;
  uri: string;
  url: string | null;
  account: AccountRecord;
  createdAt: string;
  editedAt: string | null;
  content: string;
  tags: string[];
  language: string | null;
  visibility: MastodonVisibility;
  spoilerText: string;
  sensitive: boolean;
  inReplyTo: StatusRecord | null;
  mentions: AccountRecord[];
  media: { id: string; description: string | null }[];
  deleted: boolean;
}
