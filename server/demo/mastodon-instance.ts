import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { toAvatarSvg } from './avatar-svg.js';
import type {
  MastodonAccount,
  MastodonCustomEmoji,
  MastodonField,
  MastodonMention,
  MastodonStatus,
  MastodonVisibility,
} from './entities.js';
import { faultMatches, toFaultBody, type Fault, type FaultRule } from './faults.js';
import { createIdGenerator, type Software } from './id-generator.js';
import { paginate } from './paginate.js';
import {
  createRateLimiter,
  toRateLimitHeaders,
  type RateLimitBucket,
  type RateLimitOptions,
} from './rate-limiter.js';
import {
  escapeHtml,
  extractHashtags,
  extractMentions,
  normalizeHashtag,
  toStatusHtml,
} from './status-html.js';
import { acceptWebSocket } from './web-socket.js';

export type { Software } from './id-generator.js';
export type { Fault } from './faults.js';

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
  /** Make hashtag subscriptions from now on silent or delivering (a server fixed or upgraded). */
  setSilentHashtagStreams(silent: boolean): void;
  /** Ends open streams and stops listening. */
  close(): Promise<void>;
}

interface AccountRecord {
  id: string;
  username: string;
  domain: string;
  local: boolean;
  input: AccountInput;
  createdAt: string;
}

interface StatusRecord {
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

type Channel = 'public' | 'public:local' | 'public:remote' | 'hashtag' | 'hashtag:local';

interface Subscriber {
  channel: Channel;
  tag: string | null;
  /** GoToSocial accepts hashtag streams but never delivers on them. */
  silent: boolean;
  deliver(event: string, payload: string): void;
}

interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  entry: RequestLogEntry;
  /** Headers every response gets (rate limits). */
  headers: Record<string, string>;
  truncate: boolean;
}

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

const STREAM_PATHS: Record<string, Channel> = {
  '/api/v1/streaming/public': 'public',
  '/api/v1/streaming/public/local': 'public:local',
  '/api/v1/streaming/public/remote': 'public:remote',
  '/api/v1/streaming/hashtag': 'hashtag',
  '/api/v1/streaming/hashtag/local': 'hashtag:local',
};

