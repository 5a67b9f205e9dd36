import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from '../define.js';

/**
 * Why a post is where the map puts it, or has no pin: one line under the post on the admin page
 * ("Why here: ‘desde Bilbao’ is where the author is", "Why no pin: …"), from the post's `reason`
 * (issue #14). Always text, never HTML: Lit escapes it. The reason may quote the post, so for a
 * post behind a content warning it is folded, and not in the page until the moderator opens it,
 * as the text is not (docs/decisions.md, "Content warnings").
 *
 * Renders into the light DOM, so the enclosing component's `whyStyles` dress it.
 */
@customElement('fto-admin-why')
export class FtoAdminWhy extends LitElement {
  /** The post's reason; nothing is shown when it is null (a post stored before reasons were kept). */
  @property({ attribute: false }) reason: string | null = null;
  /** The post has a city: "Why here", else "Why no pin". */
  @property({ type: Boolean }) placed = false;
  /** The post is behind a content warning: fold the reason. */
  @property({ type: Boolean }) sensitive = false;

  @state() private open = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override render() {
    if (!this.reason) return nothing;
    const label = this.placed ? 'Why here' : 'Why no pin';
    if (!this.sensitive)
      return html`<p class="why"><span class="why-label">${label}:</span> ${this.reason}</p>`;
    return html`<details
      class="why"
      @toggle=${(e: Event) => (this.open = (e.target as HTMLDetailsElement).open)}
    >
      <summary>${label} (may quote the post behind its warning)</summary>
      ${this.open ? this.reason : nothing}
    </details>`;
  }
}

/** The line's look, for the components that show it. */
export const whyStyles = css`
  .why {
    display: block;
    margin: 0.375rem 0 0;
    font-size: 0.8125rem;
    color: var(--fto-muted);
    overflow-wrap: anywhere;
  }
  .why-label,
  .why summary {
    font-weight: 600;
  }
  .why summary {
    cursor: pointer;
  }
`;

declare global {
  interface HTMLElementTagNameMap {
    'fto-admin-why': FtoAdminWhy;
  }
}
