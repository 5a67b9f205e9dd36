import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContributorFeature } from '../../shared/types.js';
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

const tally = (page: Page) => page.locator('.tally');
const statusLine = (page: Page) => page.locator('fto-status');
const statusText = async (page: Page) =>
  (await statusLine(page).locator('p').allInnerTexts()).join('\n');
const nav = (page: Page, name: string) => page.locator('nav button', { hasText: name });

/** At the opening world view the fixture's Berlin and Lyon share a cluster; the rest stand alone. */
const WORLD_PINS = [
  'Berlin and 1 more city: 4 people',
  'Lagos, Nigeria: 3 people',
  'Nairobi, Nairobi Area, Kenya: 1 person',
  'Portland, Oregon, United States: 2 people',
  'São Paulo, Brazil: 1 person',
  'Tokyo, Japan: 1 person',
];

/** Opens the map and waits until the first view's pins and the live stream are up. */
async function openMap(path = '/', options: OpenPageOptions = {}) {
  const opened = await openPage(browser, api.url + path, options);
  await pins(opened.page).first().waitFor();
  await statusLine(opened.page).getByText('· live').waitFor();
  await api.waitForStreams();
  return opened;
}

/** Opens the Lagos pin's list of people and waits for all three of the fixture. */
async function openLagos(page: Page) {
  await pin(page, 'Lagos, Nigeria: 3 people').click();
  const panel = page.locator('fto-city-panel');
  await panel.getByText('3 people here').waitFor();
  return panel;
}

/** Restores the fixture data after a test that changed it. */
function withContributors(list: ContributorFeature[]) {
  api.contributors = list;
  return () => {
    api.contributors = [...contributors];
  };
}

