import { css } from 'lit';

const darkColours = css`
  --fto-bg: #12161d;
  /* Light text needs its own dark ground, whatever the page behind is. */
  --fto-default-frame-bg: var(--fto-bg);
  --fto-fg: #e8ebf1;
  --fto-muted: #9aa3b5;
  --fto-line: #2c3440;
  --fto-surface: #1a2029;
  --fto-water: #0f1a26;
  --fto-land: #26303c;
  --fto-border: #4b5867;
  --fto-default-accent: #fb923c;
  --fto-default-accent-fg: #1b0f05;
  --fto-focus: #93c5fd;
  --fto-ok: #4ade80;
  --fto-warn: #fbbf24;
  --fto-link: #93c5fd;
  /* The author picks one accent for both schemes; text in it is lifted towards white on dark. */
  --fto-accent-text-mix: 55%;
  /* Raster tiles come in one palette; invert them so a dark page doesn't get a bright map. */
  --fto-tile-filter: invert(1) hue-rotate(180deg) brightness(0.85) contrast(0.9);
`;

// Colours are custom properties set once on <find-the-others>; they inherit into every nested
// shadow root, so a page embedding the map can restyle it from outside. `theme="light|dark"`
// pins a scheme; otherwise (`auto`) the reader's preference decides.
//
// The accent has three sources, strongest first: the page's `--fto-accent` on the element, the
// campaign's own colour (`--fto-campaign-accent`, set by the element from the API), the theme's.
// The host sets no `--fto-accent` itself, so `var(--fto-accent, …)` there sees only the page's,
// and `.frame` hands the winner down as `--fto-accent`. The text on it follows the accent shown:
// the campaign's readable colour goes with the campaign's accent only; under the page's accent
// the theme's text colour is used (`color-mix(… var(--fto-accent) 0%, …)` is that colour, and
// is valid only when the page set `--fto-accent`), unless the page sets `--fto-accent-fg` too.
export const theme = css`
  :host {
    --fto-resolved-accent: var(--fto-accent, var(--fto-campaign-accent, var(--fto-default-accent)));
    --fto-page-accent-fg: color-mix(in srgb, var(--fto-accent) 0%, var(--fto-default-accent-fg));
    --fto-resolved-accent-fg: var(
      --fto-accent-fg,
      var(--fto-page-accent-fg, var(--fto-campaign-accent-fg, var(--fto-default-accent-fg)))
    );
    --fto-bg: #ffffff;
    /* The light widget lets the author's page show through (a cream page stays cream);
       the side panels and pin borders still use --fto-bg. */
    --fto-default-frame-bg: transparent;
    --fto-fg: #1d2330;
    --fto-muted: #5b6475;
    --fto-line: #d9dde5;
    --fto-surface: #f5f6f8;
    --fto-water: #dbe7f0;
    --fto-land: #f7f4ec;
    --fto-border: #b9b2a3;
    --fto-default-accent: #c2410c;
    --fto-default-accent-fg: #ffffff;
    --fto-focus: #1d4ed8;
    --fto-ok: #15803d;
    --fto-warn: #b45309;
    --fto-link: #1d4ed8;
    --fto-accent-text-mix: 100%;
    --fto-tile-filter: none;
    color-scheme: light dark;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkColours}
    }
  }
  :host([theme='dark']) {
    ${darkColours}
    color-scheme: dark;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
`;

/** The same visible focus ring everywhere, only for keyboard focus. */
export const focusRing = css`
  :focus-visible {
    outline: 3px solid var(--fto-focus);
    outline-offset: 2px;
  }
`;

/** `.visually-hidden`: text only screen readers get (live announcements, extra labels). */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** A flag emoji drawn as an image (client/flags.ts): a small 4:3 flag in the line of text. */
export const flagStyles = css`
  img.flag {
    inline-size: 1.2em;
    block-size: 0.9em;
    margin: 0 0.1em;
    vertical-align: -0.1em;
    border-radius: 2px;
    box-shadow: 0 0 0 1px rgb(0 0 0 / 0.12);
    object-fit: cover;
  }
`;

/** A post's sanitised HTML inside `.excerpt`: paragraphs, links, Mastodon's shortened links. */
export const excerptStyles = css`
  ${flagStyles}
  .excerpt {
    margin-block: 0.5rem;
    overflow-wrap: anywhere;
  }
  .excerpt p {
    margin: 0 0 0.4em;
  }
  .excerpt a {
    color: var(--fto-link);
  }
  /* Mastodon shortens long links with these two classes. */
  .excerpt .invisible {
    font-size: 0;
    line-height: 0;
    display: inline-block;
    inline-size: 0;
    block-size: 0;
    overflow: hidden;
  }
  .excerpt .ellipsis::after {
    content: '…';
  }
`;

/** A post behind a content warning (`<fto-content-warning>`): the warning, then "Show post". */
export const contentWarningStyles = css`
  .cw {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.375rem 0.75rem;
    margin-block: 0.5rem;
  }
  .cw-text {
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .cw-toggle {
    font-size: 0.8125rem;
    padding-block: 0.125rem;
  }
  fto-content-warning .excerpt:focus-visible {
    outline: 3px solid var(--fto-focus);
    outline-offset: 2px;
  }
`;

/**
 * The rounded button (the header's nav, "Skip past the map", "Retry", the panels' `.button`):
 * declarations only, for the body of a rule, so each selector adds its own size and cursor.
 */
export const pill = css`
  font: inherit;
  border-radius: 999px;
  border: 1px solid var(--fto-line);
  background: var(--fto-surface);
  color: var(--fto-fg);
`;

/**
 * A button that reads as a link (the ticker's names, "Report"): declarations only, for the body
 * of a rule, so each component adds its own underline or truncation.
 */
export const linkButton = css`
  font: inherit;
  color: var(--fto-link);
  background: none;
  border: 0;
  padding: 0;
  cursor: pointer;
`;
