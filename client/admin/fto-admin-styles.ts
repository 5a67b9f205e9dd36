import { css } from 'lit';

/** The admin page's own frame: its colours (the map's, light or dark), header and sign-in card. */
export const shellStyles = css`
  :host {
    min-block-size: 100dvh;
    background: var(--fto-surface);
  }
  .page {
    /* The theme's accent (styles.ts resolves page, campaign, theme; the admin has no campaign). */
    --fto-accent: var(--fto-resolved-accent);
    --fto-accent-fg: var(--fto-resolved-accent-fg);
    max-inline-size: 56rem;
    margin: 0 auto;
    padding: 1rem;
    display: grid;
    gap: 1rem;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem 1rem;
  }
  h1 {
    margin: 0;
    font-size: 1.5rem;
  }
  header .sub {
    margin: 0;
  }
  main {
    display: grid;
    gap: 1rem;
  }
  .signin {
    display: grid;
    gap: 0.5rem;
  }
  .campaign {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .notice {
    margin: 0;
  }
  pre {
    overflow-x: auto;
    padding: 0.5rem 0.75rem;
    border-radius: 8px;
    background: var(--fto-surface);
  }
  @media (max-width: 30rem) {
    .page {
      padding: 0.5rem;
    }
  }
`;
