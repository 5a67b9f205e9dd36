import { LitElement, css, html, unsafeCSS } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import * as L from 'leaflet';
import leafletCss from 'leaflet/dist/leaflet.css?inline';
import type { City } from '../cities.js';
import { pinDiameter, pinLabel } from '../cities.js';
import { focusRing } from '../styles.js';

interface Pin {
  marker: L.Marker;
  /** The visible disc inside Leaflet's icon element. */
  disc: HTMLElement;
  count: number;
}

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
 * A Leaflet map with one pin per city, sized by its count, over a bundled world outline and,
 * when given a tile URL, map tiles. The outline is drawn under the tiles, so it is what shows
 * whenever tiles are missing, slow or blocked.
 *
 * @fires fto-city-select - detail `{ cityId }` when a pin is clicked, or activated with Enter or Space
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
        font:
          0.75rem/1.4 system-ui,
          sans-serif;
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
      @media (prefers-color-scheme: dark) {
        /* Raster tiles come in one palette; invert them so a dark page doesn't get a bright map. */
        .leaflet-tile-pane {
          filter: invert(1) hue-rotate(180deg) brightness(0.85) contrast(0.9);
        }
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
        font:
          700 0.8125rem/1 system-ui,
          sans-serif;
        box-shadow: 0 1px 4px rgb(0 0 0 / 0.35);
        cursor: pointer;
      }
      .fto-pin-icon:hover .fto-pin {
        filter: brightness(1.1);
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
      @media (prefers-reduced-motion: reduce) {
        .fto-pin--new,
        .fto-pin--bump {
          animation: none;
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

  /** The cities to pin; pass a new array when anything changes. */
  @property({ attribute: false }) cities: readonly City[] = [];
  /** GeoNames id of the city whose list is open, or null. */
  @property({ attribute: false }) selectedCityId: number | null = null;
  /** Leaflet tile URL template, or null/empty for the outline alone. */
  @property({ attribute: 'tile-url' }) tileUrl: string | null = null;
  /** Plain-text credit for the tiles. */
  @property({ attribute: 'tile-attribution' }) tileAttribution = '';

  @query('.map') private container!: HTMLElement;

  private map: L.Map | null = null;
  private tiles: L.TileLayer | null = null;
  private tileCredit = '';
  private readonly pins = new Map<number, Pin>();
  /** Pins placed on the first render with data arrive without fanfare; later ones animate. */
  private animateArrivals = false;
  private fitted = false;
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
    if (changed.has('cities')) this.syncPins();
    if (changed.has('selectedCityId') || changed.has('cities')) this.syncSelection();
  }

  /**
   * Pans just enough to show a city's pin outside the given strip of the map (in CSS pixels),
   * e.g. the part a list panel covers.
   */
  revealCity(cityId: number, covered: { right: number; bottom: number }): void {
    const pin = this.pins.get(cityId);
    if (!this.map || !pin) return;
    const margin = 24;
    this.map.panInside(pin.marker.getLatLng(), {
      paddingTopLeft: [margin, margin],
      paddingBottomRight: [covered.right + margin, covered.bottom + margin],
    });
  }

  /** Moves keyboard focus to a city's pin, e.g. when its list closes. */
  focusCity(cityId: number): void {
    this.pins.get(cityId)?.marker.getElement()?.focus();
  }

  private createMap(): void {
    // Quarter zoom steps and zoom 0 let the whole world fit a 360 px phone.
    const map = L.map(this.container, { minZoom: 0, zoomSnap: 0.25, zoomDelta: 0.5 });
    this.map = map;
    map.attributionControl.setPrefix(`<a href="https://leafletjs.com" ${LINK_ATTRS}>Leaflet</a>`);
    for (const credit of CREDITS) map.attributionControl.addAttribution(credit);
    map.fitBounds(WORLD);
    map.createPane('outline').style.zIndex = '150';
    void this.addOutline(map);
    this.resizeObserver = new ResizeObserver(() => map.invalidateSize());
    this.resizeObserver.observe(this.container);
    this.syncTiles();
    this.syncPins();
    this.syncSelection();
  }

  private destroyMap(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.map?.remove();
    this.map = null;
    this.tiles = null;
    this.tileCredit = '';
    this.pins.clear();
    this.animateArrivals = false;
    this.fitted = false;
  }

  private async addOutline(map: L.Map): Promise<void> {
    // A separate chunk: the outline (~100 kB of TopoJSON) loads alongside the data.
    const { worldOutline } = await import('../world-outline.js');
    if (this.map !== map) return;
    const { land, borders } = worldOutline();
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
    // The 1:110m outline turns to mush past zoom 7; with tiles, zoom to street level.
    map.setMaxZoom(this.tileUrl ? 18 : 7);
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
    const present = new Set<number>();
    for (const city of this.cities) {
      present.add(city.id);
      const pin = this.pins.get(city.id);
      if (pin) this.updatePin(pin, city);
      else this.pins.set(city.id, this.addPin(map, city));
    }
    for (const [id, pin] of this.pins) {
      if (!present.has(id)) {
        pin.marker.remove();
        this.pins.delete(id);
      }
    }
    if (this.cities.length) this.animateArrivals = true;
    if (!this.fitted && this.cities.length) {
      this.fitted = true;
      const bounds = L.latLngBounds(this.cities.map((c) => toLatLng(c)));
      map.fitBounds(bounds.pad(0.15), { maxZoom: 4 });
    }
  }

  private addPin(map: L.Map, city: City): Pin {
    const disc = document.createElement('span');
    disc.className = this.animateArrivals ? 'fto-pin fto-pin--new' : 'fto-pin';
    disc.addEventListener('animationend', () =>
      disc.classList.remove('fto-pin--new', 'fto-pin--bump'),
    );
    const size = pinDiameter(city.people.length);
    const icon = L.divIcon({ html: disc, className: 'fto-pin-icon', iconSize: [size, size] });
    const marker = L.marker(toLatLng(city), { icon, keyboard: true, riseOnHover: true }).addTo(map);
    marker.on('click', () => this.select(city.id));
    const el = marker.getElement();
    el?.addEventListener('keydown', (e) => {
      // Leaflet makes the pin focusable with role=button but doesn't activate it from the keyboard.
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.select(city.id);
      }
    });
    const pin: Pin = { marker, disc, count: 0 };
    this.updatePin(pin, city);
    return pin;
  }

  private updatePin(pin: Pin, city: City): void {
    const count = city.people.length;
    const label = pinLabel(city);
    const el = pin.marker.getElement();
    el?.setAttribute('aria-label', label);
    if (el) el.title = label;
    const latLng = toLatLng(city);
    if (!pin.marker.getLatLng().equals(latLng)) pin.marker.setLatLng(latLng);
    if (count === pin.count) return;
    if (pin.count && count > pin.count && !pin.disc.classList.contains('fto-pin--new')) {
      pin.disc.classList.remove('fto-pin--bump');
      // Reading layout between remove and add restarts the animation if it is still running.
      void pin.disc.offsetWidth;
      pin.disc.classList.add('fto-pin--bump');
    }
    pin.count = count;
    pin.disc.textContent = String(count);
    // Resize Leaflet's icon box in place, as its _setIconStyles would: setIcon() would replace
    // the element and drop keyboard focus.
    if (el) {
      const size = pinDiameter(count);
      el.style.width = el.style.height = `${size}px`;
      el.style.marginLeft = el.style.marginTop = `${-size / 2}px`;
    }
    // Bigger pins sit under smaller ones, so a small town next to a big city stays clickable.
    pin.marker.setZIndexOffset(-count);
  }

  private syncSelection(): void {
    for (const [id, pin] of this.pins) {
      pin.marker.getElement()?.setAttribute('aria-expanded', String(id === this.selectedCityId));
    }
  }

  private select(cityId: number): void {
    this.dispatchEvent(
      new CustomEvent('fto-city-select', { detail: { cityId }, bubbles: true, composed: true }),
    );
  }
}

const toLatLng = (city: City) => L.latLng(city.coordinates[1], city.coordinates[0]);

declare global {
  interface HTMLElementTagNameMap {
    'fto-map': FtoMap;
  }
  interface HTMLElementEventMap {
    'fto-city-select': CustomEvent<{ cityId: number }>;
    'fto-tiles-error': CustomEvent<void>;
  }
}
