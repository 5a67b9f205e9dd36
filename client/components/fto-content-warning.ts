import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { customElement } from '../define.js';
import { fetchPostExcerpt } from '../api.js';
import { flagNodes } from '../flags.js';
import { sanitizeExcerpt } from '../sanitize-excerpt.js';

let ids = 0;

/**
 * A post behind a content warning: the warning (or "Sensitive content") and a "Show post" button
 * (`aria-expanded`, like Mastodon's). The text is not in the page until the reader presses it:
 * then it is fetched (`server` + `campaign` + `acct`), or taken from `text` when the caller already
 * has it (the admin page), sanitised again, shown and focused.
 *
 * Renders into the light DOM, so the enclosing component's styles (`contentWarningStyles`,
 * `excerptStyles`) dress it inside that component's shadow root.
 */
@customElement('fto-content-warning')
export class FtoContentWarning extends LitElement {
  /** API origin; empty means the page's own. */
  @property() server = '';
  /** Campaign tag, without `#`. */
  @property() campaign = '';
  /** Whose post (user@domain). */
  @property() acct = '';
  /** The author's warning; empty for a post only marked sensitive. */
  @property() warning = '';
  /** The post's HTML when the caller already holds it; else it is fetched on "Show post". */
  @property({ attribute: false }) text: string | null = null;

  @state() private open = false;
  @state() private loading = false;
  @state() private error: string | null = null;
  private excerpt: string | null = null;
  private readonly bodyId = `fto-cw-${++ids}`;
  private abort: AbortController | null = null;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another post (an edit, a live move): start hidden again.
    if (changed.has('acct') || changed.has('text') || changed.has('warning')) {
      this.abort?.abort();
      this.open = this.loading = false;
      this.error = this.excerpt = null;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  private async toggle(): Promise<void> {
    if (this.open) {
      this.open = false;
      return;
    }
    if (this.excerpt === null && this.text !== null) this.excerpt = this.text;
    if (this.excerpt === null) {
      this.abort?.abort();
      const abort = (this.abort = new AbortController());
      this.loading = true;
      this.error = null;
      try {
        this.excerpt = (
          await fetchPostExcerpt(this.server, this.campaign, this.acct, abort.signal)
        ).excerpt;
      } catch (err) {
        if (abort.signal.aborted) return;
        this.error = `Could not load the post: ${(err as Error).message}`;
      } finally {
        if (!abort.signal.aborted) this.loading = false;
      }
      if (this.excerpt === null) return;
    }
    this.open = true;
    await this.updateComplete;
    this.querySelector<HTMLElement>(`#${this.bodyId} .excerpt`)?.focus();
  }

  protected override render() {
    return html`<div class="cw">
        <p class="cw-text">
          <span class="visually-hidden">Content warning: </span
          >${this.warning || 'Sensitive content'}
        </p>
        <button
          class="button cw-toggle"
          type="button"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls=${this.bodyId}
          ?disabled=${this.loading}
          @click=${() => void this.toggle()}
        >
          ${this.loading ? 'Loading…' : this.open ? 'Hide post' : 'Show post'}
        </button>
      </div>
      <div id=${this.bodyId}>
        ${
          this.open && this.excerpt !== null
            ? html`<div class="excerpt" tabindex="-1">
                ${unsafeHTML(
                  sanitizeExcerpt(this.excerpt, {
                    text: (text, doc) => flagNodes(text, this.server, doc),
                  }),
                )}
              </div>`
            : nothing
        }
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-content-warning': FtoContentWarning;
  }
}
