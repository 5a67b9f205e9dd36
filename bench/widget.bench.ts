// The widget's budget from issue #7: widget.js gzipped (≤ 80 KB) and what it is made of, and the
// time from navigation to the first clusters drawn on an author's page on another origin, with
// the map server on loopback (≤ 1 s). Run alone with `npx tsx bench/run.ts widget`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packageRoot } from '../server/paths.js';
import { launchBrowser } from '../tests/helpers/chromium.js';
import { startHostSite, startWidgetWorld } from '../tests/widget/fixture.js';
import type { BenchResult } from './run.js';

const defaults = {
  loads: 7, // cold loads of the host page, median reported (after one warm-up)
  viewport: { width: 1280, height: 800 },
};

const gz = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;
const kb = (bytes: number) => +(bytes / 1024).toFixed(1);

/** Base64 VLQ segments of a source map's `mappings`, as [generatedColumn, sourceIndex] per line. */
function decodeMappings(mappings: string): Array<Array<[number, number]>> {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lines: Array<Array<[number, number]>> = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segments: Array<[number, number]> = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = chars.indexOf(c);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0]!;
      if (values.length >= 4) source += values[1]!;
      segments.push([column, values.length >= 4 ? source : -1]);
    }
    lines.push(segments);
  }
  return lines;
}

/** What a bundled source file belongs to. */
function partOf(source: string): string {
  if (/node_modules\/leaflet\//.test(source)) return 'Leaflet';
  if (/node_modules\/(lit|lit-html|lit-element|@lit)\//.test(source)) return 'Lit';
  if (/node_modules\/topojson-client\//.test(source)) return 'topojson-client';
  if (/node_modules\//.test(source)) return 'other packages';
  return 'our code (client/, shared/, with its CSS)';
}

/**
 * Builds widget.js with a source map into a scratch folder and gives every byte of the minified
 * file to the source it came from. Gzipping each part alone overstates it a little (each part
 * gets its own dictionary), so the parts are shown as shares of the real gzipped total.
 */
function sizeBreakdown(): { total: number; totalGzip: number; parts: Map<string, string> } {
  const out = mkdtempSync(join(tmpdir(), 'fto-widget-size-'));
  try {
    execFileSync(
      join(packageRoot, 'node_modules/.bin/vite'),
      [
        'build',
        '--config',
        'vite.widget.config.ts',
        '--outDir',
        out,
        '--sourcemap',
        '--logLevel',
        'warn',
      ],
      { cwd: packageRoot, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
    );
    const code = readFileSync(join(out, 'widget.js'), 'utf8');
    const map = JSON.parse(readFileSync(join(out, 'widget.js.map'), 'utf8')) as {
      sources: string[];
      mappings: string;
    };
    const lines = code.split('\n');
    const chunks = new Map<string, string[]>();
    decodeMappings(map.mappings).forEach((segments, i) => {
      const line = lines[i] ?? '';
      segments.forEach(([column, source], j) => {
        const end = segments[j + 1]?.[0] ?? line.length;
        const text = line.slice(column, end);
        // Vite inlines leaflet.css as a string with no source map of its own.
        const part =
          source >= 0
            ? partOf(map.sources[source]!)
            : text.includes('.leaflet-')
              ? 'Leaflet CSS'
              : 'bundler glue';
        const list = chunks.get(part) ?? [];
        list.push(text);
        chunks.set(part, list);
      });
    });
    const total = Buffer.byteLength(code);
    const totalGzip = gz(readFileSync(join(packageRoot, 'dist/widget/widget.js')));
    const alone = [...chunks].map(([part, list]) => [part, list.join('')] as const);
    const sumAlone = alone.reduce((n, [, text]) => n + gz(text), 0);
    const parts = new Map(
      alone
        .sort((a, b) => gz(b[1]) - gz(a[1]))
        .map(([part, text]) => [
          part,
          `${kb(Buffer.byteLength(text))} KB raw, ~${kb((gz(text) / sumAlone) * totalGzip)} KB gzipped`,
        ]),
    );
    return { total, totalGzip, parts };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function run(): Promise<BenchResult> {
  const world = await startWidgetWorld();
  const host = await startHostSite(world.server.url);
  const browser = await launchBrowser();
  try {
    const { total, totalGzip, parts } = sizeBreakdown();
    const classicGzip = gz(readFileSync(join(packageRoot, 'dist/widget/widget.classic.js')));
    const outlineGzip = gz(readFileSync(join(packageRoot, 'dist/widget/world-outline.json')));

    const firsts: number[] = [];
    const boths: number[] = [];
    for (let i = 0; i <= defaults.loads; i++) {
      // A fresh context each time: nothing cached, as for a reader's first visit.
      const context = await browser.newContext({ viewport: defaults.viewport });
      const page = await context.newPage();
      await page.goto(`${host.url}/page?build=module`);
      const marks = await page.waitForFunction(
        () => {
          const m = performance.getEntriesByName('fto-first-clusters');
          return m.length >= 2 ? m.map((e) => e.startTime) : null;
        },
        null,
        { timeout: 10_000, polling: 'raf' },
      );
      const [first, second] = (await marks.jsonValue()) as number[];
      await context.close();
      if (i === 0) continue; // warm-up: Chromium's own first start
      firsts.push(first!);
      boths.push(Math.max(first!, second!));
    }

    const figures = {
      widget_js_bytes: total,
      widget_js_gzip_kb: kb(totalGzip),
      widget_classic_js_gzip_kb: kb(classicGzip),
      world_outline_gzip_kb: kb(outlineGzip),
      first_clusters_ms_p50: Math.round(median(firsts)),
      both_widgets_clusters_ms_p50: Math.round(median(boths)),
    };
    const table: Array<Record<string, string | number>> = [
      {
        what: 'widget.js gzipped (target ≤ 80 KB)',
        value: `${kb(totalGzip)} KB (${kb(total)} KB minified)`,
      },
      ...[...parts].map(([part, size]) => ({ what: `  ${part}`, value: size })),
      { what: 'widget.classic.js gzipped', value: `${kb(classicGzip)} KB` },
      {
        what: 'world-outline.json gzipped (fetched from the server, not in widget.js)',
        value: `${kb(outlineGzip)} KB`,
      },
      {
        what: `first clusters on a host page, median of ${defaults.loads} cold loads (target ≤ 1 s)`,
        value: `${figures.first_clusters_ms_p50} ms`,
      },
      {
        what: 'both widgets on that page have clusters',
        value: `${figures.both_widgets_clusters_ms_p50} ms`,
      },
    ];
    return { name: 'widget', table, figures };
  } finally {
    await browser.close();
    await host.close();
    await world.close();
  }
}
