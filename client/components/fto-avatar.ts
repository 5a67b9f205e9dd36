import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from '../define.js';
import { initials } from '../format.js';

/**
 * A round avatar that falls back to the person's initials when there is no image or it fails to
 * load (instances go down, avatars get deleted).
 *
 * @csspart image - the <img>, when the avatar loads
 * @csspart initials - the fallback letters
 */
@customElement('fto-avatar')
export class FtoAvatar extends LitElement {
  static override styles = css`
    :host {
      --size: 40px;
      display: inline-block;
      inline-size: var(--size);
      block-size: var(--size);
      flex: none;
      border-radius: 50%;
      overflow: hidden;
      background: var(--fto-surface, #eee);
    }
    img,
    span {
      display: grid;
      place-items: center;
      inline-size: 100%;
      block-size: 100%;
      object-fit: cover;
    }
    span {
      font: 600 calc(var(--size) * 0.4) / 1 var(--fto-font, system-ui, sans-serif);
      color: var(--fto-accent-fg, #fff);
      background: var(--fto-accent, #c2410c);
    }
  `;

  /** Image URL; empty means "no avatar". */
  @property() src = '';
  /** Display name, for the initials. */
  @property() name = '';
  /** `user@domain`, for the initials when the display name is empty. */
  @property() acct = '';

  @state() private broken = false;

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('src')) this.broken = false;
  }

  protected override render() {
    // alt="" because the name is printed right beside it; a screen reader would say it twice.
    return this.src && !this.broken
      ? html`<img
          part="image"
          src=${this.src}
          alt=""
          loading="lazy"
          referrerpolicy="no-referrer"
          @error=${() => (this.broken = true)}
        />`
      : html`<span part="initials" aria-hidden="true">${initials(this.name, this.acct)}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-avatar': FtoAvatar;
  }
}
