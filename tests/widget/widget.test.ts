import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import {
  OTHERSIDE_ACCENT,
  WIDGET_DIR,
  startHostSite,
  startWidgetWorld,
  type HostSite,
  type WidgetWorld,
} from './fixture.js';

// The widget on an author's page served from another origin, under hostile global CSS, beside
// the page's own Leaflet: two campaigns at once, live, styled, and leaving the page alone.

/** Computed styles of the host page's own elements, and what the page has in its globals and sheets. */
function hostSnapshot(page: Page) {
  return page.evaluate(() => {
    const props = [
      'display',
      'color',
      'font-family',
      'font-size',
      'letter-spacing',
      'text-transform',
      'background-color',
      'position',
    ];
    const styles: Record<string, string[]> = {};
    for (const sel of ['body', '.title', '.intro', '.host-map', '.between']) {
      const cs = getComputedStyle(document.querySelector(sel)!);
      styles[sel] = props.map((p) => `${p}: ${cs.getPropertyValue(p)}`);
    }
    return {
      styles,
      globals: Object.keys(window).sort(),
      styleSheets: document.styleSheets.length,
      adoptedStyleSheets: document.adoptedStyleSheets.length,
      pageStyles: document.querySelectorAll('style, link[rel=stylesheet]').length,
      leafletIsTheHosts:
        (window as unknown as { L?: unknown; hostLeaflet?: unknown }).L ===
        (window as unknown as { hostLeaflet?: unknown }).hostLeaflet,
    };
  });
}

/** What a widget's shadow DOM looks like to the reader, read from computed styles. */
function widgetLooks(page: Page, id: string) {
  return page.evaluate((id) => {
    const host = document.getElementById(id)!;
    const root = host.shadowRoot!;
    const map = root.querySelector('fto-map')!.shadowRoot!;
    const leaflet = map.querySelector('.leaflet-container')!;
    const pin = map.querySelector('.fto-pin')!;
    const h1 = root.querySelector('h1')!;
    const cs = (el: Element) => getComputedStyle(el);
    return {
      hostDisplay: cs(host).display,
      hostHeight: Math.round(host.getBoundingClientRect().height),
      frameDisplay: cs(root.querySelector('.frame')!).display,
      frameBackground: cs(root.querySelector('.frame')!).backgroundColor,
      titleFont: cs(h1).fontFamily,
      titleTransform: cs(h1).textTransform,
      titleLetterSpacing: cs(h1).letterSpacing,
      leafletOverflow: cs(leaflet).overflow,
      leafletBackground: cs(leaflet).backgroundColor,
      mapHeight: Math.round(leaflet.getBoundingClientRect().height),
      pinBackground: cs(pin).backgroundColor,
      pinDisplay: cs(pin.parentElement!).display,
      joinButton: root.querySelector('nav button.join') !== null,
    };
  }, id);
}

