import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/main.js';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';
import { startTestServer } from '../helpers/test-server.js';

describe('foundation, end to end', () => {
  let dir: string;
  let instance: MastodonInstance;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fto-e2e-'));
    instance = await startMastodonInstance({ domain: 'e2e.example', rateLimit: false });
    server = await startTestServer({ instances: [instance.url], dir, name: 'e2e' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await instance?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a "#YourTurn Lagos" post as a pin on the map without a reload', async () => {
    const { page } = await openPage(browser, server.url);
    await expect
      .poll(() => page.locator('find-the-others').evaluate((el) => !!el.shadowRoot))
      .toBe(true);
    // The page must already be live (connected to SSE) before the post is written.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.waitForTimeout(500);
    expect(await page.locator('[aria-label*="Lagos"]').count()).toBe(0);

    instance.post({ account: { username: 'ada', displayName: 'Ada' }, text: '#YourTurn Lagos' });

    const pin = page.locator('[aria-label*="Lagos"]').first();
    await pin.waitFor({ state: 'attached', timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await screenshot(page, 'e2e-foundation-lagos');
    // Without a configured title the heading is the tag, said once.
    expect((await page.locator('h1').textContent())?.replace(/\s+/g, '')).toBe('#yourturn');

    const res = await fetch(`${server.url}/api/campaigns/yourturn/contributors`);
    const body = await res.json();
    expect(body.features).toHaveLength(1);
    expect(body.features[0].properties).toMatchObject({
      acct: 'ada@e2e.example',
      place: { name: 'Lagos', country: 'NG' },
    });
  });
});
