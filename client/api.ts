import type {
  CampaignSummary,
  CityPage,
  ClientConfig,
  CountryCount,
  ContributorFeature,
  FeatureCollection,
  NearbyResult,
  Place,
  PlacePage,
  PlaceSuggestions,
  PostExcerpt,
  ServerStatus,
  ViewFeature,
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
    /** The error answer's JSON body (`{"error", …}`), when there was one. */
    readonly body: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let defaultServer = '';

/**
 * The origin used when an element's `server` is empty. The widget sets it to the origin its
 * script came from; the map page leaves it empty (the page's own origin).
 */
export function setDefaultServer(origin: string): void {
  defaultServer = origin;
}

/** Resolves an API path against `server` (an origin such as "https://map.example"), else the default server. */
export function apiUrl(server: string, path: string): string {
  const base = server || defaultServer;
  return base ? new URL(path, base).href : path;
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
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    const detail = typeof body?.error === 'string' ? body.error : res.statusText;
    throw new ApiError(url, res.status, `${url} answered ${res.status}: ${detail}`, body);
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

/** A gazetteer place as the server sends it (id, name, country and coordinates at least). */
function isPlace(p: unknown): p is Place {
  const o = p as Partial<Place> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    isFiniteNumber(o.id) &&
    typeof o.name === 'string' &&
    typeof o.country === 'string' &&
    isFiniteNumber(o.lat) &&
    isFiniteNumber(o.lng)
  );
}

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

/** `GET /api/status`. */
export async function fetchStatus(server: string, signal?: AbortSignal): Promise<ServerStatus> {
  const url = apiUrl(server, '/api/status');
  const body = (await getJson(url, signal)) as Partial<ServerStatus> | null;
  if (!Array.isArray(body?.sources)) {
    throw new ApiError(url, 0, `${url} has no sources list`);
  }
  const status: ServerStatus = { campaigns: body.campaigns ?? [], sources: body.sources };
  if (body.reach && Array.isArray(body.reach.sources)) status.reach = body.reach;
  return status;
}

const campaignPath = (tag: string) => `/api/campaigns/${encodeURIComponent(tag)}`;

/** A map view: west, south, east, north in degrees, and the zoom it is drawn at. */
export interface View {
  bbox: [west: number, south: number, east: number, north: number];
  zoom: number;
  /** The zoom to cluster at when it is not `zoom` (the bare outline's deepest zoom splits all). */
  clusterZoom?: number;
}

/** `GET /api/campaigns/:tag/contributors?bbox=&zoom=`: clusters and cities for one view. */
export async function fetchView(
  server: string,
  tag: string,
  view: View,
  signal?: AbortSignal,
  /** One network's people only (`fediverse`, `bluesky`); all when absent. */
  network?: string,
): Promise<ViewFeature[]> {
  const bbox = view.bbox.map((n) => +n.toFixed(5)).join(',');
  const only = network ? `&network=${encodeURIComponent(network)}` : '';
  const query = `?bbox=${bbox}&zoom=${Math.floor(view.clusterZoom ?? view.zoom)}${only}`;
  const url = apiUrl(server, `${campaignPath(tag)}/contributors${query}`);
  const body = (await getJson(url, signal)) as Partial<FeatureCollection<unknown>> | null;
  if (!Array.isArray(body?.features)) {
    throw new ApiError(url, 0, `${url} did not answer with a FeatureCollection`);
  }
  return body.features.filter(isViewFeature);
}

function isViewFeature(value: unknown): value is ViewFeature {
  const f = value as ViewFeature | null;
  const coords = f?.geometry?.coordinates;
  const p = f?.properties;
  if (!Array.isArray(coords) || !isFiniteNumber(coords[0]) || !isFiniteNumber(coords[1])) {
    return false;
  }
  if (!p || !isFiniteNumber(p.count)) return false;
  return p.cluster ? isFiniteNumber(p.clusterId) : isFiniteNumber(p.place?.id);
}

/** `GET /api/campaigns/:tag/places/:placeId/contributors`: one page of a city's people. */
/** `GET /api/campaigns/:tag/contributors/:acct/post`: a post's text, when the reader asks for it. */
export async function fetchPostExcerpt(
  server: string,
  tag: string,
  acct: string,
  signal?: AbortSignal,
): Promise<PostExcerpt> {
  const url = apiUrl(server, `${campaignPath(tag)}/contributors/${encodeURIComponent(acct)}/post`);
  const body = (await getJson(url, signal)) as Partial<PostExcerpt> | null;
  if (typeof body?.excerpt !== 'string') {
    throw new ApiError(url, 0, `${url} did not answer with a post`);
  }
  return body as PostExcerpt;
}

/** `GET /api/campaigns/:tag/places/:placeId/contributors`. */
export async function fetchPlacePage(
  server: string,
  tag: string,
  placeId: number,
  options: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {},
): Promise<PlacePage> {
  const params = new URLSearchParams();
  if (options.cursor) params.set('cursor', options.cursor);
  if (options.limit) params.set('limit', String(options.limit));
  const query = params.size ? `?${params}` : '';
  const url = apiUrl(server, `${campaignPath(tag)}/places/${placeId}/contributors${query}`);
  const body = (await getJson(url, options.signal)) as Partial<PlacePage> | null;
  if (!body?.place || !Array.isArray(body.contributors) || !isFiniteNumber(body.total)) {
    throw new ApiError(url, 0, `${url} did not answer with a page of contributors`);
  }
  return {
    place: body.place,
    total: body.total,
    contributors: body.contributors.filter((p) => typeof p?.acct === 'string'),
    nextCursor: typeof body.nextCursor === 'string' ? body.nextCursor : null,
  };
}

/** `GET /api/campaigns/:tag/countries`: every country with people, most people first. */
export async function fetchCountries(
  server: string,
  tag: string,
  signal?: AbortSignal,
): Promise<CountryCount[]> {
  const url = apiUrl(server, `${campaignPath(tag)}/countries`);
  const body = (await getJson(url, signal)) as { countries?: unknown } | null;
  if (!Array.isArray(body?.countries)) {
    throw new ApiError(url, 0, `${url} did not answer with a list of countries`);
  }
  return (body.countries as Partial<CountryCount>[]).filter(
    (c): c is CountryCount =>
      typeof c?.country === 'string' && isFiniteNumber(c.count) && isFiniteNumber(c.cities),
  );
}

/** Which cities to list: one country's or all, only names containing `q`, after a previous page. */
export interface CityQuery {
  country?: string;
  q?: string;
  cursor?: string | null;
  limit?: number;
}

/** `GET /api/campaigns/:tag/cities`: one page of cities, most people first. */
export async function fetchCities(
  server: string,
  tag: string,
  query: CityQuery,
  signal?: AbortSignal,
): Promise<CityPage> {
  const params = new URLSearchParams();
  if (query.country) params.set('country', query.country);
  if (query.q) params.set('q', query.q);
  if (query.cursor) params.set('cursor', query.cursor);
  if (query.limit) params.set('limit', String(query.limit));
  const url = apiUrl(server, `${campaignPath(tag)}/cities${params.size ? `?${params}` : ''}`);
  const body = (await getJson(url, signal)) as Partial<CityPage> | null;
  if (!Array.isArray(body?.features) || !isFiniteNumber(body.total)) {
    throw new ApiError(url, 0, `${url} did not answer with a page of cities`);
  }
  return {
    total: body.total,
    features: body.features.filter(
      (f): f is CityPage['features'][number] => isViewFeature(f) && !f.properties.cluster,
    ),
    nextCursor: typeof body.nextCursor === 'string' ? body.nextCursor : null,
  };
}

/** Where to look for people nearby: a point (the browser's location), a typed place or a chosen one. */
export type NearbyQuery = { lat: number; lng: number } | { near: string } | { placeId: number };

/** The places a 409 from `nearby?near=` offers, or null when `err` is not one. */
export function ambiguousCandidates(err: unknown): Place[] | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const list = err.body?.candidates;
  return Array.isArray(list) ? list.filter(isPlace) : null;
}