describe('the widget on another origin', () => {
  let world: WidgetWorld;
  let host: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    world = await startWidgetWorld();
    host = await startHostSite(world.server.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await world?.close();
  });

  it('serves widget.js to any origin as JavaScript with a short cache, within 80 KB gzipped', async () => {
    for (const file of ['widget.js', 'widget.classic.js']) {
      const res = await fetch(`${world.server.url}/${file}`, {
        headers: { Origin: host.url },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      const gzipped = gzipSync(readFileSync(join(WIDGET_DIR, file))).length;
      expect(gzipped).toBeLessThanOrEqual(80 * 1024);
    }
    const outline = await fetch(`${world.server.url}/world-outline.json`);
    expect(outline.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await outline.json()) as { type: string }).type).toBe('Topology');
  });

  it('renders two campaigns on a hostile page, styled, and leaves the page’s styles, globals and Leaflet alone', async () => {
    const bare = await openPage(browser, `${host.url}/page?build=none`);
    const before = await hostSnapshot(bare.page);
    await bare.close();

    const { page } = await openPage(browser, `${host.url}/page?build=module`);
    const one = page.locator('#one .fto-pin-icon');
    const two = page.locator('#two .fto-pin-icon');
    await one.first().waitFor();
    await two.first().waitFor();
    await expect.poll(() => page.locator('#one .tally').textContent()).toContain('4 people');
    await expect.poll(() => page.locator('#two .tally').textContent()).toContain('2 people');
    await expect
      .poll(() => page.locator('#two .fto-pin-icon[aria-label^="Osaka"]').count())
      .toBe(1);
    // The outline arrived from the map's server, not from the page's origin.
    await page.locator('#one .fto-land').first().waitFor({ state: 'attached' });

    const after = await hostSnapshot(page);
    expect(after).toEqual(before);

    const light = await widgetLooks(page, 'one');
    expect(light).toMatchObject({
      hostDisplay: 'block',
      hostHeight: 360,
      frameDisplay: 'flex',
      // Light: the host page shows through; dark brings its own ground for its light text.
      frameBackground: 'rgba(0, 0, 0, 0)',
      titleTransform: 'none',
      titleLetterSpacing: 'normal',
      leafletOverflow: 'hidden',
      leafletBackground: 'rgb(219, 231, 240)',
      pinBackground: 'rgb(194, 65, 12)',
      pinDisplay: 'block',
      joinButton: true,
    });
    expect(light.titleFont).not.toContain('Comic');
    expect(light.mapHeight).toBeGreaterThan(200);

    const dark = await widgetLooks(page, 'two');
    expect(dark).toMatchObject({
      hostHeight: 360,
      frameBackground: 'rgb(18, 22, 29)',
      leafletBackground: 'rgb(15, 26, 38)',
      joinButton: false,
    });
    await screenshot(page, 'widget-hostile-host');
  });

  it('lets the author’s --fto-accent on the element win over the campaign’s accent colour', async () => {
    const { page } = await openPage(browser, `${host.url}/styled`);
    for (const id of ['campaign', 'author', 'author-fg']) {
      await page.locator(`#${id} .fto-pin-icon`).first().waitFor();
    }
    /** The accent as the reader sees it: the join button's colours and a pin's, computed, as #rrggbb. */
    const accentOf = (id: string) =>
      page.evaluate((id) => {
        // color-mix() computes to `color(srgb r g b)`, other colours to `rgb(…)`: compare them as hex.
        const hex = (colour: string) => {
          const srgb = /^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)\)$/.exec(colour);
          if (srgb) {
            const byte = (c: string) =>
              Math.round(Number(c) * 255)
                .toString(16)
                .padStart(2, '0');
            return `#${srgb.slice(1).map(byte).join('')}`;
          }
          const ctx = document.createElement('canvas').getContext('2d')!;
          ctx.fillStyle = colour;
          return ctx.fillStyle;
        };
        const root = document.getElementById(id)!.shadowRoot!;
        const join = getComputedStyle(root.querySelector('nav button.join')!);
        const pin = root.querySelector('fto-map')!.shadowRoot!.querySelector('.fto-pin')!;
        return {
          join: hex(join.backgroundColor),
          text: hex(join.color),
          pin: hex(getComputedStyle(pin).backgroundColor),
        };
      }, id);
    const yellow = OTHERSIDE_ACCENT; // the campaign's
    const teal = '#0f766e'; // the author's
    // Untouched, the campaign's yellow, with the dark text that reads on it.
    await expect
      .poll(() => accentOf('campaign'), { timeout: 5_000 })
      .toEqual({ join: yellow, text: '#111111', pin: yellow });
    // The author's accent wins; the text on it is the theme's, not the one chosen for yellow.
    await expect.poll(() => accentOf('author')).toEqual({ join: teal, text: '#ffffff', pin: teal });
    await expect.poll(() => accentOf('author-fg')).toEqual({ join: teal, text: yellow, pin: teal });
    // A rule the page adds later wins at once too: nothing was copied at load time.
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = '#campaign { --fto-accent: #be123c; }';
      document.head.append(style);
    });
    await expect
      .poll(() => accentOf('campaign'))
      .toEqual({ join: '#be123c', text: '#ffffff', pin: '#be123c' });
  });

  it('brings each widget its own campaign’s new posts live', async () => {
    const { page } = await openPage(browser, `${host.url}/page?build=module`);
    await page.locator('#one fto-status').getByText('· live').waitFor({ timeout: 10_000 });
    await page.locator('#two fto-status').getByText('· live').waitFor({ timeout: 10_000 });
    world.instance.post({
      account: { username: 'siggi', displayName: 'Siggi' },
      text: '#YourTurn Reykjavík',
    });
    world.instance.post({
      account: { username: 'olu', displayName: 'Olu' },
      text: '#OtherSide Nairobi',
    });
    await page
      .locator('#one fto-ticker')
      .getByText('Siggi in Reykjavík')
      .waitFor({ timeout: 15_000 });
    await page.locator('#two fto-ticker').getByText('Olu in Nairobi').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('#one .tally').textContent()).toContain('5 people');
    await expect.poll(() => page.locator('#two .tally').textContent()).toContain('3 people');
    expect(await page.locator('#one fto-ticker').getByText('Olu').count()).toBe(0);
    expect(await page.locator('#two fto-ticker').getByText('Siggi').count()).toBe(0);
  });

  it('works as a classic script, and loading both builds on one page throws nothing', async () => {
    for (const build of ['classic', 'both']) {
      const { page } = await openPage(browser, `${host.url}/page?build=${build}`);
      await page.locator('#one .fto-pin-icon').first().waitFor();
      await page.locator('#two .fto-pin-icon').first().waitFor();
      expect(
        await page.evaluate(() => (window as unknown as { L?: { version?: string } }).L?.version),
      ).toBe('1.9.4');
    }
  });

  it('frames /embed/:tag from another origin with its options, and other pages refuse framing', async () => {
    const embed = await fetch(`${world.server.url}/embed/yourturn`);
    expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(embed.headers.get('x-frame-options')).toBeNull();
    for (const path of ['/', '/c/yourturn', '/embed']) {
      const res = await fetch(`${world.server.url}${path}`);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    expect((await fetch(`${world.server.url}/embed/nosuchtag`)).status).toBe(404);
    expect((await fetch(`${world.server.url}/embed/yourturn?view=globe`)).status).toBe(400);

    const src = `${world.server.url}/embed/yourturn?view=both&theme=dark`;
    const { page } = await openPage(browser, `${host.url}/frame?src=${encodeURIComponent(src)}`);
    const frame = page.frameLocator('iframe');
    await frame.locator('.fto-pin-icon').first().waitFor();
    await frame.locator('fto-list').getByText('Everyone, by country').waitFor();
    await screenshot(page, 'widget-iframe-embed');

    const refused = await openPage(
      browser,
      `${host.url}/frame?src=${encodeURIComponent(`${world.server.url}/c/yourturn`)}`,
      { allowConsoleErrors: [/frame-ancestors|Refused to frame/] },
    );
    await expect
      .poll(() => refused.page.frames().some((f) => f.url().startsWith('chrome-error:')))
      .toBe(true);
  });

  it('opens where center and zoom say, and shows only the list with the join panel open', async () => {
    const base = world.server.url;
    const berlin = await openPage(browser, `${base}/embed/yourturn?center=52.52,13.40&zoom=6`);
    await berlin.page.locator('.fto-pin-icon[aria-label^="Berlin"]').waitFor();
    expect(await berlin.page.locator('.fto-pin-icon[aria-label^="Lagos"]').count()).toBe(0);

    const list = await openPage(browser, `${base}/embed/yourturn?view=list&join=open`);
    await list.page.locator('fto-list').getByText('Nigeria').waitFor();
    await list.page.locator('fto-join').waitFor();
    expect(await list.page.locator('fto-map').count()).toBe(0);
    expect(await list.page.locator('fto-list .close').count()).toBe(0);
  });

  it('answers oEmbed for map links on this server with an iframe that fits maxwidth', async () => {
    const base = world.server.url;
    const ask = (query: Record<string, string>) =>
      fetch(`${base}/oembed?${new URLSearchParams(query)}`);

    const res = await ask({ url: `${base}/c/otherside`, maxwidth: '500', format: 'json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ version: '1.0', type: 'rich', width: 500, height: 600 });
    expect(body.html).toContain(`<iframe src="${base}/embed/otherside" width="500" height="600"`);
    expect(body.thumbnail_url).toBeUndefined();

    const full = (await (await ask({ url: `${base}/` })).json()) as Record<string, unknown>;
    expect(full).toMatchObject({ width: 800, thumbnail_url: `${base}/og/yourturn.png` });

    expect((await ask({ url: 'https://elsewhere.example/c/yourturn' })).status).toBe(404);
    expect((await ask({ url: `${base}/c/nosuchtag` })).status).toBe(404);
    expect((await ask({ url: `${base}/c/yourturn`, format: 'xml' })).status).toBe(501);
    const bad = await ask({ url: `${base}/c/yourturn`, maxwidth: 'wide' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('maxwidth');

    const html = await (await fetch(`${base}/c/otherside`)).text();
    const link = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(html);
    expect(link).not.toBeNull();
    const discovered = link![1]!.replace(/&amp;/g, '&');
    expect(((await (await fetch(discovered)).json()) as { html: string }).html).toContain(
      '/embed/otherside',
    );
  });

  it('previews the chosen options on /embed and writes the matching snippet', async () => {
    const { page, context } = await openPage(browser, `${world.server.url}/embed`);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: world.server.url,
    });
    await page.locator('.preview .fto-pin-icon').first().waitFor();
    await page.locator('select[name=campaign]').selectOption('otherside');
    await page.locator('input[name=view][value=both]').check();
    await page.locator('input[name=theme][value=dark]').check();
    await page.locator('.preview fto-list').getByText('Everyone, by country').waitFor();
    await expect.poll(() => page.locator('.preview .tally').textContent()).toContain('people in');
    const snippet = await page.locator('#snippet').inputValue();
    expect(snippet).toBe(
      `<script type="module" src="${world.server.url}/widget.js"></script>\n` +
        `<find-the-others campaign="otherside" height="480" view="both" theme="dark"></find-the-others>`,
    );
    await page.locator('#copy').click();
    await expect.poll(() => page.locator('#copied').textContent()).toBe('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    await screenshot(page, 'widget-embed-page');
    await page.locator('input[name=kind][value=iframe]').check();
    expect(await page.locator('#snippet').inputValue()).toBe(
      `<iframe src="${world.server.url}/embed/otherside?view=both&amp;theme=dark" title="Map of #otherside" width="100%" height="480" loading="lazy" allow="geolocation"></iframe>`,
    );
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    it(`shows the whole snippet on /embed, styled like the map (${viewport.width}×${viewport.height})`, async () => {
      const { page } = await openPage(browser, `${world.server.url}/embed`, { viewport });
      await page.locator('.preview .fto-pin-icon').first().waitFor();
      const looks = await page.evaluate(() => {
        const area = document.querySelector<HTMLTextAreaElement>('#snippet')!;
        const form = getComputedStyle(document.querySelector('.builder form')!);
        return {
          // Every wrapped line of the snippet is inside the box, none scrolled out of sight.
          clipped: area.scrollHeight - area.clientHeight,
          font: getComputedStyle(document.body).fontFamily,
          formRadius: form.borderTopLeftRadius,
          pageWider: document.documentElement.scrollWidth - innerWidth,
        };
      });
      expect(looks.clipped).toBeLessThanOrEqual(1);
      expect(looks.font).toMatch(/system-ui/);
      expect(looks.formRadius).toBe('12px');
      expect(looks.pageWider).toBeLessThanOrEqual(0);
      await page.locator('input[name=kind][value=iframe]').check();
      expect(
        await page
          .locator('#snippet')
          .evaluate((a: HTMLTextAreaElement) => a.scrollHeight - a.clientHeight),
      ).toBeLessThanOrEqual(1);
      await screenshot(page, `embed-builder-${viewport.width}x${viewport.height}`);
    });

    it(`answers a browser's unknown page or bad option with a page in the map's style, not JSON (${viewport.width}×${viewport.height})`, async () => {
      for (const [path, status, heading, words] of [
        [
          '/c/doesnotexist',
          404,
          'There is no map here',
          'No campaign #doesnotexist on this server.',
        ],
        [
          '/embed/yourturn?view=maps',
          400,
          'This address has a mistake in it',
          'View: "maps" is not one of map, list, both.',
        ],
        [
          '/no/such/page',
          404,
          'There is no map here',
          'No page at "/no/such/page" on this server.',
        ],
      ] as const) {
        const { page } = await openPage(browser, world.server.url + path, {
          viewport,
          allowConsoleErrors: [/status of 40[04]/],
        });
        await page.getByRole('heading', { name: heading }).waitFor();
        expect(await page.locator('main p').first().textContent()).toContain(words);
        expect(await page.locator('a.button', { hasText: '#yourturn' }).getAttribute('href')).toBe(
          '/c/yourturn',
        );
        const res = await page.request.get(world.server.url + path, {
          headers: { Accept: 'text/html' },
        });
        expect(res.status()).toBe(status);
        if (path === '/c/doesnotexist')
          await screenshot(page, `not-found-${viewport.width}x${viewport.height}`);
      }
    });
  }

  it('chooses where the map opens on /embed, typed or taken from the preview, into the snippet', async () => {
    const { page } = await openPage(browser, `${world.server.url}/embed`);
    const preview = page.locator('.preview find-the-others');
    await page.locator('.preview .fto-pin-icon').first().waitFor();
    const snippet = () => page.locator('#snippet').inputValue();
    const center = page.getByLabel('Centre (lat,lng)');
    const zoom = page.getByLabel('Zoom (0–18)');

    await center.fill('north pole');
    expect(await center.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#opens-note').textContent()).toContain('latitude,longitude');
    expect(await snippet()).not.toContain('center');
    expect(await preview.getAttribute('center')).toBeNull();

    await center.fill('52.52,13.40');
    await zoom.fill('5');
    expect(await center.getAttribute('aria-invalid')).toBe('false');
    expect(await snippet()).toContain(' center="52.52,13.40" zoom="5"></find-the-others>');
    expect([await preview.getAttribute('center'), await preview.getAttribute('zoom')]).toEqual([
      '52.52,13.40',
      '5',
    ]);
    // The preview went there: Berlin is in view and Lagos is not.
    await page.locator('.preview .fto-pin-icon[aria-label^="Berlin"]').waitFor();
    await expect
      .poll(() => page.locator('.preview .fto-pin-icon[aria-label^="Lagos"]').count())
      .toBe(0);

    // Zoom the preview in a step (half a level), then take its view.
    await page.locator('.preview fto-map .map').focus();
    await page.keyboard.press('Equal');
    await page.waitForTimeout(600);
    await page.getByRole('button', { name: 'Use the preview’s view' }).click();
    expect(await zoom.inputValue()).toBe('5.5');
    const [lat, lng] = (await center.inputValue()).split(',').map(Number);
    expect(Math.abs(lat! - 52.52)).toBeLessThan(0.1);
    expect(Math.abs(lng! - 13.4)).toBeLessThan(0.1);
    expect(await snippet()).toContain(' zoom="5.5"></find-the-others>');

    await page.locator('input[name=kind][value=iframe]').check();
    expect(await snippet()).toContain(
      `/embed/yourturn?center=${encodeURIComponent(await center.inputValue())}&amp;zoom=5.5"`,
    );
    const framed = await fetch(
      `${world.server.url}/embed/yourturn?center=${encodeURIComponent(await center.inputValue())}&zoom=5.5`,
    );
    expect(framed.status).toBe(200);
  });
});
