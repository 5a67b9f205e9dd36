/** Small conversions of request parameters and URLs, as Mastodon (Rails) does them. */

export function keyOf(acct: string): string {
  return acct.replace(/^@/, '').toLowerCase();
}

/** Whether a version string such as `4.5.0` is at least major.minor. */
export function isAtLeast(version: string, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [have, haveMinor] = [Number(match[1]), Number(match[2])];
  return have > major || (have === major && haveMinor >= minor);
}

/** Rails' ActiveModel boolean cast, as `truthy_param?` uses it. */
export function isTruthy(value: string | null): boolean {
  return value !== null && !['', '0', 'f', 'false', 'off', 'F', 'FALSE', 'OFF'].includes(value);
}

/** `limit_param`: default 20, absolute value, at most twice the default. */
export function toLimit(value: string | null): number {
  if (value === null) return 20;
  const parsed = Number.parseInt(value, 10);
  return Math.min(Math.abs(Number.isNaN(parsed) ? 0 : parsed), 40);
}

/** A Mastodon-style `https://d/users/u/statuses/1` uri → its `https://d/@u/1` page. */
export function toStatusUrl(uri: string): string {
  const match = /^(https?:\/\/[^/]+)\/users\/([^/]+)\/statuses\/([^/]+)$/.exec(uri);
  return match ? `${match[1]}/@${match[2]}/${match[3]}` : uri;
}

/**
 * A Link header URL: only local, limit and only_media survive, plus the cursor; Rails' `to_query`
 * sorts the keys.
 */
export function toPaginationUrl(
  base: string,
  params: URLSearchParams,
  cursor: Record<string, string>,
): string {
  const kept: [string, string][] = [];
  for (const key of ['local', 'limit', 'only_media']) {
    const value = params.get(key);
    if (value !== null) kept.push([key, value]);
  }
  kept.push(...Object.entries(cursor));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${base}?${new URLSearchParams(kept).toString()}`;
}

export function toQueryObject(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const existing = query[key];
    query[key] =
      existing === undefined
        ? value
        : Array.isArray(existing)
          ? [...existing, value]
          : [existing, value];
  }
  return query;
}
