import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { ensureClientBuilt } from '../helpers/built-assets.js';
import { severalServers } from './world.js';

// The map in Chromium on a serve-only process, while another process collects.

const world = severalServers({ web: 'serve', worker: 'collect' });
let browser: Browser;

beforeAll(async () => {
  ensureClientBuilt();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describe('the map on one server, the collector on another', () => {
  it('shows a post collected by the other process within a second of its being logged', async () => {
    await world.collector();
    const { page } = await openPage(browser, world.member('web').url);
    await page.locator('fto-status').getByText('· live').waitFor({ timeout: 10_000 });
    const logged = world.events().length;
    world.post('siggi', 'Reykjavík');
    // When the collecting process logged the event (the test looks every 10 ms)…
    let loggedAt = 0;
    await expect
      .poll(
        () => {
          if (world.events().length > logged) loggedAt ||= Date.now();
          return loggedAt;
        },
        { timeout: 10_000, interval: 10 },
      )
      .toBeGreaterThan(0);
    // …to when the map on the other process shows the arrival and the pin.
    await page.locator('fto-ticker').getByText('siggi in Reykjavík').waitFor({ timeout: 5_000 });
    const tickerMs = Date.now() - loggedAt;
    await page.locator('.fto-pin-icon[aria-label^="Reykjavík"]').waitFor({ timeout: 5_000 });
    const pinMs = Date.now() - loggedAt;
    console.log(
      `multi map: arrival shown ${tickerMs} ms, pin ${pinMs} ms after the event was logged`,
    );
    expect(tickerMs).toBeLessThan(1_000);
    expect(pinMs).toBeLessThan(2_000);
  }, 60_000);
});
