import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWidgetBuilt } from '../helpers/built-assets.js';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { startMapWorld, type MapWorld } from '../helpers/map-server.js';

// The embed's docked list (view=both) against the real server: it follows arrivals and
// departures like the map, and loads countries and a country's cities, never every city.

const token = 'live-list-admin-token';

describe('the docked list, live', () => {
  let world: MapWorld;
  let browser: Browser;

  const hide = async (acct: string) => {
    const res = await fetch(`${world.server.url}/api/admin/accounts/${acct}/hide`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    ensureWidgetBuilt();
    world = await startMapWorld({
      domain: 'list.example',
      posts: [
        ['ada', '#YourTurn Lagos'],
        ['bola', '#YourTurn Lagos'],
        ['chi', '#YourTurn Abuja'],
        ['gus', '#YourTurn Berlin'],
      ],
      expect: { yourturn: 4 },
      env: { FTO_ADMIN_TOKEN: token },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('shows arrivals and lets people who left leave its countries, cities and counts', async () => {
    const { page } = await openPage(browser, `${world.server.url}/embed/yourturn?view=both`);
    const asked: string[] = [];
    page.on('request', (r) => asked.push(r.url()));
    const list = page.locator('fto-list[docked]');
    const country = (name: string): Locator => list.locator('details', { hasText: name });
    const summary = (name: string) => country(name).locator('summary .n').innerText();
    await expect.poll(() => summary('Nigeria'), { timeout: 5_000 }).toBe('3 people, 2 cities');
    await expect.poll(() => summary('Germany'), { timeout: 5_000 }).toBe('1 person, 1 city');
    await page.locator('fto-status').getByText('· live').waitFor();
    await country('Nigeria').locator('summary').click();
    const lagos = country('Nigeria').getByRole('button', { name: /^Lagos/ });
    await expect.poll(() => lagos.innerText(), { timeout: 5_000 }).toMatch(/Lagos\s*2 people/);

    world.instance.post({
      account: { username: 'siggi', displayName: 'Siggi' },
      text: '#YourTurn Reykjavík',
    });
    await expect.poll(() => summary('Iceland'), { timeout: 10_000 }).toBe('1 person, 1 city');

    await hide('siggi@list.example');
    await expect.poll(() => country('Iceland').count(), { timeout: 5_000 }).toBe(0);
    await hide('bola@list.example');
    await expect.poll(() => summary('Nigeria'), { timeout: 5_000 }).toBe('2 people, 2 cities');
    // The open country's cities were fetched again too, as far as they were shown.
    await expect.poll(() => lagos.innerText(), { timeout: 5_000 }).toMatch(/Lagos\s*1 person/);

    const cityRequests = asked.filter((u) => new URL(u).pathname.endsWith('/cities'));
    expect(cityRequests.length).toBeGreaterThan(0);
    for (const url of cityRequests) expect(new URL(url).searchParams.get('country')).toBe('NG');
    expect(asked.filter((u) => u.includes('zoom=16'))).toEqual([]);
  });
});
