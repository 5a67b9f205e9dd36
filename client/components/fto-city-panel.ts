import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ContributorProperties } from '../../shared/types.js';
import type { City } from '../cities.js';
import { countryName, fullDate, timeAgo } from '../format.js';
import { safeHref, sanitizeExcerpt } from '../sanitize-excerpt.js';
import { focusRing } from '../styles.js';
import './fto-avatar.js';

const REL = 'nofollow noopener noreferrer';

// Excerpts rarely change, and the panel re-renders on every live event; parse each once.
const excerptCache = new Map<string, string>();
function cleanExcerpt(raw: string): string {
  let clean = excerptCache.get(raw);
  if (clean === undefined) {
    clean = sanitizeExcerpt(raw);
    if (excerptCache.size > 500) excerptCache.clear();
    excerptCache.set(raw, clean);
  }
  return clean;
}

/**
 * The people in one city: avatar, name, account, when they posted, links to their profile
 * and post, and the post itself.
 *
 * Names are rendered with Lit's text bindings, so a display name like `<img onerror=…>` is shown
 * as those characters. The post excerpt is HTML: it goes through a client-side allowlist
 * (sanitizeExcerpt) before unsafeHTML, because paragraphs, line breaks and links are most of what
 * makes a post readable, and the server's sanitiser should not be the only line of defence.
 *
 * @fires fto-panel-close - the reader asked to close the list (button or Escape)
 * @csspart panel - the outer section
 * @csspart person - each list item
 */
@customElement('fto-city-panel')
export class FtoCityPanel extends LitElement {
  static override styles = [
    focusRing,
    css`
      :host {
        display: block;
        color: var(--fto-fg);
        background: var(--fto-bg);
        font:
          0.9375rem/1.45 system-ui,
          sans-serif;
      }
      section {
        display: flex;
        flex-direction: column;
        max-block-size: 100%;
      }
      header {
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
      .count {
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
        font:
          1.25rem/1 system-ui,
          sans-serif;
        cursor: pointer;
      }
      .close:hover {
        border-color: var(--fto-muted);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        overflow-y: auto;
        overscroll-behavior: contain;
      }
      li {
        padding: 0.875rem 1rem;
        border-block-end: 1px solid var(--fto-line);
      }
      .who {
        display: flex;
        gap: 0.75rem;
        align-items: center;
      }
      .names {
        min-inline-size: 0;
        display: flex;
        flex-direction: column;
      }
      .name {
        font-weight: 600;
        color: var(--fto-fg);
        text-decoration: none;
        overflow-wrap: anywhere;
      }
      .name:hover {
        text-decoration: underline;
      }
      .acct {
        color: var(--fto-muted);
        font-size: 0.8125rem;
        overflow-wrap: anywhere;
      }
      .excerpt {
        margin-block: 0.5rem;
        overflow-wrap: anywhere;
      }
      .excerpt p {
        margin: 0 0 0.4em;
      }
      .excerpt a,
      .meta a {
        color: var(--fto-link);
      }
      /* Mastodon shortens long links with these two classes. */
      .excerpt .invisible {
        font-size: 0;
        line-height: 0;
        display: inline-block;
        inline-size: 0;
        block-size: 0;
        overflow: hidden;
      }
      .excerpt .ellipsis::after {
        content: '…';
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        color: var(--fto-muted);
        font-size: 0.8125rem;
      }
    `,
  ];

  /** The city whose people to list. */
  @property({ attribute: false }) city: City | null = null;

  @query('h2') private heading?: HTMLElement;

  /** Moves focus to the heading, so keyboard and screen-reader users land in the list. */
  override focus(): void {
    this.heading?.focus();
  }

  private close() {
    this.dispatchEvent(new CustomEvent('fto-panel-close', { bubbles: true, composed: true }));
  }

  private onKeydown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      this.close();
    }
  }

  private renderPerson(p: ContributorProperties) {
    const profile = safeHref(p.profileUrl);
    const post = safeHref(p.postUrl);
    const name = p.displayName.trim() || p.acct.split('@')[0];
    return html`<li part="person">
      <div class="who">
        <fto-avatar
          .src=${safeHref(p.avatar) ?? ''}
          .name=${p.displayName}
          .acct=${p.acct}
        ></fto-avatar>
        <div class="names">
          ${
            profile
              ? html`<a class="name" href=${profile} rel=${REL} target="_blank">${name}</a>`
              : html`<span class="name">${name}</span>`
          }
          <span class="acct">@${p.acct}</span>
        </div>
      </div>
      ${p.excerpt ? html`<div class="excerpt">${unsafeHTML(cleanExcerpt(p.excerpt))}</div>` : nothing}
      <div class="meta">
        <time datetime=${p.postedAt} title=${fullDate(p.postedAt)}>${timeAgo(p.postedAt)}</time>
        ${post ? html`<a href=${post} rel=${REL} target="_blank">View post</a>` : nothing}
        ${profile ? html`<a href=${profile} rel=${REL} target="_blank">Profile</a>` : nothing}
      </div>
    </li>`;
  }

  protected override render() {
    const city = this.city;
    if (!city) return nothing;
    const { place, people } = city;
    const where = [
      place.name,
      place.admin1 !== place.name ? place.admin1 : null,
      countryName(place.country),
    ]
      .filter(Boolean)
      .join(', ');
    return html`<section part="panel" aria-labelledby="title" @keydown=${this.onKeydown}>
      <header>
        <div class="heading">
          <h2 id="title" tabindex="-1">${where}</h2>
          <p class="count">${people.length === 1 ? '1 person' : `${people.length} people`} here</p>
        </div>
        <button class="close" type="button" aria-label="Close the list" @click=${this.close}>
          ×
        </button>
      </header>
      <ul>
        ${people.map((p) => this.renderPerson(p))}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-city-panel': FtoCityPanel;
  }
  interface HTMLElementEventMap {
    'fto-panel-close': CustomEvent<void>;
  }
}
