import { blueskyNames } from '../../model/account-links.js';
import type { Post, PostAccount } from '../../model/post.js';

/**
 * One Jetstream event, as https://github.com/bluesky-social/jetstream documents it: every event
 * has the repo's `did`, the `time_us` cursor (microseconds since the epoch) and a `kind`.
 */
export interface JetstreamEvent {
  did: string;
  /** The cursor: reconnect with `?cursor=<time_us>` to replay from here. */
  time_us: number;
  kind: 'commit' | 'identity' | 'account';
  commit?: {
    rev?: string;
    operation: 'create' | 'update' | 'delete';
    collection: string;
    rkey: string;
    /** The record (an `app.bsky.feed.post`) for create and update; absent for delete. */
    record?: unknown;
    cid?: string;
  };
  /** A handle change (`#identity` on the relay). */
  identity?: { did: string; handle?: string; seq?: number; time?: string };
  /** Hosting status: `active: false` with `status` takendown, suspended, deleted or deactivated. */
  account?: { did: string; active: boolean; status?: string; seq?: number; time?: string };
}

/** An `app.bsky.feed.post` record (lexicon app.bsky.feed.post), only the fields we read. */
interface PostRecord {
  text?: unknown;
  createdAt?: unknown;
  langs?: unknown;
  facets?: unknown;
  /** Hashtags outside the text (`tags`, up to 8), part of the lexicon. */
  tags?: unknown;
  /** Self-labels (com.atproto.label.defs#selfLabels): `{ values: [{ val }] }`. */
  labels?: unknown;
}

export const postCollection = 'app.bsky.feed.post';
const tagFacet = 'app.bsky.richtext.facet#tag';

// Self-labels that mark a post's media or text as adult or graphic: the text stays behind a warning.
const sensitiveSelfLabels = new Set(['porn', 'sexual', 'nudity', 'graphic-media', 'gore']);

// A hashtag in the text: `#` after a start or a space, letters, digits and `_` (no leading digit-only tags).
const textTag = /(?:^|[^\p{L}\p{N}_&/])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;

/** Parse one frame; null when it is not a Jetstream event (the caller counts and skips it). */
export function parseJetstreamEvent(data: string): JetstreamEvent | null {
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return null;
  }
  if (!event || typeof event !== 'object') return null;
  const e = event as Partial<JetstreamEvent>;
  if (typeof e.did !== 'string' || typeof e.time_us !== 'number') return null;
  if (e.kind !== 'commit' && e.kind !== 'identity' && e.kind !== 'account') return null;
  return e as JetstreamEvent;
}

/** The at-uri of a post: the dedup key, the same on every Jetstream instance. */
export const atUri = (did: string, rkey: string) => `at://${did}/${postCollection}/${rkey}`;

/** The post's page on bsky.app (a DID works in place of the handle, and never goes stale). */
export const postUrl = (did: string, rkey: string) =>
  `https://bsky.app/profile/${did}/post/${encodeURIComponent(rkey)}`;

/** The profile page on bsky.app. */
export const profileUrl = (did: string) => `https://bsky.app/profile/${did}`;

/** Every hashtag of a post record, lower case: the `#tag` facets, the `tags` field and `#tags` in the text. */
export function recordTags(record: unknown): string[] {
  const r = (record ?? {}) as PostRecord;
  const tags = new Set<string>();
  if (Array.isArray(r.facets))
    for (const facet of r.facets as { features?: unknown }[])
      if (Array.isArray(facet?.features))
        for (const f of facet.features as { $type?: unknown; tag?: unknown }[])
          if (f?.$type === tagFacet && typeof f.tag === 'string')
            tags.add(f.tag.replace(/^#/, '').toLowerCase());
  if (Array.isArray(r.tags))
    for (const t of r.tags) if (typeof t === 'string') tags.add(t.replace(/^#/, '').toLowerCase());
  if (typeof r.text === 'string' && r.text.includes('#'))
    for (const m of r.text.matchAll(textTag)) tags.add(m[1]!.toLowerCase());
  return [...tags];
}

/** Cheap check before the full parse: does the frame mention any campaign tag at all? */
export function mayMentionTag(data: string, tags: string[]): boolean {
  const lower = data.toLowerCase();
  return tags.some((t) => lower.includes(t));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Plain post text → the HTML the store keeps (escaped, paragraphs and line breaks kept). */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** The profile we know for an author (from the AppView), or null before it is fetched. */
export interface KnownProfile {
  handle: string;
  displayName: string;
  avatar: string;
  /** The description (plain text): read for linked accounts only. Absent: not read. */
  description?: string;
}

/** A Bluesky account as a PostAccount: `acct` is the DID, the contributor key on this network. */
export function toPostAccount(did: string, profile: KnownProfile | null): PostAccount {
  return {
    acct: did,
    displayName: profile ? profile.displayName || profile.handle : '',
    emojis: [],
    url: profileUrl(did),
    avatar: profile?.avatar ?? '',
    noteText: '',
    fields: [],
    bot: false,
    discoverable: null,
    noindex: null,
    suspended: false,
    limited: false,
    ...(profile?.description !== undefined && {
      links: blueskyNames({ did, handle: profile.handle, description: profile.description }),
    }),
  };
}

/**
 * A commit that creates or updates a post → Post. Null when the event is no post create/update or
 * the record is not a post (no text). The post's time is the record's `createdAt` (the pipeline
 * clamps a future one), falling back to the event's time.
 */
export function toBlueskyPost(event: JetstreamEvent, profile: KnownProfile | null): Post | null {
  const c = event.commit;
  if (!c || c.collection !== postCollection || c.operation === 'delete') return null;
  const record = (c.record ?? null) as PostRecord | null;
  if (!record || typeof record.text !== 'string' || typeof c.rkey !== 'string') return null;
  const eventAt = new Date(Math.floor(event.time_us / 1000)).toISOString();
  const created =
    typeof record.createdAt === 'string' && !Number.isNaN(Date.parse(record.createdAt))
      ? new Date(record.createdAt).toISOString()
      : eventAt;
  const selfLabels = ((record.labels as { values?: { val?: unknown }[] } | undefined)?.values ??
    []) as { val?: unknown }[];
  const html = textToHtml(record.text);
  return {
    uri: atUri(event.did, c.rkey),
    url: postUrl(event.did, c.rkey),
    localId: atUri(event.did, c.rkey),
    createdAt: created,
    // An update replaces the record: dated by the event, so the newer copy wins (store/posts.ts).
    editedAt: c.operation === 'update' ? eventAt : null,
    rawContent: html,
    content: html,
    spoilerText: '',
    sensitive: selfLabels.some((l) => typeof l?.val === 'string' && sensitiveSelfLabels.has(l.val)),
    language:
      Array.isArray(record.langs) && typeof record.langs[0] === 'string' ? record.langs[0] : null,
    tags: recordTags(record),
    visibility: 'public',
    isReblog: false,
    account: toPostAccount(event.did, profile),
  };
}
