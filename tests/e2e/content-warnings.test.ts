import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/main.js';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { ensureAdminBuilt, ensureClientBuilt, ensureWidgetBuilt } from '../helpers/built-assets.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';
import { startTestServer, waitForCampaign } from '../helpers/test-server.js';
import { startHostSite, type HostSite } from '../widget/fixture.js';

// Posts behind a content warning, in Chromium against the real server and collector: their text
// is in no page's DOM (shadow roots included) until the reader presses "Show post".

const TOKEN = 'e2e-cw-token-9a8b7c6d5e4f';
const GRIEF = 'ada-text-behind-the-grief-warning';
const FLAGGED = 'bola-text-marked-sensitive';
const COUCH = 'cora-text-behind-politics';
const LIVE = 'siggi-live-text-behind-warning';
const SECRETS = [GRIEF, FLAGGED, COUCH, LIVE];

/** The page's whole DOM as HTML, every open shadow root included (serialised recursively). */
function fullDom(page: Page): Promise<string> {
  return page.evaluate(() => {
    const walk = (root: Document | ShadowRoot | Element): string => {
      let out = root instanceof Document ? root.documentElement.outerHTML : root.innerHTML;
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) out += walk(el.shadowRoot);
      }
      return out;
    };
    return walk(document);
  });
}

async function expectNoSecrets(page: Page): Promise<void> {
  const dom = await fullDom(page);
  for (const s of SECRETS) expect(dom, `${s} is in the DOM`).not.toContain(s);
}

let browser: Browser;
let instance: MastodonInstance;
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  ensureClientBuilt();
  ensureWidgetBuilt();
  ensureAdminBuilt();
  dir = mkdtempSync(join(tmpdir(), 'fto-e2e-cw-'));
  instance = await startMastodonInstance({ domain: 'cw.example', rateLimit: false });
  const post = (
    username: string,
    text: string,
    cw: { spoilerText?: string; sensitive?: boolean },
  ) => instance.post({ account: { username, displayName: username }, text, ...cw });
  post('ada', `#YourTurn Lagos ${GRIEF}`, { spoilerText: 'grief', sensitive: true });
  post('bola', `#YourTurn Lagos ${FLAGGED}`, { sensitive: true });
  post('gus', '#YourTurn Berlin openly said', {});
  post('cora', `#YourTurn from the couch ${COUCH}`, { spoilerText: 'politics', sensitive: true });
  server = await startTestServer({
    instances: [instance.url],
    tags: ['yourturn', 'otherside'],
    dir,
    name: 'cw',
    env: { FTO_ADMIN_TOKEN: TOKEN, FTO_RATE_LIMIT: '0' },
  });
  await waitForCampaign<{ contributors: number }>(server, 'yourturn', (c) => c.contributors === 3);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await instance?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens Lagos's people from its pin, within `scope` (a page or one widget). */
async function openLagos(scope: Page | Locator): Promise<Locator> {
  const lagos = scope.locator('.fto-pin-icon[aria-label^="Lagos"]');
  const panel = scope.locator('fto-city-panel');
  const opened = panel.getByText('2 people here');
  // A live refetch may redraw the pins just as the click lands, and Playwright's click waits for
  // a pin that is still and unobstructed, which a ripple or a redraw can deny it (CI under load
  // timed out here twice). So alternate: a short mouse click, then the keyboard path every pin
  // has (focus and Enter), until the panel says it opened.
  for (let attempt = 1; attempt <= 6; attempt++) {
    if (await opened.isVisible()) return panel;
    if (attempt % 2 === 1) await lagos.click({ timeout: 3_000 }).catch(() => undefined);
    else {
      await lagos.focus();
      await lagos.page().keyboard.press('Enter');
    }
    try {
      await opened.waitFor({ timeout: 4_000 });
      return panel;
    } catch (error) {
      if (attempt === 6) {
        // What the page looked like when it gave up, for whoever reads the CI log next.
        await lagos
          .page()
          .screenshot({ path: 'tests/artifacts/cw-open-lagos-failed.png' })
          .catch(() => undefined);
        throw error;
      }
    }
  }
  return panel;
}

/** The warnings are shown, the texts are not; "Show post" reveals one, and only that one. */
async function revealInPanel(page: Page, panel: Locator): Promise<void> {
  const ada = panel.locator('li.person', { hasText: '@ada@cw.example' });
  const bola = panel.locator('li.person', { hasText: '@bola@cw.example' });
  await ada.getByText('grief').waitFor();
  await bola.getByText('Sensitive content').waitFor();
  await expectNoSecrets(page);

  const show = ada.getByRole('button', { name: 'Show post' });
  expect(await show.getAttribute('aria-expanded')).toBe('false');
  await show.click();
  await ada.locator('.excerpt').getByText(GRIEF).waitFor();
  expect(await ada.getByRole('button', { name: 'Hide post' }).getAttribute('aria-expanded')).toBe(
    'true',
  );
  const dom = await fullDom(page);
  expect(dom).toContain(GRIEF);
  expect(dom).not.toContain(FLAGGED);

  // By keyboard: Tab reaches the button, Enter reveals, and focus lands on the revealed text.
  const showBola = bola.getByRole('button', { name: 'Show post' });
  await showBola.focus();
  await page.keyboard.press('Enter');
  await bola.locator('.excerpt').getByText(FLAGGED).waitFor();
  expect(await bola.locator('.excerpt').evaluate((el) => el.matches(':focus'))).toBe(true);

  await ada.getByRole('button', { name: 'Hide post' }).click();
  await ada.getByRole('button', { name: 'Show post' }).waitFor();
  expect(await fullDom(page)).not.toContain(GRIEF);
}

