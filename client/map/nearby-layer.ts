import * as L from 'leaflet';
import type { NearbyResult } from '../../shared/types.js';

/**
 * Draws a nearby search: a ring round each city found and a dot at the origin, then fits the map
 * to them in the part a panel leaves uncovered (`covered`, CSS px from the right and bottom).
 */
export function drawNearby(
  map: L.Map,
  nearby: NearbyResult,
  covered: { right: number; bottom: number },
): L.LayerGroup {
  const layer = L.layerGroup().addTo(map);
  const origin = L.latLng(nearby.origin.lat, nearby.origin.lng);
  const seen = new Set<number>();
  const bounds = L.latLngBounds([origin, origin]);
  for (const f of nearby.features) {
    if (seen.has(f.properties.place.id)) continue;
    seen.add(f.properties.place.id);
    const at = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
    bounds.extend(at);
    L.circleMarker(at, { radius: 24, className: 'fto-near', interactive: false }).addTo(layer);
  }
  const mark = L.marker(origin, {
    icon: L.divIcon({ className: 'fto-origin', iconSize: [16, 16] }),
    interactive: false,
    keyboard: false,
  }).addTo(layer);
  mark.getElement()?.setAttribute('aria-hidden', 'true');
  map.fitBounds(bounds.pad(0.3), {
    maxZoom: 9,
    paddingBottomRight: [covered.right, covered.bottom],
  });
  return layer;
}
