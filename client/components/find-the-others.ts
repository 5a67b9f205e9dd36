import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { customElement } from '../define.js';
import type {
  CampaignSummary,
  ContributorFeature,
  LiveStats,
  NearbyResult,
} from '../../shared/types.js';
import type { EmbedJoin, EmbedTheme, EmbedView } from '../../shared/embed.js';
import { EMBED_VIEWS, oneOf, parseCenter, parseHeight, parseZoom } from '../../shared/embed.js';
import type { ClientConfig } from '../api.js';
import { eventsUrl, fetchCampaign, fetchConfig, fetchStatus, fetchView } from '../api.js';
import { renderIntro, renderNav, renderPanel } from './find-the-others-parts.js';
import { LiveEventsController } from '../controllers/live-events-controller.js';
import { StatusController } from '../controllers/status-controller.js';
import { ViewController } from '../controllers/view-controller.js';
import { PanelController, type Selected } from '../controllers/panel-controller.js';
import { findTheOthersStyles, hostRules } from './find-the-others-styles.js';
import type { FtoMap } from './fto-map.js';
import './fto-list.js';
import './fto-map.js';
import './fto-status.js';
import './fto-ticker.js';

/** How many arrivals the "just joined" ticker keeps. */
const TICKER_SIZE = 5;

/**
 * The live map of one hashtag campaign: server-side clusters of the people in view that split as
 * you zoom, a city's people a page at a time, people near you, the campaign in figures, how to
 * join, and everyone by country as a list. Updates live from the server's event stream.
 *
 * Holds no globals: several can live on one page, each with its own `server` and `campaign`.
 * Its styles live in its shadow root (constructed stylesheets, no `style` attributes), and the
 * few rules that keep it a sized block are `!important` on `:host`, so a page's own CSS, even
 * `* { all: unset !important }`, neither reaches inside nor collapses it.
 *
 * Attributes / properties:
 * - `campaign`: the tag to show, without `#`; default: the first campaign the server follows.
 * - `server`: origin of the Find the Others API, e.g. "https://map.example"; default: this page's
 *   (the widget script's origin when loaded from widget.js).
 * - `height`: a CSS height for the whole element ("480" means 480px; px, em, rem, vh, % too);
 *   default: the height the page gives it, at least 320px.
 * - `view`: `map` (default), `list` (everyone by country, no map) or `both` side by side.
 * - `center` and `zoom`: where the map opens, "lat,lng" and 0–18; default: the inhabited world.
 * - `theme`: `auto` (default, the reader's preference), `light` or `dark`.
 * - `join`: `button` (default: "Add yourself" in the header), `open` (its panel open from the
 *   start) or `none`.
 * - `tiles`: a Leaflet tile URL template to use instead of the server's, or "none" for the
 *   bundled outline only.
 * - `tile-attribution`: credit for `tiles`, as plain text.
 *
 * @cssprop --fto-font - font family for everything (default `system-ui, sans-serif`)
 * @cssprop --fto-bg - background of panels, the status line and pin borders
 * @cssprop --fto-frame-bg - background behind the header and map (default: transparent in the light theme, --fto-bg in the dark)
 * @cssprop --fto-fg - text
 * @cssprop --fto-muted - secondary text
 * @cssprop --fto-line - borders and rules
 * @cssprop --fto-surface - buttons and raised areas
 * @cssprop --fto-water - the sea behind the outline
 * @cssprop --fto-land - land in the outline
 * @cssprop --fto-border - coastlines and country borders
 * @cssprop --fto-accent - pins and the join button; wins over the campaign's own accent colour
 * @cssprop --fto-accent-fg - text on the accent (default: readable on the campaign's accent, else the theme's)
 * @cssprop --fto-link - links
 * @cssprop --fto-focus - the keyboard focus ring and nearby rings
 * @cssprop --fto-min-height - the smallest height (default 320px)
 *
 * @fires fto-campaign-change - detail `{ campaign, title }` once the campaign shown is known or changes
 * @csspart frame - everything inside the element (the box that takes the colours and font)
 * @csspart header - the title bar with the campaign, counters and actions
 * @csspart map - the map area
 * @csspart list - the docked list of everyone by country (`view="list"` or `"both"`)
 * @csspart panel - the open side panel (a city's people, nearby, list, figures or joining)
 * @csspart status - the status line
 */
