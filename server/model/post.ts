import type { LinkNames } from './account-links.js';
import type { CustomEmoji } from '../../shared/types.js';

/** An account as the collector keeps it: normalised from a Mastodon Account. */
export interface PostAccount {
  /** Always `user@domain`. */
  acct: string;
  /** Plain text; may contain `<`. */
  displayName: string;
  /** Custom emoji the display name uses. */
  emojis: CustomEmoji[];
  /** Profile page. */
  url: string;
  /** Avatar image URL ('' when none). */
  avatar: string;
  /** Bio as plain text (for opt-out tags). */
  noteText: string;
  /** Profile fields, values as plain text. */
  fields: { name: string; value: string }[];
  bot: boolean;
  /** null when the server does not say. */
  discoverable: boolean | null;
  /** `noindex` is only present for an instance's own users. */
  noindex: boolean | null;
  suspended: boolean;
  limited: boolean;
  /**
   * The account's names for linking it with the same person's account on the other network
   * (`account-links.ts`), read from the profile at the boundary; absent when the profile is not in hand.
   */
  links?: LinkNames;
}

/** A status with the campaign hashtag, normalised at the Mastodon boundary. */
export interface Post {
  /** The ActivityPub id: the same on every instance, so the dedup key. */
  uri: string;
  /** The human link (falls back to uri). */
  url: string;
  /** This instance's id for the status: only a cursor. */
  localId: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601, or null when never edited. */
  editedAt: string | null;
  /** HTML exactly as the instance served it: input for the locator only, never rendered. */
  rawContent: string;
  /** Allowlist-sanitised HTML, safe to render. */
  content: string;
  /**
   * The content warning the author wrote (Mastodon `spoiler_text`): plain text, may contain `<`,
   * '' when none. https://docs.joinmastodon.org/entities/Status/#spoiler_text
   */
  spoilerText: string;
  /**
   * Marked sensitive by the author (Mastodon `sensitive`). Mastodon then hides only media; we show
   * no media, and the text stays behind a warning too. https://docs.joinmastodon.org/entities/Status/#sensitive
   */
  sensitive: boolean;
  language: string | null;
  /** Hashtag names, lower case. */
  tags: string[];
  visibility: string;
  /** True for a boost: the booster did not write it. */
  isReblog: boolean;
  account: PostAccount;
}
