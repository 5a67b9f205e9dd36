/** The campaign named by a `/c/:tag` path, lower case without `#`, or null for any other path. */
export function campaignFromPath(pathname: string): string | null {
  const match = /^\/c\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[1]) return null;
  let tag: string;
  try {
    tag = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  tag = tag.replace(/^#/, '').trim().toLowerCase();
  return tag || null;
}
