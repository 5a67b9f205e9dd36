// Helpers for "Add yourself": what to post and where to post it from.

/**
 * The instance's host from whatever people type: "mastodon.social", "https://mastodon.social/",
 * "@ada@mastodon.social", a pasted profile URL ("https://mastodon.social/@ada"); null when it
 * isn't a host name.
 */
export function instanceHost(input: string): string | null {
  let text = input.trim().toLowerCase();
  // "@ada@tech.lgbt", but not a profile URL ("https://mastodon.social/@me"), whose host is the instance.
  const handle = /^@?[^@\s/:]+@([^@\s/]+)$/.exec(text);
  if (handle?.[1]) text = handle[1];
  try {
    const url = new URL(/^[a-z]+:\/\//.test(text) ? text : `https://${text}`);
    return /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/.test(url.host) ? url.host : null;
  } catch {
    return null;
  }
}

/** The campaign hashtag as the author spells it in the example post ("#YourTurn"), else "#tag". */
export function hashtagOf(campaign: string, example: string): string {
  const match = new RegExp(`#${campaign}\\b`, 'i').exec(example);
  return match?.[0] ?? `#${campaign}`;
}

/** Bluesky's compose intent with the post filled in (https://docs.bsky.app/docs/advanced-guides/intent-links). */
export function blueskyComposeUrl(text: string): string {
  return `https://bsky.app/intent/compose?text=${encodeURIComponent(text)}`;
}

/** The instance's web share page with the post filled in (Mastodon's web UI serves `/share?text=`). */
export function shareUrl(host: string, text: string): string {
  return `https://${host}/share?text=${encodeURIComponent(text)}`;
}
