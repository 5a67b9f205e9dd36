import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { customElement } from '../define.js';
import type { NearbyResult, Place } from '../../shared/types.js';
import type { NearbyQuery } from '../api.js';
import { ApiError, ambiguousCandidates, fetchNearby, fetchPlaces } from '../api.js';
import { distanceLabel, placeName } from '../cities.js';
import { onPanelKeydown, panelHeader, panelStyles } from '../panel.js';
import { personStyles, renderPerson } from '../person.js';
import { focusRing } from '../styles.js';

/** How many people a search lists. */
const LIMIT = 25;
/** Typing pause before places are suggested, and the shortest text that gets suggestions. */
const SUGGEST_DELAY_MS = 200;
const SUGGEST_MIN_CHARS = 2;

/** What went wrong with a search, said as a person would, never the request that failed. */
function searchProblem(err: unknown, query: NearbyQuery | null): string {
  if (!(err instanceof ApiError)) return (err as Error).message;
  if (err.status === 404 && query && 'near' in query)
    return `No place called “${query.near}”. Try adding the region or country, like “Portland, Maine”.`;
  if (err.status === 404 && query && 'placeId' in query)
    return 'That place is not in this map’s list of cities; type its name instead.';
  if (err.status === 429) return 'Too many searches at once; wait a moment and try again.';
  if (err.status === 0)
    return 'Could not reach the map’s server. Check your connection and try again.';
  return `The search did not work (the server answered ${err.status}). Try again in a moment.`;
}

function locate(): Promise<{ lat: number; lng: number }> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(new Error('This browser cannot share its location; type a city instead.'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ lat: pos.coords.latitude, lng: pos.coords.longitude }),
      (err) =>
        reject(
          new Error(
            err.code === err.PERMISSION_DENIED
              ? 'Location was not shared; type a city instead.'
              : 'Your location could not be found; type a city instead.',
          ),
        ),
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 600_000 },
    );
  });
}

/**
 * "Find others near me": the browser's location (asked for only when the button is pressed,
 * rounded to ~1 km, sent once with the query and never stored) or a typed city, then the
 * closest contributors with their distance.
 *
 * @fires fto-nearby - detail `{ result }` (a NearbyResult, or null when cleared) so the map can ring those cities
 * @fires fto-panel-close - the reader asked to close the panel (button or Escape)
 * @csspart panel - the outer section
 * @csspart person - each result
 */
@customElement('fto-nearby')
export class FtoNearby extends LitElement {
  static override styles = [
    panelStyles,
    personStyles,
    focusRing,
    css`
      form {
        display: grid;
        gap: 0.5rem;
        padding: 0.875rem 1rem;
        border-block-end: 1px solid var(--fto-line);
      }
      .row {
        display: flex;
        gap: 0.5rem;
      }
      input {
        flex: 1;
        min-inline-size: 0;
      }
      .or {
        margin: 0;
        color: var(--fto-muted);
        font-size: 0.8125rem;
      }
      .error {
        margin: 0;
        color: var(--fto-warn, #b45309);
        font-size: 0.875rem;
        font-weight: 600;
      }
      .choices ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.375rem;
        margin: 0.375rem 0 0;
        padding: 0;
        list-style: none;
      }
      .summary {
        margin: 0;
        padding: 0.625rem 1rem;
        font-size: 0.875rem;
        color: var(--fto-muted);
      }
      .distance {
        font-weight: 600;
        color: var(--fto-fg);
      }
    `,
  ];

  /** API origin; empty means the page's own. */
  @property() server = '';
  /** Campaign tag, without `#`. */
  @property() campaign = '';

  @state() private result: NearbyResult | null = null;
  @state() private busy = false;
  @state() private error: string | null = null;
  /** The places an ambiguous name could be ("Springfield"), offered as buttons; null otherwise. */
  @state() private choices: { name: string; places: Place[] } | null = null;
  /** Places for what is typed, for the input's datalist. */
  @state() private suggestions: Place[] = [];
  private suggestTimer: ReturnType<typeof setTimeout> | undefined;
  private suggestAbort: AbortController | null = null;

  @query('h2') private heading?: HTMLElement;
  @query('input') private input?: HTMLInputElement;
  private abort: AbortController | null = null;
  /** The place of the results shown, to search again without asking for the location twice. */
  private lastQuery: NearbyQuery | null = null;

  /** Moves focus to the heading when the panel opens. */
  override focus(): void {
    this.heading?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.suggestAbort?.abort();
    clearTimeout(this.suggestTimer);
  }

  private setResult(result: NearbyResult | null): void {
    this.result = result;
    this.dispatchEvent(
      new CustomEvent('fto-nearby', { detail: { result }, bubbles: true, composed: true }),
    );
  }

  /** Runs the last search again (after the server said `reset`); nothing when there was none. */
  reload(): void {
    const where = this.lastQuery;
    if (where) void this.search(async () => where);
  }

