import type {
  ClientConfig,
  ContributorCollection,
  ContributorFeature,
  ServerStatus,
} from '../shared/types.js';

export type { ClientConfig };

/** A request to the API that did not return what the contract promises. */
export class ApiError extends Error {
  constructor(
    /** The URL that was requested. */
    readonly url: string,
    /** HTTP status, or 0 when the response never arrived or was not the expected JSON. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Resolves an API path against `server` (an origin such as "https://map.example"), or the page's own origin when empty. */
export function apiUrl(server: string, path: string): string {
  return server ? new URL(path, server).href : path;
}

/** The SSE endpoint for one campaign, for an EventSource. */
export function eventsUrl(server: string, tag: string): string {
  return apiUrl(server, `/api/campaigns/${encodeURIComponent(tag)}/events`);
}

async function getJson(url: string, signal?: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(url, 0, `Could not reach ${url}: ${(err as Error).message}`);
  }
  if (!res.ok) {
    // The server's one error shape is {"error": "..."}; fall back to the status text.
    const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
    const detail = typeof body?.error === 'string' ? body.error : res.statusText;
    throw new ApiError(url, res.status, `${url} answered ${res.status}: ${detail}`);
  }
  try {
    return await res.json();
  } catch {
    throw new ApiError(url, 0, `${url} did not answer with JSON`);
  }
}

/** Checks the shape of `/api/config`, quoting what was wrong. */
export function parseClientConfig(value: unknown): ClientConfig {
  const v = value as Partial<Record<keyof ClientConfig, unknown>> | null;
  if (!v || !Array.isArray(v.campaigns) || !v.campaigns.every((c) => typeof c === 'string')) {
    throw new ApiError(
      '/api/config',
      0,
      `/api/config has no campaigns list: ${JSON.stringify(value)}`,
    );
  }
  const tileUrl = typeof v.tileUrl === 'string' && v.tileUrl ? v.tileUrl : null;
  const tileAttribution = typeof v.tileAttribution === 'string' ? v.tileAttribution : '';
  return { campaigns: v.campaigns as string[], tileUrl, tileAttribution };
}

const isFiniteNumber = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/**
 * Returns the feature when it has what the map relies on (an acct, a place id, a position),
 * else null, so one malformed feature costs one pin rather than the whole map.
 */
export function toContributorFeature(value: unknown): ContributorFeature | null {
  const f = value as ContributorFeature | null;
  const coords = f?.geometry?.coordinates;
  const p = f?.properties;
  if (
    !Array.isArray(coords) ||
    !isFiniteNumber(coords[0]) ||
    !isFiniteNumber(coords[1]) ||
    typeof p?.acct !== 'string' ||
    !isFiniteNumber(p.place?.id) ||
    typeof p.place.name !== 'string'
  ) {
    return null;
  }
  return f;
}

/** `GET /api/config`. */
export async function fetchConfig(server: string, signal?: AbortSignal): Promise<ClientConfig> {
  return parseClientConfig(await getJson(apiUrl(server, '/api/config'), signal));
}

/** `GET /api/campaigns/:tag/contributors`, keeping only well-formed features. */
export async function fetchContributors(
  server: string,
  tag: string,
  signal?: AbortSignal,
): Promise<ContributorFeature[]> {
  const url = apiUrl(server, `/api/campaigns/${encodeURIComponent(tag)}/contributors`);
  const body = (await getJson(url, signal)) as Partial<ContributorCollection> | null;
  if (!Array.isArray(body?.features)) {
    throw new ApiError(url, 0, `${url} did not answer with a FeatureCollection`);
  }
  return body.features.map(toContributorFeature).filter((f) => f !== null);
}

/** `GET /api/status`. */
export async function fetchStatus(server: string, signal?: AbortSignal): Promise<ServerStatus> {
  const url = apiUrl(server, '/api/status');
  const body = (await getJson(url, signal)) as Partial<ServerStatus> | null;
  if (!Array.isArray(body?.sources)) {
    throw new ApiError(url, 0, `${url} has no sources list`);
  }
  return { campaigns: body.campaigns ?? [], sources: body.sources };
}