describe('<find-the-others> map', () => {
  it('draws the server clusters for the view, named for screen readers, that split into cities on zoom', async () => {
    api.viewRequests.length = 0;
    const { page } = await openMap();
    await expect.poll(() => pinLabels(page)).toEqual(WORLD_PINS);
    const first = api.viewRequests[0]!;
    expect(Number.isInteger(first.zoom)).toBe(true);
    expect(first.bbox[0]).toBeGreaterThanOrEqual(-180);
    expect(first.bbox[2]).toBeLessThanOrEqual(180);

    const cluster = pin(page, 'Berlin and 1 more city: 4 people');
    expect(await cluster.getAttribute('data-kind')).toBe('cluster');
    expect(await cluster.innerText()).toBe('4');
    await cluster.click();
    await pin(page, 'Berlin, Germany: 3 people').waitFor();
    await pin(page, 'Lyon, Auvergne-Rhône-Alpes, France: 1 person').waitFor();
    const last = api.viewRequests.at(-1)!;
    expect(last.zoom).toBeGreaterThan(first.zoom);
    // Zoomed on Europe, Tokyo is outside the view and the server was not asked for it.
    expect(await pinLabels(page)).not.toContain('Tokyo, Japan: 1 person');
  });

  it('asks for the view it settles on and abandons the request for a view already left', async () => {
    const { page } = await openMap();
    api.viewRequests.length = 0;
    api.viewDelayMs = 600;
    try {
      const map = page.locator('fto-map .map');
      await map.focus();
      await page.keyboard.press('Equal');
      await page.waitForTimeout(350);
      await page.keyboard.press('Equal');
      await expect.poll(() => api.viewRequests.length).toBeGreaterThanOrEqual(2);
      await expect.poll(() => pinLabels(page)).not.toEqual(WORLD_PINS);
      // The answer takes 600 ms and the second zoom comes 350 ms after the first.
      expect(api.viewRequests[0]!.aborted).toBe(true);
      expect(api.viewRequests.at(-1)!.aborted).toBe(false);
      expect(api.viewRequests.at(-1)!.zoom).toBeGreaterThanOrEqual(api.viewRequests[0]!.zoom);
    } finally {
      api.viewDelayMs = 0;
    }
  });

  it('shows the author’s title, description, link and accent colour, and live counters', async () => {
    const { page } = await openMap();
    expect(await page.locator('h1').innerText()).toContain('Your Turn');
    expect(await page.locator('h1 .tag').textContent()).toBe('#yourturn');
    expect(await page.locator('.description a').getAttribute('href')).toBe(
      'https://book.example/your-turn',
    );
    expect(
      await page
        .locator('.frame')
        .evaluate((el) => getComputedStyle(el).getPropertyValue('--fto-accent').trim()),
    ).toBe('#0f766e');
    expect(await tally(page).textContent()).toBe('12 people in 7 cities, 7 countries');
    expect(await page.title()).toBe('Your Turn · #yourturn · Find the Others');
    api.push('stats', { contributors: 1204, cities: 312, countries: 58 });
    await tally(page).getByText('1,204 people in 312 cities, 58 countries').waitFor();
  });

  it('says under the tally how many people wait for review while the campaign is pre-moderated', async () => {
    const { page } = await openMap();
    await tally(page).getByText('12 people in 7 cities, 7 countries').waitFor();
    expect(await page.locator('fto-review-note').innerText()).toBe('');
    api.review = { premoderation: true, waiting: 3 };
    try {
      const again = await openMap();
      await again.page
        .locator('fto-review-note')
        .getByText('3 people waiting for review')
        .waitFor();
    } finally {
      api.review = { premoderation: false, waiting: 0 };
    }
  });

  it('lists a city’s people a page at a time, loading more with the button and on scroll', async () => {
    const crowd = Array.from({ length: 45 }, (_, i) => contributor(`p${i}@pdx.social`, 'portland'));
    const restore = withContributors([...contributors, ...crowd]);
    try {
      const { page } = await openMap();
      await pin(page, 'Portland, Oregon, United States: 47 people').click();
      const panel = page.locator('fto-city-panel');
      await panel.getByText('47 people here').waitFor();
      expect(await panel.locator('li.person').count()).toBe(20);
      await panel.getByRole('button', { name: 'Show more (27 more)' }).click();
      // The button loads the next 20; on a slow run the scroll sentinel may already ask for the rest.
      await expect.poll(() => panel.locator('li.person').count()).toBeGreaterThanOrEqual(40);
      await panel.locator('.body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await expect.poll(() => panel.locator('li.person').count()).toBe(47);
      expect(await panel.getByRole('button', { name: /Show more/ }).count()).toBe(0);
      const accts = await panel.locator('.acct').allTextContents();
      expect(new Set(accts).size).toBe(47);
    } finally {
      restore();
    }
  });

  it('lists the people of a clicked city, showing a hostile display name as text and stripping the post', async () => {
    const { page, dialogs } = await openMap('/', {
      allowConsoleErrors: [missingAvatar, hostileExcerptParsed],
    });
    await pin(page, 'Lagos, Nigeria: 3 people').click();
    const panel = page.locator('fto-city-panel');
    await panel.locator('li').first().waitFor();

    expect(await panel.locator('h2').textContent()).toBe('Lagos, Nigeria');
    expect(await panel.locator('li').count()).toBe(3);
    const names = await panel.locator('.name').allTextContents();
    expect(names).toContain(hostileName);
    expect(names).toContain('Bọ́lá Àjàyí');

    const ada = panel.locator('li', { hasText: '@ada@example.social' });
    const excerpt = ada.locator('.excerpt');
    expect(await excerpt.locator('script, img, svg, b').count()).toBe(0);
    expect(await excerpt.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await excerpt.locator('p').count()).toBe(2);
    for (const link of await ada.locator('.meta a').all()) {
      expect(await link.getAttribute('rel')).toBe('nofollow noopener noreferrer');
    }
    const chi = panel.locator('li', { hasText: '@chi@naija.town' });
    await chi.locator('fto-avatar [part=initials]').waitFor();
    expect(await chi.locator('fto-avatar [part=initials]').textContent()).toBe('C');

    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(await pin(page, 'Lagos, Nigeria: 3 people').getAttribute('aria-expanded')).toBe('true');
  });

  it('opens a city from the keyboard and returns focus to its pin when the list closes', async () => {
    const { page } = await openMap();
    const portland = pin(page, 'Portland, Oregon, United States: 2 people');
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

  it('names its landmarks and close buttons, and skips past the pins in one key press', async () => {
    const { page } = await openMap();
    expect(await page.getByRole('main').locator('find-the-others').count()).toBe(1);
    const map = page.getByRole('region', { name: /^Map of contributors/ });
    expect(await map.getAttribute('aria-roledescription')).toBe('map');
    await pin(page, 'Portland, Oregon, United States: 2 people').click();
    await page
      .locator('fto-city-panel')
      .getByRole('button', { name: 'Close the people of Portland' })
      .click();
    await page.locator('fto-city-panel').waitFor({ state: 'detached' });

    // From the last header button, Tab reaches the (until then hidden) skip button before any pin.
    await page.locator('nav button', { hasText: 'Add yourself' }).focus();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('button', { name: 'Skip past the map' });
    expect(await skip.evaluate((el) => el.matches(':focus'))).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.y >= 0).toBe(true); // shown while focused
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const after = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return { tag: el?.tagName, pin: el?.classList.contains('fto-pin-icon') ?? false };
    });
    expect(after.pin).toBe(false);
    expect(
      await page
        .locator('footer')
        .evaluate((f) => f.contains(document.activeElement) || f.matches(':focus-within')),
    ).toBe(true);
  });
});

