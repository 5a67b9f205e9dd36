import * as L from 'leaflet';

const defaults = {
  // The inhabited world: Tierra del Fuego's and Tasmania's latitudes to Iceland's and Alaska's,
  // the Aleutians to New Zealand's neighbours; no Antarctica, no polar sea.
  south: -45,
  north: 65,
  west: -150,
  east: 165,
  // Fitting the whole band into a tall screen leaves it a strip across the middle, ocean above and
  // below. When the band would fill less than this share of the height, it fills the height
  // instead and the screen shows less of its width (you pan sideways, not up).
  fillHeightBelow: 0.7,
};

/** The inhabited band of the world, as bounds. */
export const INHABITED = L.latLngBounds(
  [defaults.south, defaults.west],
  [defaults.north, defaults.east],
);

/**
 * Where the map opens when nobody said: the inhabited band, fitted to the map's shape. A wide map
 * shows all of it, as fitBounds would; a tall one (a phone) shows its latitudes from top to bottom
 * and crops its width, rather than an empty ocean above and Antarctica below.
 */
export function worldView(map: L.Map): { center: L.LatLng; zoom: number } {
  const size = map.getSize();
  const sw = map.project(INHABITED.getSouthWest(), 0);
  const ne = map.project(INHABITED.getNorthEast(), 0);
  const band = { width: ne.x - sw.x, height: sw.y - ne.y };
  const snap = map.options.zoomSnap || 1;
  const floorSnap = (z: number) => Math.floor(z / snap) * snap;
  const whole = floorSnap(Math.log2(Math.min(size.x / band.width, size.y / band.height)));
  const filled = (band.height * 2 ** whole) / size.y;
  const zoom =
    size.y > 0 && filled < defaults.fillHeightBelow
      ? floorSnap(Math.log2(size.y / band.height))
      : whole;
  const clamped = Math.max(map.getMinZoom(), Math.min(map.getMaxZoom(), zoom));
  // The band's middle as drawn (in Mercator), as fitBounds centres it.
  const center = map.unproject(sw.add(ne).divideBy(2), 0);
  return { center, zoom: Number.isFinite(clamped) ? clamped : 0 };
}