@customElement('find-the-others')
export class FindTheOthers extends LitElement {
  static override styles = findTheOthersStyles;

  /** Campaign tag to show, without `#`; empty means the server's first campaign. */
  @property({ reflect: true }) campaign = '';
  /** API origin; empty means the default server (the page's, or the widget script's). */
  @property() server = '';
  /** CSS height of the element; see `parseHeight`. Empty: the page decides. */
  @property() height = '';
  /** `map`, `list` or `both`. */
  @property({ attribute: 'view' }) layout: EmbedView = 'map';
  /** "lat,lng" the map opens at (with `zoom`). */
  @property() center = '';
  /** Zoom the map opens at (with `center`; alone it keeps the world's centre). */
  @property() zoom = '';
  /** `auto`, `light` or `dark`; reflected, since the styles key on the attribute. */
  @property({ reflect: true }) theme: EmbedTheme = 'auto';
  /** `button`, `open` or `none`. */
  @property() join: EmbedJoin = 'button';
  /** Tile URL template overriding the server's; "none" for the outline only. */
  @property() tiles = '';
  /** Plain-text credit for `tiles`. */
  @property({ attribute: 'tile-attribution' }) tileAttribution = '';
  /** `fediverse` or `bluesky`: show one network's people only; '' (default) shows everyone. */
  @property() network = '';

  @state() private config: ClientConfig | null = null;
  @state() private summary: CampaignSummary | null = null;
  @state() private stats: LiveStats | null = null;
  @state() private nearby: NearbyResult | null = null;
  @state() private arrivals: ContributorFeature[] = [];
  @state() private loadError: string | null = null;
  @state() private tilesFailing = false;
  @state() private shownCampaign = '';

  @query('fto-map') private mapEl?: FtoMap;
  @query('.panel') private panelEl?: HTMLElement;

  private summaryAbort: AbortController | null = null;
  /** This element's own rules (its `height`, the campaign's accent), adopted beside the shared styles. */
  private ownSheet: CSSStyleSheet | null = null;

  private readonly view = new ViewController(this);

  private readonly onCitySelect = (e: CustomEvent<Selected>) => this.panels.selectCity(e);

  private readonly panels = new PanelController(this, {
    panel: () => this.panelEl,
    map: () => this.mapEl,
    opening: (panel) => {
      if (panel === 'stats') void this.loadSummary();
    },
    closed: (panel) => {
      if (panel === 'nearby') this.nearby = null;
    },
  });

  private readonly live = new LiveEventsController(this, {
    contributor: (feature) => this.onArrival(feature),
    remove: (acct) => {
      // Someone who left leaves every list at once, not only at the next refetch.
      this.renderRoot.querySelector('fto-city-panel')?.removeLive(acct);
      this.renderRoot.querySelector('fto-nearby')?.removeLive(acct);
      this.view.refreshLater();
      this.refreshListsLater();
    },
    // The server sends stats after it rebuilds its clusters: a view fetched before then may be stale.
    stats: (stats) => {
      this.stats = stats;
      this.view.spreadMs = stats.refreshSpreadMs ?? 0;
      this.view.refreshLater();
      this.refreshListsLater();
    },
    // Missed events are replayed, or `reset` follows; a restart may have brought a new identity.
    open: (reconnected) => {
      if (reconnected) void this.loadSummary();
    },
    // The server no longer holds everything missed since the last event: start over from it.
    reset: () => this.reloadAll(),
  });

