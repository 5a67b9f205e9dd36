import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type {
  CampaignIdentity,
  CampaignSummary,
  CityPage,
  CountryList,
  FeatureCollection,
  NearbyFeature,
  NearbyResult,
  Place,
  PlaceLabel,
  PlacePage,
  PlaceSuggestions,
  ViewFeature,
} from '../../shared/types.js';
import { toLngLat } from '../../shared/geo.js';
import { ACCT_PATTERN } from '../../shared/admin.js';
import { htmlToText } from '../text/sanitize.js';
import { normalizeTag, notATag } from '../../shared/tag.js';
import type { Locator } from '../geo/types.js';
import type { CityIndex, CityKey } from '../map/city-index.js';
import type { PageKey } from '../store/campaign-queries.js';
import type { Store } from '../store/store.js';
import { toFeature, type ContributorRow } from '../store/contributor-feature.js';
import { ApiError, echo } from './errors.js';
import { bbox, int, num, parseParams } from './params.js';
import { defaultIdentity } from './campaign-identity.js';

export interface CampaignRouteDeps {
  store: Store;
  cities: CityIndex;
  identities: Record<string, CampaignIdentity>;
  locator?: Locator;
  /** A summary (joins per day scans every contributor) is reused for this long after a change (ms). */
  summaryTtlMs?: number;
  /** Above this many contributors the unclustered collection is streamed rather than sent as one body. */
  streamContributorsAbove?: number;
}

const maxRadiusKm = 20_038; // half the Earth's circumference: everyone

const limits = {
  oneBodyContributors: 20_000, // about 10 MB of JSON: above this the collection is streamed
};

const contributorsQuery = z.object({
  bbox: bbox.optional(),
  zoom: int(0, 24).optional(),
});
const pageQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: int(1, 200).default(50),
});
// Opt-in: a post's text is not what a map export is for, and a warned one is never exported.
const csvQuery = z.object({
  excerpts: z.enum(['true', 'false'], 'is not true or false').default('false'),
});
const acctParam = z.object({
  acct: z
    .string()
    .max(400, 'is longer than 400 characters')
    .regex(ACCT_PATTERN, 'is not an account like user@example.social'),
});

const citiesQuery = z.object({
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'is not a two-letter country code')
    .transform((c) => c.toUpperCase())
    .optional(),
  q: z.string().trim().min(1, 'is empty').max(100, 'is longer than 100 characters').optional(),
  cursor: z.string().max(500).optional(),
  limit: int(1, 200).default(50),
});
const nearbyQuery = z
  .object({
    lat: num(-90, 90).optional(),
    lng: num(-180, 180).optional(),
    near: z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters').optional(),
    placeId: int(1, 2 ** 31).optional(),
    limit: int(1, 100).default(20),
    radiusKm: num(0, maxRadiusKm).default(maxRadiusKm),
  })
  .refine(
    (q) =>
      q.near !== undefined ||
      q.placeId !== undefined ||
      (q.lat !== undefined && q.lng !== undefined),
    { message: 'needs lat and lng, near, or placeId', path: ['lat'] },
  );
const placesQuery = z.object({
  q: z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters'),
  limit: int(1, 20).default(8),
});
// How many places a 409 offers for an ambiguous name: a short list a person can choose from.
const AMBIGUOUS_CHOICES = 6;

const label = (p: PlaceLabel): PlaceLabel => ({
  id: p.id,
  name: p.name,
  admin1: p.admin1,
  country: p.country,
});

/** A page cursor: the last row's sort key, as base64url JSON. */
const encodeCursor = (key: (string | number)[]) =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/** The sort key in a cursor from a previous page, checked by `read`; anything else is a 400. */
function decodeCursor<T>(raw: string, read: (key: unknown[]) => T | null): T {
  try {
    const key: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const found = Array.isArray(key) ? read(key) : null;
    if (found) return found;
  } catch {
    // fall through to the 400
  }
  throw new ApiError(400, `cursor: "${raw}" is not a cursor from a previous page`);
}

const placePageKey = ([joinedAt, acct]: unknown[]): PageKey | null =>
  typeof joinedAt === 'string' && typeof acct === 'string' ? { joinedAt, acct } : null;

