// The Mastodon REST entities this instance serves, in their wire (snake_case) form.

/** A custom emoji: https://docs.joinmastodon.org/entities/CustomEmoji/ */
export interface MastodonCustomEmoji {
  /** The name used between colons, e.g. `blobcat` for `:blobcat:`. https://docs.joinmastodon.org/entities/CustomEmoji/#shortcode */
  shortcode: string;
  /** Image URL. https://docs.joinmastodon.org/entities/CustomEmoji/#url */
  url: string;
  /** Non-animated image URL. https://docs.joinmastodon.org/entities/CustomEmoji/#static_url */
  static_url: string;
  /** Whether the emoji shows in the instance's picker. https://docs.joinmastodon.org/entities/CustomEmoji/#visible_in_picker */
  visible_in_picker: boolean;
  /** Picker category, or null. https://docs.joinmastodon.org/entities/CustomEmoji/#category */
  category: string | null;
}

/** A profile metadata field: https://docs.joinmastodon.org/entities/Account/#Field */
export interface MastodonField {
  /** The key, plain text, e.g. "Location". https://docs.joinmastodon.org/entities/Account/#Field-name */
  name: string;
  /** The value, HTML. https://docs.joinmastodon.org/entities/Account/#Field-value */
  value: string;
  /** When a link in the value was verified, or null. https://docs.joinmastodon.org/entities/Account/#Field-verified_at */
  verified_at: string | null;
}

/** An account as this instance knows it: https://docs.joinmastodon.org/entities/Account/ */
export interface MastodonAccount {
  /** Local id on this instance, a numeric string. https://docs.joinmastodon.org/entities/Account/#id */
  id: string;
  /** The username without the domain. https://docs.joinmastodon.org/entities/Account/#username */
  username: string;
  /** `user` for local accounts, `user@domain` for remote ones. https://docs.joinmastodon.org/entities/Account/#acct */
  acct: string;
  /** Display name, plain text (may contain `<` and `:shortcode:`). https://docs.joinmastodon.org/entities/Account/#display_name */
  display_name: string;
  /** Whether follows need approval. https://docs.joinmastodon.org/entities/Account/#locked */
  locked: boolean;
  /** Whether the account says it is automated. https://docs.joinmastodon.org/entities/Account/#bot */
  bot: boolean;
  /** Opted into discovery features, or null when unset. https://docs.joinmastodon.org/entities/Account/#discoverable */
  discoverable: boolean | null;
  /** Opted into search indexing of public posts. https://docs.joinmastodon.org/entities/Account/#indexable */
  indexable: boolean;
  /** Whether the account is a group actor. https://docs.joinmastodon.org/entities/Account/#group */
  group: boolean;
  /** When the account was created, ISO 8601 at midnight UTC. https://docs.joinmastodon.org/entities/Account/#created_at */
  created_at: string;
  /** Bio, HTML. https://docs.joinmastodon.org/entities/Account/#note */
  note: string;
  /** Profile page. https://docs.joinmastodon.org/entities/Account/#url */
  url: string;
  /** ActivityPub actor id. https://docs.joinmastodon.org/entities/Account/#uri */
  uri: string;
  /** Avatar image URL. https://docs.joinmastodon.org/entities/Account/#avatar */
  avatar: string;
  /** Non-animated avatar URL. https://docs.joinmastodon.org/entities/Account/#avatar_static */
  avatar_static: string;
  /** Header image URL. https://docs.joinmastodon.org/entities/Account/#header */
  header: string;
  /** Non-animated header URL. https://docs.joinmastodon.org/entities/Account/#header_static */
  header_static: string;
  /** Followers, as reported. https://docs.joinmastodon.org/entities/Account/#followers_count */
  followers_count: number;
  /** Followed accounts, as reported. https://docs.joinmastodon.org/entities/Account/#following_count */
  following_count: number;
  /** Statuses this instance knows. https://docs.joinmastodon.org/entities/Account/#statuses_count */
  statuses_count: number;
  /** Date (YYYY-MM-DD) of the latest status, or null. https://docs.joinmastodon.org/entities/Account/#last_status_at */
  last_status_at: string | null;
  /** Custom emoji used in the display name and bio. https://docs.joinmastodon.org/entities/Account/#emojis */
  emojis: MastodonCustomEmoji[];
  /** Profile metadata. https://docs.joinmastodon.org/entities/Account/#fields */
  fields: MastodonField[];
  /** Asked not to be indexed by search engines; only present for local users. https://docs.joinmastodon.org/entities/Account/#noindex */
  noindex?: boolean;
  /** Present (true) only when suspended. https://docs.joinmastodon.org/entities/Account/#suspended */
  suspended?: true;
  /** Present (true) only when limited by moderators. https://docs.joinmastodon.org/entities/Account/#limited */
  limited?: true;
}

/** A hashtag on a status: https://docs.joinmastodon.org/entities/Status/#Tag */
export interface MastodonStatusTag {
  /** Hashtag name without `#`, lower case. https://docs.joinmastodon.org/entities/Status/#Tag-name */
  name: string;
  /** The hashtag's page on this instance. https://docs.joinmastodon.org/entities/Status/#Tag-url */
  url: string;
}

