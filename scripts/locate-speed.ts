// Locator speed as posts per CPU-second (user + system), which a busy shared machine disturbs far
// less than wall-clock time: `npx tsx scripts/locate-speed.ts [gazetteer.db]`. The posts are the
// 521 older development posts the bench times; the naive first-name baseline runs alongside.
import { HOLDOUT_2, loadCases, naiveLocate, toInput } from '../bench/locate.bench.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { createLocator } from '../server/geo/locator.js';
import type { LocateInput } from '../server/geo/types.js';

const inputs = [...loadCases(), ...loadCases(HOLDOUT_2)].map(toInput);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function perCpuSecond(locate: (input: LocateInput) => unknown, passes: number): number {
  const start = process.cpuUsage();
  for (let k = 0; k < passes; k++) for (const input of inputs) locate(input);
  const used = process.cpuUsage(start);
  return (passes * inputs.length) / ((used.user + used.system) / 1e6);
}

const warm = createLocator(openGazetteer(process.argv[2]));
perCpuSecond(warm.locate, 3);
const cached = median([0, 1, 2, 3, 4].map(() => perCpuSecond(warm.locate, 10)));
const cold = openGazetteer(process.argv[2], { cacheSize: 0 });
const locator = createLocator(cold);
const uncached = median([0, 1, 2, 3, 4].map(() => perCpuSecond(locator.locate, 5)));
const naive = median([0, 1, 2, 3, 4].map(() => perCpuSecond((i) => naiveLocate(cold, i), 5)));
console.log(
  JSON.stringify({
    postsPerCpuSecond: Math.round(cached),
    postsPerCpuSecondUncached: Math.round(uncached),
    naivePostsPerCpuSecondUncached: Math.round(naive),
  }),
);
