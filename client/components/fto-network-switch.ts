import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { Network } from '../../shared/network.js';
import { formatCount } from '../cities.js';
import { customElement } from '../define.js';
import { focusRing, pill } from '../styles.js';

/**
 * Everyone, or one network's people: three toggle buttons under the tally, shown only when the
 * campaign has people on Bluesky.
 *
 * @fires fto-network-change - detail: `''` (everyone), `'fediverse'` or `'bluesky'`; bubbles out
 *   of the map so a page can keep it in its address (`?network=`).
 */
@customElement('fto-network-switch')
export class FtoNetworkSwitch extends LitElement {
  static override styles = [
    focusRing,
    css`
      div {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        margin-block-start: 0.375rem;
      }
      button {
        ${pill}
        font-size: 0.8125rem;
        padding: 0.125rem 0.625rem;
        cursor: pointer;
      }
      button[aria-pressed='true'] {
        background: var(--fto-fg);
        border-color: var(--fto-fg);
        color: var(--fto-surface);
      }
    `,
  ];

  /** People per network, from the campaign summary. */
  @property({ attribute: false }) counts: Record<Network, number> | null = null;
  /** The network shown now; '' for everyone. */
  @property() value = '';

  private choose(value: string): void {
    if (value === this.value) return;
    this.dispatchEvent(
      new CustomEvent('fto-network-change', { detail: value, bubbles: true, composed: true }),
    );
  }

  protected override render() {
    const counts = this.counts;
    if (!counts) return html``;
    const option = (value: string, label: string, n: number) =>
      html`<button
        type="button"
        aria-pressed=${String(this.value === value)}
        @click=${() => this.choose(value)}
      >
        ${label} (${formatCount(n)})
      </button>`;
    return html`<div role="group" aria-label="Show people from">
      ${option('', 'Everyone', counts.fediverse + counts.bluesky)}
      ${option('fediverse', '⁂ Fediverse', counts.fediverse)}
      ${option('bluesky', '🦋 Bluesky', counts.bluesky)}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-network-switch': FtoNetworkSwitch;
  }
  interface HTMLElementEventMap {
    'fto-network-change': CustomEvent<string>;
  }
}
