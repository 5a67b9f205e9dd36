import * as L from 'leaflet';
import type { ViewFeature } from '../../shared/types.js';
import { featureKey, pinDiameter, pinLabel, pinText } from '../cities.js';
import type { Box } from './place-labels.js';

/** One drawn pin: Leaflet's marker, the visible disc inside its icon, and what it shows. */
export interface Pin {
  marker: L.Marker;
  disc: HTMLElement;
  feature: ViewFeature;
}

export const toLatLng = (f: ViewFeature) =>
  L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);

/** Replays the pin's bump, even when it is still running. */
export function bump(disc: HTMLElement): void {
  disc.classList.remove('fto-pin--bump');
  // Reading layout between remove and add restarts the animation if it is still running.
  void disc.offsetWidth;
  disc.classList.add('fto-pin--bump');
}

/**
 * The pins of a map, kept in step with the server's features: a pin per city and a ringed pin per
 * cluster, sized by its people, keyed so that a refetch updates pins in place (keeping keyboard
 * focus) instead of redrawing them.
 */
export class PinSet {
  private readonly pins = new Map<string, Pin>();

  constructor(
    private readonly map: L.Map,
    /** A pin was clicked, or pressed with Enter or Space. */
    private readonly onActivate: (feature: ViewFeature) => void,
  ) {}

  /** Draws these features: new pins for new keys, updates for known ones, removes the rest. */
  sync(features: readonly ViewFeature[]): void {
    const present = new Set<string>();
    // Biggest first, so they come first in the tab order too.
    const sorted = [...features].sort((a, b) => b.properties.count - a.properties.count);
    for (const feature of sorted) {
      const key = featureKey(feature);
      present.add(key);
      const pin = this.pins.get(key);
      if (pin) update(pin, feature);
      else this.pins.set(key, this.add(feature));
    }
    for (const [key, pin] of this.pins) {
      if (!present.has(key)) {
        pin.marker.remove();
        this.pins.delete(key);
      }
    }
  }

  /** Marks the city whose list is open (`aria-expanded`). */
  select(placeId: number | null): void {
    for (const pin of this.pins.values()) {
      const p = pin.feature.properties;
      const el = pin.marker.getElement();
      if (p.cluster) el?.removeAttribute('aria-expanded');
      else el?.setAttribute('aria-expanded', String(p.place.id === placeId));
    }
  }

  /** A city's own pin, when it is drawn alone. */
  city(placeId: number): Pin | undefined {
    return this.pins.get(`city:${placeId}`);
  }

  /**
   * The drawn pin a place is counted in: its own, else the nearest pin within `reach` CSS px,
   * which is the cluster that holds it (the server clusters by distance on screen) or, for a
   * city new to the map, the pin it will join at the next refetch.
   */
  holderOf(placeId: number, at: L.LatLng, reach: number): Pin | null {
    const own = this.city(placeId);
    if (own) return own;
    const point = this.map.latLngToContainerPoint(at);
    let best: Pin | null = null;
    let bestDistance = reach;
    for (const pin of this.pins.values()) {
      const d = this.map.latLngToContainerPoint(pin.marker.getLatLng()).distanceTo(point);
      if (d <= bestDistance) [best, bestDistance] = [pin, d];
    }
    return best;
  }

  /** Where the pins are on screen, for labels to keep clear of. */
  boxes(): Box[] {
    return [...this.pins.values()].map((pin) => {
      const p = this.map.latLngToContainerPoint(pin.marker.getLatLng());
      const r = pinDiameter(pin.feature.properties.count) / 2;
      return { left: p.x - r, top: p.y - r, right: p.x + r, bottom: p.y + r };
    });
  }

  private add(feature: ViewFeature): Pin {
    const disc = document.createElement('span');
    disc.className = feature.properties.cluster ? 'fto-pin fto-pin--cluster' : 'fto-pin';
    disc.addEventListener('animationend', () =>
      disc.classList.remove('fto-pin--new', 'fto-pin--bump'),
    );
    const size = pinDiameter(feature.properties.count);
    const icon = L.divIcon({ html: disc, className: 'fto-pin-icon', iconSize: [size, size] });
    const marker = L.marker(toLatLng(feature), { icon, keyboard: true, riseOnHover: true });
    marker.addTo(this.map);
    const pin: Pin = { marker, disc, feature };
    marker.on('click', () => this.onActivate(pin.feature));
    const el = marker.getElement();
    el?.addEventListener('keydown', (e) => {
      // Leaflet makes the pin focusable with role=button but doesn't activate it from the keyboard.
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.onActivate(pin.feature);
      }
    });
    update(pin, feature, true);
    return pin;
  }
}

function update(pin: Pin, feature: ViewFeature, fresh = false): void {
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