  /** Someone left the map: they leave the results too, and the map's rings with them. */
  removeLive(acct: string): void {
    const result = this.result;
    if (!result?.features.some((f) => f.properties.acct === acct)) return;
    this.setResult({
      ...result,
      features: result.features.filter((f) => f.properties.acct !== acct),
    });
  }

  private async search(query: () => Promise<NearbyQuery>): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.busy = true;
    this.error = null;
    this.choices = null;
    let where: NearbyQuery | null = null;
    try {
      where = await query();
      const result = await fetchNearby(this.server, this.campaign, where, {
        limit: LIMIT,
        signal: abort.signal,
      });
      if (abort.signal.aborted) return;
      this.lastQuery = where;
      this.setResult(result);
    } catch (err) {
      if (abort.signal.aborted) return;
      // The old results answered another question: they go, with the map's rings.
      this.setResult(null);
      this.lastQuery = null;
      const places = ambiguousCandidates(err);
      if (places?.length && where && 'near' in where) this.choices = { name: where.near, places };
      else this.error = searchProblem(err, where);
    }
    this.busy = false;
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const near = this.input?.value.trim() ?? '';
    if (!near) {
      this.error = 'Type a city, e.g. “Portland, Oregon”.';
      return;
    }
    // A suggestion picked from the list is that very place, not a name to guess from.
    const picked = this.suggestions.find((p) => placeName(p) === near);
    void this.search(async () => (picked ? { placeId: picked.id } : { near }));
  }

  private choose(place: Place): void {
    if (this.input) this.input.value = placeName(place);
    void this.search(async () => ({ placeId: place.id }));
  }

  private onInput(): void {
    clearTimeout(this.suggestTimer);
    const text = this.input?.value.trim() ?? '';
    if (text.length < SUGGEST_MIN_CHARS || this.suggestions.some((p) => placeName(p) === text)) {
      if (text.length < SUGGEST_MIN_CHARS) this.suggestions = [];
      return;
    }
    this.suggestTimer = setTimeout(() => void this.suggest(text), SUGGEST_DELAY_MS);
  }

  private async suggest(text: string): Promise<void> {
    this.suggestAbort?.abort();
    const abort = new AbortController();
    this.suggestAbort = abort;
    try {
      const places = await fetchPlaces(this.server, text, abort.signal);
      if (!abort.signal.aborted) this.suggestions = places;
    } catch {
      // Suggestions are a help, not a promise: typing and Search still work without them.
    }
  }

  private renderChoices() {
    const choices = this.choices;
    if (!choices) return nothing;
    return html`<div class="choices" role="alert">
      <p class="or">“${choices.name}” is several places. Which one?</p>
      <ul aria-label="Places called ${choices.name}">
        ${choices.places.map(
          (p) =>
            html`<li>
              <button class="button" type="button" @click=${() => this.choose(p)}>
                ${placeName(p)}
              </button>
            </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderResults() {
    const result = this.result;
    if (!result) return nothing;
    const from = result.origin.place ? placeName(result.origin.place) : 'your location';
    const n = result.features.length;
    return html`<p class="summary" role="status">
        ${n ? `The ${n === 1 ? 'person' : `${n} people`} closest to ${from}` : `No one found near ${from} yet`}
      </p>
      <ul class="people" aria-label="Nearby people, closest first">
        ${result.features.map((f) =>
          renderPerson(
            f.properties,
            this,
            html`<span class="distance">${distanceLabel(f.properties.distanceKm)}</span>
              <span>${placeName(f.properties.place)}</span>`,
          ),
        )}
      </ul>`;
  }

  protected override render() {
    return html`<section part="panel" aria-labelledby="title" @keydown=${onPanelKeydown}>
      ${panelHeader(this, 'Find others near you', null, 'Close nearby search')}
      <div class="body">
        <form @submit=${this.onSubmit}>
          <button
            class="button primary"
            type="button"
            ?disabled=${this.busy}
            @click=${() => void this.search(locate)}
          >
            Use my location
          </button>
          <p class="or">Your location is used for this search only and never stored. Or:</p>
          <label class="visually-hidden" for="near">City</label>
          <div class="row">
            <input
              id="near"
              name="near"
              type="search"
              autocomplete="off"
              list="near-places"
              placeholder="Type a city, e.g. Portland"
              @input=${this.onInput}
            />
            <datalist id="near-places">
              ${this.suggestions.map((p) => html`<option value=${placeName(p)}></option>`)}
            </datalist>
            <button class="button" type="submit" ?disabled=${this.busy}>Search</button>
          </div>
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
          ${this.renderChoices()}
        </form>
        ${this.busy ? html`<p class="summary">Searching…</p>` : this.renderResults()}
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-nearby': FtoNearby;
  }
  interface HTMLElementEventMap {
    'fto-nearby': CustomEvent<{ result: NearbyResult | null }>;
  }
}
