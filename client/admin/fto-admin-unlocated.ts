import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { UnlocatedPost } from '../../shared/admin.js';
import type { Place } from '../../shared/types.js';
import { placeName } from '../cities.js';
import { customElement } from '../define.js';
import { fullDate, timeAgo } from '../format.js';
import { safeHref, sanitizeExcerpt } from '../sanitize-excerpt.js';
import { contentWarningStyles, excerptStyles } from '../styles.js';
import '../components/fto-content-warning.js';
import { describeFailure, liveChanges, type AdminApi } from './admin-api.js';
import { adminStyles } from './admin-styles.js';
import { whyStyles } from './fto-admin-why.js';
import { moderated } from './moderated.js';
import './fto-place-picker.js';

/** Posts per page of "load more". */
const PAGE = 20;
const REL = 'nofollow noopener noreferrer';

/** What happened to a post on this page. */
type Outcome =
  { kind: 'placed'; label: string } | { kind: 'hidden' } | { kind: 'error'; message: string };

/**
 * "Posts with no city" for one campaign, latest collected first, a page at a time: each post
 * (sanitised again here; one behind a content warning only once the moderator presses "Show post"),
 * its author and link, why it has no pin (the locator's reason, as text), "Place it" (a city
 * search, then POST /posts/place) and "Hide post" (with undo).
 *
 * @fires fto-moderated - after every change, so other lists can refresh
 */
@customElement('fto-admin-unlocated')
export class FtoAdminUnlocated extends LitElement {
  static override styles = [
    adminStyles,
    excerptStyles,
    contentWarningStyles,
    whyStyles,
    css`
      .posts {
        display: grid;
        gap: 0.75rem;
        margin-block: 0.75rem;
      }
      .post {
        border: 1px solid var(--fto-line);
        border-radius: 10px;
        padding: 0.75rem;
        background: var(--fto-surface);
      }
      .who {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        font-size: 0.875rem;
      }
      .acct {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      fto-place-picker {
        margin-block-start: 0.75rem;
      }
      .more {
        display: flex;
        gap: 0.75rem;
        align-items: center;
      }
    `,
  ];

  @property({ attribute: false }) api: AdminApi | null = null;
  /** Campaign tag, without `#`. */
  @property() campaign = '';

