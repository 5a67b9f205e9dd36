import { css } from 'lit';
import { readableOn } from '../format.js';
import { focusRing, pill, theme } from '../styles.js';

/**
 * `<find-the-others>`'s shadow styles: the host that stays a sized block whatever the page's CSS,
 * the header and its nav, the stage (map, docked list, side panel or phone sheet), the footer.
 */
export const findTheOthersStyles = [
  theme,
  focusRing,
  css`
    /* !important in a shadow root beats the page's !important on the host, and nothing else does. */
    :host {
      display: block !important;
      position: relative !important;
      box-sizing: border-box !important;
      block-size: 100%;
      min-block-size: var(--fto-min-height, 320px) !important;
    }
    :host([hidden]) {
      display: none !important;
    }
    /* The column lives inside the shadow root so it holds whatever display the page gives the host. */
    .frame {
      /* Inherited text properties from the page (letter-spacing, text-transform…) stop here. */
      all: initial;
      box-sizing: border-box;
      display: flex;
      flex-direction: column;
      block-size: 100%;
      min-block-size: inherit;
      /* The page's accent, else the campaign's, else the theme's: see styles.ts. */
      --fto-accent: var(--fto-resolved-accent);
      --fto-accent-fg: var(--fto-resolved-accent-fg);
      background: var(--fto-frame-bg, var(--fto-default-frame-bg));
      color: var(--fto-fg);
      font: 1rem/1.45 var(--fto-font, system-ui, sans-serif);
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
      padding: 0.625rem 1rem;
      border-block-end: 1px solid var(--fto-line);
    }
    .intro {
      flex: 1 1 22rem;
      min-inline-size: 0;
    }
    h1 {
      margin: 0;
      font-size: 1.25rem;
      line-height: 1.3;
      overflow-wrap: anywhere;
    }
    h1 .tag {
      font-weight: 600;
      font-size: 0.9375rem;
      margin-inline-start: 0.5rem;
    }
    /* Lifted towards white in the dark theme so the author's one accent stays readable. */
    h1 .tag {
      color: color-mix(in srgb, var(--fto-accent) var(--fto-accent-text-mix, 100%), white);
    }
    .description {
      margin: 0.125rem 0 0;
      font-size: 0.9375rem;
    }
    .description a {
      color: var(--fto-link);
    }
    .tally {
      margin: 0.125rem 0 0;
      color: var(--fto-muted);
      font-size: 0.875rem;
      font-variant-numeric: tabular-nums;
    }
    nav {
      display: flex;
      flex-wrap: wrap;
      gap: 0.375rem;
    }
    nav button {
      ${pill}
      font-size: 0.875rem;
      padding: 0.375rem 0.75rem;
      cursor: pointer;
    }
    nav button[aria-expanded='true'] {
      border-color: var(--fto-fg);
      box-shadow: inset 0 0 0 1px var(--fto-fg);
    }
    nav button.join {
      background: var(--fto-accent);
      border-color: var(--fto-accent);
      color: var(--fto-accent-fg);
      font-weight: 600;
    }
    .stage {
      position: relative;
      flex: 1;
      min-block-size: 0;
    }
    fto-map {
      position: absolute;
      inset: 0;
    }
    /* Past the pins in one key press: out of sight (but not of screen readers) until focused. */
    button.skip:not(:focus) {
      clip-path: inset(50%);
      inline-size: 1px;
      block-size: 1px;
      overflow: hidden;
      white-space: nowrap;
    }
    button.skip {
      position: absolute;
      inset-block-start: 0.5rem;
      inset-inline-start: 50%;
      z-index: 1100;
      translate: -50% 0;
      ${pill}
      font-size: 0.875rem;
      font-weight: 600;
      padding: 0.375rem 0.875rem;
    }
    footer:focus {
      outline: none;
    }
    .stage.list .docked {
      position: absolute;
      inset: 0;
    }
    .stage.both {
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(16rem, 22rem);
    }
    .stage.both fto-map {
      position: relative;
      inset: auto;
    }
    .stage.both .docked {
      min-block-size: 0;
      border-inline-start: 1px solid var(--fto-line);
    }
    .panel {
      position: absolute;
      z-index: 1000;
      inset-block: 0.75rem;
      inset-inline-end: 0.75rem;
      inline-size: min(380px, calc(100% - 1.5rem));
      overflow: hidden;
      display: flex;
      flex-direction: column;
      border: 1px solid var(--fto-line);
      border-radius: 12px;
      box-shadow: 0 8px 30px rgb(0 0 0 / 0.2);
    }
    /* On a phone a panel is a sheet over the lower part of the map, leaving pins in view. */
    @media (max-width: 640px) {
      header {
        padding: 0.5rem 0.75rem;
      }
      h1 {
        font-size: 1.0625rem;
      }
      .description {
        display: none;
      }
      nav button {
        padding: 0.25rem 0.625rem;
        font-size: 0.8125rem;
      }
      .stage.both {
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: minmax(0, 1fr) minmax(0, 40%);
      }
      .stage.both .docked {
        border-inline-start: 0;
        border-block-start: 1px solid var(--fto-line);
      }
      .panel {
        inset-block: auto 0;
        inset-inline: 0;
        inline-size: auto;
        max-block-size: 62%;
        border-radius: 14px 14px 0 0;
        border-inline: 0;
        border-block-end: 0;
      }
    }
    footer {
      padding: 0.375rem 1rem;
      border-block-start: 1px solid var(--fto-line);
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1rem;
      align-items: center;
    }
    fto-ticker {
      flex: 1 1 100%;
    }
    fto-status {
      flex: 1;
    }
    button.retry {
      ${pill}
      font-size: 0.8125rem;
      padding: 0.125rem 0.625rem;
      cursor: pointer;
    }
  `,
];

/**
 * The element's own rules, for the constructed sheet it adopts beside these: its `height` (a
 * checked CSS length) and the campaign's accent with a text colour readable on it.
 */
export function hostRules(height: string | null, accent: string | null): string {
  // readableOn answers only for #rgb/#rrggbb, so nothing else reaches the stylesheet.
  const fg = accent ? readableOn(accent) : null;
  const rules = [
    height ? `block-size: ${height} !important;` : '',
    fg ? `--fto-campaign-accent: ${accent}; --fto-campaign-accent-fg: ${fg};` : '',
  ].join(' ');
  return rules.trim() ? `:host { ${rules} }` : '';
}
