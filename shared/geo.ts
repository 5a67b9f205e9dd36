import type { LngLat } from './types.js';

/** The one place where latitude/longitude become a GeoJSON position ([lng, lat]). */
export function toLngLat(lat: number, lng: number): LngLat {
  return [lng, lat];
}

const earthRadiusKm = 6371.0088; // mean Earth radius (IUGG)

/** Great-circle distance in km between two points (haversine). */
export function distanceKm(
  a: { lat: number; lng: number },
  b: { lat: number; lng: number },
): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}