describe('<find-the-others> on a phone', () => {
  const phone = { viewport: { width: 390, height: 844 } };
  /** Is the point (page pixels) inside the map and above the panel's top edge? */
  async function inFreeMap(page: Page, x: number, y: number, sheet: string) {
    const map = (await page.locator('fto-map').boundingBox())!;
    const panel = (await page.locator(sheet).boundingBox())!;
    expect(panel.width).toBeGreaterThan(map.width * 0.8); // a bottom sheet, not a side panel
    return x > map.x && x < map.x + map.width && y > map.y && y < panel.y;
  }

  it('shows a city chosen from the list above the bottom sheet, not under it', async () => {
    const { page } = await openMap('/', {
      ...phone,
      allowConsoleErrors: [missingAvatar, hostileExcerptParsed],
    });
    await nav(page, 'List').click();
    const list = page.locator('fto-list');
    await list.locator('input').fill('berlin');
    await list.getByRole('button', { name: /^Berlin/ }).click();
    await page.locator('fto-city-panel').getByText('Berlin, Germany').waitFor();
    const berlin = page.locator('.fto-pin-icon[aria-label^="Berlin"]');
    await berlin.waitFor();
    await expect
      .poll(async () => {
        const b = (await berlin.boundingBox())!;
        return inFreeMap(page, b.x + b.width / 2, b.y + b.height / 2, 'fto-city-panel');
      })
      .toBe(true);
    await screenshot(page, 'phone-list-berlin');
  });

  it('shows whole names in the ticker, newest first, the rest a sideways scroll away', async () => {
    const restore = withContributors([...contributors]);
    try {
      const { page } = await openMap('/', phone);
      for (const [user, name] of [
        ['margarethe@mastodon.is', 'Margarethe Schneider-Olafsdóttir'],
        ['mateus@mastodon.is', 'Mateus Albuquerque'],
        ['mariam@mastodon.is', 'Mariam Okonkwo-Adeyemi'],
      ] as const)
        api.push('contributor', contributor(user, 'reykjavik', { displayName: name }));
      const ticker = page.locator('fto-ticker');
      await ticker.getByText('Mariam Okonkwo-Adeyemi in Reykjavík').waitFor();
      const arrivals = await ticker.locator('button').evaluateAll((buttons) =>
        buttons.map((b) => ({
          text: b.textContent?.trim(),
          cut: b.scrollWidth > b.clientWidth + 1,
        })),
      );
      expect(arrivals.slice(0, 3)).toEqual([
        { text: 'Mariam Okonkwo-Adeyemi in Reykjavík', cut: false },
        { text: 'Mateus Albuquerque in Reykjavík', cut: false },
        { text: 'Margarethe Schneider-Olafsdóttir in Reykjavík', cut: false },
      ]);
      // The newest is on screen whole; the row scrolls rather than squeezing names to stubs.
      const first = (await ticker.locator('button').first().boundingBox())!;
      expect(first.x + first.width).toBeLessThanOrEqual(390);
      expect(await ticker.locator('p').evaluate((p) => p.scrollWidth > p.clientWidth)).toBe(true);
      await screenshot(page, 'phone-ticker');
    } finally {
      restore();
    }
  });

  it('draws a nearby search in the part of the map above the sheet', async () => {
    const { page } = await openMap('/', {
      ...phone,
      allowConsoleErrors: [missingAvatar, hostileExcerptParsed],
    });
    await nav(page, 'Find others near me').click();
    const panel = page.locator('fto-nearby');
    await panel.locator('input').fill('Berlin');
    await panel.locator('input').press('Enter');
    await panel.locator('.distance').first().waitFor();
    const origin = page.locator('.fto-origin');
    await origin.waitFor();
    await expect
      .poll(async () => {
        const o = (await origin.boundingBox())!;
        return inFreeMap(page, o.x + o.width / 2, o.y + o.height / 2, 'fto-nearby');
      })
      .toBe(true);
    await screenshot(page, 'phone-nearby-berlin');
  });
});

