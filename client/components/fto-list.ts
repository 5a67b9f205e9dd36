import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { customElement } from '../define.js';
import type { CityProperties, PointFeature } from '../../shared/types.js';
import type { CityQuery } from '../api.js';
import { fetchCities, fetchCountries } from '../api.js';
import { formatCount, people } from '../cities.js';
import { countryName } from '../format.js';
import { countriesMatching, isCountryOpen, type Country } from '../country-filter.js';
import { onPanelKeydown, panelHeader } from '../panel.js';
import { ftoListStyles } from './fto-list-styles.js';

type CityFeature = PointFeature<CityProperties>;

/** Cities per request when the reader asks for more. */
const PAGE = 50;
/** The server's largest page, for reloading what is already shown in few requests. */
const MAX_PAGE = 200;
/** Wait after typing before searching city names, so a word is one request. */
const SEARCH_DEBOUNCE_MS = 250;
/** Wait after a live event before reloading, so a burst of arrivals is one reload. */
const LIVE_DEBOUNCE_MS = 1_000;
/** The key of the city-name search results among the lists of cities. */
const SEARCH = '';

/** Some of a country's cities (or of a search's), as far as the reader has paged. */
interface CityList {
  query: CityQuery;
  cities: CityFeature[];
  total: number;
  next: string | null;
  loading: boolean;
  error: string | null;
}

/**
 * Everyone by country and city, as an alternative to the map that works with a keyboard and a
 * screen reader: each country is a disclosure, each city a button that opens its people.
 *
 * It never holds every city: the countries come in one request, a country's cities a page at a
 * time when it is opened ("Show more cities"), and typing searches city names on the server,
 * paged the same way. It follows the campaign live: its owner calls `refreshLater()` on live
 * events and `reload()` after a `reset`, and what is shown is fetched again as far as it was
 * paged, so people who left leave the counts and cities without anyone asking.
 *
 * @fires fto-city-select - detail `{ place, coordinates }` when a city is chosen
 * @fires fto-panel-close - the reader asked to close the panel (button or Escape)
 * @csspart panel - the outer section
 */
@customElement('fto-list')
export class FtoList extends LitElement {
  static override styles = ftoListStyles;

  /** API origin; empty means the page's own. */
  @property() server = '';
  /** Campaign tag, without `#`. */
  @property() campaign = '';
  /** Shown beside or instead of the map rather than as a panel: no close button. */
  @property({ type: Boolean }) docked = false;

  @state() private countries: Country[] | null = null;
  @state() private filter = '';
  @state() private error: string | null = null;
  @state() private open = new Set<string>();
  /** Lists of cities by country code, and the search results under SEARCH. */
  @state() private lists = new Map<string, CityList>();

  @query('h2') private heading?: HTMLElement;
  private abort = new AbortController();
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private liveTimer: ReturnType<typeof setTimeout> | undefined;

  /** Moves focus to the heading when the panel opens. */
  override focus(): void {
    this.heading?.focus();
  }

  /**
   * Something changed on the server: reload what is shown soon, once for a burst of events; with
   * `spreadMs` (the server's LiveStats.refreshSpreadMs) a random share of it later still.
   */
  refreshLater(spreadMs = 0): void {
    this.liveTimer ??= setTimeout(
      () => {
        this.liveTimer = undefined;
        void this.reload();
      },
      LIVE_DEBOUNCE_MS + Math.floor(Math.random() * spreadMs),
    );
  }

