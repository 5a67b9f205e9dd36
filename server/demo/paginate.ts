import { compareIds, type Software } from './id-generator.js';

/** The cursor parameters of a timeline request: https://docs.joinmastodon.org/api/guidelines/#pagination */
export interface PageQuery {
  /** Page size, already clamped. */
  limit: number;
  /** Only items older than this id. */
  maxId?: string;
  /** The newest items newer than this id. */
  sinceId?: string;
  /** The items immediately newer than this id. */
  minId?: string;
}

/** What paging needs from a stored item: its id and the order it arrived in. */
export interface Pageable {
  id: string;
  /** Arrival order on this instance. */
  seq: number;
}

/**
 * One page, newest first, with each server's semantics. Mastodon's Paginable concern orders by id
 * and, for min_id, takes the oldest `limit` items above it before reversing them; snac walks its
 * timeline in arrival order and compares ids as strings, so within one second it can skip items.
 */
export function paginate<T extends Pageable>(
  items: T[],
  query: PageQuery,
  software: Software,
): T[] {
  if (software === 'snac') return paginateLikeSnac(items, query);
  const { limit, maxId, sinceId, minId } = query;
  if (minId !== undefined) {
    return items
      .filter(
        (item) =>
          compareIds(item.id, minId) > 0 && (maxId === undefined || compareIds(item.id, maxId) < 0),
      )
      .sort((a, b) => compareIds(a.id, b.id))
      .slice(0, limit)
      .reverse();
  }
  return items
    .filter(
      (item) =>
        (maxId === undefined || compareIds(item.id, maxId) < 0) &&
        (sinceId === undefined || compareIds(item.id, sinceId) > 0),
    )
    .sort((a, b) => compareIds(b.id, a.id))
    .slice(0, limit);
}

function paginateLikeSnac<T extends Pageable>(items: T[], query: PageQuery): T[] {
  const newerThan = query.minId ?? query.sinceId;
  const page: T[] = [];
  for (const item of [...items].sort((a, b) => b.seq - a.seq)) {
    if (page.length >= query.limit) break;
    if (query.maxId !== undefined && item.id >= query.maxId) continue;
    if (newerThan !== undefined && item.id <= newerThan) break;
    page.push(item);
  }
  return page;
}
