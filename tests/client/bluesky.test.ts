import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { ensureClientBuilt } from './built-client.js';
import { contributor, contributors, status } from './fixtures.js';
import type { StubApi } from './stub-api.js';
import { startStubApi } from './stub-api.js';

let browser: Browser;
let api: StubApi;
const did = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';

beforeAll(async () => {
  const dist = ensureClientBuilt();
  const bsky = contributor('x@bsky.example', 'lagos', {
    acct: did,
    network: 'bluesky',
    displayName: 'Yemi',
    profileUrl: `https://bsky.app/profile/${did}`,
    postUrl: `https://bsky.app/profile/${did}/post/3kabc`,
    // Yemi links her fediverse account too (#16): one person, both profiles.
    linked: { acct: 'yemi@a.example', network: 'fediverse', profileUrl: 'https://a.example/@yemi' },
  });
  api = await startStubApi(dist, {
    contributors: [...contributors.filter((c) => c.properties.place.name !== 'Lagos'), bsky],
    status: {
      ...status,
      sources: [
        ...status.sources,
        {
          instance: 'wss://jetstream1.us-east.bsky.network/subscribe',
          tag: 'yourturn',
          state: 'streaming',
          lastSuccessAt: new Date().toISOString(),
          lastError: null,
          lastErrorAt: null,
          postsSeen: 4,
          rateLimitRemaining: null,
          mode: 'jetstream',
        },
      ],
    },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('<find-the-others> with Bluesky', () => {
  it('marks a Bluesky person with a butterfly, links them to bsky.app and to their linked fediverse profile, and asks for one network with ?network=', async () => {
    const { page } = await openPage(browser, `${api.url}/?network=bluesky`);
    await page.locator('.fto-pin-icon').first().waitFor();
    expect(api.viewRequests.at(-1)?.network).toBe('bluesky');
    await page.locator('.fto-pin-icon[aria-label="Lagos, Nigeria: 1 person"]').click();
    const panel = page.locator('fto-city-panel');
    const person = panel.locator('li.person');
    await person.waitFor();
    expect(await person.locator('.acct').textContent()).toBe('on Bluesky ⁂ fediverse');
    expect(await person.getByRole('link', { name: '⁂ fediverse' }).getAttribute('href')).toBe(
      'https://a.example/@yemi',
    );
    expect(await person.getByRole('img', { name: 'On Bluesky' }).textContent()).toBe('🦋');
    expect(await person.getByRole('link', { name: 'Yemi' }).getAttribute('href')).toBe(
      `https://bsky.app/profile/${did}`,
    );
  });

  it('offers a switch under the tally that shows one network’s people and keeps the choice in the address', async () => {
    const { page } = await openPage(browser, api.url);
    await page.locator('.fto-pin-icon').first().waitFor();
    const group = page.getByRole('group', { name: 'Show people from' });
    const everyone = group.getByRole('button', { name: /^Everyone/ });
    const bluesky = group.getByRole('button', { name: /Bluesky \(1\)/ });
    expect(await everyone.getAttribute('aria-pressed')).toBe('true');
    expect(api.viewRequests.at(-1)?.network).toBeUndefined();
    await bluesky.click();
    await expect.poll(() => api.viewRequests.at(-1)?.network).toBe('bluesky');
    await expect.poll(() => bluesky.getAttribute('aria-pressed')).toBe('true');
    expect(new URL(page.url()).searchParams.get('network')).toBe('bluesky');
    await everyone.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('network')).toBeNull();
    await expect.poll(() => api.viewRequests.at(-1)?.network).toBeUndefined();
  });

  it('offers Bluesky’s compose page beside Mastodon in “Add yourself” when the server follows Bluesky', async () => {
    const { page } = await openPage(browser, api.url);
    await page.locator('.fto-pin-icon').first().waitFor();
    await page.locator('nav button', { hasText: 'Add yourself' }).click();
    const join = page.locator('fto-join');
    await join.getByLabel('Your city').fill('Lagos');
    const link = join.getByRole('link', { name: 'Post on Bluesky' });
    await expect
      .poll(() => link.getAttribute('href'))
      .toBe('https://bsky.app/intent/compose?text=%23YourTurn%20Lagos');
  });
});
