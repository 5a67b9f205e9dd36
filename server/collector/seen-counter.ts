/** Distinct statuses per tag: what `postsSeen` counts, so re-reading a page does not count its posts again. */
export function createSeenCounter(limit = 200_000) {
  const seen = new Set<string>();
  return {
    /** How many of `uris` are new for `tag`; remembers them. */
    add(tag: string, uris: Iterable<string>): number {
      // A campaign is thousands of posts; past the limit (months of a huge one) it starts over.
      if (seen.size > limit) seen.clear();
      let added = 0;
      for (const uri of uris) {
        const key = `${tag} ${uri}`;
        if (seen.has(key)) continue;
        seen.add(key);
        added++;
      }
      return added;
    },
  };
}
