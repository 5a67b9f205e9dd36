import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { customElement } from '../define.js';
import type { CityProperties, PointFeature } from '../../shared/types.js';
import { fetchView } from '../api.js';
import type { Country } from '../cities.js';
import { formatCount, groupByCountry, people } from '../cities.js';
import { onPanelKeydown, panelHeader, panelStyles } from '../panel.js';
import { focusRing } from '../styles.js';

type CityFeature = PointFeature<CityProperties>;

/** The whole world at a zoom past any clustering: every city, once. */
const EVERY_CITY = { bbox: [-180, -85, 180, 85] as [number, number, number, number], zoom: 16 };

/**
 * Everyone by country and city, as an alternative to the map that works with a keyboard and a
 * screen reader: each country is a disclosure, each city a button that opens its people.
 *
 * @fires fto-city-select - detail `{ place, coordinates }` when a city is chosen
 * @fires fto-panel-close - the reader asked to close the panel (button or Escape)
 * @csspart panel - the outer section
 */
@customElement('fto-list')
export class FtoList extends LitElement {
  static override styles = [
    panelStyles,
    focusRing,
    css`
      .filter {
        padding: 0.75rem 1rem;
        border-block-end: 1px solid var(--fto-line);
      }
      input {
        box-sizing: border-box;
        inline-size: 100%;
        font: inherit;
        padding: 0.375rem 0.625rem;
        border: 1px solid var(--fto-muted);
        border-radius: 8px;
        background: var(--fto-bg);
        color: var(--fto-fg);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      details {
        border-block-end: 1px solid var(--fto-line);
      }
      summary {
        display: flex;
        justify-content: space-between;
        gap: 1rem;
        padding: 0.625rem 1rem;
        cursor: pointer;
        font-weight: 600;
      }
      summary .n,
      .city .n {
        font-weight: 400;
        color: var(--fto-muted);
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .city {
        display: flex;
        justify-content: space-between;
        gap: 1rem;
        inline-size: 100%;
        padding: 0.5rem 1rem 0.5rem 2rem;
        border: 0;
        background: none;
        color: var(--fto-link);
        font: inherit;
        text-align: start;
        cursor: pointer;
      }
      .city:hover {
        background: var(--fto-surface);
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
  /** Shown beside or instead of the map rather than as a panel: no close button. */
  @property({ type: Boolean }) docked = false;

  @state() private countries: Country[] | null = null;
  @state() private filter = '';
  @state() private error: string | null = null;
  @state() private open = new Set<string>();

  @query('h2') private heading?: HTMLElement;
  private abort: AbortController | null = null;

  /** Moves focus to the heading when the panel opens. */
  override focus(): void {
    this.heading?.focus();
  }

  /** Loads the list again (e.g. after people joined). */
  async reload(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const features = await fetchView(this.server, this.campaign, EVERY_CITY, abort.signal);
      if (abort.signal.aborted) return;
      this.countries = groupByCountry(
        features.filter((f): f is CityFeature => !f.properties.cluster),
      );
      this.error = null;
    } catch (err) {
      if (!abort.signal.aborted) this.error = (err as Error).message;
    }
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('server') || changed.has('campaign')) {
      this.countries = null;
      if (this.campaign) void this.reload();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
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

  private toggle(code: string, e: Event): void {
    const isOpen = (e.currentTarget as HTMLDetailsElement).open;
    const open = new Set(this.open);
    if (isOpen) open.add(code);
    else open.delete(code);
    this.open = open;
  }

  private visible(): Country[] {
    const q = this.filter.trim().toLocaleLowerCase();
    const countries = this.countries ?? [];
    if (!q) return countries;
    const result: Country[] = [];
    for (const c of countries) {
      if (c.name.toLocaleLowerCase().includes(q) || c.code.toLowerCase() === q) {
        result.push(c);
        continue;
      }
      const cities = c.cities.filter((f) =>
        f.properties.place.name.toLocaleLowerCase().includes(q),
      );
      if (cities.length) result.push({ ...c, cities });
    }
    return result;
  }

  private renderCountry(c: Country, filtered: boolean) {
    // While filtering, countries open so matching cities show; otherwise the reader opens them.
    const open = filtered || this.open.has(c.code);
    return html`<li>
      <details ?open=${open} @toggle=${(e: Event) => this.toggle(c.code, e)}>
        <summary>
          <span>${c.name}</span>
          <span class="n"
            >${people(c.count)}, ${formatCount(c.cities.length)}
            ${c.cities.length === 1 ? 'city' : 'cities'}</span
          >
        </summary>
        ${
          open
            ? html`<ul>
                ${c.cities.map(
                  (f) =>
                    html`<li>
                      <button class="city" type="button" @click=${() => this.choose(f)}>
                        <span>${f.properties.place.name}</span>
                        <span class="n">${people(f.properties.count)}</span>
                      </button>
                    </li>`,
                )}
              </ul>`
            : nothing
        }
      </details>
    </li>`;
  }

  protected override render() {
    const countries = this.visible();
    const filtered = this.filter.trim() !== '';
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
          @input=${(e: InputEvent) => (this.filter = (e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="body">
        ${this.error ? html`<p class="state error" role="alert">${this.error}</p>` : nothing}
        ${
          this.countries && !countries.length
            ? html`<p class="state">${filtered ? 'Nothing matches.' : 'No one yet.'}</p>`
            : nothing
        }
        <ul aria-label="Countries">
          ${countries.map((c) => this.renderCountry(c, filtered))}
        </ul>
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-list': FtoList;
  }
}
