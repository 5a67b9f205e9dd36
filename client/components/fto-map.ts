import { LitElement, html, unsafeCSS } from 'lit';
import { property, query } from 'lit/decorators.js';
import { customElement } from '../define.js';
import * as L from 'leaflet';
import leafletCss from 'leaflet/dist/leaflet.css?inline';
import type { NearbyResult, PlaceLabel, ViewFeature } from '../../shared/types.js';
import type { View } from '../api.js';
import { pinDiameter } from '../cities.js';
import { PinSet, bump, toLatLng } from '../map/pin-set.js';
import { focusRing } from '../styles.js';
import { mapStyles } from '../map/map-styles.js';
import { drawNearby } from '../map/nearby-layer.js';
import { addOutline, loadMapLabels } from '../map/outline-layer.js';
import { PlaceLabels } from '../map/place-labels.js';
import { worldView } from '../map/world-view.js';

/**
 * Without tiles the 1:110m outline is all there is: past this zoom it would be blank land. At
 * this zoom the map asks the server for every city on its own (`clusterZoom`), so a cluster of
 * neighbouring towns still splits.
 */
const OUTLINE_MAX_ZOOM = 7;
/** A zoom past any server's clustering: every city stands alone. */
const SPLIT_ZOOM = 18;
/** How far from a pin (CSS px) a new city may be and still be taken as inside it, for its ripple. */
const PIN_REACH = 80;

const LINK_ATTRS = 'target="_blank" rel="nofollow noopener noreferrer"';
const CREDITS = [
  `Outline: <a href="https://www.naturalearthdata.com/" ${LINK_ATTRS}>Natural Earth</a>`,
  `Places: <a href="https://www.geonames.org/" ${LINK_ATTRS}>GeoNames</a> (CC BY 4.0)`,
];

// Leaflet renders attribution as HTML; the tile credit comes from server config, so it is text.
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A Leaflet map of the features the server clustered for the current view: a pin per city and a
 * ringed pin per cluster of cities, sized by the people in it, over a bundled world outline and,
 * when given a tile URL, map tiles. The outline is drawn under the tiles, so it is what shows
 * whenever tiles are missing, slow or blocked. The map fetches nothing: it says where it is
 * looking (`fto-view-change`) and draws the `features` it is given.
 *
 * Without tiles it names countries and cities where no pin is (client/map/place-labels.ts) and
 * zooms in only as far as the outline shows, where every city is asked for alone. Activating a
 * cluster (click, Enter or Space) zooms to where it splits; activating a city asks for its list
 * (`fto-city-select`). `nearby` rings the cities of a nearby search and marks its origin.
 * `pulse()` plays the arrival animation on the pin that holds a place.
 *
 * @fires fto-view-change - detail `View` (`{ bbox, zoom }`) once the map settles after a move or zoom
 * @fires fto-city-select - detail `{ place }` when a city's pin is activated
 * @fires fto-tiles-error - once per tile URL, when tiles fail to load (the outline still shows)
 * @csspart map - the Leaflet container
 */
@customElement('fto-map')
export class FtoMap extends LitElement {
  static override styles = [unsafeCSS(leafletCss), focusRing, mapStyles];

  /** What to draw: the server's clusters and cities for the current view. */
  @property({ attribute: false }) features: readonly ViewFeature[] = [];
  /** GeoNames id of the city whose list is open, or null. */
  @property({ attribute: false }) selectedPlaceId: number | null = null;
  /** The last nearby search, ringed on the map, or null. */
  @property({ attribute: false }) nearby: NearbyResult | null = null;
  /** Leaflet tile URL template, or null/empty for the outline alone. */
  @property({ attribute: 'tile-url' }) tileUrl: string | null = null;
  /** Plain-text credit for the tiles. */
  @property({ attribute: 'tile-attribution' }) tileAttribution = '';
  /**
   * Where the map opens, `{ center: [lat, lng], zoom }`; null fits the inhabited world. A
   * different place later moves the map there (the /embed builder's preview); the same place
   * in a new object does not, so the reader's own panning stays.
   */
  @property({
    attribute: false,
    hasChanged: (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b),
  })
  start: { center: [number, number]; zoom: number } | null = null;
  /** API origin, for the widget's world outline; empty means the default server. */
  @property() server = '';

  @query('.map') private container!: HTMLElement;

  private map: L.Map | null = null;
  private tiles: L.TileLayer | null = null;
  private tileCredit = '';
  private nearbyLayer: L.LayerGroup | null = null;
  private pins: PinSet | null = null;
  private drawnOnce = false;
  private opened: { center: L.LatLng; zoom: number } | null = null;
  private labels: PlaceLabels | null = null;
  private labelsAsked = false;
  private resizeObserver: ResizeObserver | null = null;

  protected override render() {
    return html`<div class="map" part="map"></div>`;
  }

