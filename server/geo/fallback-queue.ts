import { locateWithFallback } from './fallback.js';
import type { OnlineFallback } from './fallback.js';
import type { Gazetteer } from './gazetteer.js';
import type { LocateInput, Located, Locator } from './types.js';

/** What the queue needs from the store and the hub (structural, so tests can pass fakes). */
export interface FallbackQueueOptions {
  locator: Locator;
  gazetteer: Gazetteer;
  fallback: OnlineFallback;
  /** Pins a still unplaced post and recomputes its author's contributor; the returned events go out live. */
  setPostPlace(uri: string, located: Located): unknown[] | null;
  publish(event: unknown): void;
  /** Whether a moderator (or an earlier answer) already placed the post: such posts are left alone. */
  isPlaced?: (uri: string) => boolean;
  log?: { warn(msg: string): void };
  /** Posts waiting beyond this are dropped (the fallback answers one per second). */
  maxPending?: number;
}

/** Posts the gazetteer could not place, asked of the online fallback one at a time, off the ingest path. */
export interface FallbackQueue {
  /** Queue a post by uri; ignored when already queued or the queue is full. */
  enqueue(uri: string, input: LocateInput): void;
  /** Resolves when everything queued so far has been answered. */
  idle(): Promise<void>;
  /** Stop taking posts; pending ones are dropped. */
  stop(): void;
  readonly pending: number;
}

const defaults = {
  maxPending: 1000, // about 17 minutes of Nominatim at 1 request/s
};

/** A FIFO of unplaced posts drained through locateWithFallback; answers are applied via setPostPlace. */
export function createFallbackQueue(opts: FallbackQueueOptions): FallbackQueue {
  const maxPending = opts.maxPending ?? defaults.maxPending;
  const queued = new Map<string, LocateInput>();
  let running: Promise<void> | null = null;
  let stopped = false;

  async function drain(): Promise<void> {
    while (!stopped && queued.size > 0) {
      const [uri, input] = queued.entries().next().value as [string, LocateInput];
      try {
        const found = await locateWithFallback(opts.locator, opts.gazetteer, opts.fallback, input);
        queued.delete(uri);
        if (!found || stopped || opts.isPlaced?.(uri)) continue;
        for (const e of opts.setPostPlace(uri, found) ?? []) opts.publish(e);
      } catch (err) {
        // A store error (disk full, post deleted meanwhile) must not stop the queue.
        queued.delete(uri);
        opts.log?.warn(`online geocoder: could not place ${uri}: ${(err as Error).message}`);
      }
    }
    running = null;
  }

  return {
    get pending() {
      return queued.size;
    },
    enqueue(uri, input) {
      if (stopped || queued.has(uri) || queued.size >= maxPending || opts.isPlaced?.(uri)) return;
      queued.set(uri, input);
      running ??= drain();
    },
    async idle() {
      while (running) await running;
    },
    stop() {
      stopped = true;
      queued.clear();
    },
  };
}
