import type { SourceStatus } from '../../shared/types.js';

/** How often the hint looks, and how long every source must have failed before it speaks. */
const defaults = { everyMs: 5_000 };

/**
 * Says once, in the operator's log, when not one followed instance has answered since the
 * start and each has failed at least once: most often a machine without network, where the
 * demo's local fediverse is the way to see the map. Stops looking after the first success.
 */
export function watchForNoNetwork(
  status: () => SourceStatus[],
  warn: (msg: string) => void,
  everyMs = defaults.everyMs,
): { stop(): void } {
  const timer = setInterval(() => {
    const followed = status().filter((s) => s.mode !== 'relay' && s.mode !== 'aggregator');
    if (followed.length === 0) return;
    if (followed.some((s) => s.lastSuccessAt !== null)) return clearInterval(timer);
    if (!followed.every((s) => s.lastError !== null)) return;
    clearInterval(timer);
    const hosts = [...new Set(followed.map((s) => new URL(s.instance).host))];
    warn(
      `no instance could be reached (${hosts.join(', ')}): is this machine offline? ` +
        'To see the map with a local fediverse instead, run `npm run demo`.',
    );
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