  protected override firstUpdated(): void {
    this.createMap();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved elsewhere in the page: the map was torn down on disconnect, build it again.
    if (this.hasUpdated && !this.map) this.createMap();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.destroyMap();
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (!this.map) return;
    if (changed.has('tileUrl') || changed.has('tileAttribution')) this.syncTiles();
    if (changed.has('features')) this.syncPins();
    if (changed.has('selectedPlaceId') || changed.has('features')) this.syncSelection();
    if (changed.has('nearby')) this.syncNearby();
    // The first value was used when the map was made.
    if (changed.has('start') && changed.get('start') !== undefined) this.goToStart(this.map);
  }

  private goToStart(map: L.Map): void {
    // Not animated: Leaflet drops a setView that comes while a zoom animation is running.
    const { center, zoom } = this.start ?? worldView(map);
    map.setView(center, zoom, { animate: false });
    this.opened = { center: map.getCenter(), zoom: map.getZoom() };
  }

  /** Still where goToStart put it: nobody has moved the map since. */
  private untouched(map: L.Map): boolean {
    const o = this.opened;
    return Boolean(o && map.getZoom() === o.zoom && map.getCenter().equals(o.center, 1e-6));
  }

  /** The view on screen now. */
  get view(): View | null {
    return this.map ? viewOf(this.map, !this.tileUrl) : null;
  }

  /**
   * Pans just enough to show a place outside the given strip of the map (in CSS pixels),
   * e.g. the part a list panel covers.
   */
  reveal(lngLat: [number, number], covered: { right: number; bottom: number }): void {
    if (!this.map) return;
    const margin = 24;
    this.map.panInside(L.latLng(lngLat[1], lngLat[0]), {
      paddingTopLeft: [margin, margin],
      paddingBottomRight: [covered.right + margin, covered.bottom + margin],
    });
  }

  /** Moves keyboard focus to a city's pin (e.g. when its list closes), or to the map when it is gone. */
  focusCity(placeId: number): void {
    const el = this.pins?.city(placeId)?.marker.getElement();
    (el ?? this.container).focus();
  }

  /**
   * The strip of the map a panel covers now (CSS pixels from the right and bottom edges): a
   * side panel on a desktop, the bottom sheet on a phone. Places shown go in the rest.
   */
  covered: { right: number; bottom: number } = { right: 0, bottom: 0 };

  /**
   * Zooms to a place, close enough that it stands alone (used by the list view), centred in the
   * part of the map no panel covers.
   */
  showPlace(lngLat: [number, number], zoom = 8): void {
    const map = this.map;
    if (!map) return;
    const z = Math.min(zoom, map.getMaxZoom());
    // The visible part's centre lies half the covered strip up and left of the map's centre.
    const at = map.project(L.latLng(lngLat[1], lngLat[0]), z);
    const centre = map.unproject(at.add([this.covered.right / 2, this.covered.bottom / 2]), z);
    map.setView(centre, z, { animate: false });
  }

  /**
   * A ripple where someone just joined: on the pin that holds the place (its own, or the cluster
   * it is counted in at this zoom), which bumps as well; at the place itself when no pin is near.
   */
  pulse(placeId: number, lngLat: [number, number]): void {
    const map = this.map;
    if (!map) return;
    const pin = this.pins?.holderOf(placeId, L.latLng(lngLat[1], lngLat[0]), PIN_REACH);
    const at = pin ? pin.marker.getLatLng() : L.latLng(lngLat[1], lngLat[0]);
    if (!map.getBounds().contains(at)) return;
    const size = pin ? pinDiameter(pin.feature.properties.count) + 8 : 36;
    const ring = L.marker(at, {
      icon: L.divIcon({ className: 'fto-pulse', html: '<span></span>', iconSize: [size, size] }),
      interactive: false,
      keyboard: false,
      zIndexOffset: -1000,
    }).addTo(map);
    ring.getElement()?.setAttribute('aria-hidden', 'true');
    setTimeout(() => ring.remove(), 1_700);
    if (pin) bump(pin.disc);
  }

  private createMap(): void {
    // Quarter zoom steps and zoom 0 let the whole world fit a 360 px phone. No trackResize: the
    // ResizeObserver below does that, and Leaflet's would leave `_leaflet_events` on the window.
    const map = L.map(this.container, {
      minZoom: 0,
      zoomSnap: 0.25,
      zoomDelta: 0.5,
      trackResize: false,
    });
    this.map = map;
    map.attributionControl.setPrefix(`<a href="https://leafletjs.com" ${LINK_ATTRS}>Leaflet</a>`);
    for (const credit of CREDITS) map.attributionControl.addAttribution(credit);
    // A named region: screen readers list it among the landmarks and say what the keys do.
    this.container.setAttribute('role', 'region');
    this.container.setAttribute('aria-roledescription', 'map');
    this.container.setAttribute('aria-label', 'Map of contributors; arrow keys pan, + and − zoom');
    map.createPane('outline').style.zIndex = '150';
    this.pins = new PinSet(map, (feature) => this.activate(feature));
    this.labels = new PlaceLabels(map, () => this.pins?.boxes() ?? []);
    void addOutline(map, this.server, () => this.map);
    this.syncTiles();
    this.goToStart(map);
    // The page may still be settling (a header that wraps, a panel): until someone moves the map,
    // a new size gets the opening view fitted again, so a phone still opens on the whole band.
    this.resizeObserver = new ResizeObserver(() => {
      const refit = this.untouched(map);
      map.invalidateSize();
      if (refit) this.goToStart(map);
    });
    this.resizeObserver.observe(this.container);
    // moveend also follows every zoom, so this is the one signal that the view settled.
    map.on('moveend', () => this.announceView());
    this.announceView();
    this.syncPins();
    this.syncSelection();
    this.syncNearby();
  }

