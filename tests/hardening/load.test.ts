import { describe, expect, it } from 'vitest';
import { runLiveLoad } from '../../bench/fixtures/live-load.js';

// The short CI version of `npm run bench load`: correctness under load, not speed (no timing bound).
describe('the public API and live events under load while the collector ingests', () => {
  it('answers every request with a 2xx and keeps every SSE client connected and fed', async () => {
    const report = await runLiveLoad({
      seconds: 3,
      connections: 8,
      sseClients: 20,
      postEveryMs: 50,
    });
    console.log(
      `load: ${report.requests} requests, ${report.requestsPerSecond} req/s, p50 ${report.latencyP50Ms} ms, p99 ${report.latencyP99Ms} ms; ${report.posted} posts written meanwhile, ${report.liveEventsPerClient} live events at every client; heap ${report.memoryBefore.heapMiB} → ${report.memoryAfter.heapMiB} MiB`,
    );
    expect(report.requests).toBeGreaterThan(0);
    expect(report.errors).toBe(0);
    expect(report.non2xx).toBe(0);
    expect(report.sseConnected).toBe(20);
    // Every client saw the collector's live arrivals during the load.
    expect(report.posted).toBeGreaterThan(10);
    expect(report.liveEventsPerClient).toBeGreaterThan(10);
  }, 60_000);
});
