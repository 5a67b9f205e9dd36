import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PlaceLabel } from '../../shared/types.js';
import type { FtoMap } from '../components/fto-map.js';

/** The side panels of `<find-the-others>`: at most one is open. */
export type Panel = 'city' | 'nearby' | 'list' | 'stats' | 'join';

/** The city whose people the `city` panel shows. */
export interface Selected {
  place: PlaceLabel;
  coordinates: [number, number];
}

export interface PanelParts {
  /** The open panel's element, once rendered (focus goes there). */
  panel(): HTMLElement | undefined;
  /** The map, which keeps the chosen city in the part the panel leaves free. */
  map(): FtoMap | undefined;
  /** A panel is about to open (the figures refresh then). */
  opening?(panel: Panel): void;
  /** A panel was closed (nearby's results leave the map then). */
  closed?(panel: Panel): void;
}

/**
 * Which panel is open and how focus and the map follow it: a nav button toggles its panel and
 * gets focus back when it closes; a city chosen from the list or nearby opens its people and
 * closing them goes back there; a city chosen on the map gets focus back on its pin; the map
 * keeps the chosen city clear of the panel (beside it on a desktop, above the sheet on a phone).
 */
export class PanelController implements ReactiveController {
  private open: Panel | null = null;
  private chosen: Selected | null = null;
  /** The panel to reopen when a city chosen from it closes (the list, nearby, the ticker's none). */
  private returnTo: Panel | null = null;
  /** The button that opened the current panel, to give focus back to on close. */
  private opener: HTMLElement | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly parts: PanelParts,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // The state is kept across a move of the element: it reopens as it was.
  }

  /** The open panel, or null. */
  get panel(): Panel | null {
    return this.open;
  }

  /** The city of the `city` panel, or null. */
  get selected(): Selected | null {
    return this.chosen;
  }

  /** Another campaign is shown: `panel` (or none) opens, and no city is chosen. */
  reset(panel: Panel | null): void {
    this.open = panel;
    this.chosen = null;
    this.host.requestUpdate();
  }

  /** Opens `panel` (a nav button's second press closes it), then focuses it. */
  async show(panel: Panel, e?: Event): Promise<void> {
    if (this.open === panel && panel !== 'city') {
      await this.close();
      return;
    }
    if (e) this.opener = e.currentTarget as HTMLElement;
    this.parts.opening?.(panel);
    this.open = panel;
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.parts.panel()?.focus();
  }

  /** A city was chosen (a pin, a list, nearby, the ticker): its people open beside the map. */
  async selectCity(e: CustomEvent<Selected>): Promise<void> {
    const from = this.open;
    this.returnTo = from === 'list' || from === 'nearby' ? from : null;
    this.chosen = { place: e.detail.place, coordinates: e.detail.coordinates };
    await this.show('city');
    const map = this.parts.map();
    if (!map) return;
    map.covered = this.covered();
    // Chosen from a list, not the map: bring the city into view, beside or above the panel.
    if (e.composedPath()[0] !== map && this.returnTo === 'list') {
      map.showPlace(e.detail.coordinates);
    } else {
      map.reveal(e.detail.coordinates, map.covered);
    }
  }

  /** What the open panel covers of the map: its width beside it (desktop), its height over it (phone). */
  covered(): { right: number; bottom: number } {
    const panelEl = this.parts.panel();
    const stage = this.parts.map()?.getBoundingClientRect();
    const panel = panelEl?.getBoundingClientRect();
    if (!stage || !panel || panel.width === 0) return { right: 0, bottom: 0 };
    const isSheet = panel.width > stage.width * 0.8;
    if (!isSheet) return { right: Math.max(0, stage.right - panel.left), bottom: 0 };
    // A sheet grows as its list loads, up to its max-block-size: keep clear of its full height.
    const max = getComputedStyle(panelEl!).maxBlockSize;
    const tallest = max.endsWith('%') ? (stage.height * parseFloat(max)) / 100 : 0;
    return { right: 0, bottom: Math.max(0, stage.bottom - panel.top, tallest) };
  }

  /** Closes the panel; focus goes back to its opener, its city's pin, or the panel a city came from. */
  async close(): Promise<void> {
    const closing = this.open;
    const placeId = this.chosen?.place.id;
    this.open = null;
    this.host.requestUpdate();
    if (closing) this.parts.closed?.(closing);
    if (closing === 'city') {
      this.chosen = null;
      if (this.returnTo) {
        const back = this.returnTo;
        this.returnTo = null;
        await this.show(back);
        return;
      }
      await this.host.updateComplete;
      if (placeId !== undefined) this.parts.map()?.focusCity(placeId);
      return;
    }
    await this.host.updateComplete;
    this.opener?.focus();
    this.opener = null;
  }
}