  private destroyMap(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.labels?.remove();
    this.labels = null;
    this.labelsAsked = false;
    this.map?.remove();
    this.map = null;
    this.tiles = null;
    this.nearbyLayer = null;
    this.tileCredit = '';
    this.pins = null;
    this.drawnOnce = false;
    this.opened = null;
  }

  private announceView(): void {
    if (!this.map) return;
    this.dispatchEvent(
      new CustomEvent('fto-view-change', {
        detail: viewOf(this.map, !this.tileUrl),
        bubbles: true,
        composed: true,
      }),
    );
  }

  private syncTiles(): void {
    const map = this.map;
    if (!map) return;
    this.tiles?.remove();
    this.tiles = null;
    if (this.tileCredit) map.attributionControl.removeAttribution(this.tileCredit);
    this.tileCredit = '';
    map.setMaxZoom(this.tileUrl ? 18 : OUTLINE_MAX_ZOOM);
    // Tiles bring their own names; the bare outline gets ours.
    this.labels?.setEnabled(!this.tileUrl);
    if (!this.tileUrl) {
      if (!this.labelsAsked) {
        this.labelsAsked = true;
        void loadMapLabels(this.server).then((labels) => {
          if (this.map === map) this.labels?.set(labels);
        });
      }
      return;
    }
    this.tileCredit = escapeHtml(this.tileAttribution);
    const tiles = L.tileLayer(this.tileUrl, { maxZoom: 18, attribution: this.tileCredit });
    let reported = false;
    tiles.on('tileerror', () => {
      if (reported) return;
      reported = true;
      this.dispatchEvent(new CustomEvent('fto-tiles-error', { bubbles: true, composed: true }));
    });
    this.tiles = tiles.addTo(map);
  }

  private syncSelection(): void {
    this.pins?.select(this.selectedPlaceId);
  }

  private syncPins(): void {
    this.pins?.sync(this.features);
    this.labels?.draw();
    if (!this.drawnOnce && this.features.length) {
      this.drawnOnce = true;
      // For the benchmark and for anyone profiling: navigation start → first clusters on screen.
      performance.mark('fto-first-clusters');
    }
  }

  private syncNearby(): void {
    const map = this.map;
    if (!map) return;
    this.nearbyLayer?.remove();
    this.nearbyLayer = null;
    const nearby = this.nearby;
    if (!nearby) return;
    this.nearbyLayer = drawNearby(map, nearby, this.covered);
  }

  private activate(feature: ViewFeature): void {
    const map = this.map;
    if (!map) return;
    const p = feature.properties;
    if (p.cluster) {
      // The server says where the cluster splits; go there, and a step further if that is where we are.
      const zoom = Math.max(p.expansionZoom, Math.floor(map.getZoom()) + 1);
      map.setView(toLatLng(feature), Math.min(zoom, map.getMaxZoom()));
      // The cluster's pin is about to be replaced by its parts; keep focus on the map meanwhile.
      this.container.focus({ preventScroll: true });
      return;
    }
    const place: PlaceLabel = p.place;
    this.dispatchEvent(
      new CustomEvent('fto-city-select', {
        detail: { place, coordinates: feature.geometry.coordinates },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

/**
 * The visible area as a bbox the server accepts (longitudes within ±180, latitudes within ±85),
 * and, on the bare outline at its deepest zoom, the zoom to cluster at: past all clustering.
 */
function viewOf(map: L.Map, outlineOnly: boolean): View {
  const b = map.getBounds();
  let west = b.getWest();
  let east = b.getEast();
  if (east - west >= 360) [west, east] = [-180, 180];
  else {
    // Leaflet keeps panning past the antimeridian; bring the centre back into range.
    const shift = Math.round((west + east) / 2 / 360) * 360;
    west = Math.max(-180, west - shift);
    east = Math.min(180, east - shift);
  }
  const clampLat = (lat: number) => Math.max(-85, Math.min(85, lat));
  const zoom = map.getZoom();
  return {
    bbox: [west, clampLat(b.getSouth()), east, clampLat(b.getNorth())],
    zoom,
    ...(outlineOnly && zoom >= OUTLINE_MAX_ZOOM ? { clusterZoom: SPLIT_ZOOM } : {}),
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-map': FtoMap;
  }
  interface HTMLElementEventMap {
    'fto-view-change': CustomEvent<View>;
    'fto-city-select': CustomEvent<{ place: PlaceLabel; coordinates: [number, number] }>;
    'fto-tiles-error': CustomEvent<void>;
  }
}
