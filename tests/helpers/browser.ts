import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import { launchBrowser } from './chromium.js';

export { launchBrowser };

const ARTIFACTS = path.resolve('tests/artifacts');

export interface OpenPageOptions {
  /** Page size in CSS pixels; default 1280×800. */
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** Console errors matching one of these don't fail the test (e.g. an avatar that 404s on purpose). */
  allowConsoleErrors?: RegExp[];
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors not covered by `allowConsoleErrors`. */
  consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections in the page. */
  pageErrors: string[];
  /** Messages of alert/confirm/prompt dialogs, which were dismissed; any dialog is a failure. */
  dialogs: string[];
  /** Requests to anywhere but 127.0.0.1/localhost, which were aborted. */
  offsiteRequests: string[];
  /** Throws when anything above was recorded. */
  assertClean(): void;
  close(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Opens `url` in a fresh context that records console errors, page errors and dialogs, and
 * aborts every request that would leave this machine. Called inside a test, it closes the
 * context when the test ends and fails the test if anything was recorded.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: OpenPageOptions = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'no-preference',
  });
  const page = await context.newPage();
  // Well under the test timeout, so a stuck wait fails with the locator it was waiting for.
  page.setDefaultTimeout(8_000);
  const allowed = options.allowConsoleErrors ?? [];
  const opened: OpenedPage = {
    page,
    context,
    consoleErrors: [],
    pageErrors: [],
    dialogs: [],
    offsiteRequests: [],
    assertClean() {
      const problems = [
        ...opened.consoleErrors.map((m) => `console error: ${m}`),
        ...opened.pageErrors.map((m) => `page error: ${m}`),
        ...opened.dialogs.map((m) => `dialog opened: ${m}`),
        ...opened.offsiteRequests.map((m) => `request left 127.0.0.1: ${m}`),
      ];
      if (problems.length)
        throw new Error(`The page at ${url} was not clean:\n${problems.join('\n')}`);
    },
    close: () => context.close(),
  };

  await context.route('**/*', (route) => {
    const target = new URL(route.request().url());
    if (LOCAL_HOSTS.has(target.hostname)) return route.continue();
    opened.offsiteRequests.push(target.href);
    return route.abort('blockedbyclient');
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = `${msg.text()} (${msg.location().url})`;
    if (!allowed.some((re) => re.test(text))) opened.consoleErrors.push(text);
  });
  page.on('pageerror', (err) => opened.pageErrors.push(err.stack ?? err.message));
  page.on('dialog', (dialog) => {
    opened.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });

  try {
    onTestFinished(async () => {
      await context.close();
      opened.assertClean();
    });
  } catch {
    // Outside a test (e.g. in beforeAll) the caller closes and checks the page itself.
  }

  await page.goto(url);
  return opened;
}

/** Saves a full-viewport PNG to tests/artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}
