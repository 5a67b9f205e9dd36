import { profileLocation } from '../geo/profile-location.js';
import type { Post } from '../post.js';

/** Why a post is kept off the map; null when it may be shown. */
export type ConsentRefusal =
  | 'not-public'
  | 'reblog'
  | 'bot'
  | 'suspended'
  | 'limited'
  | 'noindex'
  | 'opt-out-tag'
  | 'not-discoverable';

export interface ConsentPolicy {
  /** Also require `discoverable !== false` (Mastodon asks discovery tools to respect it). */
  strict: boolean;
}

// The opt-out hashtags the fediverse uses for "do not index / do not map me", matched in the bio.
const optOutTags = /(^|[^\p{L}\p{N}_])#(nobot|noindex|nomap|nosearch)(?![\p{L}\p{N}_])/iu;

/** Decide whether a post may put its author on the map. Pure. */
export function consentRefusal(post: Post, policy: ConsentPolicy): ConsentRefusal | null {
  // Only public posts appear in tag timelines; an unlisted or private one that slips through is not consent.
  if (post.visibility !== 'public') return 'not-public';
  if (post.isReblog) return 'reblog';
  const a = post.account;
  if (a.suspended) return 'suspended';
  if (a.limited) return 'limited';
  if (a.bot) return 'bot';
  if (a.noindex === true) return 'noindex';
  const profileText = [a.noteText, ...a.fields.flatMap((f) => [f.name, f.value])].join('\n');
  if (optOutTags.test(profileText)) return 'opt-out-tag';
  if (policy.strict && a.discoverable === false) return 'not-discoverable';
  return null;
}

/** Refusals that mean "this person does not want to be mapped at all" (not just "this post does not count"). */
export function isAccountOptOut(refusal: ConsentRefusal): boolean {
  return refusal !== 'not-public' && refusal !== 'reblog';
}

/** The profile's Location field ("Location", "Ort", "Ville", ...), as plain text, or null. */
export function profileLocationOf(post: Post): string | null {
  return profileLocation(post.account.fields);
}
