import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ModerationResult, ModerationState } from '../../shared/admin.js';
import { placeName } from '../cities.js';
import { customElement } from '../define.js';
import { fullDate } from '../format.js';
import { safeHref } from '../sanitize-excerpt.js';
import { describeFailure, liveChanges, type AdminApi } from './admin-api.js';
import { adminStyles } from './admin-styles.js';
import { moderated } from './moderated.js';

const REL = 'nofollow noopener noreferrer';

/** One undo: what the button says, what it does, and the sentence for its result. */
interface Undo {
  key: string;
  label: string;
  run: (api: AdminApi) => Promise<ModerationResult>;
  done: string;
}

/**
 * "Hidden and blocked": the lists of GET /api/admin/moderation, each with its undo button, and
 * the posts placed by hand. Call refresh() after a change made elsewhere on the page.
 *
 * @fires fto-moderated - after every undo
 */
@customElement('fto-admin-hidden')
export class FtoAdminHidden extends LitElement {
  static override styles = [
    adminStyles,
    css`
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 0.75rem;
        padding-block: 0.5rem;
        border-block-end: 1px solid var(--fto-line);
      }
      li:last-child {
        border-block-end: 0;
      }
      .what {
        flex: 1 1 14rem;
        min-inline-size: 0;
        overflow-wrap: anywhere;
      }
      .when {
        color: var(--fto-muted);
        font-size: 0.8125rem;
      }
    `,
  ];

  @property({ attribute: false }) api: AdminApi | null = null;

  @state() private moderation: ModerationState | null = null;
  @state() private error: string | null = null;
  @state() private busy: string | null = null;
  @state() private result = '';
  @state() private failure: { key: string; message: string } | null = null;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('api') && this.api) void this.refresh();
  }

  /** Reads the moderation state again. */
  async refresh(): Promise<void> {
    if (!this.api) return;
    try {
      this.moderation = await this.api.moderation();
      this.error = null;
    } catch (err) {
      this.error = `Could not load the lists: ${describeFailure(err)}`;
    }
  }

  private async undo(u: Undo): Promise<void> {
    if (!this.api || this.busy) return;
    this.busy = u.key;
    this.failure = null;
    try {
      const result = await u.run(this.api);
      this.result = `${u.done}: ${liveChanges(result)}.`;
      moderated(this);
      await this.refresh();
      // The button is gone with its row: keep keyboard focus in this section.
      this.renderRoot.querySelector<HTMLElement>('#hidden-title')?.focus();
    } catch (err) {
      this.failure = {
        key: u.key,
        message: `Could not ${u.label.toLowerCase()}: ${describeFailure(err)}`,
      };
      this.result = '';
    } finally {
      this.busy = null;
    }
  }

  private item(what: TemplateResult, at: string, undo: Undo | null) {
    return html`<li>
      <span class="what">${what}</span>
      <time class="when" datetime=${at}>since ${fullDate(at)}</time>
      ${
        undo
          ? html`<button
              class="button"
              type="button"
              ?disabled=${this.busy !== null}
              @click=${() => this.undo(undo)}
            >
              ${undo.label}
            </button>`
          : nothing
      }
      ${
        this.failure && undo && this.failure.key === undo.key
          ? html`<p class="error" role="alert">${this.failure.message}</p>`
          : nothing
      }
    </li>`;
  }

  private list(id: string, title: string, items: TemplateResult[]) {
    return html`<h3 id=${id}>${title}</h3>
      ${
        items.length
          ? html`<ul class="plain" aria-labelledby=${id}>
              ${items}
            </ul>`
          : html`<p class="muted">None.</p>`
      }`;
  }

  private postLink(url: string, uri: string) {
    const href = safeHref(url) ?? safeHref(uri);
    return href
      ? html`<a href=${href} rel=${REL} target="_blank">${url || uri}</a>`
      : html`${url || uri}`;
  }

  protected override render() {
    const s = this.moderation;
    return html`<section class="card" aria-labelledby="hidden-title">
      <h2 id="hidden-title" tabindex="-1">Hidden and blocked</h2>
      <p class="sub">Everything moderators have taken off the map, with a way back.</p>
      <p class="status ok" role="status">${this.result}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${
        s
          ? html`
              ${this.list(
                'accounts-title',
                'Accounts',
                s.hiddenAccounts.map((a) =>
                  this.item(
                    html`@${a.acct}
                    ${a.blocked ? html`<span class="badge">blocked</span>` : nothing}`,
                    a.at,
                    {
                      key: `account:${a.acct}`,
                      label: a.blocked ? `Unblock @${a.acct}` : `Unhide @${a.acct}`,
                      run: (api) =>
                        a.blocked ? api.unblockAccount(a.acct) : api.unhideAccount(a.acct),
                      done: a.blocked
                        ? `@${a.acct} is unblocked (their deleted posts stay deleted; new ones count)`
                        : `@${a.acct} is back on the map`,
                    },
                  ),
                ),
              )}
              ${this.list(
                'domains-title',
                'Domains',
                s.blockedDomains.map((d) =>
                  this.item(html`${d.domain}`, d.at, {
                    key: `domain:${d.domain}`,
                    label: `Unblock ${d.domain}`,
                    run: (api) => api.unblockDomain(d.domain),
                    done: `${d.domain} is unblocked`,
                  }),
                ),
              )}
              ${this.list(
                'posts-title',
                'Posts',
                s.hiddenPosts.map((p) =>
                  this.item(html`@${p.acct}: ${this.postLink(p.url, p.uri)}`, p.at, {
                    key: `post:${p.uri}`,
                    label: 'Unhide post',
                    run: (api) => api.unhidePost(p.uri),
                    done: `The post by @${p.acct} counts again`,
                  }),
                ),
              )}
              ${this.list(
                'placed-title',
                'Placed by hand',
                s.placeFixes.map((f) =>
                  this.item(
                    html`@${f.acct} in
                    ${f.place ? placeName({ id: f.placeId, ...f.place }) : `place ${f.placeId}`}:
                    ${this.postLink(f.url, f.uri)}`,
                    f.at,
                    {
                      key: `placed:${f.uri}`,
                      label: 'Un-place',
                      run: (api) => api.unplacePost(f.uri),
                      done: `The post by @${f.acct} names no city again: it is back in Posts with no city`,
                    },
                  ),
                ),
              )}
            `
          : this.error
            ? nothing
            : html`<p class="muted">Loading…</p>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-admin-hidden': FtoAdminHidden;
  }
}
