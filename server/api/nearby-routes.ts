import type { Router } from 'express';
import { z } from 'zod';
import type { NearbyFeature, NearbyResult, Place, PlaceSuggestions } from '../../shared/types.js';
import type { CampaignRouteContext } from './campaign-context.js';
import { placeLabel } from './city-routes.js';
import { ApiError, echo } from './errors.js';
import { int, networkQuery, num, parseParams } from './params.js';
import { networkKey } from '../map/city-index.js';

const maxRadiusKm = 20_038; // half the Earth's circumference: everyone

const nearbyQuery = z
  .object({
    lat: num(-90, 90).optional(),
    lng: num(-180, 180).optional(),
    near: z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters').optional(),
    placeId: int(1, 2 ** 31).optional(),
    limit: int(1, 100).default(20),
    radiusKm: num(0, maxRadiusKm).default(maxRadiusKm),
    network: networkQuery,
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

/** Who is near a point, a place id or a place name, and the place search that names them. */
export function nearbyRoutes(router: Router, { deps, campaignOf }: CampaignRouteContext): void {
  const { cities } = deps;
  const q = deps.store.queries;

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
      origin = { lat: place.lat, lng: place.lng, place: placeLabel(place) };
    } else if (query.near !== undefined) {
      const place = placeNamed(query.near);
      origin = { lat: place.lat, lng: place.lng, place: placeLabel(place) };
    } else {
      origin = { lat: query.lat!, lng: query.lng!, place: null };
    }
    const features: NearbyFeature[] = [];
    const key = networkKey(tag, query.network);
    for (const c of cities.nearest(key, origin.lat, origin.lng, query.limit, query.radiusKm)) {
      const want = query.limit - features.length;
      if (want <= 0) break;
      for (const props of q.placePage(tag, c.place.id, want, null, query.network).contributors) {
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
}
