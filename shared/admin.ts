// The admin API's contract (docs/api.md#admin), shared by the server and the /admin page.
// Pure: this file imports nothing but types.

import type { Place } from './types.js';

/** An account as the admin API names it: `user@domain`, or a Bluesky DID (`did:plc:…`, `did:web:…`). */
export const ACCT_PATTERN =
  /^(?:[^@\s/]+@[^@\s/]+\.[^@\s/]+|did:(?:plc|web):[A-Za-z0-9._:%-]{1,200})$/;

/** A domain as the admin API blocks it, lower case: `spam.example`. */
export const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z0-9-]+$/;

/** Why `text` is not an account (`user@domain`, an `@` in front is fine), or null when it is one. */
export function acctProblem(text: string): string | null {
  const acct = text.trim().replace(/^@/, '');
  if (!acct) return 'Type an account such as user@example.social.';
  return ACCT_PATTERN.test(acct)
    ? null
    : `"${acct}" is not an account like user@example.social (the part after @ is its server).`;
}

/** Why `text` is not a domain, or null when it is one. */
export function domainProblem(text: string): string | null {
  const domain = text.trim().toLowerCase();
  if (!domain) return 'Type a domain such as spam.example.';
  return DOMAIN_PATTERN.test(domain)
    ? null
    : `"${domain}" is not a domain like spam.example (letters, digits, dashes and dots only).`;
}

/** `GET /api/admin/moderation`: what moderators have done, newest last. */
export interface ModerationState {
  /** Hidden accounts; `blocked` ones also had their stored posts deleted. */
  hiddenAccounts: { acct: string; blocked: boolean; at: string }[];
  /** Blocked domains (lower case): everyone `@domain` is off the map. */
  blockedDomains: { domain: string; at: string }[];
  /** Hidden posts, with their author and web address (`url` is "" when unknown). */
  hiddenPosts: { uri: string; url: string; acct: string; at: string }[];
  /** Posts placed by hand, with the place's label (null when it is no longer known). */
  placeFixes: {
    uri: string;
    url: string;
    acct: string;
    placeId: number;
    place: Pick<Place, 'name' | 'admin1' | 'country'> | null;
    at: string;
  }[];
}

/** A post as an admin sees it in the list of posts that named no city. */
export interface UnlocatedPost {
  /** Opaque paging key: pass the last one as `before`. */
  id: number;
  /** ActivityPub id, the key for hide/unhide/place. */
  uri: string;
  /** Web address of the post. */
  url: string;
  acct: string;
  /** Server-sanitised HTML (the page sanitises it again before showing it). */
  content: string;
  /** The author's content warning (plain text), or null. */
  contentWarning: string | null;
  /** True when the text is behind a warning: the page shows it only when the moderator asks. */
  sensitive: boolean;
  createdAt: string;
  /**
   * Why it has no city, in one line of at most 300 characters (the locator's, or "a moderator took
   * away the place they had set"); plain text that may quote the post. Null for a post stored
   * before reasons were kept.
   */
  reason: string | null;
}

/** `GET /api/admin/campaigns/:tag/unlocated`: one page, latest collected first (by arrival, not by post date). */
export interface UnlocatedPage {
  posts: UnlocatedPost[];
  /** Pass as `before` for the next page; null on the last one. */
  nextBefore: number | null;
}

/** `GET /api/admin/places?q=`: candidate cities, best first. */
export interface PlaceSearchResult {
  places: Place[];
}

/** The answer to every admin change: how many live events it sent. */
export interface ModerationResult {
  ok: true;
  events: number;
}