/** `GET /api/places?q=`: places for a typed name, most likely first (for the near-me box). */
export async function fetchPlaces(
  server: string,
  q: string,
  signal?: AbortSignal,
): Promise<Place[]> {
  const url = apiUrl(server, `/api/places?${new URLSearchParams({ q })}`);
  const body = (await getJson(url, signal)) as Partial<PlaceSuggestions> | null;
  return Array.isArray(body?.places) ? body.places.filter(isPlace) : [];
}

/** `GET /api/campaigns/:tag/nearby`: the closest contributors, closest first. */
export async function fetchNearby(
  server: string,
  tag: string,
  query: NearbyQuery,
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<NearbyResult> {
  const params = new URLSearchParams(
    'near' in query
      ? { near: query.near }
      : 'placeId' in query
        ? { placeId: String(query.placeId) }
        : // Two decimals (~1 km) is all a city-level answer needs; the exact position never leaves.
          { lat: query.lat.toFixed(2), lng: query.lng.toFixed(2) },
  );
  if (options.limit) params.set('limit', String(options.limit));
  const url = apiUrl(server, `${campaignPath(tag)}/nearby?${params}`);
  const body = (await getJson(url, options.signal)) as Partial<NearbyResult> | null;
  if (!body?.origin || !Array.isArray(body.features)) {
    throw new ApiError(url, 0, `${url} did not answer with nearby contributors`);
  }
  const features = body.features.filter(
    (f) => toContributorFeature(f) !== null && isFiniteNumber(f.properties.distanceKm),
  );
  return { type: 'FeatureCollection', origin: body.origin, features };
}

/** `GET /api/campaigns/:tag`: the author's identity and the campaign's figures. */
export async function fetchCampaign(
  server: string,
  tag: string,
  signal?: AbortSignal,
): Promise<CampaignSummary> {
  const url = apiUrl(server, campaignPath(tag));
  const body = (await getJson(url, signal)) as Partial<CampaignSummary> | null;
  if (!body?.identity || !isFiniteNumber(body.contributors)) {
    throw new ApiError(url, 0, `${url} did not answer with a campaign summary`);
  }
  return {
    tag: body.tag ?? tag,
    identity: body.identity,
    contributors: body.contributors,
    cities: body.cities ?? 0,
    countries: body.countries ?? 0,
    unlocatedPosts: body.unlocatedPosts ?? 0,
    topCities: body.topCities ?? [],
    topCountries: body.topCountries ?? [],
    joinsPerHour: Array.isArray(body.joinsPerHour) ? body.joinsPerHour : null,
    joinsPerDay: body.joinsPerDay ?? [],
    // People per network; absent from servers before Bluesky, which had the fediverse only.
    ...(isFiniteNumber(body.networks?.fediverse) && isFiniteNumber(body.networks?.bluesky)
      ? { networks: { fediverse: body.networks.fediverse, bluesky: body.networks.bluesky } }
      : {}),
  };
}
