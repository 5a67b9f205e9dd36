import { css } from 'lit';
import { panelStyles } from '../panel.js';
import { focusRing } from '../styles.js';

/** `<fto-list>`'s shadow styles: the filter, the countries as disclosures, their cities as buttons. */
export const ftoListStyles = [
  panelStyles,
  focusRing,
  css`
    .filter {
      padding: 0.75rem 1rem;
      border-block-end: 1px solid var(--fto-line);
    }
    input {
      box-sizing: border-box;
      inline-size: 100%;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    details {
      border-block-end: 1px solid var(--fto-line);
    }
    summary {
      display: flex;
      justify-content: space-between;
      gap: 1rem;
      padding: 0.625rem 1rem;
      cursor: pointer;
      font-weight: 600;
    }
    summary .n,
    .city .n {
      font-weight: 400;
      color: var(--fto-muted);
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .city {
      display: flex;
      justify-content: space-between;
      gap: 1rem;
      inline-size: 100%;
      padding: 0.5rem 1rem 0.5rem 2rem;
      border: 0;
      background: none;
      color: var(--fto-link);
      font: inherit;
      text-align: start;
      cursor: pointer;
    }
    .found .city {
      padding-inline-start: 1rem;
    }
    .city:hover {
      background: var(--fto-surface);
    }
    .more {
      padding: 0.5rem 1rem 0.75rem 2rem;
    }
    h3 {
      margin: 0;
      padding: 0.75rem 1rem 0.25rem;
      font-size: 0.875rem;
      color: var(--fto-muted);
    }
    .state {
      padding: 1rem;
      margin: 0;
      color: var(--fto-muted);
    }
    .cities .state {
      padding: 0.5rem 1rem 0.5rem 2rem;
    }
  `,
];