/** Starts a Mastodon-compatible instance on 127.0.0.1 that serves the real wire format. */
export async function startMastodonInstance(
  options: MastodonInstanceOptions = {},
): Promise<MastodonInstance> {
  const software = options.software ?? 'mastodon';
  const now = options.now ?? Date.now;
  const nextId = createIdGenerator(software, now);
  const defaults = SOFTWARE_DEFAULTS[software];
  const title = options.title ?? defaults.title;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const unknownTag = options.unknownTag ?? (software === 'gotosocial' ? 'not-found' : 'empty');
  const multipleStatuses =
    options.multipleStatuses ??
    (software === 'mastodon' && isAtLeast(options.version ?? defaults.version, 4, 3));
  let silentHashtags = options.silentHashtagStreams ?? software === 'gotosocial';
  const streamingRequiresToken =
    software === 'gotosocial' || (options.streamingRequiresToken ?? true);
  const noStreaming = options.noStreaming ?? (software === 'snac' ? 'reset' : null);
  const feedAccess =
    typeof options.hashtagFeedsAccess === 'object'
      ? options.hashtagFeedsAccess
      : {
          local: options.hashtagFeedsAccess ?? 'public',
          remote: options.hashtagFeedsAccess ?? 'public',
        };
  const limiter =
    options.rateLimit === false
      ? null
      : createRateLimiter(
          options.rateLimit && 'limit' in options.rateLimit
            ? { api: options.rateLimit, paging: options.rateLimit, token: options.rateLimit }
            : (options.rateLimit ?? {}),
          now,
        );

  const accounts = new Map<string, AccountRecord>();
  const records: StatusRecord[] = [];
  const byId = new Map<string, StatusRecord>();
  const byUri = new Map<string, StatusRecord>();
  const usedTags = new Set<string>();
  const subscribers = new Set<Subscriber>();
  const closers = new Set<() => void>();
  const faults: FaultRule[] = [];
  const requestLog: RequestLogEntry[] = [];
  let seq = 0;

  const server = createServer((req, res) => void handle(req, res));
  server.on('upgrade', (req, socket) => upgrade(req, socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const streamingUrl = `ws://127.0.0.1:${port}`;
  const domain = options.domain ?? `${software}-${port}.test`;

  function isValidToken(token: string | null): token is string {
    return !!token && (options.tokens ? options.tokens.includes(token) : true);
  }

  function tokenOf(req: IncomingMessage, url: URL): string | null {
    const header = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    return header?.[1] ?? url.searchParams.get('access_token');
  }

  function upsertAccount(input: AccountInput | string): AccountRecord {
    if (typeof input === 'string') {
      const found = accounts.get(keyOf(input.includes('@') ? input : `${input}@${domain}`));
      if (!found) throw new Error(`no account "${input}" on ${domain}; pass an AccountInput first`);
      return found;
    }
    const home = (input.domain ?? domain).toLowerCase();
    const key = keyOf(`${input.username}@${home}`);
    const existing = accounts.get(key);
    if (existing) {
      existing.input = { ...existing.input, ...input };
      return existing;
    }
    const record: AccountRecord = {
      id: nextId(key),
      username: input.username,
      domain: home,
      local: home === domain.toLowerCase(),
      input,
      createdAt: input.createdAt ?? new Date(now()).toISOString(),
    };
    accounts.set(key, record);
    return record;
  }

  function emoji(shortcode: string): MastodonCustomEmoji {
    const url = `${origin}/emoji/${encodeURIComponent(shortcode)}.svg`;
    return { shortcode, url, static_url: url, visible_in_picker: true, category: null };
  }

  function emojisIn(text: string, shortcodes: string[]): MastodonCustomEmoji[] {
    return shortcodes.filter((code) => text.includes(`:${code}:`)).map(emoji);
  }

  /** Whether this instance is the account's home (its own domain, or one of `homeFor`). */
  const homeDomains = new Set([domain, ...(options.homeFor ?? [])].map((d) => d.toLowerCase()));
  const isHome = (record: AccountRecord) => record.local || homeDomains.has(record.domain);

  /** The Account entity; `asHome` serialises it as the home server does (acct `user`, noindex). */
  function toAccount(record: AccountRecord, asHome = record.local): MastodonAccount {
    const input = record.input;
    const profile = input.url ?? `https://${record.domain}/@${record.username}`;
    const avatar =
      input.avatar ??
      `${origin}/avatars/${encodeURIComponent(`${record.username}@${record.domain}`)}.svg`;
    const own = records.filter((status) => status.account === record && !status.deleted);
    const latest = own.reduce<string | null>(
      (max, s) => (max && max > s.createdAt ? max : s.createdAt),
      null,
    );
    const suspended = input.suspended === true;
    const note = input.note ?? '';
    const fields: MastodonField[] = (input.fields ?? []).map((field) => ({
      name: field.name,
      value: field.value.startsWith('<') ? field.value : escapeHtml(field.value),
      verified_at: field.verifiedAt ?? null,
    }));
    const shortcodes = input.emojis ?? [];
    const account: MastodonAccount = {
      id: record.id,
      username: record.username,
      acct: asHome ? record.username : `${record.username}@${record.domain}`,
      // Mastodon blanks the profile of suspended accounts.
      display_name: suspended ? '' : (input.displayName ?? ''),
      locked: input.locked ?? false,
      bot: input.bot ?? false,
      discoverable: input.discoverable === undefined ? true : input.discoverable,
      indexable: input.indexable ?? false,
      group: input.group ?? false,
      created_at: `${record.createdAt.slice(0, 10)}T00:00:00.000Z`,
      note: suspended
        ? ''
        : note.startsWith('<')
          ? note
          : note
            ? toStatusHtml(note, record.domain)
            : '',
      url: profile,
      uri: `https://${record.domain}/users/${record.username}`,
      avatar,
      avatar_static: avatar,
      header: `${origin}/headers/original/missing.png`,
      header_static: `${origin}/headers/original/missing.png`,
      followers_count: input.followersCount ?? 0,
      following_count: input.followingCount ?? 0,
      statuses_count: own.length,
      last_status_at: latest ? latest.slice(0, 10) : null,
      emojis: suspended ? [] : emojisIn(`${input.displayName ?? ''} ${note}`, shortcodes),
      fields: suspended ? [] : fields,
    };
    // https://docs.joinmastodon.org/entities/Account/#noindex: serialised for local users only.
    if (asHome) account.noindex = input.noindex ?? false;
    if (suspended) account.suspended = true;
    if (input.limited) account.limited = true;
    return account;
  }

  function toMention(record: AccountRecord): MastodonMention {
    return {
      id: record.id,
      username: record.username,
      url: `https://${record.domain}/@${record.username}`,
      acct: record.local ? record.username : `${record.username}@${record.domain}`,
    };
  }

  function toStatus(record: StatusRecord): MastodonStatus {
    return {
      id: record.id,
      created_at: record.createdAt,
      in_reply_to_id: record.inReplyTo?.id ?? null,
      in_reply_to_account_id: record.inReplyTo?.account.id ?? null,
      sensitive: record.sensitive,
      spoiler_text: record.spoilerText,
      visibility: record.visibility,
      language: record.language,
      uri: record.uri,
      url: record.url,
      replies_count: records.filter((s) => s.inReplyTo === record && !s.deleted).length,
      reblogs_count: 0,
      favourites_count: 0,
      edited_at: record.editedAt,
      content: record.content,
      reblog: null,
      // Mastodon only names the posting app for its own users' statuses.
      ...(record.account.local ? { application: { name: 'Web', website: null } } : {}),
      account: toAccount(record.account),
      media_attachments: record.media.map((media) => ({
        id: media.id,
        type: 'image',
        url: `${origin}/media/${media.id}.svg`,
        preview_url: `${origin}/media/${media.id}.svg`,
        remote_url: record.account.local
          ? null
          : `https://${record.account.domain}/media/${media.id}.svg`,
        meta: {},
        description: media.description,
        blurhash: null,
      })),
      mentions: record.mentions.map(toMention),
      tags: record.tags.map((name) => ({
        name,
        url: `https://${domain}/tags/${encodeURIComponent(name)}`,
      })),
      emojis: emojisIn(record.content, record.account.input.emojis ?? []),
      card: null,
      poll: null,
    };
  }

  function streamMatches(subscriber: Subscriber, record: StatusRecord): boolean {
    if (subscriber.silent || record.visibility !== 'public') return false;
    if (subscriber.channel.endsWith(':local') && !record.account.local) return false;
    if (subscriber.channel === 'public:remote' && record.account.local) return false;
    return !subscriber.channel.startsWith('hashtag') || record.tags.includes(subscriber.tag ?? '');
  }

  function publish(record: StatusRecord, event: 'update' | 'status.update' | 'delete') {
    const payload = event === 'delete' ? record.id : JSON.stringify(toStatus(record));
    for (const subscriber of subscribers) {
      // GoToSocial sends deletes to its AllStatusTimelines (public, local, user, direct, list): no hashtag.
      const skip =
        event === 'delete' && software === 'gotosocial' && subscriber.channel.startsWith('hashtag');
      if (!skip && streamMatches(subscriber, record)) subscriber.deliver(event, payload);
    }
  }

  function tagsOf(input: Pick<PostInput, 'tags' | 'text' | 'content'>): string[] {
    if (input.tags) return [...new Set(input.tags.map(normalizeHashtag))];
    return extractHashtags(input.text ?? (input.content ?? '').replace(/<[^>]*>/g, ' '));
  }

  function post(input: PostInput): MastodonStatus {
    const existing = input.uri ? byUri.get(input.uri) : undefined;
    if (existing && !existing.deleted) return toStatus(existing);
    const account = upsertAccount(input.account);
    const id = nextId(input.uri ?? `${account.username}:${seq}`);
    const uri = input.uri ?? `https://${account.domain}/users/${account.username}/statuses/${id}`;
    const parent = input.inReplyToId
      ? byId.get(input.inReplyToId)
      : input.inReplyToUri
        ? byUri.get(input.inReplyToUri)
        : undefined;
    const record: StatusRecord = {
      id,
      seq: ++seq,
      uri,
      url: input.url !== undefined ? input.url : toStatusUrl(uri),
      account,
      createdAt: new Date(input.createdAt ?? now()).toISOString(),
      editedAt: null,
      content: input.content ?? toStatusHtml(input.text ?? '', account.domain),
      tags: tagsOf(input),
      language: input.language === undefined ? 'en' : input.language,
      visibility: input.visibility ?? 'public',
      spoilerText: input.spoilerText ?? '',
      sensitive: input.sensitive ?? false,
      inReplyTo: parent && !parent.deleted ? parent : null,
      mentions: extractMentions(input.text ?? '', account.domain).map((m) =>
        upsertAccount({ username: m.username, domain: m.domain }),
      ),
      media: (input.media ?? []).map((media) => ({
        id: nextId(`${uri}#media`),
        description: media.description ?? null,
      })),
      deleted: false,
    };
    records.push(record);
    byId.set(id, record);
    byUri.set(uri, record);
    for (const tag of record.tags) usedTags.add(tag);
    publish(record, 'update');
    return toStatus(record);
  }

  function live(id: string): StatusRecord {
    const record = byId.get(id);
    if (!record || record.deleted) throw new Error(`no status "${id}" on ${domain}`);
    return record;
  }

  function edit(id: string, changes: EditInput): MastodonStatus {
    const record = live(id);
    if (changes.text !== undefined || changes.content !== undefined) {
      record.content = changes.content ?? toStatusHtml(changes.text ?? '', record.account.domain);
      record.tags = tagsOf(changes);
    } else if (changes.tags) record.tags = tagsOf(changes);
    if (changes.language !== undefined) record.language = changes.language;
    if (changes.spoilerText !== undefined) record.spoilerText = changes.spoilerText;
    if (changes.sensitive !== undefined) record.sensitive = changes.sensitive;
    record.editedAt = new Date(now()).toISOString();
    for (const tag of record.tags) usedTags.add(tag);
    publish(record, 'status.update');
    return toStatus(record);
  }

  function remove(id: string): void {
    const record = live(id);
    record.deleted = true;
    byUri.delete(record.uri);
    publish(record, 'delete');
  }

  function send(
    ctx: RequestContext,
    status: number,
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
  ) {
    ctx.entry.status = status;
    ctx.res.writeHead(status, {
      'Content-Type': contentType,
      'Content-Length': String(Buffer.byteLength(body)),
      ...ctx.headers,
      ...headers,
    });
    if (ctx.truncate) {
      ctx.res.write(body.slice(0, Math.floor(body.length / 2)));
      ctx.res.socket?.destroy();
      return;
    }
    ctx.res.end(ctx.req.method === 'HEAD' ? undefined : body);
  }

  function json(
    ctx: RequestContext,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
  ) {
    send(ctx, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
  }

  function takeFault(path: string): Fault | null {
    const rule = faults.find((candidate) => faultMatches(candidate, path));
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining <= 0) faults.splice(faults.indexOf(rule), 1);
    return rule.fault;
  }

  /** Writes `[` and then the same status over and over, respecting backpressure, until the client goes. */
  function endlessBody(ctx: RequestContext) {
    ctx.entry.status = 200;
    ctx.res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...ctx.headers });
    const item = JSON.stringify({ id: '1', content: 'x'.repeat(1000) }) + ',';
    const chunk = item.repeat(Math.ceil(65_536 / item.length));
    ctx.res.write('[');
    const pump = () => {
      while (!ctx.res.destroyed && ctx.res.write(chunk));
    };
    ctx.res.on('drain', pump);
    pump();
  }

  /** Applies a fault; returns true when the request is finished with. */
  async function applyFault(ctx: RequestContext, fault: Fault): Promise<boolean> {
    switch (fault.kind) {
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return false;
      case 'truncated-json':
        ctx.truncate = true;
        return false;
      case 'hang':
        return true;
      case 'reset':
        ctx.req.socket.resetAndDestroy();
        return true;
      case 'malformed-json':
        send(ctx, 200, '[{"id":"1","created_at":', 'application/json; charset=utf-8');
        return true;
      case 'endless-body':
        endlessBody(ctx);
        return true;
      case 'json':
        json(ctx, 200, fault.body);
        return true;
      case 'status': {
        const { body, contentType } = toFaultBody(fault.status);
        const headers =
          fault.status === 429
            ? toRateLimitHeaders({
                limited: true,
                limit: 300,
                remaining: 0,
                resetAtMs: now() + 60_000,
              })
            : {};
        send(ctx, fault.status, body, contentType, headers);
        return true;
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: toQueryObject(url.searchParams),
      userAgent: req.headers['user-agent'] ?? null,
      authorized: !!req.headers.authorization || url.searchParams.has('access_token'),
      time: now(),
      status: 0,
    };
    requestLog.push(entry);
    const ctx: RequestContext = { req, res, url, entry, headers: {}, truncate: false };
    const fault = takeFault(url.pathname);
    if (fault && (await applyFault(ctx, fault))) return;
    // GoToSocial answers every request without a User-Agent with 418.
    if (software === 'gotosocial' && !req.headers['user-agent']) {
      return json(ctx, 418, { error: "I'm a teapot: no user-agent sent with request" });
    }
    if (url.pathname.startsWith('/api/v1/streaming')) return streamOverSse(ctx);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(ctx, 404, { error: 'Record not found' });
    if (url.pathname.startsWith('/api/')) {
      const token = tokenOf(req, url);
      const limit = limiter?.hit({
        ip: req.socket.remoteAddress ?? '',
        token: isValidToken(token) ? token : null,
        paging: ['page', 'min_id', 'max_id', 'since_id'].some((key) => !!url.searchParams.get(key)),
      });
      // snac sends no rate-limit headers at all.
      if (limit && software !== 'snac') ctx.headers = toRateLimitHeaders(limit);
      if (limit?.limited) return json(ctx, 429, { error: 'Too many requests' });
    }
    route(ctx);
  }

  function route(ctx: RequestContext) {
    const path = ctx.url.pathname;
    let match: RegExpExecArray | null;
    // snac has only v1 (mastoapi.c), and answers what it does not know with an HTML page.
    if (path === '/api/v2/instance' && software === 'snac') return snacNotFound(ctx);
    if (path === '/api/v2/instance') return json(ctx, 200, instanceV2());
    if (path === '/api/v1/instance') return json(ctx, 200, instanceV1());
    if ((match = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(path))) {
      return tagTimeline(ctx, decodeURIComponent(match[1]!));
    }
    if (path === '/api/v1/statuses' && multipleStatuses) return statusesById(ctx);
    if ((match = /^\/api\/v1\/statuses\/([^/]+)$/.exec(path))) {
      const authed = isValidToken(tokenOf(ctx.req, ctx.url));
      // snac (mastoapi.c) and GoToSocial (oauth.Authed with requireToken) show a status only to a logged-in user.
      if (!authed && software === 'snac') return send(ctx, 401, '', 'text/html; charset=utf-8');
      if (!authed && software === 'gotosocial')
        return json(ctx, 401, { error: 'Unauthorized: token not supplied' });
      const record = byId.get(match[1]!);
      if (record && readable(record, authed)) return json(ctx, 200, toStatus(record));
      // snac leaves an unknown or deleted status unanswered, and its httpd sends the HTML 404 page.
      return software === 'snac'
        ? snacNotFound(ctx)
        : json(ctx, 404, {
            error: software === 'gotosocial' ? 'Not Found: status not found' : 'Record not found',
          });
    }
    if (path === '/api/v1/accounts/lookup') {
      // snac has no lookup: an unknown route there is a plain 404.
      if (software === 'snac') return send(ctx, 404, 'Not Found', 'text/plain');
      // https://docs.joinmastodon.org/methods/accounts/#lookup: local accounts and known remote ones.
      const acct = (ctx.url.searchParams.get('acct') ?? '').replace(/^@/, '');
      const record = accounts.get(keyOf(acct.includes('@') ? acct : `${acct}@${domain}`));
      return record
        ? json(ctx, 200, toAccount(record, isHome(record)))
        : json(ctx, 404, { error: 'Record not found' });
    }
    if (path === '/.well-known/webfinger') return webfinger(ctx);
    if (path === '/.well-known/nodeinfo') {
      return json(ctx, 200, {
        links: [
          {
            rel: 'http://nodeinfo.diaspora.software/ns/schema/2.0',
            href: `https://${domain}/nodeinfo/2.0`,
          },
        ],
      });
    }
    if (path === '/nodeinfo/2.0') {
      return json(ctx, 200, {
        version: '2.0',
        software: { name: software, version: options.version ?? defaults.version },
        protocols: ['activitypub'],
        openRegistrations: false,
        usage: { users: {} },
        metadata: {},
      });
    }
    if ((match = /^\/@([^/]+)$/.exec(path))) return profilePage(ctx, decodeURIComponent(match[1]!));
    if ((match = /^\/api\/v1\/accounts\/([^/]+)$/.exec(path))) {
      const record = [...accounts.values()].find((account) => account.id === match![1]);
      return record
        ? json(ctx, 200, toAccount(record))
        : json(ctx, 404, { error: 'Record not found' });
    }
    if ((match = /^\/(avatars|emoji|media)\/([^/]+)\.svg$/.exec(path))) {
      const name = decodeURIComponent(match[2]!);
      const account = accounts.get(keyOf(name));
      const label = account?.input.displayName || account?.username || name.split('@')[0]!;
      return send(ctx, 200, toAvatarSvg(label, name), 'image/svg+xml', {
        'Cache-Control': 'public, max-age=86400',
      });
    }
    if (software === 'snac') return snacNotFound(ctx);
    json(ctx, 404, { error: 'Record not found' });
  }

  /** snac's httpd.c answers every request no handler took with this page, `id[]=` included. */
  function snacNotFound(ctx: RequestContext) {
    send(ctx, 404, '<h1>404 Not Found (snac/2.94)</h1>', 'text/html; charset=utf-8');
  }

  /** The home's account for `user@domain` (or `user`), or undefined when this is not its home. */
  function homeAccount(acct: string): AccountRecord | undefined {
    const record = accounts.get(keyOf(acct.includes('@') ? acct : `${acct}@${domain}`));
    return record && isHome(record) ? record : undefined;
  }

  /** WebFinger (RFC 7033) as Mastodon answers it: subject, aliases, self and profile-page links. */
  function webfinger(ctx: RequestContext) {
    const resource = ctx.url.searchParams.get('resource') ?? '';
    const record = homeAccount(resource.replace(/^acct:/, ''));
    if (!record || record.input.suspended) return json(ctx, 404, { error: 'Record not found' });
    const page = new URL(record.input.url ?? `https://${record.domain}/@${record.username}`);
    const actor = `https://${page.host}/users/${record.username}`;
    send(
      ctx,
      200,
      JSON.stringify({
        subject: `acct:${record.username}@${record.domain}`,
        aliases: [page.href, actor],
        links: [
          { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: page.href },
          { rel: 'self', type: 'application/activity+json', href: actor },
        ],
      }),
      'application/jrd+json; charset=utf-8',
    );
  }

  /** A profile page as the home renders it: the robots meta for noindex, the bio in the description. */
  function profilePage(ctx: RequestContext, name: string) {
    const record = homeAccount(name);
    if (!record) return send(ctx, 404, '<!DOCTYPE html><title>Not found</title>', 'text/html');
    if (record.input.suspended)
      return send(ctx, 410, '<!DOCTYPE html><title>Gone</title>', 'text/html');
    const bio = (record.input.note ?? '').replace(/<[^>]*>/g, ' ');
    const fields = (record.input.fields ?? []).map((f) => `${f.name}: ${f.value}`).join(' · ');
    const description = escapeHtml([bio, fields].filter(Boolean).join(' '));
    const robots = record.input.noindex
      ? '\n<meta name="robots" content="noindex, noarchive">'
      : '';
    send(
      ctx,
      200,
      `<!DOCTYPE html>\n<html><head><meta charset="utf-8">${robots}\n<meta name="description" content="${description}">\n<meta property="og:description" content="${description}">\n<title>${escapeHtml(record.input.displayName ?? record.username)}</title></head><body></body></html>`,
      'text/html; charset=utf-8',
    );
  }

  /** Whether `GET /api/v1/statuses/:id` shows a status (StatusPolicy#show?, simplified). */
  function readable(record: StatusRecord, authed: boolean): boolean {
    return !record.deleted && (['public', 'unlisted'].includes(record.visibility) || authed);
  }

  /**
   * `GET /api/v1/statuses?id[]=…` as statuses_controller#index answers it: at most 20 distinct ids
   * (more is a 422), statuses that are gone or not visible are simply absent, and so are those of
   * limited (silenced) accounts, which StatusFilter hides from this list though `/statuses/:id`
   * shows them. Newest first, not in the order asked.
   */
  function statusesById(ctx: RequestContext) {
    const ids = [...new Set(ctx.url.searchParams.getAll('id[]'))];
    if (ids.length > MULTIPLE_STATUSES_LIMIT)
      return json(ctx, 422, { error: 'Mastodon::ValidationError' });
    const authed = isValidToken(tokenOf(ctx.req, ctx.url));
    const found = ids
      .map((id) => byId.get(id))
      .filter(
        (record): record is StatusRecord =>
          !!record && readable(record, authed) && !record.account.input.limited,
      )
      .sort((a, b) => b.seq - a.seq);
    json(ctx, 200, found.map(toStatus));
  }

  function tagTimeline(ctx: RequestContext, rawTag: string) {
    const params = ctx.url.searchParams;
    const token = tokenOf(ctx.req, ctx.url);
    const authed = isValidToken(token);
    if (software === 'gotosocial' && !authed)
      return json(ctx, 401, { error: 'Unauthorized: token not supplied' });
    if (options.requireToken && !authed)
      return json(ctx, 401, { error: 'The access token is invalid' });
    const local = isTruthy(params.get('local'));
    const remote = isTruthy(params.get('remote'));
    const scopes = (local ? ['local'] : remote ? ['remote'] : ['local', 'remote']) as (
      'local' | 'remote'
    )[];
    if (!authed && scopes.some((scope) => feedAccess[scope] === 'authenticated')) {
      return json(ctx, 401, { error: 'This method requires an authenticated user' });
    }
    const tag = normalizeHashtag(rawTag);
    if (!usedTags.has(tag)) {
      return unknownTag === 'not-found'
        ? json(ctx, 404, {
            error: software === 'gotosocial' ? 'Not Found: tag was not found' : 'Record not found',
          })
        : json(ctx, 200, []);
    }
    const listParam = (name: string) =>
      [...params.getAll(`${name}[]`), ...params.getAll(name)].slice(0, 4).map(normalizeHashtag);
    const any = listParam('any');
    const all = listParam('all');
    const none = listParam('none');
    const onlyMedia = isTruthy(params.get('only_media'));
    const candidates = records.filter(
      (record) =>
        !record.deleted &&
        record.visibility === 'public' &&
        !record.account.input.suspended &&
        feedAccess[record.account.local ? 'local' : 'remote'] !== 'disabled' &&
        (!local || record.account.local) &&
        (!remote || !record.account.local) &&
        (!onlyMedia || record.media.length > 0) &&
        (record.tags.includes(tag) || any.some((name) => record.tags.includes(name))) &&
        all.every((name) => record.tags.includes(name)) &&
        !none.some((name) => record.tags.includes(name)),
    );
    const page = paginate(
      candidates,
      {
        limit: toLimit(params.get('limit')),
        maxId: params.get('max_id') || undefined,
        sinceId: params.get('since_id') || undefined,
        minId: params.get('min_id') || undefined,
      },
      software,
    );
    const headers: Record<string, string> = {};
    // snac sends no Link header on the tag timeline.
    if (page.length > 0 && software !== 'snac') {
      const base = `${origin}/api/v1/timelines/tag/${encodeURIComponent(rawTag)}`;
      const next = toPaginationUrl(base, params, { max_id: page[page.length - 1]!.id });
      const prev = toPaginationUrl(base, params, { min_id: page[0]!.id });
      headers.Link = `<${next}>; rel="next", <${prev}>; rel="prev"`;
    }
    json(ctx, 200, page.map(toStatus), headers);
  }

  function streamOverSse(ctx: RequestContext) {
    const { url, req, res } = ctx;
    if (software === 'snac') return snacNotFound(ctx);
    if (url.pathname === '/api/v1/streaming/health') return send(ctx, 200, 'OK', 'text/plain');
    // GoToSocial streams over WebSocket only.
    if (software === 'gotosocial') return json(ctx, 404, { error: 'Not Found' });
    const channel =
      STREAM_PATHS[url.pathname.replace(/\/$/, '')] ?? toChannel(url.searchParams.get('stream'));
    if (!channel) return json(ctx, 400, { error: 'Unknown stream type' });
    const authError = streamingAuthError(tokenOf(req, url));
    if (authError) return json(ctx, 401, { error: authError });
    const tag = url.searchParams.get('tag');
    if (channel.startsWith('hashtag') && !tag)
      return json(ctx, 400, { error: 'No tag for stream provided' });
    ctx.entry.status = 200;
    // Headers as Mastodon's streaming server sends them (streaming/index.js).
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'private, no-store',
      'Transfer-Encoding': 'chunked',
    });
    res.write(':)\n');
    const heartbeat = setInterval(() => res.write(':thump\n'), heartbeatMs);
    const subscriber: Subscriber = {
      channel,
      tag: tag ? normalizeHashtag(tag) : null,
      silent: false,
      deliver: (event, payload) => res.write(`event: ${event}\ndata: ${payload}\n\n`),
    };
    subscribers.add(subscriber);
    const end = () => {
      clearInterval(heartbeat);
      subscribers.delete(subscriber);
      closers.delete(end);
      res.end();
    };
    closers.add(end);
    res.on('close', end);
  }

  function streamingAuthError(token: string | null): string | null {
    if (!token) return streamingRequiresToken ? 'Missing access token' : null;
    return isValidToken(token) ? null : 'Invalid access token';
  }

  function upgrade(req: IncomingMessage, socket: Duplex) {
    const url = new URL(req.url ?? '/', origin);
    const userAgent = req.headers['user-agent'] ?? null;
    const token =
      tokenOf(req, url) ?? (req.headers['sec-websocket-protocol'] as string | undefined) ?? null;
    const entry: RequestLogEntry = {
      method: 'GET',
      path: url.pathname,
      query: toQueryObject(url.searchParams),
      userAgent,
      authorized: !!token,
      time: now(),
      status: 0,
    };
    requestLog.push(entry);
    const refuse = (status: number, reason: string, error: string) => {
      entry.status = status;
      const body = JSON.stringify({ error });
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (software === 'gotosocial' && !userAgent)
      return refuse(418, "I'm a teapot", "I'm a teapot: no user-agent sent with request");
    if (noStreaming === 'reset') {
      entry.status = 0;
      if (socket instanceof Socket) socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    if (noStreaming || url.pathname.replace(/\/$/, '') !== '/api/v1/streaming')
      return refuse(404, 'Not Found', 'Not Found');
    const authError = streamingAuthError(token);
    if (authError) return refuse(401, 'Unauthorized', authError);
    entry.status = 101;
    const connection = acceptWebSocket(req, socket);
    const own = new Map<string, Subscriber>();
    const subscribe = (stream: string | null, tag: string | null) => {
      const channel = toChannel(stream);
      if (!channel)
        return connection.send(JSON.stringify({ error: 'Unknown stream type', status: 400 }));
      if (channel.startsWith('hashtag') && !tag) {
        return connection.send(
          JSON.stringify({ error: 'No tag for stream provided', status: 400 }),
        );
      }
      const normalized = tag ? normalizeHashtag(tag) : null;
      const name = normalized ? [channel, normalized] : [channel];
      const key = name.join(':');
      if (own.has(key)) return;
      const subscriber: Subscriber = {
        channel,
        tag: normalized,
        silent: silentHashtags && channel.startsWith('hashtag'),
        deliver: (event, payload) =>
          connection.send(JSON.stringify({ stream: name, event, payload })),
      };
      own.set(key, subscriber);
      subscribers.add(subscriber);
    };
    if (url.searchParams.get('stream'))
      subscribe(url.searchParams.get('stream'), url.searchParams.get('tag'));
    connection.onMessage((text) => {
      let message: { type?: string; stream?: string; tag?: string };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        return;
      }
      if (message.type === 'subscribe') subscribe(message.stream ?? null, message.tag ?? null);
      if (message.type === 'unsubscribe') {
        const tag = message.tag ? normalizeHashtag(message.tag) : null;
        const key = [message.stream, ...(tag ? [tag] : [])].join(':');
        const subscriber = own.get(key);
        if (subscriber) subscribers.delete(subscriber);
        own.delete(key);
      }
    });
    const heartbeat = setInterval(() => connection.ping(), heartbeatMs);
    const end = () => connection.close(1001);
    closers.add(end);
    connection.onClose(() => {
      clearInterval(heartbeat);
      closers.delete(end);
      for (const subscriber of own.values()) subscribers.delete(subscriber);
    });
  }

  function instanceV2() {
    const thumbnail = `${origin}/avatars/${encodeURIComponent(title)}.svg`;
    return {
      domain,
      title,
      version: options.version ?? defaults.version,
      source_url: defaults.sourceUrl,
      description: `${title}: a local ${software} instance for the Find the Others demo and tests.`,
      usage: {
        users: { active_month: new Set(records.map((r) => r.account).filter((a) => a.local)).size },
      },
      thumbnail: { url: thumbnail, blurhash: null, versions: {} },
      icon: [],
      languages: ['en'],
      configuration: {
        urls: {
          streaming: streamingUrl,
          status: null,
          about: `https://${domain}/about`,
          privacy_policy: `https://${domain}/privacy-policy`,
          terms_of_service: null,
        },
        vapid: { public_key: '' },
        accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
        statuses: {
          max_characters: 500,
          max_media_attachments: 4,
          characters_reserved_per_url: 23,
        },
        media_attachments: {
          supported_mime_types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'],
          description_limit: 1500,
          image_size_limit: 16777216,
          image_matrix_limit: 33177600,
          video_size_limit: 103809024,
          video_frame_rate_limit: 120,
          video_matrix_limit: 8294400,
        },
        polls: {
          max_options: 4,
          max_characters_per_option: 50,
          min_expiration: 300,
          max_expiration: 2629746,
        },
        translation: { enabled: false },
        // Mastodon 4.5: https://docs.joinmastodon.org/entities/Instance/#timelines_access
        timelines_access: {
          live_feeds: { local: 'public', remote: 'public' },
          hashtag_feeds: { local: feedAccess.local, remote: feedAccess.remote },
          trending_link_feeds: { local: 'public', remote: 'public' },
        },
      },
      registrations: {
        enabled: false,
        approval_required: false,
        message: null,
        url: null,
        min_age: null,
        reason_required: false,
      },
      api_versions: { mastodon: 6 },
      contact: { email: `admin@${domain}`, account: null },
      rules: [{ id: '1', text: 'Be kind.', hint: '' }],
    };
  }

  function instanceV1() {
    const v2 = instanceV2();
    return {
      uri: domain,
      title,
      short_description: v2.description,
      description: v2.description,
      email: v2.contact.email,
      version: v2.version,
      urls: { streaming_api: streamingUrl },
      stats: {
        user_count: [...accounts.values()].filter((a) => a.local).length,
        status_count: records.filter((r) => r.account.local && !r.deleted).length,
        domain_count: new Set([...accounts.values()].map((a) => a.domain)).size,
      },
      thumbnail: v2.thumbnail.url,
      languages: v2.languages,
      registrations: false,
      approval_required: false,
      invites_enabled: false,
      configuration: {
        accounts: v2.configuration.accounts,
        statuses: v2.configuration.statuses,
        media_attachments: v2.configuration.media_attachments,
        polls: v2.configuration.polls,
      },
      contact_account: null,
      rules: v2.rules,
    };
  }

  const toVisible = (record: StatusRecord | undefined) =>
    record && !record.deleted ? toStatus(record) : undefined;

  return {
    url: origin,
    domain,
    software,
    streamingUrl,
    post,
    edit,
    delete: remove,
    status: (id) => toVisible(byId.get(id)),
    statusByUri: (uri) => toVisible(byUri.get(uri)),
    statuses: () =>
      records
        .filter((record) => !record.deleted)
        .reverse()
        .map(toStatus),
    account(acct) {
      const record = accounts.get(keyOf(acct.includes('@') ? acct : `${acct}@${domain}`));
      return record && toAccount(record);
    },
    putAccount(input) {
      return toAccount(upsertAccount(input));
    },
    requestLog,
    failNext(count, fault, path) {
      faults.push({ fault, path, remaining: count });
    },
    setFault(fault, path) {
      for (let i = faults.length - 1; i >= 0; i--)
        if (faults[i]!.remaining === Infinity) faults.splice(i, 1);
      if (fault) faults.push({ fault, path, remaining: Infinity });
    },
    openStreams: () => closers.size,
    setSilentHashtagStreams(silent) {
      silentHashtags = silent;
    },
    async close() {
      for (const end of [...closers]) end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function keyOf(acct: string): string {
  return acct.replace(/^@/, '').toLowerCase();
}

/** Whether a version string such as `4.5.0` is at least major.minor. */
function isAtLeast(version: string, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [have, haveMinor] = [Number(match[1]), Number(match[2])];
  return have > major || (have === major && haveMinor >= minor);
}

/** Rails' ActiveModel boolean cast, as `truthy_param?` uses it. */
function isTruthy(value: string | null): boolean {
  return value !== null && !['', '0', 'f', 'false', 'off', 'F', 'FALSE', 'OFF'].includes(value);
}

/** `limit_param`: default 20, absolute value, at most twice the default. */
function toLimit(value: string | null): number {
  if (value === null) return 20;
  const parsed = Number.parseInt(value, 10);
  return Math.min(Math.abs(Number.isNaN(parsed) ? 0 : parsed), 40);
}

function toChannel(stream: string | null): Channel | null {
  const channels: Channel[] = [
    'public',
    'public:local',
    'public:remote',
    'hashtag',
    'hashtag:local',
  ];
  return channels.find((channel) => channel === stream) ?? null;
}

/** A Mastodon-style `https://d/users/u/statuses/1` uri → its `https://d/@u/1` page. */
function toStatusUrl(uri: string): string {
  const match = /^(https?:\/\/[^/]+)\/users\/([^/]+)\/statuses\/([^/]+)$/.exec(uri);
  return match ? `${match[1]}/@${match[2]}/${match[3]}` : uri;
}

/**
 * A Link header URL: only local, limit and only_media survive, plus the cursor; Rails' `to_query`
 * sorts the keys.
 */
function toPaginationUrl(
  base: string,
  params: URLSearchParams,
  cursor: Record<string, string>,
): string {
  const kept: [string, string][] = [];
  for (const key of ['local', 'limit', 'only_media']) {
    const value = params.get(key);
    if (value !== null) kept.push([key, value]);
  }
  kept.push(...Object.entries(cursor));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${base}?${new URLSearchParams(kept).toString()}`;
}

function toQueryObject(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const existing = query[key];
    query[key] =
      existing === undefined
        ? value
        : Array.isArray(existing)
          ? [...existing, value]
          : [existing, value];
  }
  return query;
}
