/** A hashtag as the whole project keeps it: letters, digits and `_`, at most 100, lower case. */
const TAG = /^[\p{L}\p{N}_]{1,100}$/u;

/** `raw` ("#YourTurn", " yourturn ") as a stored tag ("yourturn"), or null when it is none. */
export function normalizeTag(raw: string): string | null {
  const tag = raw.trim().replace(/^#/, '');
  return TAG.test(tag) ? tag.toLowerCase() : null;
}

/** Why `raw` is refused, in the words every caller uses (`campaign: "x y" is not a hashtag …`). */
export function notATag(source: string, raw: string): string {
  return `${source}: "${raw}" is not a hashtag (letters, digits and _ only)`;
}
