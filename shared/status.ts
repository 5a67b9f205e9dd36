// The collector's side of the HTTP contract: what GET /api/status says of each source, of the
// reach of all sources, and of consent look-ups (docs/api.md).

/** The state of one collector source (one instance × one tag). */
export type SourceState =
  | 'starting'
  | 'polling'
  | 'streaming'
  | 'backing-off'
  | 'needs-token'
  | 'error'
  /** The request budget is used up (ours, or the server's X-RateLimit-*): `nextAttemptAt` is when it frees. */
  | 'waiting-for-budget';

/** `GET /api/status` → `sources[]`. */
export interface SourceStatus {
  /** Instance origin, e.g. "https://mastodon.social". */
  instance: string;
  /** Campaign tag, lower case, without `#`. */
  tag: string;
  state: SourceState;
  /** ISO time of the last successful request, or null. */
  lastSuccessAt: string | null;
  /** The last error, readable by a person, or null. */
  lastError: string | null;
  /** ISO time of the last error, or null. */
  lastErrorAt: string | null;
  /** Distinct statuses received from this source since start (a re-read post counts once). */
  postsSeen: number;
  /** `X-RateLimit-Remaining` from the last response, when the instance sends it. */
  rateLimitRemaining: number | null;
  /** How it reads: `poll` (REST with min_id), `stream` (WebSocket, with a token), `relay` (SSE firehose). */
  mode?: SourceMode;
  /** ISO time of the next planned request while waiting or backing off, or null. */
  nextAttemptAt?: string | null;
  /** First-start backfill progress; null once it is done. */
  backfill?: BackfillProgress | null;
  /** A hashtag stream found silent is polled instead: ISO time it is tried again, else null. */
  streamRetryAt?: string | null;
  /** An aggregator answering slowly: the extra wait before each request to it (ms, grows while slow), else 0. */
  slowDelayMs?: number;
  /** What the server said it needs for something to work fully, e.g. `an access token to re-check deleted posts (HTTP 401)`. */
  needs?: string[];
}

/** How a collector source reads its posts. */
export type SourceMode = 'poll' | 'stream' | 'relay' | 'aggregator' | 'jetstream';

/** What kind of source: a server's own tag timeline, a firehose, or a tag-search service. */
export type SourceKind = 'instance' | 'relay' | 'aggregator' | 'jetstream';

/** `GET /api/status` → `reach.sources[]`: what one source has contributed (every campaign together). */
export interface SourceReach {
  /** Instance origin, relay or aggregator URL. */
  source: string;
  /** null: no longer configured, but posts it delivered are still stored. */
  kind: SourceKind | null;
  /** Posts this source delivered before any other source did. */
  postsFirst: number;
  /** Posts no other source delivered: without this source they would be missing. */
  postsOnlyHere: number;
}

/** `GET /api/status` → `reach`: which sources find the posts, counted over every post stored. */
export interface ReachStatus {
  /** Configured sources first (most posts first), then former ones. */
  sources: SourceReach[];
  /** Posts stored, deleted ones included (they reached us). */
  postsTotal: number;
  /** Posts exactly one source delivered. */
  postsSeenByOneSourceOnly: number;
  /** Posts stored before first sources were recorded and seen by several sources: which was first is unknown. */
  postsFirstUnknown: number;
  /** ISO time the counts were taken (they are reused for up to 30 s). */
  countedAt: string;
}

/** How far a source's first-start backfill (a max_id walk back to the horizon) has come. */
export interface BackfillProgress {
  /** Statuses read so far. */
  postsRead: number;
  /** The horizon in posts: it stops at this many… */
  targetPosts: number;
  /** …or at this date (ISO), whichever comes first. */
  horizon: string;
  /** `created_at` of the oldest status reached (ISO), or null before the first page. */
  oldestReached: string | null;
  /** Estimated seconds left at the current pace inside the rate budget, or null when unknown. */
  etaSeconds: number | null;
}

/** `GET /api/status`. */
export interface ServerStatus {
  /** Campaign tags followed, lower case. */
  campaigns: string[];
  sources: SourceStatus[];
  /** Which sources found the posts; absent from servers older than this field. */
  reach?: ReachStatus;
  /** Consent asked of authors' home servers; absent from servers older than this field. */
  consent?: ConsentStatus;
}

/** Consent asked of each author's home server (docs/consent.md). */
export interface ConsentStatus {
  /** What happens to an author whose home stays unreachable past `unreachableAfterMs`. */
  unreachablePolicy: 'wait' | 'show';
  /** How long an answer is trusted before the home is asked again (ms). */
  ttlMs: number;
  /** How long a home may fail before the policy applies (ms). */
  unreachableAfterMs: number;
  /** Authors confirmed by their home (or shown by the `show` policy). */
  known: number;
  /** Authors their home said no for (noindex, an opt-out tag, suspended, gone…). */
  refused: number;
  /** Authors not shown because their home has not answered yet. */
  waiting: number;
  /** Of those, how many have waited longer than `unreachableAfterMs`. */
  unreachable: number;
  /** Posts stored but not shown until their author's home answers. */
  waitingPosts: number;
  /** Homes with authors waiting, the most first (at most 50). */
  homes: {
    /** The account domain. */
    home: string;
    /** Authors waiting for it. */
    waiting: number;
    /** When the first of them was first seen (ISO). */
    since: string;
    /** Failed tries in a row of the most-tried one. */
    failures: number;
    lastError: string | null;
    /** When the home is asked next (ISO), if it is backing off. */
    nextAttemptAt: string | null;
  }[];
}
