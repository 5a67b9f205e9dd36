import { profileLocation } from '../geo/profile-location.js';
import type { Post, PostAccount } from '../model/post.js';

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
  return accountRefusal(post.account, policy);
}

/**
 * Whether this account says no, by the signals it carries: suspended, limited, a bot, `noindex`,
 * an opt-out tag in the bio or a field (and, strict, `discoverable: false`). Pure. Used on the copy
 * a source delivered and on the home server's answer (consent-checker.ts).
 */
export function accountRefusal(a: PostAccount, policy: ConsentPolicy): ConsentRefusal | null {
  if (a.suspended) return 'suspended';
  if (a.limited) return 'limited';
  if (a.bot) return 'bot';
  if (a.noindex === true) return 'noindex';
  if (hasOptOutTag([a.noteText, ...a.fields.flatMap((f) => [f.name, f.value])].join('\n')))
    return 'opt-out-tag';
  if (policy.strict && a.discoverable === false) return 'not-discoverable';
  return null;
}

/** Whether plain text carries one of the opt-out hashtags (#nobot #noindex #nomap #nosearch). */
export function hasOptOutTag(text: string): boolean {
  return optOutTags.test(text);
}

/** Refusals that mean "this person does not want to be mapped at all" (not just "this post does not count"). */
export function isAccountOptOut(refusal: ConsentRefusal): boolean {
  return refusal !== 'not-public' && refusal !== 'reblog';
}

/** The profile's Location field ("Location", "Ort", "Ville", ...), as plain text, or null. */
export function profileLocationOf(post: Post): string | null {
  return profileLocation(post.account.fields);
}
