/**
 * RFC 8288 `Link` header → rel → URL text, as Mastodon pages with it
 * (https://docs.joinmastodon.org/api/guidelines/#pagination). A part that does not parse is skipped.
 */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]*)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m) links[m[2]!] = m[1]!;
  }
  return links;
}

/** A query parameter of one link (`max_id` of `next`), or null when the link or the parameter is missing or not a URL. */
export function linkParam(links: Record<string, string>, rel: string, name: string): string | null {
  const href = links[rel];
  if (href === undefined) return null;
  try {
    return new URL(href).searchParams.get(name);
  } catch {
    return null; // an unparseable link is as good as none
  }
}
