/**
 * Compare Mastodon status ids. Ids are opaque strings (https://docs.joinmastodon.org/api/guidelines/#id):
 * never cast them to numbers. Mastodon's are decimal snowflakes where a longer id is newer, then
 * lexical order decides; ULIDs (GoToSocial) have a fixed length and sort lexically too.
 */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
