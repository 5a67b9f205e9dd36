// The near-me box's place search (`GET /api/places?q=`, issue #15: p95 within 5 ms), over the real
// gazetteer: what a visitor types (whole names, prefixes while typing, "name, region", misses),
// timed in-process and through HTTP on a loopback server, with the locator's one-answer lookup on
// the same texts as the baseline. Run alone with `npx tsx bench/places.bench.ts`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createLocator } from '../server/geo/locator.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { apiFixture } from '../tests/api/fixture.js';
import type { BenchResult } from './run.js';

const WHOLE = [
  'Springfield',
  'Portland',
  'Lagos',
  'Berlin',
  'São Paulo',
  'Nairobi',
  'Osaka',
  'Lyon',
  'Curitiba',
  'Reykjavík',
  'Ulaanbaatar',
  'San José',
  'Victoria',
  'Richmond',
  'Frankfurt',
  'Córdoba',
  'Kraków',
  'Zürich',
  'Москва',
  '東京',
  'Hyderabad',
  'Valencia',
  'Cambridge',
  'Paris',
];
const QUALIFIED = [
  'Portland, Maine',
  'Springfield, Illinois',
  'Paris, Texas',
  'Cambridge, MA',
  'Valencia, Venezuela',
  'Victoria, BC',
  'Richmond, Virginia',
  'Córdoba, Spain',
  'London, Ontario',
];
const MISSES = ['Xyzzyplonk', 'Atlantis', 'Qwertyuiop', 'Nowhereville', 'zzzz'];
// What the box sends while someone types: every prefix from two letters on.
const PREFIXES = WHOLE.slice(0, 12).flatMap((w) =>
  [...Array(Math.max(0, w.length - 1)).keys()].map((i) => w.slice(0, i + 2)),
);
const QUERIES = [...WHOLE, ...QUALIFIED, ...MISSES, ...PREFIXES];
const ROUNDS = 5;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => Math.round(x * 1000) / 1000;

function timeAll(fn: (q: string) => unknown): number[] {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of QUERIES) {
      const t = performance.now();
      fn(q);
      times.push(performance.now() - t);
    }
  }
  return times;
}

export async function run(): Promise<BenchResult> {
  const locator = createLocator(openGazetteer());
  // Warm both paths once, as a running server is.
  for (const q of QUERIES) {
    locator.searchPlaces!(q, 8);
    locator.locate({ text: q });
  }
  const search = timeAll((q) => locator.searchPlaces!(q, 8));
  const locate = timeAll((q) => locator.locate({ text: q }));

  const f = apiFixture({ locator });
  const server = createServer(f.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const http: number[] = [];
  // The same server's smallest answer, interleaved: what HTTP itself costs on this (noisy) machine.
  const floor: number[] = [];
  const timeGet = async (path: string, into: number[] | null) => {
    const t = performance.now();
    const res = await fetch(base + path);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    into?.push(performance.now() - t);
  };
  for (let r = 0; r < ROUNDS + 1; r++) {
    for (const q of QUERIES) {
      // The first round warms the connection and the code paths.
      await timeGet(`/api/places?${new URLSearchParams({ q })}`, r > 0 ? http : null);
      await timeGet('/api/campaigns', r > 0 ? floor : null);
    }
  }
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  f.close();

  const row = (what: string, xs: number[]) => ({
    what,
    queries: xs.length,
    'p50 ms': ms(pct(xs, 50)),
    'p95 ms': ms(pct(xs, 95)),
    'max ms': ms(Math.max(...xs)),
  });
  return {
    name: 'places',
    table: [
      row('searchPlaces (in process)', search),
      row('locate, baseline (in process)', locate),
      row('GET /api/places over HTTP', http),
      row('GET /api/campaigns over HTTP, baseline', floor),
    ],
    figures: {
      searchP50Ms: ms(pct(search, 50)),
      searchP95Ms: ms(pct(search, 95)),
      locateP95Ms: ms(pct(locate, 95)),
      searchToLocateP95Ratio: Math.round((pct(search, 95) / pct(locate, 95)) * 100) / 100,
      httpP50Ms: ms(pct(http, 50)),
      httpP95Ms: ms(pct(http, 95)),
      httpBaselineP95Ms: ms(pct(floor, 95)),
      httpToBaselineP95Ratio: Math.round((pct(http, 95) / pct(floor, 95)) * 100) / 100,
      queries: QUERIES.length,
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run();
  console.table(r.table);
  console.log(r.figures);
}