describe('<find-the-others> nearby', () => {
  it('finds the people nearest a typed city, closest first, and rings them on the map', async () => {
    const { page } = await openMap('/', {
      allowConsoleErrors: [missingAvatar, hostileExcerptParsed],
    });
    await nav(page, 'Find others near me').click();
    const panel = page.locator('fto-nearby');
    await panel.locator('input').fill('Lyon');
    await panel.locator('input').press('Enter');
    await panel.getByText('The 12 people closest to Lyon, Auvergne-Rhône-Alpes, France').waitFor();
    const distances = await panel.locator('.distance').allTextContents();
    expect(distances[0]).toBe('here');
    expect(distances[1]).toBe('976 km'); // Lyon to Berlin
    expect(await panel.locator('.acct').first().textContent()).toBe('@fatou@piaille.fr');
    await expect.poll(() => page.locator('path.fto-near').count()).toBeGreaterThan(0);
  });

  it('says so when the typed place is unknown', async () => {
    const { page } = await openMap('/', { allowConsoleErrors: [/status of 404/] });
    await nav(page, 'Find others near me').click();
    const panel = page.locator('fto-nearby');
    await panel.locator('input').fill('Atlantis');
    await panel.getByRole('button', { name: 'Search', exact: true }).click();
    await panel
      .getByRole('alert')
      .getByText('No place called “Atlantis”. Try adding the region or country')
      .waitFor();
  });

  it('uses the browser’s location only when asked, rounded to about a kilometre', async () => {
    const { page, context } = await openMap('/', {
      allowConsoleErrors: [missingAvatar, hostileExcerptParsed],
    });
    await context.grantPermissions(['geolocation'], { origin: api.url });
    await context.setGeolocation({ latitude: 52.520008, longitude: 13.404954 });
    const asked = page.waitForRequest((r) => r.url().includes('/nearby?'));
    await nav(page, 'Find others near me').click();
    await page.locator('fto-nearby').getByRole('button', { name: 'Use my location' }).click();
    const url = new URL((await asked).url());
    expect(url.searchParams.get('lat')).toBe('52.52');
    expect(url.searchParams.get('lng')).toBe('13.40');
    const panel = page.locator('fto-nearby');
    await panel.getByText('closest to your location').waitFor();
    expect(await panel.locator('.acct').first().textContent()).toMatch(
      /@(gus|hana|lea)@chaos\.social/,
    );
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('52.5');
  });
});

