import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

// Kept apart from browser.ts (which needs vitest) so the benchmarks launch Chromium the same way.

export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(configured)) return configured;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`No Chromium at ${JSON.stringify(configured)} or on PATH; set CHROMIUM_PATH`);
  }
}

/**
 * Debian's Chromium, headless, with everything that phones home switched off; and no host but
 * 127.0.0.1 and localhost resolves (the rules map IP literals too), so neither a page nor Chromium
 * itself reaches further, even where a test's request interception does not see the request
 * (service workers, preconnects, Chromium's own requests).
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
}
