import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenPageOptions } from '../helpers/browser.js';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { ensureClientBuilt } from './built-client.js';
import { contributor, contributors, hostileName, status } from './fixtures.js';
import type { StubApi } from './stub-api.js';
import { startStubApi } from './stub-api.js';

let browser: Browser;
let api: StubApi;

beforeAll(async () => {
  const dist = ensureClientBuilt();
  api = await startStubApi(dist, { contributors, status });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

/** The broken avatar in the fixtures 404s on purpose. */
const missingAvatar = /status of 404/;
/**
 * Blink checks the CSP when it merely parses an `onerror=` attribute, even in the inert
 * DOMParser document the excerpt allowlist reads from, and logs the block; the handler never
 * runs (no dialog opens, asserted below) and the attribute never reaches the page.
 */
const hostileExcerptParsed = /Executing inline event handler violates/;

const pins = (page: Page) => page.locator('.fto-pin-icon');
const pin = (page: Page, label: string) => page.locator(`.fto-pin-icon[aria-label="${label}"]`);

async function pinLabels(page: Page): Promise<string[]> {
  const labels = await pins(page).evaluateAll((els) =>
    els.map((el) => el.getAttribute('aria-label') ?? ''),
  );
  return labels.sort();
}

/** Polls until the map shows exactly `count` pins (the pins live two shadow roots down). */
async function waitForPinCount(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const map = document.querySelector('find-the-others')?.shadowRoot?.querySelector('fto-map');
      return map?.shadowRoot?.querySelectorAll('.fto-pin-icon').length === n;
    },
    count,
    { polling: 50 },
  );
}

const tally = (page: Page) => page.locator('.tally');
const statusLine = (page: Page) => page.locator('fto-status');
/** The status line's text (innerText on the host would skip its shadow root). */
const statusText = async (page: Page) =>
  (await statusLine(page).locator('p').allInnerTexts()).join('\n');

/** Opens the map and waits until the fixture's seven city pins and the live stream are up. */
async function openMap(path = '/', options: OpenPageOptions = {}) {
  const opened = await openPage(browser, api.url + path, options);
  await waitForPinCount(opened.page, 7);
  await statusLine(opened.page).getByText('· live').waitFor();
  await api.waitForStreams();
  return opened;
}

