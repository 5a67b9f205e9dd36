import { LitElement, css, html, unsafeCSS } from 'lit';
import { property, query } from 'lit/decorators.js';
import { customElement } from '../define.js';
import * as L from 'leaflet';
import leafletCss from 'leaflet/dist/leaflet.css?inline';
import type { NearbyResult, PlaceLabel, ViewFeature } from '../../shared/types.js';
import type { View } from '../api.js';
import { apiUrl } from '../api.js';
import { featureKey, pinDiameter, pinLabel, pinText } from '../cities.js';
import { focusRing } from '../styles.js';

interface Pin {
  marker: L.Marker;
  /** The visible disc inside Leaflet's icon element. */
  disc: HTMLElement;
  feature: ViewFeature;
}

/** Without tiles the outline is all there is, but clusters must still be able to split. */
const OUTLINE_MAX_ZOOM = 12;

/** Where the map starts before any city is known: the inhabited world, not the poles. */
const WORLD: L.LatLngBoundsExpression = [
  [-45, -150],
  [65, 165],
];

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
 * Activating a cluster (click, Enter or Space) zooms to where it splits; activating a city asks
 * for its list (`fto-city-select`). `nearby` rings the cities of a nearby search and marks its
 * origin. `pulse()` plays the arrival animation at a place.
 *
 * @fires fto-view-change - detail `View` (`{ bbox, zoom }`) once the map settles after a move or zoom
 * @fires fto-city-select - detail `{ place }` when a city's pin is activated
 * @fires fto-tiles-error - once per tile URL, when tiles fail to load (the outline still shows)
 * @csspart map - the Leaflet container
 */
