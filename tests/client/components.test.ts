import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSummary } from '../../shared/types.js';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { ensureClientBuilt } from './built-client.js';
import { contributors, places, status } from './fixtures.js';
import type { StubApi } from './stub-api.js';
import { startStubApi } from './stub-api.js';

// Each element on its own, on a page that has the bundle but no <find-the-others>.

let browser: Browser;
let api: StubApi;

beforeAll(async () => {
  api = await startStubApi(ensureClientBuilt(), { contributors, status });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function fixturePage(): Promise<Page> {
  const { page } = await openPage(browser, `${api.url}/components`, {
    allowConsoleErrors: [/status of 404/, /Executing inline event handler violates/],
  });
  await page.waitForFunction(() => customElements.get('fto-city-panel') !== undefined);
  return page;
}

describe('<fto-city-panel>', () => {
  it('pages its own city independently when two sit on one page', async () => {
    const page = await fixturePage();
    const { lagos, berlin } = places;
    await page.evaluate(
      ({ server, lagos, berlin }) => {
        for (const [id, place] of [
          ['a', lagos],
          ['b', berlin],
        ] as const) {
          const el = document.createElement('fto-city-panel');
          el.id = id;
          Object.assign(el, { server, campaign: 'yourturn', place, pageSize: 2 });
          document.querySelector('#fixture')!.append(el);
        }
      },
      { server: api.url, lagos, berlin },
    );
    const a = page.locator('#a');
    const b = page.locator('#b');
    await a.getByText('3 people here').waitFor();
    await b.getByText('3 people here').waitFor();
    expect(await a.locator('li.person').count()).toBe(2);
    await a.getByRole('button', { name: 'Show more (1 more)' }).click();
    await expect.poll(() => a.locator('li.person').count()).toBe(3);
    expect(await b.locator('li.person').count()).toBe(2);
    expect(await b.locator('.acct').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/@(gus|hana|lea)@chaos\.social/)]),
    );
  });

  it('asks to close on Escape', async () => {
    const page = await fixturePage();
    await page.evaluate(
      ({ server, place }) => {
        const el = document.createElement('fto-city-panel');
        Object.assign(el, { server, campaign: 'yourturn', place });
        el.addEventListener('fto-panel-close', () => (document.title = 'closed'));
        document.querySelector('#fixture')!.append(el);
      },
      { server: api.url, place: places.tokyo },
    );
    await page.locator('fto-city-panel li.person').waitFor();
    await page.locator('fto-city-panel h2').focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.title()).toBe('closed');
  });
});

describe('relative times', () => {
  it('keep ticking while shown, on one timer for every row, stopped once no row is on the page', async () => {
    const page = await fixturePage();
    const ada = contributors.find((f) => f.properties.acct === 'ada@example.social')!;
    // The page's clock, from 37 minutes after Ada's post however long the build took.
    await page.clock.install({ time: Date.parse(ada.properties.postedAt) + 37 * 60_000 });
    // Count the timers the page keeps waiting, from here on.
    await page.evaluate(() => {
      const live = new Set<unknown>();
      const { setTimeout: set, clearTimeout: clear } = window;
      Object.assign(window, {
        pendingTimers: () => live.size,
        setTimeout: (fn: () => void, ms?: number) => {
          const id = set(() => {
            live.delete(id);
            fn();
          }, ms);
          live.add(id);
          return id;
        },
        clearTimeout: (id: number) => {
          live.delete(id);
          clear(id);
        },
      });
    });
    const pending = () =>
      page.evaluate(() => (window as unknown as { pendingTimers(): number }).pendingTimers());
    await page.evaluate(
      ({ server, lagos, berlin }) => {
        for (const place of [lagos, berlin]) {
          const el = document.createElement('fto-city-panel');
          Object.assign(el, { server, campaign: 'yourturn', place });
          document.querySelector('#fixture')!.append(el);
        }
      },
      { server: api.url, lagos: places.lagos, berlin: places.berlin },
    );
    await expect
      .poll(() => page.locator('fto-city-panel time').count(), { timeout: 5_000 })
      .toBe(6);
    const adaTime = page
      .locator('fto-city-panel li.person', { hasText: '@ada@example.social' })
      .locator('time');
    expect(await adaTime.textContent()).toBe('37 minutes ago');
    expect(await pending()).toBe(1);

    await page.clock.fastForward('30:00');
    await expect.poll(() => adaTime.textContent(), { timeout: 5_000 }).toBe('1 hour ago');
    expect(await pending()).toBe(1);

    await page.evaluate(() =>
      document.querySelectorAll('fto-city-panel').forEach((el) => el.remove()),
    );
    expect(await pending()).toBe(0);
  });
});

describe('<fto-stats>', () => {
  it('draws one bar per day, the tallest for the busiest day, and names the chart', async () => {
    const page = await fixturePage();
    const summary: Partial<CampaignSummary> = {
      contributors: 7,
      topCities: [],
      topCountries: [{ country: 'KE', count: 7 }],
      joinsPerDay: [
        { date: '2026-01-01', count: 1 },
        { date: '2026-01-02', count: 4 },
        { date: '2026-01-03', count: 2 },
      ],
    };
    await page.evaluate((summary) => {
      const el = document.createElement('fto-stats');
      Object.assign(el, { summary });
      document.querySelector('#fixture')!.append(el);
    }, summary);
    const bars = page.locator('fto-stats rect.bar');
    await bars.first().waitFor({ state: 'attached' });
    const heights = await bars.evaluateAll((els) =>
      els.map((el) => Number(el.getAttribute('height'))),
    );
    expect(heights).toHaveLength(3);
    expect(Math.max(...heights)).toBe(heights[1]);
    expect(await page.locator('fto-stats svg').getAttribute('aria-label')).toBe(
      '7 people joined between 2026-01-01 and 2026-01-03; the busiest day had 4.',
    );
    expect(await page.locator('fto-stats ol').nth(1).innerText()).toContain('Kenya');
  });
});

describe('<fto-report>', () => {
  it('sends a visitor’s report with its reason as text/plain JSON, and thanks them', async () => {
    const page = await fixturePage();
    await page.evaluate((server) => {
      const el = document.createElement('fto-report');
      Object.assign(el, { server, campaign: 'yourturn', acct: 'gus@chaos.social' });
      document.querySelector('#fixture')!.append(el);
    }, api.url);
    const report = page.locator('fto-report');
    await report.getByRole('button', { name: 'Report' }).click();
    await report.getByLabel('Why?').fill('not about the campaign');
    await report.getByRole('button', { name: 'Send report' }).click();
    await report.getByRole('status').getByText('Thank you: a moderator will look at it.').waitFor();
    expect(api.reports.at(-1)).toEqual({
      tag: 'yourturn',
      body: { acct: 'gus@chaos.social', reason: 'not about the campaign' },
      type: expect.stringMatching(/^text\/plain/),
    });
  });
});

describe('<fto-avatar>', () => {
  it('shows initials when there is no image and when the image fails', async () => {
    const page = await fixturePage();
    await page.evaluate(() => {
      for (const src of ['', '/avatars/missing.png', '/avatars/ok.svg']) {
        const el = document.createElement('fto-avatar');
        Object.assign(el, { src, name: 'Ada Lovelace', acct: 'ada@x.example' });
        document.querySelector('#fixture')!.append(el);
      }
    });
    const avatars = page.locator('fto-avatar');
    await expect.poll(() => avatars.locator('[part=initials]').count()).toBe(2);
    expect(await avatars.nth(0).locator('[part=initials]').textContent()).toBe('AL');
    expect(await avatars.nth(2).locator('img').count()).toBe(1);
  });
});
