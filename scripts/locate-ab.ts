// Two versions of the locator timed in one process, pass by pass, at steady state:
// `npx tsx scripts/locate-ab.ts COMMIT [--warm 100] [--passes 150] [--gazetteer PATH]`.
//
// `locate-speed.ts --compare` runs each version in a process of its own, and on this shared
// two-core machine its figures mostly time V8 compiling the locator: the first 50–100 passes run
// at a third of the steady speed and count the compile threads' CPU. Here COMMIT's server/ and
// shared/ and this tree's are each bundled with esbuild (as one module, like the built server),
// both are loaded into this process, each reads the posts `--warm` times untimed, and then they
// alternate one pass at a time, so a busy moment slows both alike. Printed: each side's median
// and tenth-percentile posts per CPU-second (process.cpuUsage) and per wall-clock second, and the
// median of the pass-by-pass ratios (this tree ÷ COMMIT). `--gazetteer PATH` gives COMMIT a
// gazetteer of its own schema when the schema changed. The lookup cache is off for both.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { HOLDOUT_2, loadCases, toInput } from '../bench/locate.bench.js';
import type { Gazetteer, OpenGazetteerOptions } from '../server/geo/gazetteer.js';
import type { LocateInput, Locator } from '../server/geo/types.js';
import { defaultGazetteerPath } from '../server/paths.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--'))
    throw new Error(`locate-ab: ${name} needs a value, got ${JSON.stringify(value)}`);
  return value;
};
const commit = args.find((a, k) => !a.startsWith('--') && !args[k - 1]?.startsWith('--'));
if (!commit)
  throw new Error(
    `usage: locate-ab.ts COMMIT [--warm N] [--passes N] [--gazetteer PATH], got ${JSON.stringify(args)}`,
  );
const warm = Number(flag('--warm', '100'));
const passes = Number(flag('--passes', '150'));
const gazetteerPath = defaultGazetteerPath();
const commitGazetteer = flag('--gazetteer', gazetteerPath);

interface Side {
  name: string;
  locate: (input: LocateInput) => unknown;
  cpu: number[];
  wall: number[];
}

/** Bundles `root`'s locator into one module under node_modules (so its packages resolve). */
async function bundle(root: string, out: string): Promise<Side['locate']> {
  const entry = join(out, `${Date.now()}-${Math.random().toString(36).slice(2)}.entry.ts`);
  writeFileSync(
    entry,
    `export { openGazetteer } from ${JSON.stringify(join(root, 'server/geo/gazetteer.ts'))};\n` +
      `export { createLocator } from ${JSON.stringify(join(root, 'server/geo/locator.ts'))};\n`,
  );
  const file = entry.replace(/\.entry\.ts$/, '.mjs');
  execFileSync(join(repo, 'node_modules/.bin/esbuild'), [
    entry,
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--packages=external',
    '--log-level=warning',
    `--outfile=${file}`,
  ]);
  const mod = (await import(pathToFileURL(file).href)) as {
    openGazetteer: (path?: string, opts?: OpenGazetteerOptions) => Gazetteer;
    createLocator: (g: Gazetteer) => Locator;
  };
  // Loaded: neither file is read again.
  rmSync(entry);
  rmSync(file);
  const path = root === repo ? gazetteerPath : commitGazetteer;
  return mod.createLocator(mod.openGazetteer(path, { cacheSize: 0 })).locate;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const p10 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 10)]!;

const inputs = [...loadCases(), ...loadCases(HOLDOUT_2)].map(toInput);
const out = join(repo, 'node_modules/.cache/locate-ab');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'locate-ab-'));
try {
  const tar = execFileSync('git', ['archive', commit, 'server', 'shared'], {
    cwd: repo,
    maxBuffer: 1 << 30,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  const sides: Side[] = [
    { name: commit, locate: await bundle(dir, out), cpu: [], wall: [] },
    { name: 'this tree', locate: await bundle(repo, out), cpu: [], wall: [] },
  ];
  for (const side of sides)
    for (let k = 0; k < warm; k++) for (const input of inputs) side.locate(input);
  for (let k = 0; k < passes; k++)
    for (const side of k % 2 ? [...sides].reverse() : sides) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (const input of inputs) side.locate(input);
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      side.cpu.push(inputs.length / ((used.user + used.system) / 1e6));
      side.wall.push(inputs.length / (wall / 1000));
    }
  const rows = sides.map((s) => ({
    version: s.name,
    'posts/CPU-s median': Math.round(median(s.cpu)),
    'posts/CPU-s p10': Math.round(p10(s.cpu)),
    'posts/s wall median': Math.round(median(s.wall)),
  }));
  console.table(rows);
  const ratios = sides[1]!.cpu.map((c, k) => c / sides[0]!.cpu[k]!);
  console.log(
    JSON.stringify({
      commit,
      warm,
      passes,
      posts: inputs.length,
      medians: rows.map((r) => r['posts/CPU-s median']),
      ratio: Math.round(median(ratios) * 1000) / 1000,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