describe('<find-the-others> live', () => {
  it('shows a new arrival without reloading: a ripple, the ticker, and the pin once the view refetches', async () => {
    const restore = withContributors([...contributors]);
    try {
      const { page } = await openMap();
      api.push(
        'contributor',
        contributor('siggi@mastodon.is', 'reykjavik', { displayName: 'Siggi :blobcat:' }),
      );
      await page.locator('.fto-pulse').first().waitFor({ state: 'attached' });
      await page.locator('fto-ticker').getByText('Siggi :blobcat: in Reykjavík').waitFor();
      await pin(page, 'Reykjavík, Capital Region, Iceland: 1 person').waitFor();

      // Hold back every view answer from here on, so the count below can only come from the
      // event itself: a city already drawn counts the arrival at once, before any refetch. (A
      // fixed short wait here failed on a loaded CI machine; holding the refetch does not.)
      api.viewDelayMs = 20_000;
      const viewsBefore = api.viewRequests.length;
      api.push('contributor', contributor('uma@pdx.social', 'portland'));
      await pin(page, 'Portland, Oregon, United States: 3 people').waitFor({ timeout: 15_000 });
      expect(api.viewRequests.slice(viewsBefore).some((r) => r.answered)).toBe(false);
    } finally {
      api.viewDelayMs = 0;
      restore();
    }
  });

  it('drops a person who left once the view refetches, and from an open list at once', async () => {
    const restore = withContributors([...contributors]);
    try {
      const { page } = await openMap('/', {
        allowConsoleErrors: [missingAvatar, hostileExcerptParsed],
      });
      const panel = await openLagos(page);
      api.push('remove', { acct: 'bola@example.social' });
      await panel.getByText('2 people here').waitFor();
      await pin(page, 'Lagos, Nigeria: 2 people').waitFor();
    } finally {
      restore();
    }
  });

  it('says it is reconnecting when the live stream drops, and live again once it is back', async () => {
    const restore = withContributors([...contributors]);
    try {
      const { page } = await openMap();
      api.dropStreams();
      await statusLine(page).getByText('· reconnecting…').waitFor();
      await statusLine(page).getByText('· live').waitFor({ timeout: 10_000 });
      api.push('contributor', contributor('vic@pdx.social', 'portland'));
      await pin(page, 'Portland, Oregon, United States: 3 people').waitFor();
    } finally {
      restore();
    }
  });
  it('reopens a stream the browser gave up on from its last event id', async () => {
    const restore = withContributors([...contributors]);
    try {
      const { page } = await openMap('/', { allowConsoleErrors: [/status of 503/] });
      api.push('contributor', contributor('wim@pdx.social', 'portland'));
      await pin(page, 'Portland, Oregon, United States: 3 people').waitFor();
      const before = api.streamRequests.length;
      api.refuseStreams = 1;
      api.dropStreams();
      await statusLine(page).getByText('· reconnecting…').waitFor();
      await statusLine(page).getByText('· live').waitFor({ timeout: 10_000 });
      const [refused, reopened] = api.streamRequests.slice(before);
      // The browser's own retry sends the header; the new EventSource can only use the query.
      expect(refused!.header).toMatch(/^\d+$/);
      expect(reopened).toEqual({ header: null, query: refused!.header });
    } finally {
      restore();
    }
  });

  it('reloads the view, the figures and an open city list when the server says reset', async () => {
    const restore = withContributors([...contributors]);
    try {
      const { page } = await openMap('/', {
        allowConsoleErrors: [missingAvatar, hostileExcerptParsed],
      });
      const panel = await openLagos(page);
      // Two people left while the events saying so were lost: only a reload can show it.
      api.contributors = api.contributors.filter(
        (f) => !['bola@example.social', 'chi@naija.town'].includes(f.properties.acct),
      );
      const views = api.viewRequests.length;
      api.push('reset', {});
      await panel.getByText('1 person here').waitFor();
      expect(await panel.locator('.acct').allTextContents()).toEqual(['@ada@example.social']);
      await pin(page, 'Lagos, Nigeria: 1 person').waitFor();
      await tally(page).getByText('10 people in 7 cities, 7 countries').waitFor();
      expect(api.viewRequests.length).toBeGreaterThan(views);
    } finally {
      restore();
    }
  });
});

