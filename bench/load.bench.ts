// The public API and SSE under concurrent clients while the collector ingests, then a soak at the
// same load watching the server's memory. The server is `find-the-others serve` in a second
// process; autocannon and the SSE clients are here. FTO_SOAK_SECONDS sets the soak (default 600).
// Run alone with `npm run bench load`.
import { runLiveLoad } from './fixtures/live-load.js';
import type { BenchResult } from './run.js';

const soakSeconds = Number(process.env.FTO_SOAK_SECONDS ?? 600);
const connections = 10;
const sseClients = 200;

export async function run(): Promise<BenchResult> {
  const report = await runLiveLoad({
    seconds: 10,
    connections,
    sseClients,
    postEveryMs: 20,
    soakSeconds,
    sampleEverySeconds: Math.max(5, Math.min(30, Math.round(soakSeconds / 20))),
    log: (line) => process.stdout.write(`  ${line}\n`),
  });
  const soak = report.soak;
  return {
    name: 'load',
    table: [
      {
        what: `${connections} connections × 10 s, mixed public API, ${sseClients} SSE clients, 50 posts/s ingested`,
        'req/s': report.requestsPerSecond,
        'p50 ms': report.latencyP50Ms,
        'p99 ms': report.latencyP99Ms,
        errors: report.errors,
        'non-2xx': report.non2xx,
      },
      {
        what: 'SSE clients connected at the end; posts written / live events each client received',
        'req/s': `${report.sseConnected}; ${report.posted} / ${report.liveEventsPerClient}`,
      },
      {
        what: 'server heap / RSS before → after the load (MiB)',
        'req/s': `${report.memoryBefore.heapMiB} / ${report.memoryBefore.rssMiB} → ${report.memoryAfter.heapMiB} / ${report.memoryAfter.rssMiB}`,
      },
      ...(soak
        ? [
            {
              what: `soak ${soak.seconds} s at the same load: heap after a full GC / RSS (anonymous + mapped file) / database growth, median of last vs first third (MiB)`,
              'req/s': `${soak.heapGrowthMiB} / ${soak.rssGrowthMiB} (${soak.rssAnonGrowthMiB} + ${soak.rssFileGrowthMiB}) / ${soak.dbGrowthMiB}`,
              errors: report.errors,
              'non-2xx': report.non2xx,
            },
          ]
        : []),
    ],
    figures: {
      loadRequestsPerSecond: report.requestsPerSecond,
      loadP50Ms: report.latencyP50Ms,
      loadP99Ms: report.latencyP99Ms,
      loadErrors: report.errors,
      loadNon2xx: report.non2xx,
      loadSseConnected: report.sseConnected,
      loadPosted: report.posted,
      loadLiveEventsPerClient: report.liveEventsPerClient,
      loadHeapBeforeMiB: report.memoryBefore.heapMiB,
      loadHeapAfterMiB: report.memoryAfter.heapMiB,
      loadRssBeforeMiB: report.memoryBefore.rssMiB,
      loadRssAfterMiB: report.memoryAfter.rssMiB,
      ...(soak
        ? {
            soakSeconds: soak.seconds,
            soakHeapGrowthMiB: soak.heapGrowthMiB,
            soakRssGrowthMiB: soak.rssGrowthMiB,
            soakRssAnonGrowthMiB: soak.rssAnonGrowthMiB,
            soakRssFileGrowthMiB: soak.rssFileGrowthMiB,
            soakDbGrowthMiB: soak.dbGrowthMiB,
            soakHeapMaxMiB: Math.max(...soak.samples.map((s) => s.heapMiB)),
            soakRssMaxMiB: Math.max(...soak.samples.map((s) => s.rssMiB)),
          }
        : {}),
    },
  };
}
