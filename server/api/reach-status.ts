import type { ReachStatus, SourceKind, SourceReach } from '../../shared/types.js';
import type { ReachCounts } from '../store/reach.js';

/**
 * The `reach` of `/api/status`: every configured source (zeros included), most posts first, then
 * sources no longer configured whose posts are still stored (`kind: null`).
 */
export function toReachStatus(counts: ReachCounts, kinds: Map<string, SourceKind>): ReachStatus {
  const bySource = new Map(counts.sources.map((s) => [s.source, s]));
  const rank = (a: SourceReach, b: SourceReach) =>
    b.postsFirst - a.postsFirst ||
    b.postsOnlyHere - a.postsOnlyHere ||
    a.source.localeCompare(b.source);
  const configured: SourceReach[] = [...kinds].map(([source, kind]) => ({
    source,
    kind,
    postsFirst: bySource.get(source)?.postsFirst ?? 0,
    postsOnlyHere: bySource.get(source)?.postsOnlyHere ?? 0,
  }));
  const former: SourceReach[] = counts.sources
    .filter((s) => !kinds.has(s.source))
    .map((s) => ({
      source: s.source,
      kind: null,
      postsFirst: s.postsFirst,
      postsOnlyHere: s.postsOnlyHere,
    }));
  return {
    sources: [...configured.sort(rank), ...former.sort(rank)],
    postsTotal: counts.postsTotal,
    postsSeenByOneSourceOnly: counts.postsSeenByOneSourceOnly,
    postsFirstUnknown: counts.postsFirstUnknown,
    countedAt: counts.countedAt,
  };
}
