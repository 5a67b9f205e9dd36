import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ReviewStatus } from '../../shared/queue.js';
import { apiUrl } from '../api.js';
import { customElement } from '../define.js';

/**
 * "N people waiting for review": shown while the campaign's pre-moderation holds someone back
 * (GET /api/campaigns/:tag/review). Says nothing otherwise, and nothing when the server does not know.
 */
@customElement('fto-review-note')
export class FtoReviewNote extends LitElement {
  static override styles = css`
    p {
      margin: 0 0 0.5rem;
      color: var(--fto-muted);
    }
  `;

  @property() server = '';
  @property() campaign = '';

  @state() private status: ReviewStatus | null = null;

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('campaign') && this.campaign) void this.load();
  }

  private async load(): Promise<void> {
    try {
      const res = await fetch(
        apiUrl(this.server, `/api/campaigns/${encodeURIComponent(this.campaign)}/review`),
      );
      this.status = res.ok ? ((await res.json()) as ReviewStatus) : null;
    } catch {
      this.status = null;
    }
  }

  protected override render() {
    const n = this.status?.waiting ?? 0;
    if (!this.status?.premoderation || n === 0) return nothing;
    return html`<p part="review-note">${n} ${n === 1 ? 'person' : 'people'} waiting for review</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-review-note': FtoReviewNote;
  }
}
