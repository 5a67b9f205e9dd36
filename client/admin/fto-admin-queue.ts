import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { QueueItem, QueueSelection } from '../../shared/queue.js';
import { placeName } from '../cities.js';
import { customElement } from '../define.js';
import { timeAgo } from '../format.js';
import { safeHref, sanitizeExcerpt } from '../sanitize-excerpt.js';
import { contentWarningStyles, excerptStyles } from '../styles.js';
import '../components/fto-content-warning.js';
import { describeFailure, liveChanges, type AdminApi } from './admin-api.js';
import { adminStyles, gridItemStyles } from './admin-styles.js';
import { whyStyles } from './fto-admin-why.js';
import { moderated } from './moderated.js';

const REL = 'nofollow noopener noreferrer';
/** Posts per page. */
const PAGE = 50;

/**
 * The review queue: a campaign's new arrivals oldest first, reported and held posts among them.
 * Work it by keyboard (j/k next/previous, a approve, h hide the post, b block its author, x
 * select) or select posts and act on them at once; a filter (domain, word, accounts newer than N
 * days) narrows the list, and "Hide all matching" hides everything it matches. Each post says
 * why it is in its city or has none ("Why here: …", the locator's reason, as text).
 *
 * @fires fto-moderated - after every change
 */
@customElement('fto-admin-queue')
export class FtoAdminQueue extends LitElement {
  static override styles = [
    adminStyles,
    excerptStyles,
    contentWarningStyles,
    gridItemStyles,
    whyStyles,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.25rem 0.75rem;
        padding: 0.5rem;
        border-block-end: 1px solid var(--fto-line);
        border-inline-start: 3px solid transparent;
      }
      li[aria-current='true'] {
        border-inline-start-color: var(--fto-accent);
        background: var(--fto-surface);
      }
      li:focus-visible {
        outline: 2px solid var(--fto-accent);
        outline-offset: -2px;
      }
      .body {
        min-inline-size: 0;
        overflow-wrap: anywhere;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: end;
      }
      .filters label {
        display: grid;
        gap: 0.125rem;
      }
      .filters input[type='number'] {
        inline-size: 5rem;
      }
      kbd {
        font-family: inherit;
        border: 1px solid var(--fto-line);
        border-radius: 4px;
        padding: 0 0.25rem;
      }
    `,
  ];

  @property({ attribute: false }) api: AdminApi | null = null;
  @property() campaign = '';

  @state() private items: QueueItem[] = [];
  @state() private nextAfter: number | null = null;
  @state() private current = 0;
  @state() private selected = new Set<string>();
  @state() private filter: QueueSelection = {};
  @state() private waiting = 0;
  @state() private premoderation = false;
  @state() private loaded = false;
  @state() private busy = false;
  @state() private error: string | null = null;
  @state() private result = '';
  @state() private confirmAll = false;

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('campaign') || changed.has('api')) && this.api && this.campaign)
      void this.reload();
  }

  /** Reads the queue again from its oldest post. */
  async reload(): Promise<void> {
    this.items = [];
    this.nextAfter = null;
    this.selected = new Set();
    this.confirmAll = false;
    await this.load(0);
  }

  private async load(after: number): Promise<void> {
    if (!this.api) return;
    try {
      const page = await this.api.queue(this.campaign, this.filter, after, PAGE);
      this.items = after === 0 ? page.items : [...this.items, ...page.items];
      this.nextAfter = page.nextAfter;
      this.waiting = page.waiting;
      this.premoderation = page.premoderation;
      this.current = Math.min(this.current, Math.max(0, this.items.length - 1));
      this.loaded = true;
      this.error = null;
    } catch (err) {
      this.error = describeFailure(err);
    }
  }

  private drop(uris: Set<string>): void {
    this.items = this.items.filter((i) => !uris.has(i.uri));
    this.selected = new Set([...this.selected].filter((u) => !uris.has(u)));
    this.current = Math.min(this.current, Math.max(0, this.items.length - 1));
    moderated(this);
  }

  /** One action on the post under the cursor. */
  private async act(kind: 'approve' | 'hide' | 'block'): Promise<void> {
    const item = this.items[this.current];
    if (!this.api || !item || this.busy) return;
    this.busy = true;
    try {
      const res =
        kind === 'approve'
          ? await this.api.approve(this.campaign, item.uri)
          : kind === 'hide'
            ? await this.api.hidePost(item.uri)
            : await this.api.blockAccount(item.acct);
      const gone =
        kind === 'block'
          ? new Set(this.items.filter((i) => i.acct === item.acct).map((i) => i.uri))
          : new Set([item.uri]);
      this.drop(gone);
      this.result = `${
        kind === 'approve'
          ? `Approved the post by ${item.acct}`
          : kind === 'hide'
            ? `Hid the post by ${item.acct}`
            : `Blocked ${item.acct}`
      }: ${liveChanges(res)}.`;
      this.error = null;
      await this.updateComplete;
      this.focusCurrent();
    } catch (err) {
      this.error = `Could not ${kind === 'block' ? 'block the account' : `${kind} the post`}: ${describeFailure(err)}`;
    } finally {
      this.busy = false;
    }
  }

  private async bulk(action: 'approve' | 'hide', target: 'selection' | 'filter'): Promise<void> {
    if (!this.api || this.busy) return;
    this.busy = true;
    this.confirmAll = false;
    try {
      const res = await this.api.bulk(
        this.campaign,
        action,
        target === 'selection' ? { uris: [...this.selected] } : { filter: this.filter },
      );
      this.result = `${action === 'hide' ? 'Hid' : 'Approved'} ${res.posts} ${res.posts === 1 ? 'post' : 'posts'}: ${liveChanges({ ok: true, events: res.events })}.`;
      this.error = null;
      moderated(this);
      await this.reload();
    } catch (err) {
      this.error = `Could not ${action} them: ${describeFailure(err)}`;
    } finally {
      this.busy = false;
    }
  }

  private focusCurrent(): void {
    this.renderRoot.querySelector<HTMLElement>(`li[data-index="${this.current}"]`)?.focus();
  }

  private move(by: number): void {
    if (this.items.length === 0) return;
    this.current = Math.max(0, Math.min(this.items.length - 1, this.current + by));
    void this.updateComplete.then(() => this.focusCurrent());
  }

  private toggle(uri: string): void {
    const next = new Set(this.selected);
    if (next.has(uri)) next.delete(uri);
    else next.add(uri);
    this.selected = next;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.composedPath()[0] as HTMLElement;
    if (t.matches?.('input, textarea, select, button')) return;
    const item = this.items[this.current];
    const keys: Record<string, () => void> = {
      j: () => this.move(1),
      k: () => this.move(-1),
      a: () => void this.act('approve'),
      h: () => void this.act('hide'),
      b: () => void this.act('block'),
      x: () => item && this.toggle(item.uri),
    };
    const run = keys[e.key];
    if (!run) return;
    e.preventDefault();
    run();
  }

  private onFilter(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) =>
      (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const checked = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).checked;
    const days = Number(value('days'));
    this.filter = {
      domain: value('domain') || undefined,
      word: value('word') || undefined,
      newerThanDays: days > 0 ? Math.floor(days) : undefined,
      heldOnly: checked('held') || undefined,
      reportedOnly: checked('reported') || undefined,
    };
    void this.reload();
  }

  private renderItem(item: QueueItem, index: number) {
    const href = safeHref(item.url);
    return html`<li
      data-index=${index}
      tabindex=${index === this.current ? 0 : -1}
      aria-current=${index === this.current ? 'true' : 'false'}
      aria-label=${`${item.displayName || item.acct} (${item.acct})`}
      @click=${() => (this.current = index)}
    >
      <input
        type="checkbox"
        aria-label=${`Select the post by ${item.acct}`}
        .checked=${this.selected.has(item.uri)}
        @change=${() => this.toggle(item.uri)}
      />
      <div class="body">
        <strong>${item.displayName || item.acct}</strong>
        <span class="muted">${item.acct}</span>
        ·
        <span class="muted">${item.place ? placeName({ id: 0, ...item.place }) : 'no city'}</span>
        ·
        <span class="muted">arrived ${timeAgo(item.arrivedAt)}</span>
        ${item.held ? html` <span class="badge">held: ${item.held}</span>` : nothing}
        ${
          item.reports > 0
            ? html` <span class="badge"
                >reported
                ${item.reports}×${item.reportReasons.length ? `: ${item.reportReasons.join('; ')}` : ''}</span
              >`
            : nothing
        }
        ${
          item.sensitive
            ? html`<fto-content-warning
                .warning=${item.contentWarning ?? ''}
                .text=${item.content}
              ></fto-content-warning>`
            : html`<div class="excerpt">${unsafeHTML(sanitizeExcerpt(item.content))}</div>`
        }
        <fto-admin-why
          .reason=${item.reason}
          ?placed=${item.place !== null}
          ?sensitive=${item.sensitive}
        ></fto-admin-why>
        ${href ? html`<a href=${href} target="_blank" rel=${REL}>the post</a>` : nothing}
      </div>
    </li>`;
  }

  protected override render() {
    const narrowed = Boolean(this.filter.domain || this.filter.word || this.filter.newerThanDays);
    return html`<section class="card" aria-labelledby="queue-title">
      <h2 id="queue-title">Review queue</h2>
      <p class="sub">
        New arrivals, oldest first, with reported and held posts. Keys: <kbd>j</kbd>/<kbd>k</kbd>
        next/previous, <kbd>a</kbd> approve, <kbd>h</kbd> hide the post, <kbd>b</kbd> block its
        author, <kbd>x</kbd> select.
      </p>
      ${
        this.premoderation
          ? html`<p id="premoderation">
              Pre-moderation is on: ${this.waiting}
              ${this.waiting === 1 ? 'person waits' : 'people wait'} for review before they are
              shown.
            </p>`
          : nothing
      }
      <form class="filters" novalidate @submit=${this.onFilter} aria-label="Filter the queue">
        <label>Domain <input name="domain" type="text" placeholder="spam.example" /></label>
        <label>Word <input name="word" type="text" /></label>
        <label>Accounts newer than (days) <input name="days" type="number" min="1" /></label>
        <label
          ><span><input name="held" type="checkbox" /> held only</span></label
        >
        <label
          ><span><input name="reported" type="checkbox" /> reported only</span></label
        >
        <button class="button" type="submit">Show</button>
      </form>
      <div class="row">
        <button
          class="button"
          type="button"
          ?disabled=${this.selected.size === 0 || this.busy}
          @click=${() => this.bulk('approve', 'selection')}
        >
          Approve selected (${this.selected.size})
        </button>
        <button
          class="button danger"
          type="button"
          ?disabled=${this.selected.size === 0 || this.busy}
          @click=${() => this.bulk('hide', 'selection')}
        >
          Hide selected (${this.selected.size})
        </button>
        ${
          narrowed
            ? this.confirmAll
              ? html`<button
                  class="button danger"
                  type="button"
                  ?disabled=${this.busy}
                  @click=${() => this.bulk('hide', 'filter')}
                >
                  Yes, hide every post that matches
                </button>`
              : html`<button
                  class="button"
                  type="button"
                  ?disabled=${this.busy}
                  @click=${() => (this.confirmAll = true)}
                >
                  Hide all matching…
                </button>`
            : nothing
        }
        <button class="button" type="button" @click=${() => this.reload()}>Refresh</button>
      </div>
      <p class="status ok" role="status">${this.result}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${
        this.loaded && this.items.length === 0
          ? html`<p class="muted">Nothing waits for review${narrowed ? ' in this filter' : ''}.</p>`
          : html`<ol aria-label="Posts waiting for review" @keydown=${this.onKey}>
              ${this.items.map((item, i) => this.renderItem(item, i))}
            </ol>`
      }
      ${
        this.nextAfter !== null
          ? html`<button class="button" type="button" @click=${() => this.load(this.nextAfter!)}>
              Load more
            </button>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-admin-queue': FtoAdminQueue;
  }
}
