import type { Router } from 'express';
import { z } from 'zod';
import type { CityPage, CountryList, PlaceLabel, PlacePage } from '../../shared/types.js';
import { toLngLat } from '../../shared/geo.js';
import { networkKey, type CityKey } from '../map/city-index.js';
import type { PageKey } from '../store/campaign-queries.js';
import type { CampaignRouteContext } from './campaign-context.js';
import { ApiError } from './errors.js';
import { int, networkQuery, parseParams } from './params.js';

const pageQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: int(1, 200).default(50),
  network: networkQuery,
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
  network: networkQuery,
});
/** A place as the wire names it: id, name, region, country. */
export const placeLabel = (p: PlaceLabel): PlaceLabel => ({
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

/** The cities: one city's people a page at a time, the countries, the city list. */
export function cityRoutes(router: Router, { deps, campaignOf }: CampaignRouteContext): void {
  const { cities } = deps;
  const q = deps.store.queries;
  router.get('/campaigns/:tag/places/:placeId/contributors', (req, res) => {
    const tag = campaignOf(req);
    const { placeId } = parseParams(z.object({ placeId: int(1, 2 ** 31) }), req.params);
    const query = parseParams(pageQuery, req.query);
    const city = cities.city(networkKey(tag, query.network), placeId);
    const place = city?.place ?? q.place(placeId);
    if (!place) throw new ApiError(404, `no place ${placeId} in #${tag}`);
    const after = query.cursor ? decodeCursor(query.cursor, placePageKey) : null;
    const page = city
      ? q.placePage(tag, placeId, query.limit, after, query.network)
      : { contributors: [], last: null };
    const body: PlacePage = {
      place: { ...placeLabel(place), lat: place.lat, lng: place.lng },
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
    const { network } = parseParams(z.object({ network: networkQuery }), req.query);
    const body: CountryList = { countries: cities.countries(networkKey(tag, network)) };
    res.set('Cache-Control', 'public, max-age=5').json(body);
  });

  router.get('/campaigns/:tag/cities', (req, res) => {
    const tag = campaignOf(req);
    const query = parseParams(citiesQuery, req.query);
    const page = cities.cityPage(networkKey(tag, query.network), {
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
        properties: { cluster: false, place: placeLabel(place), count },
      })),
      nextCursor: page.next
        ? encodeCursor([page.next.count, page.next.folded, page.next.id])
        : null,
    };
    res.set('Cache-Control', 'public, max-age=5').json(body);
  });
}
