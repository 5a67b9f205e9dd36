/**
 * Compare Mastodon status ids. Ids are opaque strings (https://docs.joinmastodon.org/api/guidelines/#id):
 * never cast them to numbers. Mastodon's are decimal snowflakes where a longer id is newer, then
 * lexical order decides; ULIDs (GoToSocial) have a fixed length and sort lexically too.
 */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The part of an id that is ordered by time. snac's ids are `<unix seconds><md5 hex>`
 * (mastoapi.c `mastoapi_id`: the object file's ctime, then its md5), ordered only to the second;
 * other servers' ids are ordered as a whole.
 */
export function orderedPartOf(id: string): string {
  const snac = /^(\d{9,11})[0-9a-f]{32}$/.exec(id);
  return snac ? snac[1]! : id;
}
