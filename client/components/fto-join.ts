import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { customElement } from '../define.js';
import type { CampaignIdentity } from '../../shared/types.js';
import { onPanelKeydown, panelHeader, panelStyles } from '../panel.js';
import { blueskyComposeUrl, hashtagOf, instanceHost, shareUrl } from '../share.js';
import { focusRing } from '../styles.js';

const INSTANCE_KEY = 'fto-instance';

function remembered(): string {
  try {
    return localStorage.getItem(INSTANCE_KEY) ?? '';
  } catch {
    return '';
  }
}

function remember(instance: string): void {
  try {
    localStorage.setItem(INSTANCE_KEY, instance);
  } catch {
    // Storage can be off (private mode, blocked cookies); the link still works this once.
  }
}

/**
 * "Add yourself": the exact post to write, a copy button, and a link that opens the post ready to
 * send on the reader's own instance (`https://<instance>/share?text=…`; the instance is
 * remembered in localStorage, nothing else is). Says how to leave and which tags opt out.
 *
 * @fires fto-panel-close - the reader asked to close the panel (button or Escape)
 * @csspart panel - the outer section
 */
@customElement('fto-join')
export class FtoJoin extends LitElement {
  static override styles = [
    panelStyles,
    focusRing,
    css`
      .body > * {
        margin: 0;
        padding: 0.75rem 1rem 0;
      }
      .body > :last-child {
        padding-block-end: 1rem;
      }
      .post {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        flex-wrap: wrap;
      }
      output {
        flex: 1;
        min-inline-size: 12ch;
        padding: 0.5rem 0.75rem;
        border-radius: 8px;
        background: var(--fto-surface);
        border: 1px solid var(--fto-line);
        font:
          600 1rem/1.3 ui-monospace,
          monospace;
        overflow-wrap: anywhere;
      }
      label {
        display: grid;
        gap: 0.25rem;
        font-size: 0.875rem;
        font-weight: 600;
      }
      input {
        font-weight: 400;
      }
      .note {
        color: var(--fto-muted);
        font-size: 0.8125rem;
      }
      code {
        font-size: 0.95em;
      }
    `,
  ];

  /** Campaign tag, without `#`. */
  @property() campaign = '';
  /** The author's words for the campaign, or null for plain defaults. */
  @property({ attribute: false }) identity: CampaignIdentity | null = null;
  /** The server follows the tag on Bluesky too: offer its compose page beside Mastodon. */
  @property({ type: Boolean }) bluesky = false;

  @state() private city = '';
  @state() private instance = remembered();
  @state() private copied = false;

  @query('h2') private heading?: HTMLElement;

  /** Moves focus to the heading when the panel opens. */
  override focus(): void {
    this.heading?.focus();
  }

  /** The post to write, with the reader's city once they have typed it. */
  get postText(): string {
    const tag = hashtagOf(this.campaign, this.identity?.examplePost ?? '');
    return `${tag} ${this.city.trim() || '<your city>'}`;
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.postText);
      this.copied = true;
    } catch {
      // No clipboard permission (e.g. an insecure origin): select the text so Ctrl+C works.
      const range = document.createRange();
      const out = this.renderRoot.querySelector('output');
      if (out) range.selectNodeContents(out);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    }
  }

  private onInstance(e: InputEvent): void {
    this.instance = (e.target as HTMLInputElement).value;
    const host = instanceHost(this.instance);
    if (host) remember(host);
  }

  protected override render() {
    const identity = this.identity;
    const host = instanceHost(this.instance);
    const share = host ? shareUrl(host, this.postText) : null;
    return html`<section part="panel" aria-labelledby="title" @keydown=${onPanelKeydown}>
      ${panelHeader(this, 'Add yourself', identity?.callToAction ?? null, 'Close')}
      <div class="body">
        <p>
          Write a public post with exactly this, from any Mastodon-compatible
          account${this.bluesky ? ' or from Bluesky' : ''}:
        </p>
        <div class="post">
          <output aria-live="polite">${this.postText}</output>
          <button class="button" type="button" @click=${this.copy}>
            ${this.copied ? 'Copied' : 'Copy'}
          </button>
        </div>
        <label>
          Your city
          <input
            name="city"
            autocomplete="address-level2"
            placeholder=${identity?.examplePost.replace(/^\s*#\S+\s*/, '') || 'Portland'}
            .value=${this.city}
            @input=${(e: InputEvent) => {
              this.city = (e.target as HTMLInputElement).value;
              this.copied = false;
            }}
          />
        </label>
        <label>
          Your instance
          <input
            name="instance"
            inputmode="url"
            autocomplete="url"
            placeholder="mastodon.social"
            .value=${this.instance}
            @input=${this.onInstance}
          />
        </label>
        <p>
          ${
            share
              ? html`<a
                  class="button primary"
                  href=${share}
                  target="_blank"
                  rel="noopener noreferrer"
                  >Post from ${host}</a
                >`
              : html`<span class="note">Type your instance to post from it directly.</span>`
          }
          ${
            this.bluesky
              ? html`<a
                  class="button bluesky"
                  href=${blueskyComposeUrl(this.postText)}
                  target="_blank"
                  rel="noopener noreferrer"
                  >Post on Bluesky</a
                >`
              : nothing
          }
        </p>
        ${
          identity?.examplePost
            ? html`<p class="note">For example: <code>${identity.examplePost}</code></p>`
            : nothing
        }
        <p class="note">
          You appear at your city’s centre, never at your own position. To leave the map, delete the
          post. To never be shown, put <code>#nomap</code>, <code>#nobot</code>,
          <code>#noindex</code> or <code>#nosearch</code> in your profile.
        </p>
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-join': FtoJoin;
  }
}
