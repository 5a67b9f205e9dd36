import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { customElement } from '../define.js';
import type { ContributorProperties, PlaceLabel } from '../../shared/types.js';
import { fetchPlacePage } from '../api.js';
import { people, placeName } from '../cities.js';
import { onPanelKeydown, panelHeader, panelStyles } from '../panel.js';
import { personStyles, renderPerson } from '../person.js';
import { focusRing } from '../styles.js';

/** Load the next page when the reader scrolls this close to the end of the list (px). */
const PREFETCH_PX = 240;

/**
 * The people in one city, newest first, a page at a time: the server pages them, so a city with
 * thousands of people is a scrollable list that loads more as you reach its end (or press
 * "Show more"), never a pile of markers.
 *
 * Live updates come from the owner: `addLive()` puts a new arrival on top, `removeLive()` takes
 * someone out; both keep the total right without refetching. `reload()` starts over.
 *
 * @fires fto-panel-close - the reader asked to close the list (button or Escape)
 * @csspart panel - the outer section
 * @csspart person - each list item
 */
@customElement('fto-city-panel')
export class FtoCityPanel extends LitElement {
  static override styles = [
    panelStyles,
    personStyles,
    focusRing,
    css`
      .more {
        display: flex;
        justify-content: center;
        padding: 0.75rem;
      }
      .state {
        padding: 1rem;
        margin: 0;
        color: var(--fto-muted);
      }
    `,
  ];

  /** API origin; empty means the page's own. */
  @property() server = '';
  /** Campaign tag, without `#`. */
  @property() campaign = '';
  /** The city whose people to list. */
  @property({ attribute: false }) place: PlaceLabel | null = null;
  /** People per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;

  @state() private people: ContributorProperties[] = [];
  @state() private total: number | null = null;
  @state() private nextCursor: string | null = null;
  @state() private loading = false;
  @state() private error: string | null = null;

  @query('h2') private heading?: HTMLElement;
  private abort: AbortController | null = null;

  /** Moves focus to the heading, so keyboard and screen-reader users land in the list. */
  override focus(): void {
    this.heading?.focus();
  }

  /** Someone just joined or moved: show them first here, or take them out if they moved away. */
  addLive(person: ContributorProperties): void {
    if (this.total === null) return;
    if (person.place.id !== this.place?.id) {
      this.removeLive(person.acct);
      return;
    }
    const known = this.people.some((p) => p.acct === person.acct);
    this.people = [person, ...this.people.filter((p) => p.acct !== person.acct)];
    if (!known) this.total += 1;
  }

  /** Someone left (or moved away from) this city. */
  removeLive(acct: string): void {
    if (this.total === null || !this.people.some((p) => p.acct === acct)) return;
    this.people = this.people.filter((p) => p.acct !== acct);
    this.total = Math.max(0, this.total - 1);
  }

  /** Loads the city's first page again, dropping what was shown (after the server said `reset`). */
  reload(): void {
    this.people = [];
    this.total = null;
    this.nextCursor = null;
    this.error = null;
    void this.loadPage(null);
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    const before = changed.get('place') as PlaceLabel | null | undefined;
    if (
      changed.has('server') ||
      changed.has('campaign') ||
      (changed.has('place') && before?.id !== this.place?.id)
    ) {
      this.reload();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  private async loadPage(cursor: string | null): Promise<void> {
    const place = this.place;
    if (!place || !this.campaign) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    try {
      const page = await fetchPlacePage(this.server, this.campaign, place.id, {
        cursor,
        limit: this.pageSize,
        signal: abort.signal,
      });
      if (abort.signal.aborted) return;
      const seen = new Set(this.people.map((p) => p.acct));
      this.people = [...this.people, ...page.contributors.filter((p) => !seen.has(p.acct))];
      this.total = page.total;
      this.nextCursor = page.nextCursor;
      this.error = null;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.error = (err as Error).message;
    }
    this.loading = false;
  }

  private more(): void {
    if (!this.loading && this.nextCursor) void this.loadPage(this.nextCursor);
  }

  private onScroll(e: Event): void {
    const list = e.currentTarget as HTMLElement;
    if (list.scrollTop + list.clientHeight > list.scrollHeight - PREFETCH_PX) this.more();
  }

  protected override render() {
    const place = this.place;
    if (!place) return nothing;
    const where = placeName(place);
    const sub = this.total === null ? 'Loading…' : `${people(this.total)} here`;
    const remaining = this.total === null ? 0 : this.total - this.people.length;
    return html`<section part="panel" aria-labelledby="title" @keydown=${onPanelKeydown}>
      ${panelHeader(this, where, sub, `Close the people of ${place.name}`)}
      <div class="body" @scroll=${this.onScroll}>
        <ul class="people" aria-label=${`People in ${place.name}`}>
          ${this.people.map((p) => renderPerson(p, this))}
        </ul>
        ${this.error ? html`<p class="state error" role="alert">${this.error}</p>` : nothing}
        ${
          this.nextCursor || this.error
            ? html`<div class="more">
                <button
                  class="button"
                  type="button"
                  ?disabled=${this.loading}
                  @click=${() => (this.error && !this.nextCursor ? this.loadPage(null) : this.more())}
                >
                  ${this.loading ? 'Loading…' : this.error ? 'Try again' : `Show more (${remaining} more)`}
                </button>
              </div>`
            : nothing
        }
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-city-panel': FtoCityPanel;
  }
}
