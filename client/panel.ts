import { css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { pill, visuallyHidden } from './styles.js';

// Every side panel (a city's people, nearby, the list, stats, joining) shares one frame: a
// heading that takes focus when it opens, a close button, Escape to close, a scrolling body.

const panelFrame = css`
  :host {
    display: block;
    color: var(--fto-fg);
    background: var(--fto-bg);
    font: 0.9375rem/1.45 var(--fto-font, system-ui, sans-serif);
  }
  section {
    display: flex;
    flex-direction: column;
    max-block-size: 100%;
    block-size: 100%;
  }
  .panel-head {
    display: flex;
    align-items: start;
    gap: 0.75rem;
    padding: 0.875rem 1rem 0.75rem;
    border-block-end: 1px solid var(--fto-line);
  }
  .heading {
    flex: 1;
    min-inline-size: 0;
  }
  h2 {
    margin: 0;
    font-size: 1.125rem;
    line-height: 1.3;
    overflow-wrap: anywhere;
  }
  .sub {
    margin: 0.125rem 0 0;
    color: var(--fto-muted);
    font-size: 0.875rem;
  }
  .close {
    flex: none;
    inline-size: 2.25rem;
    block-size: 2.25rem;
    border: 1px solid var(--fto-line);
    border-radius: 50%;
    background: var(--fto-surface);
    color: var(--fto-fg);
    font: 1.25rem/1 var(--fto-font, system-ui, sans-serif);
    cursor: pointer;
  }
  .close:hover {
    border-color: var(--fto-muted);
  }
  .body {
    overflow-y: auto;
    overscroll-behavior: contain;
    min-block-size: 0;
    flex: 1;
  }
  a {
    color: var(--fto-link);
  }
`;

/**
 * Buttons (`.button`, `.button.primary`), text fields, error text and text only screen readers
 * get. The field rule has no specificity (`:where`), so a component's own sizing of its fields
 * (full width, flex, weight) always wins over it.
 */
export const controlStyles = css`
  :where(
    input:not([type]),
    input[type='text'],
    input[type='search'],
    input[type='password'],
    select
  ) {
    font: inherit;
    padding: 0.375rem 0.625rem;
    border: 1px solid var(--fto-muted);
    border-radius: 8px;
    background: var(--fto-bg);
    color: var(--fto-fg);
  }
  .button {
    ${pill}
    font-size: 0.875rem;
    padding: 0.375rem 0.875rem;
    cursor: pointer;
    text-decoration: none;
    display: inline-block;
  }
  .button.primary {
    background: var(--fto-accent);
    border-color: var(--fto-accent);
    color: var(--fto-accent-fg);
    font-weight: 600;
  }
  .button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  .error {
    color: var(--fto-warn);
  }
  ${visuallyHidden}
`;

export const panelStyles = [panelFrame, controlStyles];

/** Asks the panel's owner to close it; Escape anywhere in the panel does the same. */
export function closePanel(from: HTMLElement): void {
  from.dispatchEvent(new CustomEvent('fto-panel-close', { bubbles: true, composed: true }));
}

export function onPanelKeydown(this: HTMLElement, e: KeyboardEvent): void {
  if (e.key === 'Escape') {
    e.stopPropagation();
    closePanel(this);
  }
}

/**
 * The heading row: the title (focus lands here when the panel opens), a subtitle, a close button
 * (none when `closeLabel` is null: a docked panel that cannot close).
 */
export function panelHeader(
  host: HTMLElement,
  title: string | TemplateResult,
  sub: string | TemplateResult | null,
  closeLabel: string | null,
): TemplateResult {
  return html`<div class="panel-head">
    <div class="heading">
      <h2 id="title" tabindex="-1">${title}</h2>
      ${sub ? html`<p class="sub">${sub}</p>` : nothing}
    </div>
    ${
      closeLabel === null
        ? nothing
        : html`<button
            class="close"
            type="button"
            aria-label=${closeLabel}
            @click=${() => closePanel(host)}
          >
            ×
          </button>`
    }
  </div>`;
}

declare global {
  interface HTMLElementEventMap {
    'fto-panel-close': CustomEvent<void>;
  }
}