// Five Chromium pages against one server while other test files run beside them: give each room.
describe('posts behind a content warning', { timeout: 60_000 }, () => {
  it('keeps the map page, its Open Graph tags and the city panel free of the text until asked', async () => {
    const { page } = await openPage(browser, `${server.url}/c/yourturn`);
    const html = await (await fetch(`${server.url}/c/yourturn`)).text();
    for (const s of SECRETS) expect(html).not.toContain(s);
    expect(html).toMatch(/<meta property="og:description"/);
    await page.locator('.fto-pin-icon').first().waitFor();
    await expectNoSecrets(page);
    await page.locator('fto-map .map').focus();
    await page.keyboard.press('Minus');
    await revealInPanel(page, await openLagos(page));
  });

  it('keeps nearby results and the live ticker free of the text', async () => {
    const { page } = await openPage(browser, server.url);
    await page.locator('fto-status').getByText('· live').waitFor({ timeout: 10_000 });
    await page.locator('nav button', { hasText: 'Find others near me' }).click();
    const nearby = page.locator('fto-nearby');
    await nearby.locator('input').fill('Lagos');
    await nearby.locator('input').press('Enter');
    await nearby.locator('.distance').first().waitFor();
    await nearby.getByText('grief').waitFor();
    await expectNoSecrets(page);

    instance.post({
      account: { username: 'siggi', displayName: 'Siggi' },
      text: `#YourTurn Reykjavík ${LIVE}`,
      spoilerText: 'a hard year',
      sensitive: true,
    });
    await page.locator('fto-ticker').getByText('Siggi in Reykjavík').waitFor({ timeout: 15_000 });
    await expectNoSecrets(page);

    // Gus's open post already has an excerpt, so wait for the revealed text itself.
    const ada = nearby.locator('li.person', { hasText: '@ada@cw.example' });
    await ada.getByRole('button', { name: 'Show post' }).click();
    await ada.locator('.excerpt').getByText(GRIEF).waitFor();
    const dom = await fullDom(page);
    expect(dom).toContain(GRIEF);
    expect(dom).not.toContain(FLAGGED);
  });

  it('keeps the iframe embed free of the text until asked', async () => {
    const { page } = await openPage(browser, `${server.url}/embed/yourturn`);
    await page.locator('.fto-pin-icon').first().waitFor();
    await expectNoSecrets(page);
    await page.locator('fto-map .map').focus();
    await page.keyboard.press('Minus');
    await revealInPanel(page, await openLagos(page));
  });

  it('keeps the widget on another origin free of the text until asked', async () => {
    const host: HostSite = await startHostSite(server.url);
    try {
      const { page } = await openPage(browser, `${host.url}/page?build=module`);
      const widget = page.locator('#one');
      await widget.locator('.fto-pin-icon').first().waitFor();
      await expectNoSecrets(page);
      await widget.locator('fto-map .map').focus();
      await page.keyboard.press('Minus');
      await revealInPanel(page, await openLagos(widget));
    } finally {
      await host.close();
    }
  });

  it('shows moderators the warning first on the admin page, and the text when they ask', async () => {
    const { page } = await openPage(browser, `${server.url}/admin`);
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByLabel('Admin token').press('Enter');
    const post = page.locator('li.post', { hasText: '@cora@cw.example' });
    await post.getByText('politics').waitFor();
    await expectNoSecrets(page);
    await post.getByRole('button', { name: 'Show post' }).click();
    await post.locator('.excerpt').getByText(COUCH).waitFor();
    expect(await fullDom(page)).toContain(COUCH);
  });

  it('folds why a post behind a warning is where it is, and puts it in the page only when asked', async () => {
    const { page } = await openPage(browser, `${server.url}/admin`);
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByLabel('Admin token').press('Enter');
    const why = page.locator('fto-admin-queue li', { hasText: 'ada@cw.example' }).locator('.why');
    await why.getByText('Why here (may quote the post behind its warning)').waitFor();
    // Both Lagos posts are behind a warning (Berlin's, in the open, says its reason unasked).
    expect(await fullDom(page)).not.toContain('‘Lagos’ is the place the post names');
    await why.getByText('Why here').click();
    await expect.poll(() => why.textContent()).toContain('‘Lagos’ is the place the post names');
  });
});