describe('<find-the-others>', () => {
  it('draws one pin per city, named with the place and how many people are there', async () => {
    const { page } = await openMap();
    expect(await pinLabels(page)).toEqual([
      'Berlin, Land Berlin, DE: 3 people',
      'Lagos, NG: 3 people',
      'Lyon, Auvergne-Rhône-Alpes, FR: 1 person',
      'Nairobi, Nairobi Area, KE: 1 person',
      'Portland, Oregon, US: 2 people',
      'São Paulo, BR: 1 person',
      'Tokyo, JP: 1 person',
    ]);
    expect(await pin(page, 'Lagos, NG: 3 people').innerText()).toBe('3');
    const sizes = await Promise.all(
      ['Lagos, NG: 3 people', 'Tokyo, JP: 1 person'].map((label) =>
        pin(page, label)
          .locator('.fto-pin')
          .evaluate((el) => el.getBoundingClientRect().width),
      ),
    );
    expect(sizes[0]).toBeGreaterThan(sizes[1]!);
  });

  it('counts people, cities and countries in the header', async () => {
    const { page } = await openMap();
    expect(await tally(page).textContent()).toBe('12 people in 7 cities, 7 countries');
    expect(await page.locator('h1').textContent()).toContain('#yourturn');
    expect(await page.title()).toBe('#yourturn · Find the Others');
  });

  it('lists the people of a clicked city, showing a hostile display name as text and stripping the post', async () => {
    const { page, dialogs } = await openMap('/', {
      allowConsoleErrors: [missingAvatar, hostileExcerptParsed],
    });
    await pin(page, 'Lagos, NG: 3 people').click();
    const panel = page.locator('fto-city-panel');
    await panel.locator('li').first().waitFor();

    expect(await panel.locator('h2').textContent()).toBe('Lagos, Nigeria');
    expect(await panel.locator('li').count()).toBe(3);
    const names = await panel.locator('.name').allTextContents();
    expect(names).toContain(hostileName);
    expect(names).toContain('Bọ́lá Àjàyí');
    expect(await panel.locator('.acct').allTextContents()).toContain('@ada@example.social');

    const ada = panel.locator('li', { hasText: '@ada@example.social' });
    const excerpt = ada.locator('.excerpt');
    expect(await excerpt.locator('script, img, svg, b').count()).toBe(0);
    expect(await excerpt.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await excerpt.innerText()).toContain('click me');
    expect(await excerpt.locator('p').count()).toBe(2);
    const hashtag = excerpt.locator('a[href="https://example.social/tags/yourturn"]');
    expect(await hashtag.getAttribute('rel')).toBe('nofollow noopener noreferrer');
    expect(await hashtag.getAttribute('target')).toBe('_blank');
    expect(await hashtag.getAttribute('class')).toBeNull();

    for (const link of await ada.locator('.meta a').all()) {
      expect(await link.getAttribute('rel')).toBe('nofollow noopener noreferrer');
      expect(await link.getAttribute('target')).toBe('_blank');
    }
    expect(await ada.locator('.meta a', { hasText: 'View post' }).getAttribute('href')).toMatch(
      /^https:\/\/example\.social\/@ada\//,
    );
    expect(await ada.locator('time').getAttribute('datetime')).toBe(
      contributors[0]!.properties.postedAt,
    );

    // An empty avatar and one that 404s both fall back to initials; a good one shows its image.
    const bola = panel.locator('li', { hasText: '@bola@example.social' });
    expect(await bola.locator('fto-avatar [part=initials]').textContent()).toBe('BÀ');
    const chi = panel.locator('li', { hasText: '@chi@naija.town' });
    await chi.locator('fto-avatar [part=initials]').waitFor();
    expect(await chi.locator('fto-avatar [part=initials]').textContent()).toBe('C');
    expect(await ada.locator('fto-avatar img').getAttribute('src')).toBe(
      `${api.url}/avatars/ok.svg`,
    );

    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(await pin(page, 'Lagos, NG: 3 people').getAttribute('aria-expanded')).toBe('true');
  });

  it('opens a city from the keyboard and returns focus to its pin when the list closes', async () => {
    const { page } = await openMap();
    const portland = pin(page, 'Portland, Oregon, US: 2 people');
    await portland.focus();
    await page.keyboard.press('Enter');
    const heading = page.locator('fto-city-panel h2');
    await heading.waitFor();
    expect(await heading.textContent()).toBe('Portland, Oregon, United States');
    expect(await heading.evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Escape');
    await page.locator('fto-city-panel').waitFor({ state: 'detached' });
    expect(await portland.evaluate((el) => el.matches(':focus'))).toBe(true);
  });

  it('adds a pin without reloading when a contributor event arrives, and updates the counts', async () => {
    const { page } = await openMap();
    api.push('contributor', contributor('siggi@mastodon.is', 'reykjavik'));
    await waitForPinCount(page, 8);
    expect(await pin(page, 'Reykjavík, Capital Region, IS: 1 person').count()).toBe(1);
    expect(await tally(page).textContent()).toBe('13 people in 8 cities, 8 countries');

    api.push('contributor', contributor('tomas@piaille.fr', 'lyon'));
    await pin(page, 'Lyon, Auvergne-Rhône-Alpes, FR: 2 people').waitFor();
    expect(await pin(page, 'Lyon, Auvergne-Rhône-Alpes, FR: 2 people').innerText()).toBe('2');
    expect(await tally(page).textContent()).toBe('14 people in 8 cities, 8 countries');
  });

  it('moves a contributor whose city changes, dropping the pin they left empty', async () => {
    const { page } = await openMap();
    api.push('contributor', contributor('fatou@piaille.fr', 'berlin'));
    await waitForPinCount(page, 6);
    expect(await pin(page, 'Berlin, Land Berlin, DE: 4 people').count()).toBe(1);
    expect(await pinLabels(page)).not.toContain('Lyon, Auvergne-Rhône-Alpes, FR: 1 person');
    expect(await tally(page).textContent()).toBe('12 people in 6 cities, 6 countries');
  });

  it('removes a contributor on a remove event, and the pin with them when they were alone', async () => {
    const { page } = await openMap();
    await pin(page, 'Tokyo, JP: 1 person').click();
    await page.locator('fto-city-panel').waitFor();

    api.push('remove', { acct: 'kenji@mstdn.jp' });
    await waitForPinCount(page, 6);
    await page.locator('fto-city-panel').waitFor({ state: 'detached' });
    api.push('remove', { acct: 'dana@pdx.social' });
    await pin(page, 'Portland, Oregon, US: 1 person').waitFor();
    expect(await tally(page).textContent()).toBe('10 people in 6 cities, 6 countries');
  });

  it('draws the bundled world outline when the server has no tiles, and credits its sources', async () => {
    const { page, offsiteRequests } = await openMap();
    const land = page.locator('path.fto-land');
    await land.first().waitFor({ state: 'attached' });
    const d = await land.first().getAttribute('d');
    expect(d?.length).toBeGreaterThan(5_000);
    expect(await page.locator('path.fto-borders').count()).toBe(1);
    expect(await page.locator('img.leaflet-tile').count()).toBe(0);
    const credits = await page.locator('.leaflet-control-attribution').innerText();
    expect(credits).toContain('GeoNames (CC BY 4.0)');
    expect(credits).toContain('Natural Earth');
    expect(offsiteRequests).toEqual([]);
  });

  it('keeps the outline and pins and says so when tiles fail to load', async () => {
    api.config = { ...api.config, tileUrl: `${api.url}/tiles/{z}/{x}/{y}.png` };
    try {
      const { page } = await openMap('/', { allowConsoleErrors: [/404/] });
      await statusLine(page).getByText('Map tiles unavailable; showing the outline').waitFor();
      expect(await page.locator('path.fto-land').count()).toBeGreaterThan(0);
      expect(await pins(page).count()).toBe(7);
      expect(await page.locator('.leaflet-control-attribution').innerText()).toContain(
        '© OpenStreetMap contributors',
      );
    } finally {
      api.config = { ...api.config, tileUrl: null };
    }
  });

  it('shows the campaign named in a /c/:tag address', async () => {
    api.requestedTags.length = 0;
    const { page } = await openMap('/c/OtherTag');
    expect(await page.locator('h1').textContent()).toContain('#othertag');
    expect(api.requestedTags).toEqual(['othertag']);
    expect(await statusText(page)).toContain('Following #othertag on 1 instance · live');
  });

  it('reports the instances followed and the ones failing in the status line', async () => {
    const { page } = await openMap();
    await statusLine(page).getByText('on 2 instances').waitFor();
    const text = await statusText(page);
    expect(text).toContain('Following #yourturn on 2 instances · live');
    expect(text).toContain('mastodon.social unreachable: connect ETIMEDOUT 199.232.1.1:443');
  });

  it('says it is reconnecting when the live stream drops, and live again once it is back', async () => {
    const { page } = await openMap();
    api.dropStreams();
    await statusLine(page).getByText('· reconnecting…').waitFor();
    await statusLine(page).getByText('· live').waitFor({ timeout: 10_000 });
    api.push('contributor', contributor('uma@pdx.social', 'portland'));
    await pin(page, 'Portland, Oregon, US: 3 people').waitFor();
  });

  it('renders cleanly at desktop and phone sizes, light and dark (screenshots in tests/artifacts)', async () => {
    const desktop = await openMap('/', {
      allowConsoleErrors: [missingAvatar, hostileExcerptParsed],
    });
    await desktop.page.locator('path.fto-land').first().waitFor({ state: 'attached' });
    await screenshot(desktop.page, 'map-1280x800');
    await pin(desktop.page, 'Lagos, NG: 3 people').click();
    await desktop.page.locator('fto-city-panel li').first().waitFor();
    await screenshot(desktop.page, 'map-1280x800-lagos');

    const phone = await openMap('/', { viewport: { width: 390, height: 844 } });
    await phone.page.locator('path.fto-land').first().waitFor({ state: 'attached' });
    await screenshot(phone.page, 'map-390x844');
    await pin(phone.page, 'Portland, Oregon, US: 2 people').click();
    await phone.page.locator('fto-city-panel li').first().waitFor();
    await screenshot(phone.page, 'map-390x844-portland');
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(390);

    const narrow = await openMap('/', {
      viewport: { width: 360, height: 640 },
      colorScheme: 'dark',
    });
    await narrow.page.locator('path.fto-land').first().waitFor({ state: 'attached' });
    await screenshot(narrow.page, 'map-360x640-dark');
    expect(
      await narrow.page.evaluate(() => document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(360);
  });
});
