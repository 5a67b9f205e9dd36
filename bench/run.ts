// npm run bench [name ...]: runs every bench/*.bench.ts (or the named ones), prints a table per
// benchmark and writes all figures to bench/results/latest.json. Medians and ratios, not single runs.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchResult {
  name: string;
  table: Array<Record<string, string | number>>;
  figures: Record<string, number>;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

const results: BenchResult[] = [];
for (const file of files) {
  process.stdout.write(`\n=== ${file}\n`);
  const mod = (await import(join(dir, file))) as { run: () => Promise<BenchResult> };
  const started = Date.now();
  const result = await mod.run();
  console.table(result.table);
  process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  results.push(result);
}

// Running a subset (`npm run bench map`) replaces only those benchmarks' figures in the file.
const out = join(dir, 'results', 'latest.json');
mkdirSync(join(dir, 'results'), { recursive: true });
const previous: { results?: (BenchResult & { at?: string })[] } = existsSync(out)
  ? JSON.parse(readFileSync(out, 'utf8'))
  : {};
const at = new Date().toISOString();
const fresh = new Map(results.map((r) => [r.name, { ...r, at }]));
const merged = [
  ...(previous.results ?? []).filter((r) => !fresh.has(r.name)),
  ...fresh.values(),
].sort((a, b) => a.name.localeCompare(b.name));
writeFileSync(
  out,
  JSON.stringify(
    {
      at,
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        memGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      results: merged,
    },
    null,
    2,
  ) + '\n',
);
process.stdout.write(`\nfigures written to ${out}\n`);
