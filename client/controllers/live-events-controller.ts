import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ContributorFeature, LiveStats } from '../../shared/types.js';
import { toContributorFeature } from '../api.js';

/**
 * `idle`: no campaign yet; `connecting`: first connection under way; `live`: events are flowing;
 * `reconnecting`: the connection dropped and is being retried.
 */
export type LiveState = 'idle' | 'connecting' | 'live' | 'reconnecting';

export interface LiveEventHandlers {
  /** A contributor appeared or moved: replace any feature with the same acct. */
  contributor(feature: ContributorFeature): void;
  /** A contributor left the map. */
  remove(acct: string): void;
  /** The counters changed. */
  stats?(stats: LiveStats): void;
  /** The stream (re)opened; after a drop, events may have been missed, so refetch. */
  open?(reconnected: boolean): void;
}

/** How long to wait before reopening a stream the browser gave up on, doubling up to the last. */
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Keeps one EventSource open on a campaign's `/events` while the host is connected, and
 * exposes its state for the status line.
 *
 * EventSource retries by itself after a dropped connection (resuming with Last-Event-ID), but
 * gives up for good on an HTTP error or a wrong content type; this controller then reopens it
 * with a growing delay, so a server restart never leaves the map silently frozen.
 */
export class LiveEventsController implements ReactiveController {
  state: LiveState = 'idle';

  private url: string | null = null;
  private source: EventSource | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private everOpened = false;
  private isHostConnected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly handlers: LiveEventHandlers,
  ) {
    host.addController(this);
  }

  /** Follows `url`, or stops when null; the same url again is a no-op. */
  follow(url: string | null): void {
    if (url === this.url) return;
    this.close();
    this.url = url;
    this.everOpened = false;
    this.failures = 0;
    if (url && this.isHostConnected) this.open();
    this.setState(url ? 'connecting' : 'idle');
  }

  hostConnected(): void {
    this.isHostConnected = true;
    if (this.url && !this.source) this.open();
  }

  hostDisconnected(): void {
    this.isHostConnected = false;
    this.close();
  }

  private open(): void {
    if (!this.url) return;
    const source = new EventSource(this.url);
    this.source = source;
    source.addEventListener('open', () => {
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.failures = 0;
      this.setState('live');
      this.handlers.open?.(reconnected);
    });
    source.addEventListener('error', () => {
      this.setState(this.everOpened ? 'reconnecting' : 'connecting');
      if (source.readyState === EventSource.CLOSED) this.scheduleReopen();
    });
    source.addEventListener('contributor', (e) => {
      const feature = toContributorFeature(parse((e as MessageEvent<string>).data));
      if (feature) this.handlers.contributor(feature);
    });
    source.addEventListener('remove', (e) => {
      const data = parse((e as MessageEvent<string>).data) as { acct?: unknown } | null;
      if (typeof data?.acct === 'string') this.handlers.remove(data.acct);
    });
    source.addEventListener('stats', (e) => {
      const data = parse((e as MessageEvent<string>).data) as Partial<LiveStats> | null;
      if (typeof data?.contributors === 'number') {
        this.handlers.stats?.({
          contributors: data.contributors,
          cities: data.cities ?? 0,
          countries: data.countries ?? 0,
        });
      }
    });
  }

  private scheduleReopen(): void {
    this.source?.close();
    this.source = null;
    const delay = RETRY_DELAYS_MS[Math.min(this.failures, RETRY_DELAYS_MS.length - 1)] ?? 30_000;
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.isHostConnected) this.open();
    }, delay);
  }

  private close(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.source?.close();
    this.source = null;
  }

  private setState(state: LiveState): void {
    if (state === this.state) return;
    this.state = state;
    this.host.requestUpdate();
  }
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}
