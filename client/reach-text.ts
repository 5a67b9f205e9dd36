import type { ReachStatus, SourceReach } from '../shared/types.js';
import { hostOf } from './format.js';

const KIND_TEXT: Record<NonNullable<SourceReach['kind']>, string> = {
  instance: 'instance',
  relay: 'relay',
  aggregator: 'aggregator',
  jetstream: 'Bluesky firehose',
};

/** "1 post", "1,200 posts". */
export const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** "Found through 5 sources; 12 posts reached only one", or null before any source is known. */
export function reachLine(reach: ReachStatus): string | null {
  const sources = reach.sources.filter((s) => s.kind !== null || s.postsFirst > 0);
  if (sources.length === 0) return null;
  const found = `Found through ${plural(sources.length, 'source', 'sources')}`;
  if (reach.postsTotal === 0) return `${found}; no posts yet`;
  const only = reach.postsSeenByOneSourceOnly;
  return `${found}; ${plural(only, 'post', 'posts')} reached only one`;
}

/** One source's part, in words: "mastodon.social (instance): first with 40 posts, 3 only here". */
export function sourceReachText(s: SourceReach): string {
  const kind = s.kind ? KIND_TEXT[s.kind] : 'no longer followed';
  return `${hostOf(s.source)} (${kind}): first with ${plural(s.postsFirst, 'post', 'posts')}, ${s.postsOnlyHere.toLocaleString('en')} only here`;
}