  private readonly statusPoll = new StatusController(this);

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('server')) {
      this.config = null;
      void this.loadConfig();
    }
    // A later change of `network` redraws the campaign (its first value comes with the campaign).
    const networkChanged = changed.has('network') && changed.get('network') !== undefined;
    if (changed.has('campaign') || changed.has('config') || networkChanged) {
      const campaign =
        this.campaign.replace(/^#/, '').toLowerCase() || this.config?.campaigns[0] || '';
      if (campaign !== this.shownCampaign || networkChanged) this.showCampaign(campaign);
    }
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('summary') || changed.has('height')) this.applyOwnRules();
  }

  /**
   * This element's own rules, the height and the campaign's accent, go into a constructed
   * stylesheet of its shadow root: a `style` attribute on the host would be inline style
   * (blocked by a strict `style-src`) and the page's to own. The accent goes in as
   * `--fto-campaign-accent`, below the page's `--fto-accent` (see styles.ts).
   */
  private applyOwnRules(): void {
    const root = this.shadowRoot;
    if (!root) return;
    if (!this.ownSheet) {
      this.ownSheet = new CSSStyleSheet();
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.ownSheet];
    }
    this.ownSheet.replaceSync(
      hostRules(parseHeight(this.height), this.summary?.identity.accentColor ?? null),
    );
  }

  /** Where the map opens, from `center` and `zoom`. */
  private get start(): { center: [number, number]; zoom: number } | null {
    const center = parseCenter(this.center);
    const zoom = parseZoom(this.zoom);
    if (!center && zoom === null) return null;
    return { center: center ?? [20, 10], zoom: zoom ?? 3 };
  }

  private async loadConfig(): Promise<void> {
    const server = this.server;
    try {
      const config = await fetchConfig(server);
      if (server === this.server) {
        this.config = config;
        this.loadError = null;
      }
    } catch (err) {
      if (server === this.server) this.loadError = (err as Error).message;
    }
  }

  private showCampaign(campaign: string): void {
    this.shownCampaign = campaign;
    this.summary = null;
    this.stats = null;
    this.nearby = null;
    this.arrivals = [];
    this.panels.reset(campaign && this.join === 'open' ? 'join' : null);
    const server = this.server;
    const network = this.network === 'fediverse' || this.network === 'bluesky' ? this.network : '';
    this.view.use(
      campaign ? (view, signal) => fetchView(server, campaign, view, signal, network) : null,
    );
    this.live.follow(campaign ? eventsUrl(server, campaign) : null);
    this.statusPoll.poll(campaign ? (signal) => fetchStatus(server, signal) : null);
    if (campaign) void this.loadSummary();
  }

  private async loadSummary(): Promise<void> {
    const campaign = this.shownCampaign;
    this.summaryAbort?.abort();
    const abort = new AbortController();
    this.summaryAbort = abort;
    try {
      const summary = await fetchCampaign(this.server, campaign, abort.signal);
      if (abort.signal.aborted) return;
      this.summary = summary;
      this.stats = {
        contributors: summary.contributors,
        cities: summary.cities,
        countries: summary.countries,
      };
      this.loadError = null;
      this.dispatchEvent(
        new CustomEvent('fto-campaign-change', {
          detail: { campaign, title: summary.identity.title },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (err) {
      if (!abort.signal.aborted) this.loadError = (err as Error).message;
    }
  }

  private onArrival(feature: ContributorFeature): void {
    const { place } = feature.properties;
    this.arrivals = [
      feature,
      ...this.arrivals.filter((f) => f.properties.acct !== feature.properties.acct),
    ].slice(0, TICKER_SIZE);
    this.view.countArrival(place.id);
    this.mapEl?.pulse(place.id, feature.geometry.coordinates);
    this.renderRoot.querySelector('fto-city-panel')?.addLive(feature.properties);
    this.view.refreshLater();
    this.refreshListsLater();
  }

  /** The lists of everyone (docked or in a panel) follow arrivals and departures like the map. */
  private refreshListsLater(): void {
    for (const list of this.renderRoot.querySelectorAll('fto-list'))
      list.refreshLater(this.view.spreadMs);
  }

  /** Reloads everything shown from the server: the view, the figures and any open list or search. */
  private reloadAll(): void {
    this.view.refresh();
    void this.loadSummary();
    this.renderRoot.querySelector('fto-city-panel')?.reload();
    this.renderRoot.querySelector('fto-nearby')?.reload();
    for (const list of this.renderRoot.querySelectorAll('fto-list')) void list.reload();
  }

  private retry(): void {
    this.loadError = null;
    if (!this.config) void this.loadConfig();
    else {
      this.view.refresh();
      void this.loadSummary();
    }
  }

  private get tileUrl(): string | null {
    if (this.tiles === 'none') return null;
    return this.tiles || this.config?.tileUrl || null;
  }

  /** The skip button: focus lands after the map (its pins are one Tab stop each). */
  private skipMap(): void {
    this.renderRoot.querySelector<HTMLElement>('footer')?.focus();
  }

  private renderMap() {
    return html`<fto-map
      part="map"
      .features=${this.view.features}
      .selectedPlaceId=${this.panels.panel === 'city' ? (this.panels.selected?.place.id ?? null) : null}
      .nearby=${this.nearby}
      .tileUrl=${this.tileUrl}
      .tileAttribution=${this.tiles ? this.tileAttribution : (this.config?.tileAttribution ?? '')}
      .start=${this.start}
      .server=${this.server}
      @fto-view-change=${(e: CustomEvent<Parameters<ViewController['setView']>[0]>) => this.view.setView(e.detail)}
      @fto-tiles-error=${() => (this.tilesFailing = true)}
    ></fto-map>`;
  }

  protected override render() {
    const identity = this.summary?.identity ?? null;
    const problem =
      this.loadError ??
      this.view.error ??
      (this.tilesFailing ? 'Map tiles unavailable; showing the outline' : null);
    const noCampaign = this.config && !this.shownCampaign;
    const layout = oneOf(EMBED_VIEWS, this.layout, 'map');
    const docked =
      layout === 'map'
        ? nothing
        : html`<fto-list
            class="docked"
            part="list"
            docked
            .server=${this.server}
            .campaign=${this.shownCampaign}
          ></fto-list>`;
    return html`<div class="frame" part="frame">
      <header
        part="header"
        @fto-network-change=${(e: CustomEvent<string>) => (this.network = e.detail)}
      >
        ${renderIntro(this.shownCampaign, !!noCampaign, identity, this.stats, this.server, this.summary?.networks ?? null, this.network)}
        ${
          this.shownCampaign
            ? renderNav(this.panels, layout === 'map', this.join !== 'none')
            : nothing
        }
      </header>
      <div
        class="stage ${layout}"
        @fto-panel-close=${() => this.panels.close()}
        @fto-city-select=${this.onCitySelect}
      >
        ${
          layout === 'list'
            ? nothing
            : html`<button class="skip" type="button" @click=${this.skipMap}>
                Skip past the map
              </button>`
        }
        ${layout === 'list' ? docked : this.renderMap()} ${layout === 'both' ? docked : nothing}
        ${renderPanel(this.panels.panel, {
          server: this.server,
          campaign: this.shownCampaign,
          place: this.panels.selected?.place ?? null,
          summary: this.summary,
          bluesky: this.statusPoll.status?.sources.some((s) => s.mode === 'jetstream') ?? false,
          onNearby: (result) => {
            // The results are drawn in the part of the map the panel leaves free.
            if (this.mapEl) this.mapEl.covered = this.panels.covered();
            this.nearby = result;
          },
        })}
      </div>
      <footer tabindex="-1" @fto-city-select=${this.onCitySelect}>
        <fto-ticker .arrivals=${this.arrivals} .server=${this.server}></fto-ticker>
        <fto-status
          part="status"
          role="status"
          .campaign=${this.shownCampaign}
          .status=${this.statusPoll.status}
          .live=${this.live.state}
          .problem=${problem}
        ></fto-status>
        ${
          problem && problem === (this.loadError ?? this.view.error)
            ? html`<button class="retry" type="button" @click=${this.retry}>Retry</button>`
            : nothing
        }
      </footer>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'find-the-others': FindTheOthers;
  }
  interface HTMLElementEventMap {
    'fto-campaign-change': CustomEvent<{ campaign: string; title: string }>;
  }
}