describe('<find-the-others> panels', () => {
  it('gives the exact post, copies it, and links to the share page of the reader’s instance, remembered', async () => {
    const { page, context } = await openMap();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
    await nav(page, 'Add yourself').click();
    const join = page.locator('fto-join');
    expect(await join.locator('output').textContent()).toBe('#YourTurn <your city>');
    await join.getByLabel('Your city').fill('São Paulo');
    expect(await join.locator('output').textContent()).toBe('#YourTurn São Paulo');
    await join.getByRole('button', { name: 'Copy' }).click();
    await join.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('#YourTurn São Paulo');

    await join.getByLabel('Your instance').fill('@ada@hachyderm.io');
    const link = join.getByRole('link', { name: 'Post from hachyderm.io' });
    expect(await link.getAttribute('href')).toBe(
      'https://hachyderm.io/share?text=%23YourTurn%20S%C3%A3o%20Paulo',
    );
    expect(await link.getAttribute('target')).toBe('_blank');
    const text = await join.locator('section').innerText();
    expect(text).toContain('delete the post');
    expect(text).toContain('#nomap');

    await page.reload();
    await nav(page, 'Add yourself').click();
    expect(await page.locator('fto-join').getByLabel('Your instance').inputValue()).toBe(
      'hachyderm.io',
    );
  });

  it('shows the top cities and countries and a chart of joins by the hour for a young campaign', async () => {
    const { page } = await openMap();
    await nav(page, 'Figures').click();
    const stats = page.locator('fto-stats');
    await stats.locator('rect.bar').first().waitFor({ state: 'attached' });
    const cities = await stats.locator('ol').first().locator('li').allInnerTexts();
    // Countries by name, as in the list and the city panel.
    expect(cities[0]).toMatch(/^(Berlin, Germany|Lagos, Nigeria)\s+3$/);
    expect(await stats.locator('ol').nth(1).innerText()).toContain('Germany');
    expect(await stats.locator('svg').getAttribute('aria-label')).toMatch(/^12 people joined/);
    // The fixture's people joined over a few hours: one bar per hour, not one solid day.
    expect(await stats.locator('h3').first().textContent()).toBe('New people per hour');
    expect(await stats.locator('rect.bar').count()).toBeGreaterThan(5);
    expect(await stats.locator('svg').getAttribute('aria-label')).toMatch(/the busiest hour had/);
  });

  it('lists everyone by country and city, usable with the keyboard alone', async () => {
    const { page } = await openMap();
    await nav(page, 'List').focus();
    await page.keyboard.press('Enter');
    const list = page.locator('fto-list');
    const heading = list.locator('h2');
    await heading.waitFor();
    expect(await heading.evaluate((el) => el.matches(':focus'))).toBe(true);
    await list.locator('summary').first().waitFor();
    expect(await list.locator('summary').allInnerTexts()).toHaveLength(7);

    await page.keyboard.press('Tab'); // close button
    await page.keyboard.press('Tab'); // filter
    await page.keyboard.type('ger');
    // Germany and Nigeria match and open; their cities arrive from the server.
    await list.getByRole('button', { name: /^Berlin/ }).waitFor();
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () =>
          document.activeElement?.shadowRoot?.activeElement?.shadowRoot?.activeElement?.textContent,
      ),
    ).toContain('Germany');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const city = page.locator('fto-city-panel');
    await city.getByText('Berlin, Germany').waitFor();
    await city.locator('li.person').first().waitFor();
    await page.keyboard.press('Escape');
    await list.locator('h2').waitFor();
    expect(await list.locator('h2').evaluate((el) => el.matches(':focus'))).toBe(true);
  });
});

