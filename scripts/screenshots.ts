// npx tsx scripts/screenshots.ts: the README's pictures, from the demo (local instances only,
// no tiles: the bundled outline). Desktop 1280×800 and phone 390×844, with a city open on each.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../tests/helpers/chromium.js';

const port = 3917;
const base = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), 'fto-shots-'));
const demo = spawn(
  process.execPath,
  [
    'bin/find-the-others.js',
    'demo',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--db',
    join(dir, 'demo.db'),
    '--tiles',
    'none',
    '--log-level',
    'warn',
  ],
  { stdio: 'inherit' },
);

async function people(): Promise<number> {
  try {
    const res = await fetch(`${base}/api/campaigns/yourturn`);
    return res.ok ? ((await res.json()) as { contributors: number }).contributors : 0;
  } catch {
    return 0;
  }
}

try {
  const started = Date.now();
  while ((await people()) < 180 && Date.now() - started < 180_000)
    await new Promise((r) => setTimeout(r, 2_000));
  const browser = await launchBrowser();
  for (const [name, viewport] of [
    ['screenshot', { width: 1280, height: 800 }],
    ['screenshot-phone', { width: 390, height: 844 }],
  ] as const) {
    const page = await browser.newPage({ viewport });
    await page.goto(base);
    await page.locator('.fto-pin-icon').first().waitFor();
    await page.locator('path.fto-land').first().waitFor({ state: 'attached' });
    await new Promise((r) => setTimeout(r, 1_500));
    await page.screenshot({ path: `docs/${name}.png` });
    await page.locator('nav button', { hasText: 'Find others near me' }).click();
    await page.locator('fto-nearby input').fill('Lyon');
    await page.locator('fto-nearby input').press('Enter');
    await page.locator('fto-nearby .distance').first().waitFor();
    await new Promise((r) => setTimeout(r, 1_000));
    await page.screenshot({ path: `docs/${name}-nearby.png` });
    await page.close();
  }
  await browser.close();
  console.log(`pictures written with ${await people()} people on the map`);
} finally {
  demo.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
