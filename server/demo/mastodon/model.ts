import type {
  MastodonAccount,
  MastodonCustomEmoji,
  MastodonField,
  MastodonMention,
  MastodonStatus,
} from '../entities.js';
import {
  escapeHtml,
  extractHashtags,
  extractMentions,
  normalizeHashtag,
  toStatusHtml,
} from '../status-html.js';
import { keyOf, toStatusUrl } from './params.js';
import type { AccountInput, AccountRecord, EditInput, PostInput, StatusRecord } from './types.js';

/** A change to publish on the streams. */
export type StatusEvent = 'update' | 'status.update' | 'delete';

export interface ModelOptions {
  /** LOCAL_DOMAIN. */
  domain: string;
  /** The instance's origin, for avatar, emoji and media URLs. */
  origin: string;
  /** More domains this instance is the home server of. */
  homeFor: string[];
  now: () => number;
  /** A new local id (snowflake or the software's own kind), from a seed. */
  nextId(seed: string): string;
  /** A status was added, edited or deleted. */
  publish(record: StatusRecord, event: StatusEvent): void;
}

export type Model = ReturnType<typeof createModel>;

/** The accounts and statuses of one instance, and the entities it serves them as. */
export function createModel(modelOptions: ModelOptions) {
  const { domain, origin, now, nextId, publish } = modelOptions;
  const accounts = new Map<string, AccountRecord>();
  const records: StatusRecord[] = [];
  const byId = new Map<string, StatusRecord>();
  const byUri = new Map<string, StatusRecord>();
  const usedTags = new Set<string>();
  let seq = 0;

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
  const homeDomains = new Set([domain, ...modelOptions.homeFor].map((d) => d.toLowerCase()));
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

  const toVisible = (record: StatusRecord | undefined) =>
    record && !record.deleted ? toStatus(record) : undefined;

  return {
    accounts,
    records,
    byId,
    byUri,
    usedTags,
    upsertAccount,
    isHome,
    toAccount,
    toStatus,
    toVisible,
    post,
    edit,
    remove,
    /** An account by acct as this instance writes it (`user` or `user@domain`). */
    account(acct: string): AccountRecord | undefined {
      return accounts.get(keyOf(acct.includes('@') ? acct : `${acct}@${domain}`));
    },
  };
}
