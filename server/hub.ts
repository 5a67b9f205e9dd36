import type { StoreChange, StoredEvent } from './store/store.js';

export type Listener = (event: StoredEvent) => void;

/** What the hub follows: the store's change stream (`Store` is one; a test may pass its own). */
export interface ChangeSource {
  onChange(listener: (change: Pick<StoreChange, 'events' | 'reload'>) => void): () => void;
}

/**
 * In-process pub/sub: store changes → live clients, by campaign tag. Given the store, the hub
 * follows its change stream, so every event a write logs reaches the subscribers once it has
 * committed, and a `reset` goes to every subscriber when the stream lost changes (`reload`);
 * nobody publishes a write's events by hand. `publish` remains for events that are no
 * write's, such as the throttled `stats`.
 */
export function createHub(source?: ChangeSource) {
  const listeners = new Map<string, Set<Listener>>();

  function publish(event: StoredEvent): void {
    for (const listener of listeners.get(event.tag) ?? []) {
      try {
        listener(event);
      } catch {
        // a broken client connection must not stop delivery to the rest
      }
    }
  }

  source?.onChange((change) => {
    // Changes were lost (pruned before this process read them): every open map reloads, as a
    // client resuming past the pruned log is told to.
    if (change.reload !== undefined)
      for (const tag of [...listeners.keys()])
        publish({ id: change.reload, tag, type: 'reset', data: {} });
    for (const event of change.events) publish(event);
  });

  return {
    /** Deliver to every subscriber of the event's campaign. A throwing listener does not stop the others. */
    publish,
    /** Subscribe to one campaign; returns the unsubscribe function. */
    subscribe(tag: string, listener: Listener): () => void {
      let set = listeners.get(tag);
      if (!set) listeners.set(tag, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(tag);
      };
    },
    /** Number of live subscribers, for /metrics and tests. */
    size(tag?: string): number {
      if (tag) return listeners.get(tag)?.size ?? 0;
      let n = 0;
      for (const set of listeners.values()) n += set.size;
      return n;
    },
  };
}

export type Hub = ReturnType<typeof createHub>;
