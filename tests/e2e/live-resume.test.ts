import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { openDb } from '../../server/store/db.js';
import { createStore, type Store } from '../../server/store/store.js';
import { ensureClientBuilt } from '../helpers/built-assets.js';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { locator } from '../helpers/collector-harness.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';
import { waitForContributors } from '../helpers/server-process.js';

// The map stays right across a server restart: what changed while it was away reaches it as a
// replay of the events it missed, or, once the log was pruned past it, as `reset` and a reload.
// Both are checked on an open city list, which only live events (not the map's refetch) update.

const LOG_CAP = 2;

describe('the map across a restart of the server', () => {
  let dir: string;
  let db: string;
  let port = 0;
  let instance: MastodonInstance;
  let server: RunningServer | null = null;
  let browser: Browser;

  const start = async () => {
    const config = parseConfig({ FTO_TILE_URL: 'none', FTO_POLL_INTERVAL_MS: '200' }, [
      'node',
      'find-the-others',
      'serve',
      ...['--tag', 'yourturn', '--instance', instance.url, '--db', db],
      ...['--port', String(port), '--host', '127.0.0.1'],
    ]);
    server = await startServer(config, {
      log: pino({ level: 'silent' }),
      locator: locator(),
      eventLog: { maxPerCampaign: LOG_CAP },
    });
    port = Number(new URL(server.url).port);
  };

  /** Stops the server, changes the database as a moderator would meanwhile, and starts it again. */
  async function whileAway(page: Page, change: (store: Store) => Promise<void>) {
    await server!.close();
    server = null;
    await page.locator('fto-status').getByText('· reconnecting').waitFor();
    const conn = openDb(db);
    try {
      await change(createStore(conn, { eventLog: { maxPerCampaign: LOG_CAP } }));
    } finally {
      conn.close();
    }
    await start();
  }

  beforeAll(async () => {
    ensureClientBuilt();
    dir = mkdtempSync(join(tmpdir(), 'fto-e2e-resume-'));
    db = join(dir, 'resume.db');
    instance = await startMastodonInstance({ domain: 'resume.example', rateLimit: false });
    for (const [username, city] of [
      ['ada', 'Lagos'],
      ['bola', 'Lagos'],
      ['chi', 'Lagos'],
      ['gus', 'Berlin'],
    ] as const) {
      instance.post({ account: { username, displayName: username }, text: `#YourTurn ${city}` });
    }
    await start();
    browser = await launchBrowser();
    await waitForContributors(server!.url, { yourturn: 4 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await instance?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes people hidden while it was away out of an open city list, by replay and after pruning by reset', async () => {
    const { page } = await openPage(browser, server!.url, {
      // The browser logs the stream cut by the restart, and its retries while the port is closed.
      allowConsoleErrors: [/net::ERR_(INCOMPLETE_CHUNKED_ENCODING|CONNECTION_REFUSED).*\/events/],
    });
    await page.locator('fto-status').getByText('· live').waitFor();
    await page.locator('.fto-pin-icon[aria-label="Lagos, NG: 3 people"]').click();
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
    await expect.poll(() => page.locator('.tally').textContent()).toContain('2 people in 2 cities');
  });
});
