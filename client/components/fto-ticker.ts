import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from '../define.js';
import type { ContributorFeature } from '../../shared/types.js';
import { emojiStyles, nameOf, renderName } from '../person.js';
import { focusRing, linkButton, visuallyHidden } from '../styles.js';

/**
 * "Just joined": the latest arrivals, newest first, each a button that opens their city. The
 * newest is announced politely to screen readers; names are text, never HTML.
 *
 * @fires fto-city-select - detail `{ place, coordinates }` when an arrival is chosen
 * @csspart arrival - each arrival button
 */
@customElement('fto-ticker')
export class FtoTicker extends LitElement {
  static override styles = [
    focusRing,
    emojiStyles,
    visuallyHidden,
    css`
      :host {
        display: block;
        min-inline-size: 0;
        font: 0.8125rem/1.4 var(--fto-font, system-ui, sans-serif);
        color: var(--fto-muted);
      }
      /* One row that scrolls sideways: every name whole, the newest first (on a phone too). */
      p {
        margin: 0;
        display: flex;
        gap: 0.25rem 0.75rem;
        align-items: baseline;
        overflow-x: auto;
        overscroll-behavior-x: contain;
        scrollbar-width: none;
        white-space: nowrap;
      }
      .label {
        position: sticky;
        inset-inline-start: 0;
        background: var(--fto-frame-bg, var(--fto-bg));
        padding-inline-end: 0.25rem;
      }
      .label {
        font-weight: 600;
        color: var(--fto-fg);
      }
      button {
        ${linkButton}
        flex: none;
        /* Only a name longer than a phone is wide is cut. */
        overflow: hidden;
        text-overflow: ellipsis;
        max-inline-size: min(40ch, 80vw);
      }
      button:first-of-type {
        animation: fto-in 0.6s ease-out;
      }
      @keyframes fto-in {
        from {
          opacity: 0;
          translate: 0 0.5em;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        button:first-of-type {
          animation: none;
        }
      }
    `,
  ];

  /** Recent arrivals, newest first. */
  @property({ attribute: false }) arrivals: readonly ContributorFeature[] = [];
  /** The map's server, whose flag images the names use; empty means the default server. */
  @property() server = '';

  private choose(f: ContributorFeature): void {
    this.dispatchEvent(
      new CustomEvent('fto-city-select', {
        detail: { place: f.properties.place, coordinates: f.geometry.coordinates },
        bubbles: true,
        composed: true,
      }),
    );
  }

  protected override render() {
    if (!this.arrivals.length) return nothing;
    const latest = this.arrivals[0]!.properties;
    return html`<p>
        <span class="label">Just joined:</span>
        ${this.arrivals.map(
          (f) =>
            html`<button part="arrival" type="button" @click=${() => this.choose(f)}>
              ${renderName(f.properties, this.server)} in ${f.properties.place.name}
            </button>`,
        )}
      </p>
      <span class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"
        >${nameOf(latest)} joined in ${latest.place.name}</span
      >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-ticker': FtoTicker;
  }
}
