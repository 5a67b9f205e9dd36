import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { Place } from '../../shared/types.js';
import { formatCount, placeName } from '../cities.js';
import { customElement } from '../define.js';
import { describeFailure, type AdminApi } from './admin-api.js';
import { adminStyles } from './admin-styles.js';

/**
 * A city search for placing a post by hand: type a name ("Portland", "Portland, Maine", a
 * GeoNames id), get the gazetteer's candidates most populous first, choose one.
 *
 * @fires fto-place-chosen - detail `{ place }` when a candidate is chosen
 */
@customElement('fto-place-picker')
export class FtoPlacePicker extends LitElement {
  static override styles = [
    adminStyles,
    css`
      form {
        display: grid;
        gap: 0.375rem;
      }
      .candidates {
        display: grid;
        gap: 0.25rem;
        margin-block-start: 0.5rem;
      }
      .candidate {
        inline-size: 100%;
        text-align: start;
        border-radius: 8px;
      }
      .population {
        color: var(--fto-muted);
        font-size: 0.8125rem;
      }
    `,
  ];

  @property({ attribute: false }) api: AdminApi | null = null;
  /** Disables choosing while the parent is saving a choice. */
  @property({ type: Boolean }) busy = false;

  @state() private places: Place[] | null = null;
  @state() private searchedFor = '';
  @state() private searching = false;
  @state() private error: string | null = null;

  @query('input') private input?: HTMLInputElement;

  override focus(): void {
    this.input?.focus();
  }

  private async search(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const q = this.input?.value.trim() ?? '';
    if (!q) {
      this.error = 'Type a city, e.g. “Portland” or “Portland, Maine”.';
      this.input?.focus();
      return;
    }
    if (!this.api) return;
    this.searching = true;
    this.error = null;
    try {
      this.places = await this.api.places(q);
      this.searchedFor = q;
    } catch (err) {
      this.error = describeFailure(err);
    }
    this.searching = false;
  }

  private choose(place: Place): void {
    this.dispatchEvent(
      new CustomEvent('fto-place-chosen', { detail: { place }, bubbles: true, composed: true }),
    );
  }

  private renderCandidates() {
    if (!this.places) return nothing;
    const n = this.places.length;
    return html`<p class="status" role="status">
        ${
          n
            ? `${n} ${n === 1 ? 'place' : 'places'} for “${this.searchedFor}”, most populous first. Choose one:`
            : `No place called “${this.searchedFor}”. Try another spelling, add the region (“Portland, Maine”) or a GeoNames id.`
        }
      </p>
      ${
        n
          ? html`<ul class="plain candidates" aria-label="Places found">
              ${this.places.map(
                (p) =>
                  html`<li>
                    <button
                      class="button candidate"
                      type="button"
                      ?disabled=${this.busy}
                      @click=${() => this.choose(p)}
                    >
                      ${placeName(p)}
                      <span class="population">· ${formatCount(p.population)} people</span>
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }`;
  }

  protected override render() {
    return html`<form @submit=${this.search} role="search">
      <label for="city">City</label>
      <div class="row">
        <input
          id="city"
          type="search"
          autocomplete="off"
          placeholder="Portland, Maine"
          aria-describedby="city-hint"
        />
        <button class="button" type="submit" ?disabled=${this.searching}>
          ${this.searching ? 'Searching…' : 'Find'}
        </button>
      </div>
      <p class="hint" id="city-hint">A name, a name and its region or country, or a GeoNames id.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.renderCandidates()}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-place-picker': FtoPlacePicker;
  }
  interface HTMLElementEventMap {
    'fto-place-chosen': CustomEvent<{ place: Place }>;
  }
}
