import * as L from 'leaflet';

/** One city label from `/map-labels.json`: name, latitude, longitude, the zoom it shows from. */
export type CityLabel = [name: string, lat: number, lng: number, minZoom: number];
/**
 * One country label from `/map-labels.json`: name, latitude, longitude, and the degrees of
 * longitude its land spans there (the room its name has).
 */
export type CountryLabel = [name: string, lat: number, lng: number, span: number];

/** A box on the map's container, in CSS pixels. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const defaults = {
  height: 13, // px, one line of the labels' 11 px type
  gap: 4, // px kept clear around each label, so two never touch
  dot: 7, // px the city's dot and its gap take before the name
  fit: 0.8, // a country's name must fit in this share of its land's width to be shown
  countriesFrom: 2, // below this zoom the world is too small for names
  countriesUntil: 7, // from here cities are the bearings, and countries fill the screen
  font: '600 11px system-ui, sans-serif', // for measuring only; the CSS sets the real font
  countryFont: '600 10px system-ui, sans-serif',
};

let measurer: CanvasRenderingContext2D | null | undefined;
const widths = new Map<string, number>();

/** The drawn width of a label, measured once per text (CSS letter-spacing added by hand). */
function textWidth(text: string, country: boolean): number {
  const key = `${country ? 'c' : ''}${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    measurer ??= document.createElement('canvas').getContext('2d');
    const shown = country ? text.toUpperCase() : text;
    if (measurer) {
      measurer.font = country ? defaults.countryFont : defaults.font;
      width = measurer.measureText(shown).width + (country ? 0.8 * shown.length : 0);
    } else width = shown.length * 7;
    width = Math.ceil(width) + 2;
    widths.set(key, width);
  }
  return width;
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * Country and city names for a map without tiles, in a pane under the pins: the bearings the
 * bare outline lacks. At each stop of the map it places what fits, most important first (countries
 * big enough for their name, then cities by size), and leaves out any name that would touch a pin
 * or another name, so labels never hide the people. Decorative: hidden from screen readers, which
 * have the pins' names.
 */
export class PlaceLabels {
  private countries: readonly CountryLabel[] = [];
  private cities: readonly CityLabel[] = [];
  private readonly layer: L.LayerGroup;
  private readonly redraw = () => this.draw();

  constructor(
    private readonly map: L.Map,
    /** Boxes of what labels must not cover: the pins. */
    private readonly obstacles: () => Box[],
  ) {
    map.createPane('labels').style.zIndex = '450'; // over the outline and rings, under the pins
    this.layer = L.layerGroup().addTo(map);
    map.on('moveend', this.redraw);
    // Until the map has a view there is nowhere to put names.
    map.whenReady(() => {
      this.ready = true;
      this.draw();
    });
  }

  private enabled = true;
  private ready = false;

  /** Shows or hides every label (a map with tiles has its own). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.draw();
  }

  /** Sets what can be labelled and draws it. */
  set(labels: { countries?: readonly CountryLabel[]; cities?: readonly CityLabel[] }): void {
    if (labels.countries) this.countries = labels.countries;
    if (labels.cities) this.cities = labels.cities;
    this.draw();
  }

  /** Places the labels for the view on screen now. */
  draw(): void {
    this.layer.clearLayers();
    if (!this.enabled || !this.ready) return;
    const map = this.map;
    const zoom = map.getZoom();
    const size = map.getSize();
    const bounds = map.getBounds().pad(0.1);
    const taken = this.obstacles().map((b) => grow(b, defaults.gap));
    const place = (at: L.LatLng, box: Box, element: HTMLElement, anchor: [number, number]) => {
      if (box.right < 0 || box.bottom < 0 || box.left > size.x || box.top > size.y) return;
      if (taken.some((t) => overlaps(t, box))) return;
      taken.push(grow(box, defaults.gap));
      const icon = L.divIcon({
        html: element,
        className: '',
        iconSize: [box.right - box.left, box.bottom - box.top],
        iconAnchor: anchor,
      });
      const marker = L.marker(at, { icon, pane: 'labels', interactive: false, keyboard: false });
      marker.addTo(this.layer).getElement()?.setAttribute('aria-hidden', 'true');
    };
    const h = defaults.height;
    if (zoom >= defaults.countriesFrom && zoom < defaults.countriesUntil) {
      const pxPerDegree = (256 * 2 ** zoom) / 360;
      const fitting = this.countries
        .filter(([name, , , span]) => textWidth(name, true) <= span * pxPerDegree * defaults.fit)
        .sort((a, b) => b[3] - a[3]);
      for (const [name, lat, lng] of fitting) {
        const at = L.latLng(lat, lng);
        if (!bounds.contains(at)) continue;
        const w = textWidth(name, true);
        const p = map.latLngToContainerPoint(at);
        const box = {
          left: p.x - w / 2,
          top: p.y - h / 2,
          right: p.x + w / 2,
          bottom: p.y + h / 2,
        };
        place(at, box, labelElement(name, 'country'), [w / 2, h / 2]);
      }
    }
    for (const [name, lat, lng, minZoom] of this.cities) {
      if (minZoom > zoom) continue;
      const at = L.latLng(lat, lng);
      if (!bounds.contains(at)) continue;
      const w = textWidth(name, false) + defaults.dot;
      const p = map.latLngToContainerPoint(at);
      const box = { left: p.x - 2, top: p.y - h / 2, right: p.x - 2 + w, bottom: p.y + h / 2 };
      place(at, box, labelElement(name, 'city'), [2, h / 2]);
    }
  }

  remove(): void {
    this.map.off('moveend', this.redraw);
    this.layer.remove();
  }
}

function grow(b: Box, by: number): Box {
  return { left: b.left - by, top: b.top - by, right: b.right + by, bottom: b.bottom + by };
}

function labelElement(text: string, kind: 'country' | 'city'): HTMLElement {
  const el = document.createElement('span');
  el.className = `fto-label fto-label--${kind}`;
  el.textContent = text;
  return el;
}