const cityPageKey = ([count, folded, id]: unknown[]): CityKey | null =>
  Number.isInteger(count) && typeof folded === 'string' && Number.isInteger(id)
    ? { count: count as number, folded, id: id as number }
    : null;

/** Spreadsheets run cells that start with these as formulas (CSV injection): quote them. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvHeader = [
  'acct',
  'display_name',
  'profile_url',
  'post_url',
  'posted_at',
  'place_id',
  'city',
  'admin1',
  'country',
  'lat',
  'lng',
  'spoiler_text',
  'sensitive',
];
function csvRow(r: ContributorRow, excerpts: boolean): string {
  const sensitive = r.spoiler_text !== '' || r.sensitive === 1;
  const cells = [
    r.acct,
    r.display_name,
    r.profile_url,
    r.post_url,
    r.posted_at,
    r.place_id,
    r.place_name,
    r.admin1,
    r.country,
    r.lat,
    r.lng,
    r.spoiler_text,
    sensitive ? 'true' : 'false',
  ];
  if (excerpts) cells.push(sensitive ? '' : htmlToText(r.content));
  return cells.map(csvCell).join(',');
}

/** Write pages of rows to the response, waiting for the socket to drain between pages. */
export async function streamRows(
  res: Response,
  pages: (after: PageKey | null) => ContributorRow[],
  render: (row: ContributorRow, first: boolean) => string,
): Promise<void> {
  // One listener for the whole response, not one per wait: compression() moves 'drain' listeners
  // onto its gzip stream and does not forward their removal, so adding and removing one per page
  // left hundreds behind at a million rows.
  let wake: (() => void) | null = null;
  const onDrain = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  res.on('drain', onDrain);
  res.on('close', onDrain);
  try {
    let after: PageKey | null = null;
    let first = true;
    for (;;) {
      const rows = pages(after);
      if (rows.length === 0) return;
      let chunk = '';
      for (const r of rows) {
        chunk += render(r, first);
        first = false;
      }
      const last = rows.at(-1)!;
      after = { joinedAt: last.joined_at!, acct: last.acct };
      if (!res.write(chunk) && !res.destroyed)
        await new Promise<void>((resolve) => (wake = resolve));
      if (res.destroyed) return;
    }
  } finally {
    res.off('drain', onDrain);
    res.off('close', onDrain);
  }
}

