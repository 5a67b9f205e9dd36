import type { mastodon } from 'masto';
import { z } from 'zod';
import type { CustomEmoji } from '../../shared/types.js';
import { fediverseNames } from '../model/account-links.js';
import type { Post, PostAccount } from '../model/post.js';
import { htmlToText, sanitizePostHtml } from '../text/sanitize.js';

// Only the fields we use are checked; the rest of the entity passes through untouched.
// Field meanings: https://docs.joinmastodon.org/entities/Status/ and /entities/Account/
const nullableString = z.string().nullish();

const accountSchema = z.object({
  id: z.string(),
  username: z.string().min(1),
  // user or user@domain, both parts non-empty (https://docs.joinmastodon.org/entities/Account/#acct)
  acct: z.string().regex(/^@?[^@\s]+(@[^@\s]+)?$/, 'is not user or user@domain'),
  url: nullableString,
  display_name: z.string().nullish(),
  note: z.string().nullish(),
  avatar: nullableString,
  avatar_static: nullableString,
  bot: z.boolean().nullish(),
  discoverable: z.boolean().nullish(),
  noindex: z.boolean().nullish(),
  suspended: z.boolean().nullish(),
  limited: z.boolean().nullish(),
  fields: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
  // Checked item by item in emojisOf: one odd emoji must not cost the post.
  emojis: z.array(z.unknown()).nullish(),
});

const statusSchema = z.object({
  id: z.string().min(1),
  uri: z.string().min(1),
  url: nullableString,
  created_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'created_at is not a date'),
  edited_at: nullableString,
  content: z.string(),
  spoiler_text: nullableString,
  sensitive: z.boolean().nullish(),
  language: nullableString,
  visibility: z.string(),
  reblog: z.unknown().nullish(),
  tags: z.array(z.object({ name: z.string() })).nullish(),
  account: accountSchema,
});

const MAX_SPOILER = 500;

/** A status that is not a Mastodon Status; the message says which field. */
export class StatusShapeError extends Error {
  override name = 'StatusShapeError';
}

/** Where a status was read: needed to turn a local `acct` ("user") into "user@domain". */
export interface SourceInstance {
  /** The instance's LOCAL_DOMAIN (`domain` in /api/v2/instance); falls back to the URL host. */
  domain: string;
}

/** Mastodon Status JSON (untrusted) → Post. Throws StatusShapeError. */
export function toPost(raw: unknown, instance: SourceInstance): Post {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StatusShapeError(
      `not a status: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const s = parsed.data as typeof parsed.data & Partial<mastodon.v1.Status>;
  return {
    uri: s.uri,
    url: safeHttpUrl(s.url) ?? safeHttpUrl(s.uri) ?? '',
    localId: s.id,
    createdAt: new Date(s.created_at).toISOString(),
    editedAt:
      s.edited_at && !Number.isNaN(Date.parse(s.edited_at))
        ? new Date(s.edited_at).toISOString()
        : null,
    rawContent: s.content,
    content: sanitizePostHtml(s.content),
    // Mastodon caps a warning at 500 characters with the post; a longer one from elsewhere is cut.
    spoilerText: (s.spoiler_text ?? '').trim().slice(0, MAX_SPOILER),
    sensitive: s.sensitive ?? false,
    language: s.language ?? null,
    tags: (s.tags ?? []).map((t) => t.name.toLowerCase()),
    visibility: s.visibility,
    isReblog: s.reblog != null,
    account: toAccount(s.account, instance),
  };
}

/** Mastodon Account JSON (untrusted, e.g. a home server's lookup answer) → PostAccount, or null when it is not one. */
export function parseAccount(raw: unknown, instance: SourceInstance): PostAccount | null {
  const parsed = accountSchema.safeParse(raw);
  return parsed.success ? toAccount(parsed.data, instance) : null;
}

function toAccount(a: z.infer<typeof accountSchema>, instance: SourceInstance): PostAccount {
  const acct = normaliseAcct(a.acct, instance.domain);
  const url = safeHttpUrl(a.url) ?? '';
  return {
    acct,
    displayName: (a.display_name || a.username).slice(0, 200),
    emojis: emojisOf(a.emojis, (a.display_name || a.username).slice(0, 200)),
    url,
    avatar: safeHttpUrl(a.avatar_static) ?? safeHttpUrl(a.avatar) ?? '',
    noteText: a.note ? htmlToText(a.note) : '',
    fields: (a.fields ?? []).map((f) => ({ name: htmlToText(f.name), value: htmlToText(f.value) })),
    bot: a.bot ?? false,
    discoverable: a.discoverable ?? null,
    noindex: a.noindex ?? null,
    suspended: a.suspended ?? false,
    limited: a.limited ?? false,
    links: fediverseNames({ acct, url, note: a.note ?? '', fields: a.fields ?? [] }),
  };
}

const emojiSchema = z.object({
  shortcode: z.string().regex(/^[A-Za-z0-9_]{1,64}$/),
  url: nullableString,
  static_url: nullableString,
});
const MAX_EMOJIS = 20;

/**
 * The custom emoji a name really uses, each with a static http(s) image: Mastodon lists every
 * emoji of the profile (bio and fields too), and an animated one would move on every map pin.
 */
function emojisOf(raw: unknown[] | null | undefined, name: string): CustomEmoji[] {
  const out: CustomEmoji[] = [];
  const seen = new Set<string>();
  for (const item of raw ?? []) {
    const e = emojiSchema.safeParse(item);
    if (!e.success || seen.has(e.data.shortcode) || !name.includes(`:${e.data.shortcode}:`))
      continue;
    const url = safeHttpUrl(e.data.static_url) ?? safeHttpUrl(e.data.url);
    if (!url) continue;
    seen.add(e.data.shortcode);
    out.push({ shortcode: e.data.shortcode, url });
    if (out.length === MAX_EMOJIS) break;
  }
  return out;
}

/** `acct` is "user" for the instance's own users and "user@domain" for others: always return user@domain. */
export function normaliseAcct(acct: string, localDomain: string): string {
  const bare = acct.replace(/^@/, '');
  const at = bare.indexOf('@');
  if (at === -1) return `${bare}@${localDomain.toLowerCase()}`;
  return `${bare.slice(0, at)}@${bare.slice(at + 1).toLowerCase()}`;
}

/** Only http(s) URLs survive: a `javascript:` avatar or profile link is dropped here. */
function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
