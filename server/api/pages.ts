import type { Request, Response } from 'express';
import { escapeHtml } from './index-page.js';

/**
 * The server's own HTML pages (the embed builder, error pages) in the map's look: its colours,
 * type and buttons, light and dark. A file, not inline style: the pages' CSP is `style-src 'self'`.
 */
export const pagesCss = `:root{color-scheme:light dark;--bg:#fff;--fg:#1d2330;--muted:#5b6475;--line:#d9dde5;--panel:#f6f7f9;--accent:#c2410c;--accent-fg:#fff;--focus:#1d4ed8;--warn:#b45309}
@media (prefers-color-scheme:dark){:root{--bg:#12161d;--fg:#e8ebf1;--muted:#9aa3b5;--line:#2c3440;--panel:#1a2029;--accent:#fb923c;--accent-fg:#12161d;--focus:#93c5fd;--warn:#fbbf24}}
html,body{margin:0;block-size:100%}
body{background:var(--bg);color:var(--fg);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent)}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
code{font:.875em ui-monospace,monospace;background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:0 .25em}
.button,button{font:inherit;font-size:.875rem;font-weight:600;border:1px solid var(--line);border-radius:999px;padding:.4rem .9rem;background:var(--panel);color:var(--fg);cursor:pointer;text-decoration:none;display:inline-block}
.button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}
.message{max-inline-size:36rem;margin:10vh auto;padding:1.5rem 1.25rem}
.message .tag{color:var(--accent)}
.message p{color:var(--muted)}
.message .actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-block-start:1.5rem;padding:0;list-style:none}
`;

export const PAGES_CSS_PATH = '/fto-pages.css';

/** A whole page with the shared stylesheet; `head` adds links or scripts. */
export function htmlPage(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <link rel="icon" href="data:," />
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="${PAGES_CSS_PATH}" />${head}
  </head>
  ${body}
</html>
`;
}

/** What a browser asking for a page gets instead of a JSON error: why, in words, and where to go. */
export function errorPage(status: number, message: string, campaigns: readonly string[]): string {
  const heading =
    status === 404
      ? 'There is no map here'
      : status === 400
        ? 'This address has a mistake in it'
        : status === 429
          ? 'Too many requests'
          : 'Something went wrong';
  const links = [
    ...campaigns.map(
      (t) =>
        `<li><a class="button primary" href="/c/${encodeURIComponent(t)}">Map of <span>#${escapeHtml(t)}</span></a></li>`,
    ),
    '<li><a class="button" href="/embed">Put a map on your site</a></li>',
  ];
  return htmlPage(
    `${heading} · Find the Others`,
    `<body>
    <main class="message">
      <h1>${heading}</h1>
      <p>${escapeHtml(message.charAt(0).toUpperCase() + message.slice(1))}.</p>
      <ul class="actions" aria-label="Maps on this server">
        ${links.join('\n        ')}
      </ul>
    </main>
  </body>`,
  );
}

/** Does this request want a page (a browser following a link) rather than JSON? */
export function wantsPage(req: Request): boolean {
  if (req.path === '/api' || req.path.startsWith('/api/')) return false;
  return req.accepts(['json', 'html']) === 'html';
}

export function sendPagesCss(res: Response, maxAge: number): void {
  res
    .type('text/css; charset=utf-8')
    .set('Cache-Control', `public, max-age=${maxAge}`)
    .send(pagesCss);
}