@customElement('fto-map')
export class FtoMap extends LitElement {
  static override styles = [
    unsafeCSS(leafletCss),
    focusRing,
    css`
      :host {
        display: block;
        position: relative;
        min-block-size: 200px;
      }
      .map.leaflet-container {
        position: absolute;
        inset: 0;
        background: var(--fto-water);
        font: 0.75rem/1.4 var(--fto-font, system-ui, sans-serif);
      }
      .map:focus-visible {
        outline-offset: -3px;
      }
      .fto-land {
        fill: var(--fto-land);
        fill-opacity: 1;
        stroke: var(--fto-border);
        stroke-width: 0.5;
      }
      .fto-borders {
        fill: none;
        stroke: var(--fto-border);
        stroke-width: 0.6;
        stroke-dasharray: 2 2;
      }
      .leaflet-tile-pane {
        filter: var(--fto-tile-filter, none);
      }
      .fto-pin-icon {
        border-radius: 50%;
        transition:
          width 0.3s,
          height 0.3s,
          margin 0.3s;
      }
      .fto-pin {
        display: grid;
        place-items: center;
        box-sizing: border-box;
        inline-size: 100%;
        block-size: 100%;
        border-radius: 50%;
        border: 2px solid var(--fto-bg);
        background: var(--fto-accent);
        color: var(--fto-accent-fg);
        font: 700 0.8125rem/1 var(--fto-font, system-ui, sans-serif);
        box-shadow: 0 1px 4px rgb(0 0 0 / 0.35);
        cursor: pointer;
      }
      .fto-pin-icon:hover .fto-pin {
        filter: brightness(1.1);
      }
      .fto-pin--cluster {
        background: color-mix(in srgb, var(--fto-accent) 82%, var(--fto-bg));
        box-shadow:
          0 0 0 4px color-mix(in srgb, var(--fto-accent) 30%, transparent),
          0 1px 4px rgb(0 0 0 / 0.35);
        font-size: 0.75rem;
      }
      .fto-pin-icon[aria-expanded='true'] .fto-pin {
        box-shadow:
          0 0 0 3px var(--fto-fg),
          0 1px 6px rgb(0 0 0 / 0.4);
      }
      .fto-pin--new {
        animation: fto-arrive 0.7s ease-out;
      }
      .fto-pin--bump {
        animation: fto-bump 0.5s ease-out;
      }
      @keyframes fto-arrive {
        from {
          scale: 0.2;
          opacity: 0;
          box-shadow: 0 0 0 0 var(--fto-accent);
        }
        60% {
          scale: 1.15;
          opacity: 1;
          box-shadow: 0 0 0 12px transparent;
        }
        to {
          scale: 1;
        }
      }
      @keyframes fto-bump {
        50% {
          scale: 1.2;
        }
      }
      .fto-pulse {
        border-radius: 50%;
        border: 3px solid var(--fto-accent);
        animation: fto-pulse 1.6s ease-out forwards;
        pointer-events: none;
      }
      @keyframes fto-pulse {
        from {
          scale: 0.3;
          opacity: 0.9;
        }
        to {
          scale: 2.4;
          opacity: 0;
        }
      }
      .fto-near {
        stroke: var(--fto-focus);
        stroke-width: 3;
        fill: var(--fto-focus);
        fill-opacity: 0.12;
      }
      .fto-origin {
        border-radius: 50%;
        background: var(--fto-focus);
        border: 3px solid var(--fto-bg);
        box-shadow: 0 0 0 2px var(--fto-focus);
      }
      @media (prefers-reduced-motion: reduce) {
        .fto-pin--new,
        .fto-pin--bump,
        .fto-pulse {
          animation: none;
        }
        .fto-pulse {
          display: none;
        }
      }
      .leaflet-bar a {
        background: var(--fto-bg);
        color: var(--fto-fg);
        border-color: var(--fto-line);
      }
      .leaflet-bar a:hover {
        background: var(--fto-surface);
      }
      .leaflet-bar a.leaflet-disabled {
        background: var(--fto-surface);
        color: var(--fto-muted);
        opacity: 0.6;
      }
      .leaflet-control-attribution.leaflet-control {
        background: color-mix(in srgb, var(--fto-bg) 85%, transparent);
        color: var(--fto-muted);
      }
      .leaflet-control-attribution a {
        color: var(--fto-link);
      }
    `,
  ];

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
  private readonly pins = new Map<string, Pin>();
  private drawnOnce = false;
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
    if (this.start) map.setView(this.start.center, this.start.zoom, { animate: false });
    else map.fitBounds(WORLD, { animate: false });
  }

  /** The view on screen now. */
  get view(): View | null {
    return this.map ? viewOf(this.map) : null;
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
    const el = this.pins.get(`city:${placeId}`)?.marker.getElement();
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

  /** A ripple at a place where someone just joined; the pin there, if drawn, bumps as well. */
  pulse(placeId: number, lngLat: [number, number]): void {
    const map = this.map;
    if (!map) return;
    const at = L.latLng(lngLat[1], lngLat[0]);
    if (!map.getBounds().contains(at)) return;
    const ring = L.marker(at, {
      icon: L.divIcon({ className: 'fto-pulse', iconSize: [36, 36] }),
      interactive: false,
      keyboard: false,
      zIndexOffset: -1000,
    }).addTo(map);
    ring.getElement()?.setAttribute('aria-hidden', 'true');
    setTimeout(() => ring.remove(), 1_700);
    const pin = this.pins.get(`city:${placeId}`);
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
    void this.addOutline(map);
    this.syncTiles();
    this.goToStart(map);
    this.resizeObserver = new ResizeObserver(() => map.invalidateSize());
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
    this.map?.remove();
    this.map = null;
    this.tiles = null;
    this.nearbyLayer = null;
    this.tileCredit = '';
    this.pins.clear();
    this.drawnOnce = false;
  }

  private announceView(): void {
    if (!this.map) return;
    this.dispatchEvent(
      new CustomEvent('fto-view-change', {
        detail: viewOf(this.map),
        bubbles: true,
        composed: true,
      }),
    );
  }

  private async addOutline(map: L.Map): Promise<void> {
    let topology: unknown;
    try {
      topology = await loadTopology(this.server);
    } catch {
      return; // The outline is backdrop: pins, tiles and lists work without it.
    }
    const { worldOutline } = await import('../world-outline.js');
    if (this.map !== map) return;
    const { land, borders } = worldOutline(topology);
    const common = { pane: 'outline', interactive: false, smoothFactor: 0.5 };
    L.geoJSON(land, { ...common, style: { className: 'fto-land', stroke: true } }).addTo(map);
    L.geoJSON(borders, { ...common, style: { className: 'fto-borders', fill: false } }).addTo(map);
  }

  private syncTiles(): void {
    const map = this.map;
    if (!map) return;
    this.tiles?.remove();
    this.tiles = null;
    if (this.tileCredit) map.attributionControl.removeAttribution(this.tileCredit);
    this.tileCredit = '';
    map.setMaxZoom(this.tileUrl ? 18 : OUTLINE_MAX_ZOOM);
    if (!this.tileUrl) return;
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

  private syncPins(): void {
    const map = this.map;
    if (!map) return;
    const present = new Set<string>();
    // Biggest first, so they come first in the tab order too.
    const sorted = [...this.features].sort((a, b) => b.properties.count - a.properties.count);
    for (const feature of sorted) {
      const key = featureKey(feature);
      present.add(key);
      const pin = this.pins.get(key);
      if (pin) this.updatePin(pin, feature);
      else this.pins.set(key, this.addPin(map, feature));
    }
    for (const [key, pin] of this.pins) {
      if (!present.has(key)) {
        pin.marker.remove();
        this.pins.delete(key);
      }
    }
    if (!this.drawnOnce && sorted.length) {
      this.drawnOnce = true;
      // For the benchmark and for anyone profiling: navigation start → first clusters on screen.
      performance.mark('fto-first-clusters');
    }
  }

  private addPin(map: L.Map, feature: ViewFeature): Pin {
    const disc = document.createElement('span');
    disc.className = feature.properties.cluster ? 'fto-pin fto-pin--cluster' : 'fto-pin';
    disc.addEventListener('animationend', () =>
      disc.classList.remove('fto-pin--new', 'fto-pin--bump'),
    );
    const size = pinDiameter(feature.properties.count);
    const icon = L.divIcon({ html: disc, className: 'fto-pin-icon', iconSize: [size, size] });
    const marker = L.marker(toLatLng(feature), { icon, keyboard: true, riseOnHover: true });
    marker.addTo(map);
    const pin: Pin = { marker, disc, feature };
    marker.on('click', () => this.activate(pin.feature));
    const el = marker.getElement();
    el?.addEventListener('keydown', (e) => {
      // Leaflet makes the pin focusable with role=button but doesn't activate it from the keyboard.
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.activate(pin.feature);
      }
    });
    this.updatePin(pin, feature, true);
    return pin;
  }

  private updatePin(pin: Pin, feature: ViewFeature, fresh = false): void {
    const before = pin.feature.properties.count;
    pin.feature = feature;
    const count = feature.properties.count;
    const label = pinLabel(feature);
    const el = pin.marker.getElement();
    if (el) {
      el.setAttribute('aria-label', label);
      el.title = label;
      el.dataset.kind = feature.properties.cluster ? 'cluster' : 'city';
    }
    const latLng = toLatLng(feature);
    if (!pin.marker.getLatLng().equals(latLng)) pin.marker.setLatLng(latLng);
    if (!fresh && count === before) return;
    if (!fresh && count > before) bump(pin.disc);
    pin.disc.textContent = pinText(count);
    // Resize Leaflet's icon box in place, as its _setIconStyles would: setIcon() would replace
    // the element and drop keyboard focus.
    if (el) {
      const size = pinDiameter(count);
      el.style.width = el.style.height = `${size}px`;
      el.style.marginLeft = el.style.marginTop = `${-size / 2}px`;
    }
    // Bigger pins sit under smaller ones, so a small town next to a big city stays clickable.
    pin.marker.setZIndexOffset(-Math.min(count, 100_000));
  }

  private syncSelection(): void {
    for (const pin of this.pins.values()) {
      const p = pin.feature.properties;
      const el = pin.marker.getElement();
      if (p.cluster) el?.removeAttribute('aria-expanded');
      else el?.setAttribute('aria-expanded', String(p.place.id === this.selectedPlaceId));
    }
  }

  private syncNearby(): void {
    const map = this.map;
    if (!map) return;
    this.nearbyLayer?.remove();
    this.nearbyLayer = null;
    const nearby = this.nearby;
    if (!nearby) return;
    const layer = L.layerGroup().addTo(map);
    this.nearbyLayer = layer;
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
      paddingBottomRight: [this.covered.right, this.covered.bottom],
    });
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
 * The world outline's TopoJSON (Natural Earth 1:110m, ~38 kB gzipped). The map page loads it as
 * a separate chunk alongside the data; the widget, one file within its size budget, fetches the
 * same JSON from its server, where it is cached.
 */
async function loadTopology(server: string): Promise<unknown> {
  if (__FTO_WIDGET__) {
    const res = await fetch(apiUrl(server, '/world-outline.json'));
    if (!res.ok) throw new Error(`world outline: ${res.status}`);
    return res.json();
  }
  return (await import('world-atlas/countries-110m.json')).default;
}

function bump(disc: HTMLElement): void {
  disc.classList.remove('fto-pin--bump');
  // Reading layout between remove and add restarts the animation if it is still running.
  void disc.offsetWidth;
  disc.classList.add('fto-pin--bump');
}

const toLatLng = (f: ViewFeature) => L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);

/** The visible area as a bbox the server accepts: longitudes within ±180, latitudes within ±85. */
function viewOf(map: L.Map): View {
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
  return {
    bbox: [west, clampLat(b.getSouth()), east, clampLat(b.getNorth())],
    zoom: map.getZoom(),
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
