import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../server/store/db.js';
import { createStore, type Store } from '../../server/store/store.js';
import { ensureClientBuilt } from '../helpers/built-assets.js';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { startMapWorld, type MapWorld } from '../helpers/map-server.js';

// The map stays right across a server restart: what changed while it was away reaches it as a
// replay of the events it missed, or, once the log was pruned past it, as `reset` and a reload.
// Both are checked on an open city list, which only live events (not the map's refetch) update.

const LOG_CAP = 2;

describe('the map across a restart of the server', () => {
  let world: MapWorld;
  let browser: Browser;

  /** Stops the server, changes the database as a moderator would meanwhile, and starts it again. */
  async function whileAway(page: Page, change: (store: Store) => Promise<void>) {
    await world.stop();
    await page.locator('fto-status').getByText('· reconnecting').waitFor();
    const conn = openDb(world.db);
    try {
      await change(createStore(conn, { eventLog: { maxPerCampaign: LOG_CAP } }));
    } finally {
      conn.close();
    }
    await world.start();
  }

  beforeAll(async () => {
    ensureClientBuilt();
    world = await startMapWorld({
      domain: 'resume.example',
      posts: [
        ['ada', '#YourTurn Lagos'],
        ['bola', '#YourTurn Lagos'],
        ['chi', '#YourTurn Lagos'],
        ['gus', '#YourTurn Berlin'],
      ],
      expect: { yourturn: 4 },
      start: { eventLog: { maxPerCampaign: LOG_CAP } },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('takes people hidden while it was away out of an open city list, by replay and after pruning by reset', async () => {
    const { page } = await openPage(browser, world.server.url, {
      // The browser logs the stream cut by the restart, and its retries while the port is closed.
      allowConsoleErrors: [/net::ERR_(INCOMPLETE_CHUNKED_ENCODING|CONNECTION_REFUSED).*\/events/],
    });
    await page.locator('fto-status').getByText('· live').waitFor();
    await page.locator('.fto-pin-icon[aria-label="Lagos, Nigeria: 3 people"]').click();
    const panel = page.locator('fto-city-panel');
    await panel.getByText('3 people here').waitFor();
    const accts = () => panel.locator('.acct').allTextContents();
    expect((await accts()).sort()).toEqual([
      '@ada@resume.example',
      '@bola@resume.example',
      '@chi@resume.example',
    ]);

    // Kept in the log: the reconnected stream replays the `remove`.
    await whileAway(page, async (store) => {
      expect(store.hideAccount('bola@resume.example').map((e) => e.type)).toEqual(['remove']);
    });
    await expect.poll(accts, { timeout: 10_000 }).not.toContain('@bola@resume.example');
    await panel.getByText('2 people here').waitFor();

    // Pruned past the page's last event id: only `reset` can tell it, and the list reloads.
    await whileAway(page, async (store) => {
      const events = [
        ...store.hideAccount('ada@resume.example'),
        ...store.hideAccount('gus@resume.example'),
        ...store.unhideAccount('gus@resume.example'),
      ];
      expect(events.map((e) => e.type)).toEqual(['remove', 'remove', 'contributor']);
      await store.eventLog.prune();
      const kept = store.eventsSince('yourturn', 0).map((e) => e.id);
      expect(kept).toEqual(events.slice(-LOG_CAP).map((e) => e.id)); // ada's `remove` is gone
    });
    await expect.poll(accts, { timeout: 10_000 }).toEqual(['@chi@resume.example']);
    await panel.getByText('1 person here').waitFor();
    await expect
      .poll(() => page.locator('.tally').textContent(), { timeout: 5_000 })
      .toContain('2 people in 2 cities');
  });
});