describe('<find-the-others> list of everyone', () => {
  /** 60 people in 60 towns of one country: more cities than one page. */
  const towns = Array.from({ length: 60 }, (_, i): ContributorFeature => {
    const f = contributor(`t${i}@nz.social`, 'lagos', {
      place: { id: 8_000_000 + i, name: `Town ${i}`, admin1: null, country: 'NZ' },
    });
    return { ...f, geometry: { type: 'Point', coordinates: [174 + i / 100, -41] } };
  });

  it('loads a country’s cities a page at a time and searches city names, never every city at once', async () => {
    const restore = withContributors([...contributors, ...towns]);
    try {
      api.cityRequests.length = 0;
      api.viewRequests.length = 0;
      const { page } = await openMap('/', { allowConsoleErrors: [missingAvatar] });
      await nav(page, 'List').click();
      const list = page.locator('fto-list');
      const nz = list.locator('details', { hasText: 'New Zealand' });
      expect(await nz.locator('summary .n').innerText()).toBe('60 people, 60 cities');
      await nz.locator('summary').click();
      const cities = nz.locator('button.city');
      await expect.poll(() => cities.count(), { timeout: 5_000 }).toBe(50);
      const more = nz.getByRole('button', { name: 'Show more cities (10 more)' });
      await more.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => cities.count(), { timeout: 5_000 }).toBe(60);
      expect(await more.count()).toBe(0);
      // Focus moved to the first city of the new page, where reading goes on.
      expect(await cities.nth(50).evaluate((el) => el.matches(':focus'))).toBe(true);

      await list.getByLabel('Filter countries and cities').fill('town 5');
      const found = list.locator('.found');
      await found.getByText('11 cities named like “town 5”').waitFor();
      expect(await found.locator('button.city').first().innerText()).toMatch(
        /^Town 5\d?, New Zealand/,
      );
      // Every request asked for one country or a search, a page at a time.
      expect(api.cityRequests).toEqual([
        'country=NZ&limit=50',
        expect.stringMatching(/^country=NZ&cursor=50&limit=50$/),
        'q=town+5&limit=50',
      ]);
      expect(api.viewRequests.filter((v) => v.zoom >= 16)).toEqual([]);
    } finally {
      restore();
    }
  });

  it('follows arrivals and departures while it is open', async () => {
    const restore = withContributors([...contributors]);
    try {
      const { page } = await openMap();
      await nav(page, 'List').click();
      const list = page.locator('fto-list');
      const country = (name: string) => list.locator('details', { hasText: name });
      await country('Japan').waitFor();
      api.push('contributor', contributor('siggi@mastodon.is', 'reykjavik'));
      await expect
        .poll(() => country('Iceland').locator('summary .n').innerText(), { timeout: 5_000 })
        .toBe('1 person, 1 city');
      api.push('remove', { acct: 'kenji@mstdn.jp' });
      await expect.poll(() => country('Japan').count(), { timeout: 5_000 }).toBe(0);
    } finally {
      restore();
    }
  });
});

