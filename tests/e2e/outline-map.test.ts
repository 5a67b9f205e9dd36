import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { View } from '../../client/api.js';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { startMapWorld, type MapWorld } from '../helpers/map-server.js';

// The map with no tiles (the default offline mode) against the real server: what a visitor sees
// of the bare outline at a desktop's and a phone's size.

interface MapElement extends HTMLElement {
  view: View | null;
  showPlace(lngLat: [number, number], zoom?: number): void;
}

const viewOf = (page: Page) =>
  page.locator('fto-map').evaluate((m) => (m as MapElement).view as View);

const showPlace = (page: Page, lngLat: [number, number], zoom?: number) =>
  page
    .locator('fto-map')
    .evaluate((m, [at, z]) => (m as MapElement).showPlace(at, z), [lngLat, zoom] as const);

/** Boxes of the elements matched, in page pixels. */
const boxes = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return {
        text: el.textContent ?? '',
        left: r.left,
        top: r.top,
        right: r.right,
        bottom: r.bottom,
      };
    }),
  );

describe('the map without tiles', () => {
  let world: MapWorld;
  let browser: Browser;

  beforeAll(async () => {
    world = await startMapWorld({
      domain: 'outline.example',
      posts: [
        ['ada', '#YourTurn Lagos 🇳🇬', { displayName: 'Ada 🇳🇬' }],
        ['bola', '#YourTurn Lagos'],
        ['kofi', '#YourTurn Accra'],
        ['gus', '#YourTurn Hamburg'],
        ['dana', '#YourTurn Portland, Oregon'],
      ],
      expect: { yourturn: 5 },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    const size = `${viewport.width}×${viewport.height}`;

    it(`opens on the inhabited band fitted to the screen's shape, without Antarctica (${size})`, async () => {
      const { page } = await openPage(browser, world.server.url, { viewport });
      await page.locator('.fto-pin-icon').first().waitFor();
      await page.locator('path.fto-land').first().waitFor({ state: 'attached' });
      const [west, south, east, north] = (await viewOf(page)).bbox;
      // Antarctica's coast is south of 60°S nearly everywhere; the band is 45°S to 65°N.
      expect(south).toBeGreaterThan(-56);
      expect(south).toBeLessThanOrEqual(-40);
      expect(north).toBeGreaterThanOrEqual(60);
      expect(north).toBeLessThan(75);
      if (viewport.width > viewport.height) {
        // A wide screen shows the band's whole width, the Americas to Japan and Australia.
        expect(west).toBeLessThanOrEqual(-125);
        expect(east).toBeGreaterThanOrEqual(153);
      } else {
        // A tall one crops the width instead, around the band's middle (Europe and Africa).
        expect(east - west).toBeLessThan(180);
        expect(west).toBeLessThan(0);
        expect(east).toBeGreaterThan(15);
      }
      await screenshot(page, `outline-world-${viewport.width}x${viewport.height}`);
    });

    it(`names countries and cities where no pin is, stops zooming where the outline ends, and credits no tiles (${size})`, async () => {
      const { page } = await openPage(browser, world.server.url, { viewport });
      await page.locator('.fto-pin-icon').first().waitFor();
      await showPlace(page, [11.5, 52], 5);
      const labels = page.locator('.fto-label');
      await page.locator('.fto-label--country', { hasText: /^Germany$/ }).waitFor();
      await page.locator('.fto-label--city', { hasText: /^Berlin$/ }).waitFor();
      // Hamburg has a pin, which says its name: no label under it.
      await page.locator('.fto-pin-icon[aria-label^="Hamburg, Germany"]').waitFor();
      expect(await page.locator('.fto-label--city', { hasText: /^Hamburg$/ }).count()).toBe(0);
      // No name covers a pin, and no two names touch.
      const pins = await boxes(page, '.fto-pin-icon');
      const names = await boxes(page, '.fto-label');
      const overlap = (a: (typeof pins)[0], b: (typeof pins)[0]) =>
        a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      for (const name of names) {
        expect(pins.filter((p) => overlap(p, name))).toEqual([]);
        expect(names.filter((n) => n !== name && overlap(n, name))).toEqual([]);
      }
      // Decorative: screen readers have the pins' names.
      expect(await labels.first().locator('xpath=..').getAttribute('aria-hidden')).toBe('true');
      await screenshot(page, `outline-labels-${viewport.width}x${viewport.height}`);

      // At the world's zoom there are no city names, only the biggest countries'.
      await showPlace(page, [10, 20], 1.5);
      await expect.poll(() => page.locator('.fto-label--city').count()).toBe(0);

      // A city zoom, or the + button, stops at 7; there every city is asked for on its own.
      const split = page.waitForRequest((r) => /\/contributors\?.*zoom=18\b/.test(r.url()));
      await showPlace(page, [13.4, 52.5]);
      expect((await viewOf(page)).zoom).toBe(7);
      await split;
      const zoomIn = page.locator('.leaflet-control-zoom-in');
      await zoomIn.click({ force: true });
      expect((await viewOf(page)).zoom).toBe(7);
      expect(await zoomIn.getAttribute('class')).toContain('leaflet-disabled');
      const credits = await page.locator('.leaflet-control-attribution').textContent();
      expect(credits).toContain('Natural Earth');
      expect(credits).not.toContain('OpenStreetMap');
    });

    it(`ripples a new arrival on the cluster that holds its city, not at the city (${size})`, async () => {
      const { page } = await openPage(browser, world.server.url, { viewport });
      await page.locator('fto-status').getByText('· live').waitFor({ timeout: 10_000 });
      await showPlace(page, [2, 6], 2);
      const cluster = page.locator(
        '.fto-pin-icon[data-kind="cluster"][aria-label^="Lagos and 1 more city"]',
      );
      await cluster.waitFor();
      world.instance.post({
        account: { username: `yaw${viewport.width}`, displayName: 'Yaw' },
        text: '#YourTurn Accra',
      });
      // The ring that grows, inside the marker Leaflet places.
      const ripple = page.locator('.fto-pulse > span').first();
      await ripple.waitFor({ state: 'attached', timeout: 15_000 });
      const [ring, pin] = await Promise.all([ripple.boundingBox(), cluster.boundingBox()]);
      const centre = (b: { x: number; y: number; width: number; height: number }) => [
        b.x + b.width / 2,
        b.y + b.height / 2,
      ];
      const [rx, ry] = centre(ring!);
      const [px, py] = centre(pin!);
      expect(Math.hypot(rx! - px!, ry! - py!)).toBeLessThan(2);
      // Measured mid-growth: a ring that scaled about anything but its own centre would be off.
      expect(ring!.width).toBeGreaterThan(0);
      await screenshot(page, `outline-ripple-${viewport.width}x${viewport.height}`);
    });

    it(`draws flag emoji as flag images and names the country in full (${size})`, async () => {
      const { page } = await openPage(browser, world.server.url, { viewport });
      await page.locator('.fto-pin-icon').first().waitFor();
      await showPlace(page, [3.4, 6.45], 7);
      const lagos = page.locator('.fto-pin-icon[aria-label^="Lagos, Nigeria: 2 people"]');
      await lagos.click();
      const panel = page.locator('fto-city-panel');
      const ada = panel.locator('li.person', { hasText: '@ada@outline.example' });
      await ada.waitFor();
      for (const flag of [ada.locator('.name img.flag'), ada.locator('.excerpt img.flag')]) {
        expect(await flag.getAttribute('alt')).toBe('🇳🇬');
        expect(await flag.getAttribute('src')).toMatch(/\/flags\/ng\.svg$/);
        await expect
          .poll(() => flag.evaluate((img: HTMLImageElement) => img.naturalWidth))
          .toBeGreaterThan(0);
      }
      // The flag is no longer text anywhere in the name or the post.
      expect(await ada.locator('.name').textContent()).not.toMatch(/[\u{1F1E6}-\u{1F1FF}]/u);
      expect(await ada.locator('.excerpt').textContent()).not.toMatch(/[\u{1F1E6}-\u{1F1FF}]/u);
      await panel
        .getByText(/^Lagos, Nigeria$/)
        .first()
        .waitFor();
      await screenshot(page, `outline-flags-${viewport.width}x${viewport.height}`);
    });
  }
});
