import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { apiUrl } from '../api.js';
import { customElement } from '../define.js';
import { linkButton } from '../styles.js';

/**
 * "Report": a visitor tells the moderators about someone on the map (POST
 * /api/campaigns/:tag/report, rate-limited per IP). A short optional reason, then the answer in
 * words. Sent as text/plain JSON so that the widget on another site needs no preflight.
 */
@customElement('fto-report')
export class FtoReport extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
    button {
      ${linkButton}
      text-decoration: underline;
    }
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      inline-size: 100%;
    }
    input {
      font: inherit;
      flex: 1 1 10rem;
      min-inline-size: 0;
    }
  `;

  @property() server = '';
  @property() campaign = '';
  @property() acct = '';

  @state() private open = false;
  @state() private answer = '';

  private async send(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const reason = ((e.target as HTMLFormElement).elements.namedItem('reason') as HTMLInputElement)
      .value;
    try {
      const res = await fetch(
        apiUrl(this.server, `/api/campaigns/${encodeURIComponent(this.campaign)}/report`),
        {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' },
          body: JSON.stringify({ acct: this.acct, reason }),
          credentials: 'omit',
        },
      );
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      this.answer = res.ok
        ? 'Thank you: a moderator will look at it.'
        : `Not sent: ${body.error ?? `HTTP ${res.status}`}`;
    } catch (err) {
      this.answer = `Not sent: ${(err as Error).message}`;
    }
    this.open = false;
  }

  protected override render() {
    if (this.answer) return html`<span role="status">${this.answer}</span>`;
    if (!this.open)
      return html`<button type="button" @click=${() => (this.open = true)}>Report</button>`;
    return html`<form @submit=${this.send} aria-label=${`Report @${this.acct}`}>
      <input name="reason" maxlength="500" placeholder="Why? (optional)" aria-label="Why?" />
      <button type="submit">Send report</button>
      <button type="button" @click=${() => (this.open = false)}>Cancel</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-report': FtoReport;
  }
}
