import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ViewFeature } from '../../shared/types.js';
import type { View } from '../api.js';

export type ViewLoader = (view: View, signal: AbortSignal) => Promise<ViewFeature[]>;

export interface ViewControllerOptions {
  /** Wait after the last move before asking the server, so a drag or a wheel spin is one request. */
  debounceMs?: number;
  /** Wait after a live event before refetching, so a burst of arrivals is one request. */
  lazyMs?: number;
}

/**
 * Keeps the clusters for the map's current view: asks the server once the view has settled,
 * aborts the request for a view the reader has already left, and refetches lazily after live
 * events. Only the latest answer is ever applied, so a slow response can't overwrite a newer one.
 */
export class ViewController implements ReactiveController {
  /** What the server said for the latest view; replaced, never mutated. */
  features: readonly ViewFeature[] = [];
  /** Why the last request failed, or null. */
  error: string | null = null;
  /** The view the features belong to, or null before the first answer. */
  shown: View | null = null;

  private load: ViewLoader | null = null;
  private view: View | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private abort: AbortController | null = null;
  private readonly debounceMs: number;
  private readonly lazyMs: number;

  constructor(
    private readonly host: ReactiveControllerHost,
    options: ViewControllerOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 120;
    this.lazyMs = options.lazyMs ?? 1_000;
    host.addController(this);
  }

  /** Switches to another data source (another campaign or server), dropping what was shown. */
  use(load: ViewLoader | null): void {
    this.cancel();
    this.load = load;
    this.features = [];
    this.shown = null;
    this.error = null;
    this.host.requestUpdate();
    if (this.view) this.schedule(0);
  }

  /** The map moved: fetch for `view` once it stops moving (immediately for the first view). */
  setView(view: View): void {
    const first = this.view === null;
    this.view = view;
    this.schedule(first ? 0 : this.debounceMs);
  }

  /**
   * How long the server asks its clients to spread refetches over (LiveStats.refreshSpreadMs):
   * each waits a random share of it on top of `lazyMs`, so many open maps do not ask at once.
   */
  spreadMs = 0;

  /** Something changed on the server: refetch the current view soon, without hurrying. */
  refreshLater(): void {
    if (this.timer === undefined)
      this.schedule(this.lazyMs + Math.floor(Math.random() * this.spreadMs));
  }

  /** Refetch the current view now (e.g. after a reconnect or a retry). */
  refresh(): void {
    this.schedule(0);
  }

  /**
   * Someone arrived in `placeId`: count them where their city is already drawn, so the number
   * moves with the ripple, until the next answer (the lazy refetch then settles clusters, moves
   * and new cities with the server's figures).
   */
  countArrival(placeId: number): void {
    const index = this.features.findIndex(
      (f) => !f.properties.cluster && f.properties.place.id === placeId,
    );
    const city = this.features[index];
    if (!city) return;
    const next = [...this.features];
    next[index] = {
      ...city,
      properties: { ...city.properties, count: city.properties.count + 1 },
    } as ViewFeature;
    this.features = next;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    if (this.view && this.load) this.schedule(0);
  }

  hostDisconnected(): void {
    this.cancel();
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.fetch();
    }, delay);
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = null;
  }

  private async fetch(): Promise<void> {
    const { load, view } = this;
    if (!load || !view) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const features = await load(view, abort.signal);
      if (abort.signal.aborted) return;
      this.features = features;
      this.shown = view;
      this.error = null;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.error = (err as Error).message;
    }
    this.abort = null;
    this.host.requestUpdate();
  }
}