/** Public campaign endpoints: summaries, map views, city pages, nearby, exports. */
export function campaignRoutes(deps: CampaignRouteDeps): {
  router: Router;
  campaignOf: (req: Request) => string;
} {
  const { store, cities } = deps;
  const q = store.queries;
  const router = Router();
  const summaryTtlMs = deps.summaryTtlMs ?? 5000;
  // At most summaryTtlMs old. Not keyed on map changes: a post naming no city changes the
  // unlocated count without changing the map, and would otherwise never show.
  const summaries = new Map<string, { at: number; value: CampaignSummary }>();

  const campaignOf = (req: Request): string => {
    const raw = String(req.params.tag);
    const tag = normalizeTag(raw);
    if (tag === null) throw new ApiError(400, notATag('campaign', raw));
    if (!store.hasCampaign(tag)) throw new ApiError(404, `no campaign #${tag} on this server`);
    return tag;
  };

  function summary(tag: string): CampaignSummary {
    const cached = summaries.get(tag);
    if (cached && Date.now() - cached.at < summaryTtlMs) return cached.value;
    const stats = cities.stats(tag);
    const top = cities.top(tag, 10);
    const value: CampaignSummary = {
      tag,
      identity: deps.identities[tag] ?? defaultIdentity(tag),
      ...stats,
      unlocatedPosts: q.unlocatedCount(tag),
      topCities: top.cities,
      topCountries: top.countries,
      joinsPerDay: cities.joinsPerDay(tag),
      joinsPerHour: cities.joinsPerHour(tag),
    };
    summaries.set(tag, { at: Date.now(), value });
    return value;
  }

  /** Every visible contributor as a GeoJSON FeatureCollection, written a page of rows at a time. */
  async function streamCollection(res: Response, tag: string): Promise<void> {
    res.write('{"type":"FeatureCollection","features":[\n');
    await streamRows(
      res,
      (after) => q.exportPage(tag, after, 5000),
      (r, first) => (first ? '' : ',\n') + JSON.stringify(toFeature(r)),
    );
    res.end('\n]}\n');
  }

  router.get('/campaigns', (req, res) => {
    res.set('Cache-Control', 'public, max-age=10').json(store.campaigns().map(summary));
  });

  router.get('/campaigns/:tag', (req, res) => {
    res.set('Cache-Control', 'public, max-age=10').json(summary(campaignOf(req)));
  });

  router.get('/campaigns/:tag/contributors', async (req, res) => {
    const tag = campaignOf(req);
    const query = parseParams(contributorsQuery, req.query);
    if (query.bbox === undefined && query.zoom === undefined) {
      res.set('Cache-Control', 'public, max-age=5');
      // Small campaigns get one JSON body (with an ETag); a large one is streamed page by page,
      // since a million features in one string takes 25 s and nears V8's string limit.
      if (
        cities.stats(tag).contributors <=
        (deps.streamContributorsAbove ?? limits.oneBodyContributors)
      ) {
        res.json(store.contributors(tag));
        return;
      }
      res.status(200).type('application/geo+json');
      await streamCollection(res, tag);
      return;
    }
    if (query.bbox === undefined || query.zoom === undefined)
      throw new ApiError(
        400,
        `${query.bbox ? 'zoom' : 'bbox'}: missing (bbox and zoom go together)`,
      );
    const body: FeatureCollection<ViewFeature> = {
      type: 'FeatureCollection',
      features: cities.view(tag, query.bbox, query.zoom),
    };
    res.set('Cache-Control', 'public, max-age=5').json(body);
  });

  // The text of someone's post, asked for by a reader's "Show post". Only a contributor on this map
  // has one: a hidden, deleted or blocked post has no contributor row, so it is a 404 like elsewhere.
  router.get('/campaigns/:tag/contributors/:acct/post', (req, res) => {
    const tag = campaignOf(req);
    const { acct } = parseParams(acctParam, req.params);
    const post = store.contributorPost(tag, acct);
    if (!post) throw new ApiError(404, `no contributor ${acct} in #${tag}`);
    res.set('Cache-Control', 'public, max-age=5').json(post);
  });

  router.get('/campaigns/:tag/clusters/:clusterId', (req, res) => {
    const tag = campaignOf(req);
    const { clusterId } = parseParams(z.object({ clusterId: int(0, 2 ** 53) }), req.params);
    const found = cities.cluster(tag, clusterId);
    // Ids change when the index is rebuilt after new posts; the client then asks for the view again.
    if (!found)
      throw new ApiError(404, `no cluster ${clusterId} in #${tag} (the map may have changed)`);
    res.set('Cache-Control', 'public, max-age=5').json(found);
  });

  router.get('/campaigns/:tag/places/:placeId/contributors', (req, res) => {
    const tag = campaignOf(req);
    const { placeId } = parseParams(z.object({ placeId: int(1, 2 ** 31) }), req.params);
    const query = parseParams(pageQuery, req.query);
    const city = cities.city(tag, placeId);
    const place = city?.place ?? q.place(placeId);
    if (!place) throw new ApiError(404, `no place ${placeId} in #${tag}`);
    const after = query.cursor ? decodeCursor(query.cursor, placePageKey) : null;
    const page = city
      ? q.placePage(tag, placeId, query.limit, after)
      : { contributors: [], last: null };
    const body: PlacePage = {
      place: { ...label(place), lat: place.lat, lng: place.lng },
      total: city?.count ?? 0,
      contributors: page.contributors,
      nextCursor:
        page.last && page.contributors.length === query.limit
          ? encodeCursor([page.last.joinedAt, page.last.acct])
          : null,
    };
    res.set('Cache-Control', 'public, max-age=5').json(body);
  });

  router.get('/campaigns/:tag/countries', (req, res) => {
    const tag = campaignOf(req);
    const body: CountryList = { countries: cities.countries(tag) };
    res.set('Cache-Control', 'public, max-age=5').json(body);
  });

  router.get('/campaigns/:tag/cities', (req, res) => {
    const tag = campaignOf(req);
    const query = parseParams(citiesQuery, req.query);
    const page = cities.cityPage(tag, {
      country: query.country,
      q: query.q,
      limit: query.limit,
      after: query.cursor ? decodeCursor(query.cursor, cityPageKey) : null,
    });
    const body: CityPage = {
      total: page.total,
      features: page.cities.map(({ place, count }) => ({
        type: 'Feature',
        id: place.id,
        geometry: { type: 'Point', coordinates: toLngLat(place.lat, place.lng) },
        properties: { cluster: false, place: label(place), count },
      })),
      nextCursor: page.next
        ? encodeCursor([page.next.count, page.next.folded, page.next.id])
        : null,
    };
    res.set('Cache-Control', 'public, max-age=5').json(body);
  });

  /**
   * The place a visitor typed: the locator's one answer; else the only candidate the place
   * search has; else a 409 offering the candidates ("Springfield"), or a 404 saying what to try.
   */
  const placeNamed = (near: string): Place => {
    if (!deps.locator)
      throw new ApiError(400, 'near: place names are not available on this server');
    const found = deps.locator.locate({ text: near });
    if (found) return found.place;
    const candidates = deps.locator.searchPlaces?.(near, AMBIGUOUS_CHOICES) ?? [];
    if (candidates.length === 1) return candidates[0]!;
    const quoted = echo(near);
    if (candidates.length === 0)
      throw new ApiError(404, `near: no place called ${quoted}; try adding the country`);
    throw new ApiError(409, `near: ${quoted} is several places; choose one`, { candidates });
  };

  router.get('/places', (req, res) => {
    const { q: text, limit } = parseParams(placesQuery, req.query);
    const body: PlaceSuggestions = { places: deps.locator?.searchPlaces?.(text, limit) ?? [] };
    // The gazetteer does not change while the server runs.
    res.set('Cache-Control', 'public, max-age=3600').json(body);
  });

  router.get('/campaigns/:tag/nearby', (req, res) => {
    const tag = campaignOf(req);
    const query = parseParams(nearbyQuery, req.query);
    let origin: NearbyResult['origin'];
    if (query.placeId !== undefined) {
      const place = deps.locator?.placeById(query.placeId) ?? null;
      if (!place) throw new ApiError(404, `placeId: no place with GeoNames id ${query.placeId}`);
      origin = { lat: place.lat, lng: place.lng, place: label(place) };
    } else if (query.near !== undefined) {
      const place = placeNamed(query.near);
      origin = { lat: place.lat, lng: place.lng, place: label(place) };
    } else {
      origin = { lat: query.lat!, lng: query.lng!, place: null };
    }
    const features: NearbyFeature[] = [];
    for (const c of cities.nearest(tag, origin.lat, origin.lng, query.limit, query.radiusKm)) {
      const want = query.limit - features.length;
      if (want <= 0) break;
      for (const props of q.placePage(tag, c.place.id, want, null).contributors) {
        features.push({
          type: 'Feature',
          id: props.acct,
          geometry: { type: 'Point', coordinates: [c.place.lng, c.place.lat] },
          properties: { ...props, distanceKm: Math.round(c.distanceKm * 100) / 100 },
        });
      }
    }
    const body: NearbyResult = { type: 'FeatureCollection', origin, features };
    res.set('Cache-Control', 'public, max-age=5').json(body);
  });

  router.get('/campaigns/:tag/export.geojson', async (req, res) => {
    const tag = campaignOf(req);
    res
      .status(200)
      .type('application/geo+json')
      .set('Content-Disposition', `attachment; filename="${tag}.geojson"`)
      .set('Cache-Control', 'public, max-age=60');
    await streamCollection(res, tag);
  });

  router.get('/campaigns/:tag/export.csv', async (req, res) => {
    const tag = campaignOf(req);
    const excerpts = parseParams(csvQuery, req.query).excerpts === 'true';
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${tag}.csv"`)
      .set('Cache-Control', 'public, max-age=60');
    res.write([...csvHeader, ...(excerpts ? ['excerpt'] : [])].join(',') + '\r\n');
    await streamRows(
      res,
      (after) => q.exportPage(tag, after, 5000),
      (r) => csvRow(r, excerpts) + '\r\n',
    );
    res.end();
  });

  return { router, campaignOf };
}
