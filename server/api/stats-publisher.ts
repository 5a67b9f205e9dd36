import type { LiveStats } from '../../shared/types.js';
import type { Hub } from '../hub.js';

/**
 * Every open map refetches its view after a change. Spread over this long, the refetches of `viewers`
 * clients come at about REFETCH_BUDGET per second (a view costs ~0.6 ms over HTTP at a million
 * contributors, so 500/s is a third of a core); with fewer than 500 viewers there is no spread.
 */
const REFETCH_BUDGET = 500;
const MAX_SPREAD_MS = 30_000;

/** The refetch spread to advertise to `viewers` connected clients (see LiveStats.refreshSpreadMs). */
export function refreshSpreadMs(viewers: number): number {
  const ms = Math.round((viewers / REFETCH_BUDGET) * 1000);
  return ms < 1000 ? 0 : Math.min(MAX_SPREAD_MS, ms);
}

/** Publish a campaign's `stats` at most once per interval after changes: a burst of joins is one event. */
export function createStatsPublisher(deps: {
  hub: Hub;
  stats: (tag: string) => LiveStats;
  intervalMs?: number;
}) {
  const intervalMs = deps.intervalMs ?? 1000;
  const lastAt = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();
  return {
    /** Something changed in this campaign. */
    changed(tag: string): void {
      if (timers.has(tag)) return;
      // Never on the same tick: the contributor events of the change go out first.
      const wait = Math.max(0, (lastAt.get(tag) ?? 0) + intervalMs - Date.now());
      const timer = setTimeout(() => {
        timers.delete(tag);
        lastAt.set(tag, Date.now());
        if (deps.hub.size(tag) === 0) return;
        deps.hub.publish({ id: 0, tag, type: 'stats', data: deps.stats(tag) });
      }, wait);
      timer.unref();
      timers.set(tag, timer);
    },
    close(): void {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
