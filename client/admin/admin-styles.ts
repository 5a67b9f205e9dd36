import { css } from 'lit';
import { controlStyles } from '../panel.js';
import { focusRing } from '../styles.js';

/**
 * What every part of the admin page shares: the map's buttons and focus ring, a card per
 * section, form fields, and status lines. Colours are the map's custom properties, set once on
 * <fto-admin> (light or dark by the reader's preference) and inherited by every shadow root.
 */
export const adminStyles = [
  controlStyles,
  focusRing,
  css`
    :host {
      display: block;
      color: var(--fto-fg);
      font: 0.9375rem/1.45 var(--fto-font, system-ui, sans-serif);
    }
    section.card {
      background: var(--fto-bg);
      border: 1px solid var(--fto-line);
      border-radius: 12px;
      padding: 1rem;
    }
    h2 {
      margin: 0 0 0.25rem;
      font-size: 1.125rem;
      line-height: 1.3;
    }
    h3 {
      margin: 1rem 0 0.5rem;
      font-size: 1rem;
    }
    .sub {
      margin: 0 0 0.75rem;
      color: var(--fto-muted);
      font-size: 0.875rem;
    }
    a {
      color: var(--fto-link);
      overflow-wrap: anywhere;
    }
    label {
      font-weight: 600;
      font-size: 0.875rem;
    }
    input[type='text'],
    input[type='search'],
    input[type='password'],
    select {
      min-inline-size: 0;
      box-sizing: border-box;
    }
    input[aria-invalid='true'] {
      border-color: var(--fto-warn);
      box-shadow: 0 0 0 1px var(--fto-warn);
    }
    .badge {
      font-size: 0.75rem;
      padding: 0 0.5rem;
      border-radius: 999px;
      border: 1px solid var(--fto-warn);
      color: var(--fto-warn);
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
    }
    .row > input {
      flex: 1 1 8rem;
    }
    .hint {
      margin: 0.25rem 0 0;
      color: var(--fto-muted);
      font-size: 0.8125rem;
    }
    .status {
      margin: 0.5rem 0 0;
      font-size: 0.875rem;
    }
    .status:empty {
      display: none;
    }
    .ok {
      color: var(--fto-ok);
    }
    .error {
      margin: 0.5rem 0 0;
      font-size: 0.875rem;
      overflow-wrap: anywhere;
    }
    .button.danger {
      border-color: var(--fto-warn);
      color: var(--fto-warn);
      font-weight: 600;
    }
    .plain {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .muted {
      color: var(--fto-muted);
    }
  `,
];

/** For a section that is a grid item of the page: long addresses scroll or wrap instead of widening it. */
export const gridItemStyles = css`
  :host {
    min-inline-size: 0;
  }
`;
