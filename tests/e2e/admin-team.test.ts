import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContributorCollection } from '../../shared/types.js';
import type { RunningServer } from '../../server/main.js';
import { teamCli } from '../../server/team-cli.js';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { ensureAdminBuilt } from '../helpers/built-assets.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';
import { readSse } from '../helpers/sse.js';
import { startTestServer, waitForCampaign } from '../helpers/test-server.js';

// Moderation by a team, in Chromium against the real server and collector: moderators sign in
// with the links the CLI prints (no FTO_ADMIN_TOKEN at all), work the queue by keyboard,
// bulk-hide a domain, read the audit log, and an owner revokes a moderator.

let browser: Browser;
let dir: string;
let instance: MastodonInstance;
let server: RunningServer;
let dbPath: string;

/** The CLI against the running server's database: its output. */
async function cli(...args: string[]): Promise<string> {
  let out = '';
  const code = await teamCli(
    [...args, '--db', dbPath],
    {},
    {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (out += s) },
      readStdin: async () => '',
    },
  );
  if (code !== 0) throw new Error(`${args.join(' ')} → ${code}: ${out}`);
  return out;
}
const linkOf = (out: string) => /(\/admin#link=[\w-]+)/.exec(out)![1]!;

const onMap = async () => {
  const res = await fetch(`${server.url}/api/campaigns/yourturn/contributors`);
  return ((await res.json()) as ContributorCollection).features
    .map((f) => f.properties.acct)
    .sort();
};

beforeAll(async () => {
  ensureAdminBuilt();
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'fto-e2e-team-'));
  instance = await startMastodonInstance({
    domain: 'team.example',
    homeFor: ['spam.example'],
    rateLimit: false,
  });
  const post = (username: string, text: string, domain?: string) =>
    instance.post({ account: { username, displayName: username, domain }, text });
  post('lena', '#YourTurn Lagos');
  post('gus', '#YourTurn Berlin');
  post('sam', '#YourTurn Nairobi');
  server = await startTestServer({ instances: [instance.url], dir, name: 'team', env: {} });
  dbPath = join(dir, 'team.db');
  await waitForCampaign<{ contributors: number }>(server, 'yourturn', (c) => c.contributors === 3);
  // The spam arrives after: the queue lists arrivals in order.
  post('spam1', '#YourTurn Lyon', 'spam.example');
  post('spam2', '#YourTurn Lagos', 'spam.example');
  await waitForCampaign<{ contributors: number }>(server, 'yourturn', (c) => c.contributors === 5);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await instance?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens a sign-in link in a fresh browser context and waits for the signed-in page. */
async function signInWith(link: string, name: string) {
  const opened = await openPage(browser, `${server.url}${link}`);
  await opened.page.getByRole('heading', { name: 'Review queue' }).waitFor();
  await opened.page.locator('#who').getByText(name).waitFor();
  return opened;
}

const queueItems = (page: Page) => page.locator('fto-admin-queue li');
const currentAcct = async (page: Page) =>
  /\((.+)\)$/.exec(
    (await page.locator('fto-admin-queue li[aria-current="true"]').getAttribute('aria-label'))!,
  )![1]!;

describe('moderation by a team, in Chromium', () => {
  it('signs a moderator in with a one-time link, works the queue by keyboard, bulk-hides a domain live, and shows the audit log', async () => {
    const link = linkOf(await cli('moderators', 'add', 'alice', '--role', 'owner'));
    const { page: owner } = await signInWith(link, 'alice · owner');
    // The secret left the address bar at once.
    expect(owner.url()).toBe(`${server.url}/admin`);
    await expect.poll(() => queueItems(owner).count()).toBe(5);
    expect(await owner.locator('fto-admin-queue li').first().getAttribute('aria-label')).toMatch(
      /lena|gus|sam/,
    );

    // j/k move the cursor; a approves; h hides.
    await queueItems(owner).first().click();
    const first = await currentAcct(owner);
    await owner.keyboard.press('j');
    const second = await currentAcct(owner);
    expect(second).not.toBe(first);
    await owner.keyboard.press('k');
    expect(await currentAcct(owner)).toBe(first);
    await owner.keyboard.press('a');
    await owner.getByRole('status').getByText(`Approved the post by ${first}`).waitFor();
    await expect.poll(() => queueItems(owner).count()).toBe(4);
    expect(await currentAcct(owner)).toBe(second);
    await owner.keyboard.press('h');
    await owner.getByRole('status').getByText(`Hid the post by ${second}: 1 change sent`).waitFor();
    await expect.poll(onMap).not.toContain(second);
    expect(await onMap()).toContain(first);

    // Bulk: everything from spam.example, seen live on the public event stream within a second.
    const live = await readSse(`${server.url}/api/campaigns/yourturn/events`);
    const queue = owner.locator('fto-admin-queue');
    await queue.getByLabel('Domain').fill('spam.example');
    await queue.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => queueItems(owner).count()).toBe(2);
    await queue.getByRole('button', { name: 'Hide all matching…' }).click();
    const clicked = Date.now();
    await queue.getByRole('button', { name: 'Yes, hide every post that matches' }).click();
    const removes = [
      await live.next((e) => e.event === 'remove', 3000),
      await live.next((e) => e.event === 'remove', 3000),
    ];
    const ms = Date.now() - clicked;
    live.close();
    console.log(`bulk hide of a domain (2 people) reached the live stream in ${ms} ms`);
    expect(ms).toBeLessThan(1000);
    expect(removes.map((e) => (JSON.parse(e.data) as { acct: string }).acct).sort()).toEqual([
      'spam1@spam.example',
      'spam2@spam.example',
    ]);
    await queue.getByRole('status').getByText('Hid 2 posts').waitFor();
    expect(await onMap()).toEqual(expect.not.arrayContaining([expect.stringMatching(/spam/)]));

    // The audit log says who did what.
    const audit = owner.locator('fto-admin-audit');
    await audit.getByRole('button', { name: 'Refresh' }).click();
    const rows = audit.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(6);
    const text = await rows.allInnerTexts();
    expect(text.filter((r) => /alice\s+post\.hide/.test(r))).toHaveLength(3);
    expect(text.some((r) => /alice\s+queue\.approve/.test(r))).toBe(true);
    expect(text.some((r) => /cli\s+moderator\.add[\s\S]*alice/.test(r))).toBe(true);
    await screenshot(owner, 'e2e-admin-team-queue');
  });

  it('stops a revoked moderator’s open page and token at the very next request', async () => {
    const link = linkOf(await cli('moderators', 'add', 'mo'));
    const token = /\n {2}(fto_[\w-]+)/.exec(
      await cli('tokens', 'add', 'mo-script', '--moderator', 'mo'),
    )![1]!;
    const mo = await signInWith(link, 'mo · moderator');
    mo.consoleErrors.length = 0;
    // A moderator sees no team panel.
    expect(await mo.page.locator('fto-admin-team').count()).toBe(0);
    const asToken = () =>
      fetch(`${server.url}/api/admin/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await asToken()).status).toBe(200);

    const { page: owner } = await signInWith(
      linkOf(await cli('moderators', 'link', 'alice')),
      'alice · owner',
    );
    const team = owner.locator('fto-admin-team');
    await team.getByRole('button', { name: 'Revoke mo' }).click();
    await team.getByRole('status').getByText('Revoked mo.').waitFor();

    expect((await asToken()).status).toBe(401);
    await mo.page.locator('fto-admin-queue').getByRole('button', { name: 'Refresh' }).click();
    await mo.page
      .locator('fto-admin-queue')
      .getByRole('alert')
      .getByText('your session is over', { exact: false })
      .waitFor();
    mo.consoleErrors.length = 0; // the 401 above is the point
    await mo.close();
  });

  it('never adopts a session id planted before sign-in, and refuses writes from another site', async () => {
    const planted = 'planted-by-attacker-0123456789abcdefghijklmnop';
    const link = linkOf(await cli('moderators', 'add', 'vic', '--role', 'owner'));
    const port = new URL(server.url).port;
    const victim = await openPage(browser, `${server.url}/healthz`, {
      allowConsoleErrors: [/CORS|status of 401|Failed to load/],
    });
    const { page, context } = victim;
    await context.addCookies([
      { name: 'fto_session', value: planted, domain: '127.0.0.1', path: '/api/admin' },
    ]);
    await page.goto(`${server.url}${link}`);
    await page.locator('#who').getByText('vic · owner').waitFor();
    const session = (await context.cookies(`${server.url}/api/admin/`)).find(
      (c) => c.name === 'fto_session',
    )!;
    expect(session.value).not.toBe(planted);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const withPlanted = await fetch(`${server.url}/api/admin/me`, {
      headers: { Cookie: `fto_session=${planted}` },
    });
    expect(withPlanted.status).toBe(401);

    // Signed in, the victim visits another site (localhost is not 127.0.0.1), which tries both
    // a script and a form against the admin API with the browser's cookies.
    const before = await onMap();
    const target = `${server.url}/api/admin/accounts/gus@team.example/block`;
    await page.route(`http://localhost:${port}/evil`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><form method="post" action="${target}"></form>`,
      }),
    );
    await page.goto(`http://localhost:${port}/evil`);
    await page.evaluate(async (url) => {
      await fetch(url, { method: 'POST', credentials: 'include' }).catch(() => null);
    }, target);
    await Promise.all([
      page.waitForNavigation(),
      page.evaluate(() => document.querySelector('form')!.submit()),
    ]);
    expect(await page.content()).toContain('admin API');
    expect(await onMap()).toEqual(before);
    const audit = await fetch(`${server.url}/api/admin/audit?limit=500`, {
      headers: { Cookie: `fto_session=${session.value}` },
    });
    const entries = ((await audit.json()) as { entries: { actor: string; action: string }[] })
      .entries;
    expect(entries.filter((e) => e.actor === 'vic' && e.action !== 'session.start')).toEqual([]);
  });
});
