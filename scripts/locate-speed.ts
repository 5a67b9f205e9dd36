// Locator speed as posts per CPU-second (user + system), which a busy shared machine disturbs far
// less than wall-clock time: `npx tsx scripts/locate-speed.ts [gazetteer.db]`. The posts are the
// 521 older development posts the bench times; the naive first-name baseline runs alongside, and
// the gazetteer's load time (median of seven opens, wall-clock ms) is printed with them.
//
// `--warm N` reads the posts N times with the uncached locator before timing it (default 0).
// `--compare COMMIT [--runs N]` times another commit's locator against this tree's, N runs each
// (default 4), alternating, on the same gazetteer, and prints every run and the medians: the
// commit's server/, shared/ and bench/ are unpacked (git archive) into a temporary directory and
// run by this same script (`--root DIR` loads the locator from DIR), so only the code differs.
// `--compare-gazetteer PATH` gives the commit a gazetteer of its own schema when the schema changed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Bench from '../bench/locate.bench.js';
import type { Gazetteer, OpenGazetteerOptions } from '../server/geo/gazetteer.js';
import type { LocateInput, Locator } from '../server/geo/types.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined || value.startsWith('--'))
    throw new Error(`locate-speed: ${name} needs a value, got ${JSON.stringify(value)}`);
  return value;
};
const valued = new Set(['--root', '--compare', '--runs', '--warm', '--compare-gazetteer']);
const positional = process.argv
  .slice(2)
  .filter((a, k, all) => !a.startsWith('--') && !valued.has(all[k - 1] ?? ''));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  // Of an even count, the mean of the middle two.
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Figures {
  postsPerCpuSecond: number;
  postsPerCpuSecondUncached: number;
  naivePostsPerCpuSecondUncached: number;
  gazetteerLoadMs: number;
}

/** One measurement of the locator under `root` (this tree by default). */
async function measure(
  root: string,
  gazetteerPath: string | undefined,
  warmPasses: number,
): Promise<Figures> {
  const load = (p: string) => import(pathToFileURL(join(root, p)).href);
  const bench = (await load('bench/locate.bench.ts')) as typeof Bench;
  const { openGazetteer } = (await load('server/geo/gazetteer.ts')) as {
    openGazetteer: (path?: string, opts?: OpenGazetteerOptions) => Gazetteer;
  };
  const { createLocator } = (await load('server/geo/locator.ts')) as {
    createLocator: (g: Gazetteer) => Locator;
  };
  const inputs = [...bench.loadCases(), ...bench.loadCases(bench.HOLDOUT_2)].map(bench.toInput);
  const perCpuSecond = (locate: (input: LocateInput) => unknown, passes: number): number => {
    const start = process.cpuUsage();
    for (let k = 0; k < passes; k++) for (const input of inputs) locate(input);
    const used = process.cpuUsage(start);
    return (passes * inputs.length) / ((used.user + used.system) / 1e6);
  };
  const loads = [0, 1, 2, 3, 4, 5, 6].map(() => {
    const t = performance.now();
    openGazetteer(gazetteerPath, { cacheSize: 0 }).close();
    return performance.now() - t;
  });
  const warm = createLocator(openGazetteer(gazetteerPath));
  perCpuSecond(warm.locate, 3);
  const cached = median([0, 1, 2, 3, 4].map(() => perCpuSecond(warm.locate, 10)));
  const cold = openGazetteer(gazetteerPath, { cacheSize: 0 });
  const locator = createLocator(cold);
  // With --warm, the uncached locator first reads the posts this many times untimed: a stream
  // runs one locator for hours, and the first passes after the switch from the cached one time
  // the JIT (recompiling for the new gazetteer) more than the locator.
  if (warmPasses > 0) perCpuSecond(locator.locate, warmPasses);
  const uncached = median([0, 1, 2, 3, 4].map(() => perCpuSecond(locator.locate, 5)));
  const naive = median(
    [0, 1, 2, 3, 4].map(() => perCpuSecond((i) => bench.naiveLocate(cold, i), 5)),
  );
  return {
    postsPerCpuSecond: Math.round(cached),
    postsPerCpuSecondUncached: Math.round(uncached),
    naivePostsPerCpuSecondUncached: Math.round(naive),
    gazetteerLoadMs: Math.round(median(loads)),
  };
}

/** Another commit's locator against this tree's, alternating, each run in a process of its own. */
function compare(
  commit: string,
  runs: number,
  gazetteerPath: string,
  warm: string,
  commitGazetteer: string,
): void {
  const dir = mkdtempSync(join(tmpdir(), 'locate-speed-'));
  try {
    const tar = execFileSync(
      'git',
      ['archive', commit, 'server', 'shared', 'bench', 'scripts', 'tests/fixtures'],
      {
        cwd: repo,
        maxBuffer: 1 << 30,
      },
    );
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
    const rows: Record<string, Figures[]> = { [commit]: [], 'this tree': [] };
    for (let k = 0; k < runs; k++)
      for (const [name, root] of (k % 2
        ? [
            ['this tree', repo],
            [commit, dir],
          ]
        : [
            [commit, dir],
            ['this tree', repo],
          ]) as [string, string][]) {
        const run = spawnSync(
          process.execPath,
          [
            ...process.execArgv,
            fileURLToPath(import.meta.url),
            '--root',
            root,
            '--warm',
            warm,
            root === dir ? commitGazetteer : gazetteerPath,
          ],
          { encoding: 'utf8', maxBuffer: 1 << 24 },
        );
        if (run.status !== 0)
          throw new Error(`locate-speed: the run of ${name} failed: ${run.stderr}`);
        const figures = JSON.parse(run.stdout.trim().split('\n').pop()!) as Figures;
        rows[name]!.push(figures);
        console.log(`${name.padEnd(12)} ${JSON.stringify(figures)}`);
      }
    for (const [name, list] of Object.entries(rows)) {
      const med = Object.fromEntries(
        Object.keys(list[0]!).map((key) => [
          key,
          Math.round(median(list.map((f) => f[key as keyof Figures]))),
        ]),
      );
      console.log(`median of ${list.length}, ${name}: ${JSON.stringify(med)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const warm = Number(flag('--warm') ?? 0);
if (!Number.isInteger(warm) || warm < 0)
  throw new Error(`locate-speed: --warm must be a whole number of passes, got ${flag('--warm')}`);
const against = flag('--compare');
if (against) {
  const runs = Number(flag('--runs') ?? 4);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`locate-speed: --runs must be a whole number of runs, got ${flag('--runs')}`);
  const gazetteer = resolve(positional[0] ?? join(repo, 'data/gazetteer.db'));
  // A commit from before a gazetteer schema change needs a gazetteer it can open.
  compare(
    against,
    runs,
    gazetteer,
    String(warm),
    resolve(flag('--compare-gazetteer') ?? gazetteer),
  );
} else {
  console.log(JSON.stringify(await measure(resolve(flag('--root') ?? repo), positional[0], warm)));
}
