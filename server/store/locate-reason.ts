// Why a post has its place, or has none, in one line for the admin page (issue #14,
// migration 15: `posts.locate_reason`). The locator says why for the posts it reads; a moderator's
// fix and the online geocoder's answer replace its line with one that says who placed the post.

export const defaults = {
  reasonMaxLength: 300, // characters of a post's locate reason kept: one line on the admin page, whatever the locator says
};

/** What a post's reason says when someone other than the locator set or took away its place. */
export const reasons = {
  byModerator: 'placed by a moderator',
  undoneByModerator: 'a moderator took away the place they had set',
  /** The online geocoder's answer for the words it was asked about. */
  byGeocoder: (matched: string) => `from the online geocoder (Nominatim), asked about ‘${matched}’`,
};

/**
 * A reason as stored: one line (runs of white space, newlines included, become one space) of at
 * most `defaults.reasonMaxLength` characters, the cut marked with '…'; null when there is none.
 */
export function boundReason(reason: string | null | undefined): string | null {
  if (reason === null || reason === undefined) return null;
  const line = reason.replace(/\s+/g, ' ').trim();
  if (line === '') return null;
  // Characters are code points, so a cut never splits an emoji or a flag's half.
  const chars = Array.from(line);
  const max = defaults.reasonMaxLength;
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}
