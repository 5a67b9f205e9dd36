import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/main.js';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { startMapWorld, type MapWorld } from '../helpers/map-server.js';

// The map against the real server and collector: posts on a test instance become clusters,
// city lists, nearby results and live arrivals, all through the endpoints of shared/types.ts.

describe('the map, end to end', () => {
  let world: MapWorld;
  let server: RunningServer;
  let instance: MapWorld['instance'];
  let browser: Browser;

  beforeAll(async () => {
    world = await startMapWorld({
      domain: 'map.example',
      posts: [
        // ada's name has an emoji her instance lists, and a shortcode it does not: one is drawn.
        ['ada', '#YourTurn Lagos', { displayName: 'Ada :blobcat: :nope:', emojis: ['blobcat'] }],
        ...(
          [
            ['bola', 'Lagos'],
            ['gus', 'Berlin'],
            ['hana', 'Berlin'],
            ['fatou', 'Lyon'],
            ['dana', 'Portland, Oregon'],
          ] as const
        ).map(([username, city]): [string, string] => [username, `#YourTurn ${city}`]),
      ],
      expect: { yourturn: 6 },
    });
    ({ server, instance } = world);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('draws the server’s clusters, splits one on click and lists a city’s people', async () => {
    const { page } = await openPage(browser, server.url);
    const pins = page.locator('.fto-pin-icon');
    await pins.first().waitFor();
    await expect.poll(() => page.locator('.tally').textContent()).toContain('6 people in 4 cities');
    const clusters = page.locator('.fto-pin-icon[data-kind="cluster"]');
    if ((await clusters.count()) > 0) {
      await clusters.first().click();
      await page.locator('.fto-pin-icon[aria-label^="Berlin"]').waitFor();
    }
    const lagos = page.locator('.fto-pin-icon[aria-label^="Lagos"]');
    await page.locator('fto-map .map').focus();
    await page.keyboard.press('Minus');
    await page.keyboard.press('Minus');
    await lagos.waitFor();
    await lagos.click();
    const panel = page.locator('fto-city-panel');
    await panel.getByText('2 people here').waitFor();
    expect(await panel.locator('.acct').allTextContents()).toEqual(
      expect.arrayContaining(['@ada@map.example', '@bola@map.example']),
    );
    const ada = panel.locator('li.person', { hasText: '@ada@map.example' }).locator('.name');
    expect(await ada.textContent()).toBe('Ada  :nope:');
    const emoji = ada.locator('img.emoji');
    expect(await emoji.getAttribute('alt')).toBe(':blobcat:');
    // Drawn from the instance, inside the page's CSP (openPage fails on a violation).
    await expect
      .poll(() => emoji.evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
  });

  it('finds the people near a typed city', async () => {
    const { page } = await openPage(browser, server.url);
    await page.locator('nav button', { hasText: 'Find others near me' }).click();
    const nearby = page.locator('fto-nearby');
    await nearby.locator('input').fill('Lyon');
    await nearby.locator('input').press('Enter');
    await nearby.locator('.distance').first().waitFor();
    expect(await nearby.locator('.acct').first().textContent()).toBe('@fatou@map.example');
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    it(`says an unknown name as a person would, and offers the places an ambiguous one could be (${viewport.width}×${viewport.height})`, async () => {
      const { page } = await openPage(browser, server.url, {
        viewport,
        // The unknown and ambiguous names are a 404 and a 409 by design.
        allowConsoleErrors: [/status of 40[49]/],
      });
      await page.locator('nav button', { hasText: 'Find others near me' }).click();
      const nearby = page.locator('fto-nearby');
      const input = nearby.locator('input');
      await input.fill('Lyon');
      await input.press('Enter');
      await nearby.locator('.distance').first().waitFor();

      // Unknown: a sentence, as an alert, and the old results and rings are gone.
      await input.fill('Xyzzyplonk');
      await input.press('Enter');
      const alert = nearby.getByRole('alert');
      await alert.getByText('No place called “Xyzzyplonk”').waitFor();
      expect(await alert.textContent()).not.toMatch(/api|answered|404|limit=/);
      expect(await nearby.locator('li.person').count()).toBe(0);
      expect(await page.locator('path.fto-near, .fto-origin').count()).toBe(0);
      await screenshot(page, `nearby-unknown-${viewport.width}x${viewport.height}`);

      // Ambiguous: the choices, most likely first; choosing one searches from there.
      await input.fill('Springfield');
      await input.press('Enter');
      const choices = nearby.locator('.choices button');
      await choices.first().waitFor();
      expect(await nearby.locator('.choices').textContent()).toContain(
        '“Springfield” is several places. Which one?',
      );
      const labels = await choices.allTextContents();
      expect(labels.length).toBeGreaterThan(1);
      // Each names its country in full, as every place on the map is named.
      for (const l of labels)
        expect(l.trim()).toMatch(/^Springfield, .+, [A-Z][a-z]+(?: [A-Z][a-z]+)*$/);
      await screenshot(page, `nearby-choices-${viewport.width}x${viewport.height}`);
      const illinois = choices.filter({ hasText: 'Illinois' });
      await illinois.click();
      await nearby.getByText('closest to Springfield, Illinois, United States').waitFor();
      expect(await input.inputValue()).toBe('Springfield, Illinois, United States');
      expect(await nearby.locator('.choices').count()).toBe(0);

      // Typing offers places; a picked suggestion is searched as that very place.
      await input.fill('Portl');
      await expect
        .poll(() =>
          nearby
            .locator('datalist option')
            .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
        )
        .toContain('Portland, Oregon, United States');
      await input.fill('Portland, Oregon, United States');
      const asked = page.waitForRequest((r) => r.url().includes('/nearby?placeId='));
      await input.press('Enter');
      await asked;
      await nearby.getByText('closest to Portland, Oregon, United States').waitFor();
      expect(await nearby.locator('.acct').first().textContent()).toBe('@dana@map.example');
    });
  }

  it('shows a new post as a live arrival without a reload', async () => {
    const { page } = await openPage(browser, server.url);
    await page.locator('fto-status').getByText('· live').waitFor({ timeout: 10_000 });
    instance.post({
      account: { username: 'siggi', displayName: 'Siggi' },
      text: '#YourTurn Reykjavík',
    });
    await page.locator('fto-ticker').getByText('Siggi in Reykjavík').waitFor({ timeout: 15_000 });
    await page.locator('.fto-pin-icon[aria-label^="Reykjavík"]').waitFor({ timeout: 5_000 });
    await expect.poll(() => page.locator('.tally').textContent()).toContain('7 people');
    await screenshot(page, 'e2e-map-live');
  });
});