  /** Reloads the countries and every list of cities shown, as far as each was paged. */
  async reload(): Promise<void> {
    const signal = this.abort.signal;
    const lists = [...this.lists.entries()];
    await Promise.all([
      this.loadCountries(signal),
      ...lists.map(([key, list]) => this.fetchInto(key, list.query, null, list.cities.length)),
    ]);
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('server') || changed.has('campaign')) {
      this.abort.abort();
      this.abort = new AbortController();
      this.countries = null;
      this.lists = new Map();
      this.open = new Set();
      if (this.campaign) void this.loadCountries(this.abort.signal);
      if (this.filter.trim()) this.search();
    }
  }

  protected override updated(): void {
    // A country shown open gets its first page, whether the reader or the filter opened it.
    for (const c of this.openCountries()) {
      if (!this.lists.has(c.country))
        void this.fetchInto(c.country, { country: c.country }, null, PAGE);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort.abort();
    this.abort = new AbortController();
    clearTimeout(this.searchTimer);
    clearTimeout(this.liveTimer);
    this.liveTimer = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the page after an abort: what was shown may be stale or half loaded.
    if (this.countries && this.campaign) void this.reload();
  }

  private async loadCountries(signal: AbortSignal): Promise<void> {
    try {
      const countries = await fetchCountries(this.server, this.campaign, signal);
      if (signal.aborted) return;
      this.countries = countries.map((c) => ({ ...c, name: countryName(c.country) }));
      this.error = null;
    } catch (err) {
      if (!signal.aborted) this.error = (err as Error).message;
    }
  }

  /**
   * Fetches `want` cities for a list, from `cursor` (appending) or from the start (replacing
   * what was shown, after a change on the server), in as few pages as the server allows.
   */
  private async fetchInto(
    key: string,
    query: CityQuery,
    cursor: string | null,
    want: number,
  ): Promise<CityFeature[]> {
    const signal = this.abort.signal;
    const before = this.lists.get(key);
    const kept = cursor ? (before?.cities ?? []) : [];
    this.setList(key, {
      query,
      cities: before?.cities ?? [],
      total: before?.total ?? 0,
      next: before?.next ?? null,
      loading: true,
      error: null,
    });
    const got: CityFeature[] = [];
    let total = before?.total ?? 0;
    let next = cursor;
    try {
      do {
        const limit = Math.min(MAX_PAGE, Math.max(PAGE, want - got.length));
        const page = await fetchCities(
          this.server,
          this.campaign,
          { ...query, cursor: next, limit },
          signal,
        );
        if (signal.aborted || this.lists.get(key)?.query !== query) return [];
        got.push(...page.features);
        total = page.total;
        next = page.nextCursor;
      } while (next && got.length < want);
    } catch (err) {
      if (signal.aborted || this.lists.get(key)?.query !== query) return [];
      this.setList(key, { ...this.lists.get(key)!, loading: false, error: (err as Error).message });
      return [];
    }
    const seen = new Set(kept.map((f) => f.properties.place.id));
    const added = got.filter((f) => !seen.has(f.properties.place.id));
    this.setList(key, {
      query,
      cities: [...kept, ...added],
      total,
      next,
      loading: false,
      error: null,
    });
    return added;
  }

  private setList(key: string, list: CityList): void {
    this.lists = new Map(this.lists).set(key, list);
  }

  /** The next page of a list; focus moves to the first new city, as the button may be gone. */
  private async more(key: string): Promise<void> {
    const list = this.lists.get(key);
    if (!list || list.loading) return;
    // After a failed first page start over; after a failed later one, retry that page.
    const added = await this.fetchInto(
      key,
      list.query,
      list.cities.length ? list.next : null,
      PAGE,
    );
    const first = added[0];
    if (!first) return;
    await this.updateComplete;
    this.renderRoot
      .querySelector<HTMLElement>(
        `[data-list="${key}"] button[data-place="${first.properties.place.id}"]`,
      )
      ?.focus();
  }

  private onFilter(e: InputEvent): void {
    this.filter = (e.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.search(), SEARCH_DEBOUNCE_MS);
  }

  /** Searches city names for the filter, or drops the results when it is empty. */
  private search(): void {
    const q = this.filter.trim();
    if (!q) {
      const lists = new Map(this.lists);
      lists.delete(SEARCH);
      this.lists = lists;
      return;
    }
    if (this.lists.get(SEARCH)?.query.q === q) return;
    void this.fetchInto(SEARCH, { q }, null, PAGE);
  }

  private choose(city: CityFeature): void {
    this.dispatchEvent(
      new CustomEvent('fto-city-select', {
        detail: { place: city.properties.place, coordinates: city.geometry.coordinates },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private toggle(c: Country, e: Event): void {
    const isOpen = (e.currentTarget as HTMLDetailsElement).open;
    // The filter opening it (or the reader closing one it opened) is not the reader's choice to keep.
    if (isOpen === this.isOpen(c, this.visible())) return;
    const code = c.country;
    const open = new Set(this.open);
    if (isOpen) open.add(code);
    else open.delete(code);
    this.open = open;
  }

  /** Countries shown: all, or those whose name or code matches the filter. */
  private visible(): Country[] {
    return countriesMatching(this.countries ?? [], this.filter);
  }

  private isOpen(c: Country, shown: Country[]): boolean {
    return isCountryOpen(c, shown, this.open, this.filter);
  }

  private openCountries(): Country[] {
    const shown = this.visible();
    return shown.filter((c) => this.isOpen(c, shown));
  }

  private renderCity(f: CityFeature, withCountry: boolean) {
    const { place, count } = f.properties;
    return html`<li>
      <button class="city" type="button" data-place=${place.id} @click=${() => this.choose(f)}>
        <span>${withCountry ? `${place.name}, ${countryName(place.country)}` : place.name}</span>
        <span class="n">${people(count)}</span>
      </button>
    </li>`;
  }

  /** A list of cities as far as it was paged, with its state and "Show more". */
  private renderCities(key: string, label: string, moreLabel: string) {
    const list = this.lists.get(key);
    const cities = list?.cities ?? [];
    const left = list ? list.total - cities.length : 0;
    return html`<ul class="cities" aria-label=${label} data-list=${key}>
        ${cities.map((f) => this.renderCity(f, key === SEARCH))}
        ${!list || (list.loading && !cities.length) ? html`<li class="state">Loading…</li>` : nothing}
      </ul>
      ${list?.error ? html`<p class="state error" role="alert">${list.error}</p>` : nothing}
      ${
        list && (list.next || list.error)
          ? html`<div class="more">
              <button
                class="button"
                type="button"
                ?disabled=${list.loading}
                @click=${() => this.more(key)}
              >
                ${list.loading ? 'Loading…' : list.error ? 'Try again' : `${moreLabel} (${formatCount(left)} more)`}
              </button>
            </div>`
          : nothing
      }`;
  }

  private renderCountry(c: Country, open: boolean) {
    return html`<li>
      <details ?open=${open} @toggle=${(e: Event) => this.toggle(c, e)}>
        <summary>
          <span>${c.name}</span>
          <span class="n"
            >${people(c.count)}, ${formatCount(c.cities)}
            ${c.cities === 1 ? 'city' : 'cities'}</span
          >
        </summary>
        ${open ? this.renderCities(c.country, `Cities in ${c.name}`, 'Show more cities') : nothing}
      </details>
    </li>`;
  }

  private renderSearch(q: string) {
    const found = this.lists.get(SEARCH);
    const label = `Cities named like “${q}”`;
    return html`<section class="found" aria-label=${label}>
      <h3>
        ${found && !found.loading ? `${formatCount(found.total)} ${found.total === 1 ? 'city' : 'cities'} named like “${q}”` : label}
      </h3>
      ${this.renderCities(SEARCH, label, 'Show more cities')}
    </section>`;
  }

  protected override render() {
    const countries = this.visible();
    const q = this.filter.trim();
    const found = this.lists.get(SEARCH);
    const nothingMatches =
      q &&
      this.countries &&
      !countries.length &&
      found?.query.q === q &&
      !found.loading &&
      found.total === 0;
    return html`<section part="panel" aria-labelledby="title" @keydown=${onPanelKeydown}>
      ${panelHeader(
        this,
        'Everyone, by country',
        this.countries ? `${formatCount(this.countries.length)} countries` : 'Loading…',
        this.docked ? null : 'Close the list',
      )}
      <div class="filter">
        <label class="visually-hidden" for="filter">Filter countries and cities</label>
        <input
          id="filter"
          type="search"
          placeholder="Filter countries and cities"
          .value=${this.filter}
          @input=${this.onFilter}
        />
      </div>
      <div class="body">
        ${this.error ? html`<p class="state error" role="alert">${this.error}</p>` : nothing}
        ${this.countries && !this.countries.length ? html`<p class="state">No one yet.</p>` : nothing}
        <p class="state" role="status" ?hidden=${!nothingMatches}>
          ${nothingMatches ? 'Nothing matches.' : ''}
        </p>
        <ul aria-label="Countries">
          ${countries.map((c) => this.renderCountry(c, this.isOpen(c, countries)))}
        </ul>
        ${q ? this.renderSearch(q) : nothing}
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-list': FtoList;
  }
}