/** A mention: https://docs.joinmastodon.org/entities/Status/#Mention */
export interface MastodonMention {
  /** Local id of the mentioned account. https://docs.joinmastodon.org/entities/Status/#Mention-id */
  id: string;
  /** Username. https://docs.joinmastodon.org/entities/Status/#Mention-username */
  username: string;
  /** Profile URL. https://docs.joinmastodon.org/entities/Status/#Mention-url */
  url: string;
  /** `user` or `user@domain`, as for accounts. https://docs.joinmastodon.org/entities/Status/#Mention-acct */
  acct: string;
}

/** An attached image: https://docs.joinmastodon.org/entities/MediaAttachment/ */
export interface MastodonMediaAttachment {
  /** Local id. https://docs.joinmastodon.org/entities/MediaAttachment/#id */
  id: string;
  /** Always `image` here. https://docs.joinmastodon.org/entities/MediaAttachment/#type */
  type: 'image';
  /** Full-size URL. https://docs.joinmastodon.org/entities/MediaAttachment/#url */
  url: string;
  /** Preview URL. https://docs.joinmastodon.org/entities/MediaAttachment/#preview_url */
  preview_url: string;
  /** Origin URL for remote media, else null. https://docs.joinmastodon.org/entities/MediaAttachment/#remote_url */
  remote_url: string | null;
  /** Image metadata (empty here). https://docs.joinmastodon.org/entities/MediaAttachment/#meta */
  meta: Record<string, never>;
  /** Alt text, or null. https://docs.joinmastodon.org/entities/MediaAttachment/#description */
  description: string | null;
  /** Blurhash, or null. https://docs.joinmastodon.org/entities/MediaAttachment/#blurhash */
  blurhash: string | null;
}

/** Who can see a status: https://docs.joinmastodon.org/entities/Status/#visibility */
export type MastodonVisibility = 'public' | 'unlisted' | 'private' | 'direct';

/** A status (post): https://docs.joinmastodon.org/entities/Status/ */
export interface MastodonStatus {
  /** Local id on this instance; differs per instance for the same post. https://docs.joinmastodon.org/entities/Status/#id */
  id: string;
  /** When the author wrote it, ISO 8601. https://docs.joinmastodon.org/entities/Status/#created_at */
  created_at: string;
  /** Local id of the parent status, or null. https://docs.joinmastodon.org/entities/Status/#in_reply_to_id */
  in_reply_to_id: string | null;
  /** Local id of the parent's author, or null. https://docs.joinmastodon.org/entities/Status/#in_reply_to_account_id */
  in_reply_to_account_id: string | null;
  /** Whether media is marked sensitive. https://docs.joinmastodon.org/entities/Status/#sensitive */
  sensitive: boolean;
  /** Content warning, plain text ('' when none). https://docs.joinmastodon.org/entities/Status/#spoiler_text */
  spoiler_text: string;
  /** Visibility. https://docs.joinmastodon.org/entities/Status/#visibility */
  visibility: MastodonVisibility;
  /** ISO 639 language, or null. https://docs.joinmastodon.org/entities/Status/#language */
  language: string | null;
  /** ActivityPub id, the same on every instance. https://docs.joinmastodon.org/entities/Status/#uri */
  uri: string;
  /** Human-readable link on the origin, or null. https://docs.joinmastodon.org/entities/Status/#url */
  url: string | null;
  /** Replies this instance knows. https://docs.joinmastodon.org/entities/Status/#replies_count */
  replies_count: number;
  /** Boosts this instance knows. https://docs.joinmastodon.org/entities/Status/#reblogs_count */
  reblogs_count: number;
  /** Favourites this instance knows. https://docs.joinmastodon.org/entities/Status/#favourites_count */
  favourites_count: number;
  /** When last edited, or null. https://docs.joinmastodon.org/entities/Status/#edited_at */
  edited_at: string | null;
  /** Body, HTML sanitised by the origin. https://docs.joinmastodon.org/entities/Status/#content */
  content: string;
  /** The boosted status, always null here. https://docs.joinmastodon.org/entities/Status/#reblog */
  reblog: null;
  /** Posting app; only for local statuses. https://docs.joinmastodon.org/entities/Status/#application */
  application?: { name: string; website: string | null } | null;
  /** The author. https://docs.joinmastodon.org/entities/Status/#account */
  account: MastodonAccount;
  /** Attachments. https://docs.joinmastodon.org/entities/Status/#media_attachments */
  media_attachments: MastodonMediaAttachment[];
  /** Mentioned accounts. https://docs.joinmastodon.org/entities/Status/#mentions */
  mentions: MastodonMention[];
  /** Hashtags. https://docs.joinmastodon.org/entities/Status/#tags */
  tags: MastodonStatusTag[];
  /** Custom emoji used in the content. https://docs.joinmastodon.org/entities/Status/#emojis */
  emojis: MastodonCustomEmoji[];
  /** Link preview, always null here. https://docs.joinmastodon.org/entities/Status/#card */
  card: null;
  /** Poll, always null here. https://docs.joinmastodon.org/entities/Status/#poll */
  poll: null;
}
