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
  /** The stream (re)opened; what was missed meanwhile follows as events, or as `reset`. */
  open?(reconnected: boolean): void;
  /** The server could not replay everything missed since the last event: reload what is shown. */
  reset?(): void;
}

/** How long to wait before reopening a stream the browser gave up on, doubling up to the last. */
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Keeps one EventSource open on a campaign's `/events` while the host is connected, and
 * exposes its state for the status line.
 *
 * EventSource retries by itself after a dropped connection (resuming with Last-Event-ID), but
 * gives up for good on an HTTP error or a wrong content type; this controller then reopens it
 * with a growing delay, so a server restart never leaves the map silently frozen. A reopened
 * stream resumes from the last event id too (as `?lastEventId=`), so the server replays what
 * was missed, or sends `reset` when it no longer can.
 */
export class LiveEventsController implements ReactiveController {
  state: LiveState = 'idle';

  private url: string | null = null;
  private source: EventSource | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private everOpened = false;
  private isHostConnected = false;
  /** The id of the last event received on this url: where a reopened stream resumes. */
  private lastEventId = '';

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
    this.lastEventId = '';
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
    const source = new EventSource(resumeUrl(this.url, this.lastEventId));
    this.source = source;
    const listen = (type: string, handle: (data: unknown) => void) =>
      source.addEventListener(type, (e) => {
        const { data, lastEventId } = e as MessageEvent<string>;
        if (lastEventId) this.lastEventId = lastEventId;
        handle(parse(data));
      });
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
    listen('contributor', (data) => {
      const feature = toContributorFeature(data);
      if (feature) this.handlers.contributor(feature);
    });
    listen('remove', (data) => {
      const acct = (data as { acct?: unknown } | null)?.acct;
      if (typeof acct === 'string') this.handlers.remove(acct);
    });
    listen('stats', (data) => {
      const stats = data as Partial<LiveStats> | null;
      if (typeof stats?.contributors === 'number') {
        this.handlers.stats?.({
          contributors: stats.contributors,
          cities: stats.cities ?? 0,
          countries: stats.countries ?? 0,
        });
      }
    });
    listen('reset', () => this.handlers.reset?.());
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

/** The events url with `lastEventId` set, for a new EventSource that cannot send Last-Event-ID itself. */
function resumeUrl(url: string, lastEventId: string): string {
  if (!lastEventId) return url;
  return `${url}${url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(lastEventId)}`;
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}