describe('<find-the-others> basemap and layout', () => {
  it('draws the bundled world outline when the server has no tiles, and credits its sources', async () => {
    const { page, offsiteRequests } = await openMap();
    const land = page.locator('path.fto-land');
    await land.first().waitFor({ state: 'attached' });
    expect((await land.first().getAttribute('d'))?.length).toBeGreaterThan(5_000);
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
      expect(await pins(page).count()).toBeGreaterThan(0);
      expect(await page.locator('.leaflet-control-attribution').innerText()).toContain(
        '© OpenStreetMap contributors',
      );
    } finally {
      api.config = { ...api.config, tileUrl: null };
    }
  });

  it('says through how many sources the posts were found, with each source’s part behind it', async () => {
    const { page } = await openMap('/');
    const reach = statusLine(page).locator('details');
    const summary = reach.locator('summary');
    await summary.getByText('Found through 4 sources; 12 posts reached only one').waitFor();
    expect(await reach.locator('li').first().isVisible()).toBe(false);
    await summary.click();
    expect(await reach.locator('li').allInnerTexts()).toEqual([
      'chaos.social (instance): first with 1,200 posts, 9 only here',
      'mastodon.social (instance): first with 300 posts, 0 only here',
      'fedi.buzz (aggregator): first with 40 posts, 3 only here',
      'old.example (no longer followed): first with 2 posts, 0 only here',
    ]);
  });

  it('says one failing instance in words, without the request behind it', async () => {
    const { page } = await openMap('/');
    const problem = statusLine(page).locator('.problem');
    await problem.getByText('Can’t reach mastodon.social: the connection timed out').waitFor();
    expect(await statusLine(page).innerText()).not.toMatch(/ETIMEDOUT|199\.232|https?:|limit=/);
    expect(await statusText(page)).toContain('Following #yourturn on 2 instances · live');
  });

  it('says when no instance can be reached, with each one’s error behind a disclosure', async () => {
    const saved = api.status;
    const down = (instance: string, lastError: string) => ({
      instance,
      tag: 'yourturn',
      state: 'backing-off' as const,
      lastSuccessAt: null,
      lastError,
      lastErrorAt: new Date().toISOString(),
      postsSeen: 0,
      rateLimitRemaining: null,
    });
    api.status = {
      ...saved,
      sources: [
        down('https://mastodon.social', 'connect ETIMEDOUT 199.232.1.1:443'),
        down('https://chaos.social', 'getaddrinfo ENOTFOUND chaos.social'),
        down(
          'https://hachyderm.io',
          'https://hachyderm.io/api/v1/timelines/tag/yourturn?limit=40 answered HTTP 503',
        ),
        down('https://fosstodon.org', 'connect ECONNREFUSED 127.0.0.1:443'),
      ],
    };
    try {
      const { page } = await openPage(browser, api.url);
      await pins(page).first().waitFor();
      const line = statusLine(page).locator('p[part=line]');
      await line
        .getByText('Following #yourturn on 4 instances · Can’t reach any instance — retrying')
        .waitFor();
      // The page's own stream is live, but the dot says the map is not getting anything new.
      expect(await line.getAttribute('class')).toBe('down');
      const why = statusLine(page).locator('details.problem');
      expect(await why.locator('li').first().isVisible()).toBe(false);
      await why.locator('summary').click();
      expect(await why.locator('li').allInnerTexts()).toEqual([
        'mastodon.social: the connection timed out',
        'chaos.social: its name could not be found (DNS)',
        'hachyderm.io: hachyderm.io answered HTTP 503',
        'fosstodon.org: the connection was refused',
      ]);
      expect(await statusLine(page).innerText()).not.toMatch(/limit=40|https?:|ETIMEDOUT/);
    } finally {
      api.status = saved;
    }
  });

  it('shows the campaign named in a /c/:tag address', async () => {
    // Let requests from earlier tests' pages drain first.
    await new Promise((r) => setTimeout(r, 1_200));
    api.requestedTags.length = 0;
    const { page } = await openMap('/c/OtherTag');
    expect(await page.locator('h1 .tag').textContent()).toBe('#othertag');
    expect(new Set(api.requestedTags)).toEqual(new Set(['othertag']));
    expect(await statusText(page)).toContain('Following #othertag on 1 instance · live');
  });

  it('renders cleanly at desktop and phone sizes, light and dark (screenshots in tests/artifacts)', async () => {
    const desktop = await openMap('/', {
      allowConsoleErrors: [missingAvatar, hostileExcerptParsed],
    });
    await desktop.page.locator('path.fto-land').first().waitFor({ state: 'attached' });
    await screenshot(desktop.page, 'map-1280x800');
    await pin(desktop.page, 'Lagos, Nigeria: 3 people').click();
    await desktop.page.locator('fto-city-panel li').first().waitFor();
    await screenshot(desktop.page, 'map-1280x800-lagos');

    const phone = await openMap('/', { viewport: { width: 390, height: 844 } });
    await phone.page.locator('path.fto-land').first().waitFor({ state: 'attached' });
    await screenshot(phone.page, 'map-390x844');
    await nav(phone.page, 'Add yourself').click();
    await phone.page.locator('fto-join output').waitFor();
    await screenshot(phone.page, 'map-390x844-join');
    expect(
      await phone.page.evaluate(() => document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(390);

    const narrow = await openMap('/', {
      viewport: { width: 360, height: 640 },
      colorScheme: 'dark',
    });
    await narrow.page.locator('path.fto-land').first().waitFor({ state: 'attached' });
    await screenshot(narrow.page, 'map-360x640-dark');
    await nav(narrow.page, 'List').click();
    await narrow.page.locator('fto-list summary').first().waitFor();
    await screenshot(narrow.page, 'map-360x640-dark-list');
    expect(
      await narrow.page.evaluate(() => document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(360);
  });
});