  @state() private posts: UnlocatedPost[] = [];
  @state() private nextBefore: number | null = null;
  @state() private loading = false;
  @state() private loaded = false;
  @state() private error: string | null = null;
  /** The post whose city search is open. */
  @state() private placing: string | null = null;
  /** The post a request is under way for. */
  @state() private busy: string | null = null;
  @state() private outcomes = new Map<string, Outcome>();
  /** The last thing done, for screen readers (the visible result sits by the post). */
  @state() private announcement = '';

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('campaign') || changed.has('api')) && this.api && this.campaign)
      void this.reload();
  }

  /** Starts over from the newest post. */
  async reload(): Promise<void> {
    this.posts = [];
    this.nextBefore = null;
    this.outcomes = new Map();
    this.placing = null;
    this.loaded = false;
    await this.loadPage(null);
  }

  private async loadPage(before: number | null): Promise<void> {
    if (!this.api) return;
    const campaign = this.campaign;
    this.loading = true;
    this.error = null;
    try {
      const page = await this.api.unlocated(campaign, { limit: PAGE, before });
      if (campaign !== this.campaign) return;
      this.posts = [...this.posts, ...page.posts];
      this.nextBefore = page.nextBefore;
      this.loaded = true;
      if (before !== null)
        this.announcement = `${page.posts.length} more ${page.posts.length === 1 ? 'post' : 'posts'} loaded.`;
    } catch (err) {
      this.error = describeFailure(err);
    } finally {
      this.loading = false;
    }
  }

  private setOutcome(uri: string, outcome: Outcome | null): void {
    const next = new Map(this.outcomes);
    if (outcome) next.set(uri, outcome);
    else next.delete(uri);
    this.outcomes = next;
  }

  private async act(
    post: UnlocatedPost,
    run: (api: AdminApi) => Promise<{ ok: true; events: number }>,
    done: () => Outcome | null,
    what: string,
  ): Promise<void> {
    if (!this.api || this.busy) return;
    this.busy = post.uri;
    try {
      const result = await run(this.api);
      const outcome = done();
      this.setOutcome(post.uri, outcome);
      this.announcement =
        outcome?.kind === 'placed'
          ? `Post by ${post.acct} placed in ${outcome.label}: ${liveChanges(result)}.`
          : outcome?.kind === 'hidden'
            ? `Post by ${post.acct} hidden: ${liveChanges(result)}.`
            : `Post by ${post.acct} is back: ${liveChanges(result)}.`;
      moderated(this);
      await this.updateComplete;
      this.focusIn(post, '[data-focus]');
    } catch (err) {
      const message = `Could not ${what}: ${describeFailure(err)}`;
      this.setOutcome(post.uri, { kind: 'error', message });
      this.announcement = '';
    } finally {
      this.busy = null;
    }
  }

  private place(post: UnlocatedPost, place: Place): void {
    const label = placeName(place);
    void this.act(
      post,
      (api) => api.placePost(post.uri, place.id),
      () => {
        this.placing = null;
        return { kind: 'placed', label };
      },
      `place it in ${label}`,
    );
  }

  /** Keeps keyboard focus with the post whose buttons just changed. */
  private focusIn(post: UnlocatedPost, selector: string): void {
    this.renderRoot
      .querySelector<HTMLElement>(`[data-uri="${CSS.escape(post.uri)}"] ${selector}`)
      ?.focus();
  }

  private async togglePlacing(post: UnlocatedPost): Promise<void> {
    this.placing = this.placing === post.uri ? null : post.uri;
    await this.updateComplete;
    if (this.placing) this.focusIn(post, 'fto-place-picker');
  }

  private async closePicker(post: UnlocatedPost, e: KeyboardEvent): Promise<void> {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    this.placing = null;
    await this.updateComplete;
    this.focusIn(post, '[data-focus]');
  }

  private renderActions(post: UnlocatedPost) {
    const outcome = this.outcomes.get(post.uri);
    const busy = this.busy === post.uri;
    if (outcome?.kind === 'placed')
      return html`<p class="status ok" tabindex="-1" data-focus>
        Placed in ${outcome.label}. It is on the map now.
      </p>`;
    if (outcome?.kind === 'hidden')
      return html`<div class="row">
        <p class="status">Hidden: it will not count for the map.</p>
        <button
          class="button"
          type="button"
          data-focus
          ?disabled=${busy}
          @click=${() =>
            this.act(
              post,
              (api) => api.unhidePost(post.uri),
              () => null,
              'undo the hide',
            )}
        >
          Undo
        </button>
      </div>`;
    return html`<div class="row">
        <button
          class="button primary"
          type="button"
          aria-expanded=${this.placing === post.uri ? 'true' : 'false'}
          data-focus
          ?disabled=${busy}
          @click=${() => this.togglePlacing(post)}
        >
          Place it
        </button>
        <button
          class="button"
          type="button"
          ?disabled=${busy}
          @click=${() =>
            this.act(
              post,
              (api) => api.hidePost(post.uri),
              () => ({ kind: 'hidden' }),
              'hide the post',
            )}
        >
          Hide post
        </button>
      </div>
      ${outcome?.kind === 'error' ? html`<p class="error" role="alert">${outcome.message}</p>` : nothing}
      ${
        this.placing === post.uri
          ? html`<fto-place-picker
              .api=${this.api}
              ?busy=${busy}
              @keydown=${(e: KeyboardEvent) => this.closePicker(post, e)}
              @fto-place-chosen=${(e: CustomEvent<{ place: Place }>) => this.place(post, e.detail.place)}
            ></fto-place-picker>`
          : nothing
      }`;
  }

  private renderPost(post: UnlocatedPost) {
    const link = safeHref(post.url) ?? safeHref(post.uri);
    return html`<li class="post" data-uri=${post.uri}>
      <div class="who">
        <span class="acct">@${post.acct}</span>
        <time class="muted" datetime=${post.createdAt} title=${fullDate(post.createdAt)}
          >${timeAgo(post.createdAt)}</time
        >
        ${link ? html`<a href=${link} rel=${REL} target="_blank">Open the post</a>` : nothing}
      </div>
      ${
        post.sensitive
          ? html`<fto-content-warning
              .warning=${post.contentWarning ?? ''}
              .text=${post.content}
            ></fto-content-warning>`
          : html`<div class="excerpt">${unsafeHTML(sanitizeExcerpt(post.content))}</div>`
      }
      <fto-admin-why .reason=${post.reason} ?sensitive=${post.sensitive}></fto-admin-why>
      ${this.renderActions(post)}
    </li>`;
  }

  protected override render() {
    const none = this.loaded && this.posts.length === 0;
    return html`<section class="card" aria-labelledby="unlocated-title">
      <h2 id="unlocated-title" tabindex="-1">Posts with no city</h2>
      <p class="sub">
        Posts to #${this.campaign} that named no city the map could place, latest collected first.
        Place one by hand, or hide it.
      </p>
      <p class="visually-hidden" role="status">${this.announcement}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${none ? html`<p class="muted">None: every post to #${this.campaign} is on the map.</p>` : nothing}
      ${
        this.posts.length
          ? html`<ol class="plain posts">
              ${this.posts.map((p) => this.renderPost(p))}
            </ol>`
          : nothing
      }
      <div class="more">
        ${
          this.nextBefore !== null
            ? html`<button
                id="load-more"
                class="button"
                type="button"
                ?disabled=${this.loading}
                @click=${() => this.loadPage(this.nextBefore)}
              >
                Load more
              </button>`
            : nothing
        }
        <button
          class="button"
          type="button"
          ?disabled=${this.loading}
          @click=${() => this.reload()}
        >
          Refresh
        </button>
        ${this.loading ? html`<span class="muted">Loading…</span>` : nothing}
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-admin-unlocated': FtoAdminUnlocated;
  }
}
