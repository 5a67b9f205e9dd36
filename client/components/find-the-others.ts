import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { customElement } from '../define.js';
import type {
  CampaignSummary,
  ContributorFeature,
  LiveStats,
  NearbyResult,
  PlaceLabel,
  ViewFeature,
} from '../../shared/types.js';
import type { EmbedJoin, EmbedTheme, EmbedView } from '../../shared/embed.js';
import { EMBED_VIEWS, oneOf, parseCenter, parseHeight, parseZoom } from '../../shared/embed.js';
import type { ClientConfig } from '../api.js';
import { eventsUrl, fetchCampaign, fetchConfig, fetchStatus, fetchView } from '../api.js';
import { describeTally } from '../cities.js';
import { readableOn } from '../format.js';
import { LiveEventsController } from '../controllers/live-events-controller.js';
import { StatusController } from '../controllers/status-controller.js';
import { ViewController } from '../controllers/view-controller.js';
import { focusRing, theme } from '../styles.js';
import type { FtoMap } from './fto-map.js';
import './fto-city-panel.js';
import './fto-join.js';
import './fto-list.js';
import './fto-map.js';
import './fto-nearby.js';
import './fto-stats.js';
import './fto-status.js';
import './fto-ticker.js';

type Panel = 'city' | 'nearby' | 'list' | 'stats' | 'join';

interface Selected {
  place: PlaceLabel;
  coordinates: [number, number];
}

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
  static override styles = [
    theme,
    focusRing,
    css`
      /* !important in a shadow root beats the page's !important on the host, and nothing else does. */
      :host {
        display: block !important;
        position: relative !important;
        box-sizing: border-box !important;
        block-size: 100%;
        min-block-size: var(--fto-min-height, 320px) !important;
      }
      :host([hidden]) {
        display: none !important;
      }
      /* The column lives inside the shadow root so it holds whatever display the page gives the host. */
      .frame {
        /* Inherited text properties from the page (letter-spacing, text-transform…) stop here. */
        all: initial;
        box-sizing: border-box;
        display: flex;
        flex-direction: column;
        block-size: 100%;
        min-block-size: inherit;
        /* The page's accent, else the campaign's, else the theme's: see styles.ts. */
        --fto-accent: var(--fto-resolved-accent);
        --fto-accent-fg: var(--fto-resolved-accent-fg);
        background: var(--fto-frame-bg, var(--fto-default-frame-bg));
        color: var(--fto-fg);
        font: 1rem/1.45 var(--fto-font, system-ui, sans-serif);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        padding: 0.625rem 1rem;
        border-block-end: 1px solid var(--fto-line);
      }
      .intro {
        flex: 1 1 22rem;
        min-inline-size: 0;
      }
      h1 {
        margin: 0;
        font-size: 1.25rem;
        line-height: 1.3;
        overflow-wrap: anywhere;
      }
      h1 .tag {
        font-weight: 600;
        font-size: 0.9375rem;
        margin-inline-start: 0.5rem;
      }
      /* Lifted towards white in the dark theme so the author's one accent stays readable. */
      h1 .tag {
        color: color-mix(in srgb, var(--fto-accent) var(--fto-accent-text-mix, 100%), white);
      }
      .description {
        margin: 0.125rem 0 0;
        font-size: 0.9375rem;
      }
      .description a {
        color: var(--fto-link);
      }
      .tally {
        margin: 0.125rem 0 0;
        color: var(--fto-muted);
        font-size: 0.875rem;
        font-variant-numeric: tabular-nums;
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.375rem;
      }
      nav button {
        font: inherit;
        font-size: 0.875rem;
        padding: 0.375rem 0.75rem;
        border-radius: 999px;
        border: 1px solid var(--fto-line);
        background: var(--fto-surface);
        color: var(--fto-fg);
        cursor: pointer;
      }
      nav button[aria-expanded='true'] {
        border-color: var(--fto-fg);
        box-shadow: inset 0 0 0 1px var(--fto-fg);
      }
      nav button.join {
        background: var(--fto-accent);
        border-color: var(--fto-accent);
        color: var(--fto-accent-fg);
        font-weight: 600;
      }
      .stage {
        position: relative;
        flex: 1;
        min-block-size: 0;
      }
      fto-map {
        position: absolute;
        inset: 0;
      }
      /* Past the pins in one key press: out of sight (but not of screen readers) until focused. */
      button.skip:not(:focus) {
        clip-path: inset(50%);
        inline-size: 1px;
        block-size: 1px;
        overflow: hidden;
        white-space: nowrap;
      }
      button.skip {
        position: absolute;
        inset-block-start: 0.5rem;
        inset-inline-start: 50%;
        z-index: 1100;
        translate: -50% 0;
        font: inherit;
        font-size: 0.875rem;
        font-weight: 600;
        padding: 0.375rem 0.875rem;
        border-radius: 999px;
        border: 1px solid var(--fto-line);
        background: var(--fto-surface);
        color: var(--fto-fg);
      }
      footer:focus {
        outline: none;
      }
      .stage.list .docked {
        position: absolute;
        inset: 0;
      }
      .stage.both {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(16rem, 22rem);
      }
      .stage.both fto-map {
        position: relative;
        inset: auto;
      }
      .stage.both .docked {
        min-block-size: 0;
        border-inline-start: 1px solid var(--fto-line);
      }
      .panel {
        position: absolute;
        z-index: 1000;
        inset-block: 0.75rem;
        inset-inline-end: 0.75rem;
        inline-size: min(380px, calc(100% - 1.5rem));
        overflow: hidden;
        display: flex;
        flex-direction: column;
        border: 1px solid var(--fto-line);
        border-radius: 12px;
        box-shadow: 0 8px 30px rgb(0 0 0 / 0.2);
      }
      /* On a phone a panel is a sheet over the lower part of the map, leaving pins in view. */
      @media (max-width: 640px) {
        header {
          padding: 0.5rem 0.75rem;
        }
        h1 {
          font-size: 1.0625rem;
        }
        .description {
          display: none;
        }
        nav button {
          padding: 0.25rem 0.625rem;
          font-size: 0.8125rem;
        }
        .stage.both {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: minmax(0, 1fr) minmax(0, 40%);
        }
        .stage.both .docked {
          border-inline-start: 0;
          border-block-start: 1px solid var(--fto-line);
        }
        .panel {
          inset-block: auto 0;
          inset-inline: 0;
          inline-size: auto;
          max-block-size: 62%;
          border-radius: 14px 14px 0 0;
          border-inline: 0;
          border-block-end: 0;
        }
      }
      footer {
        padding: 0.375rem 1rem;
        border-block-start: 1px solid var(--fto-line);
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        align-items: center;
      }
      fto-ticker {
        flex: 1 1 100%;
      }
      fto-status {
        flex: 1;
      }
      button.retry {
        font: inherit;
        font-size: 0.8125rem;
        padding: 0.125rem 0.625rem;
        border-radius: 999px;
        border: 1px solid var(--fto-line);
        background: var(--fto-surface);
        color: var(--fto-fg);
        cursor: pointer;
      }
    `,
  ];

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

  @state() private config: ClientConfig | null = null;
  @state() private summary: CampaignSummary | null = null;
  @state() private stats: LiveStats | null = null;
  @state() private panel: Panel | null = null;
  @state() private selected: Selected | null = null;
  @state() private nearby: NearbyResult | null = null;
  @state() private arrivals: ContributorFeature[] = [];
  @state() private loadError: string | null = null;
  @state() private tilesFailing = false;
  @state() private shownCampaign = '';

  @query('fto-map') private mapEl?: FtoMap;
  @query('.panel') private panelEl?: HTMLElement;

  /** The panel to reopen when a city chosen from it closes (the list, nearby, the ticker's none). */
  private returnTo: Panel | null = null;
  /** The button that opened the current panel, to give focus back to on close. */
  private opener: HTMLElement | null = null;
  private summaryAbort: AbortController | null = null;
  /** This element's own rules (its `height`, the campaign's accent), adopted beside the shared styles. */
  private ownSheet: CSSStyleSheet | null = null;

  private readonly view = new ViewController(this);

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
    if (changed.has('campaign') || changed.has('config')) {
      const campaign =
        this.campaign.replace(/^#/, '').toLowerCase() || this.config?.campaigns[0] || '';
      if (campaign !== this.shownCampaign) this.showCampaign(campaign);
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
    const height = parseHeight(this.height);
    const accent = this.summary?.identity.accentColor ?? null;
    // readableOn answers only for #rgb/#rrggbb, so nothing else reaches the stylesheet.
    const fg = accent ? readableOn(accent) : null;
    const rules = [
      height ? `block-size: ${height} !important;` : '',
      fg ? `--fto-campaign-accent: ${accent}; --fto-campaign-accent-fg: ${fg};` : '',
    ].join(' ');
    this.ownSheet.replaceSync(rules.trim() ? `:host { ${rules} }` : '');
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
    this.selected = null;
    this.nearby = null;
    this.arrivals = [];
    this.panel = campaign && this.join === 'open' ? 'join' : null;
    const server = this.server;
    this.view.use(campaign ? (view, signal) => fetchView(server, campaign, view, signal) : null);
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
    // Count them where their city is already drawn, so the number moves with the ripple; the
    // lazy refetch then settles clusters, moves and new cities with the server's figures.
    const features = this.view.features;
    const index = features.findIndex(
      (f) => !f.properties.cluster && f.properties.place.id === place.id,
    );
    const city = features[index];
    if (city) {
      const next = [...features];
      next[index] = {
        ...city,
        properties: { ...city.properties, count: city.properties.count + 1 },
      } as ViewFeature;
      this.view.patch(next);
    }
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

  private async openPanel(panel: Panel, e?: Event): Promise<void> {
    if (this.panel === panel && panel !== 'city') {
      await this.closePanel();
      return;
    }
    if (e) this.opener = e.currentTarget as HTMLElement;
    if (panel === 'stats') void this.loadSummary();
    this.panel = panel;
    await this.updateComplete;
    this.panelEl?.focus();
  }

  private async onCitySelect(e: CustomEvent<Selected>): Promise<void> {
    const from = this.panel;
    this.returnTo = from === 'list' || from === 'nearby' ? from : null;
    this.selected = { place: e.detail.place, coordinates: e.detail.coordinates };
    await this.openPanel('city');
    const map = this.mapEl;
    if (!map) return;
    map.covered = this.coveredByPanel();
    // Chosen from a list, not the map: bring the city into view, beside or above the panel.
    if (e.composedPath()[0] !== map && this.returnTo === 'list') {
      map.showPlace(e.detail.coordinates);
    } else {
      map.reveal(e.detail.coordinates, map.covered);
    }
  }

  /** What the open panel covers of the map: its width beside it (desktop), its height over it (phone). */
  private coveredByPanel(): { right: number; bottom: number } {
    const stage = this.mapEl?.getBoundingClientRect();
    const panel = this.panelEl?.getBoundingClientRect();
    if (!stage || !panel || panel.width === 0) return { right: 0, bottom: 0 };
    const isSheet = panel.width > stage.width * 0.8;
    if (!isSheet) return { right: Math.max(0, stage.right - panel.left), bottom: 0 };
    // A sheet grows as its list loads, up to its max-block-size: keep clear of its full height.
    const max = getComputedStyle(this.panelEl!).maxBlockSize;
    const tallest = max.endsWith('%') ? (stage.height * parseFloat(max)) / 100 : 0;
    return { right: 0, bottom: Math.max(0, stage.bottom - panel.top, tallest) };
  }

  private async closePanel(): Promise<void> {
    const closing = this.panel;
    const placeId = this.selected?.place.id;
    this.panel = null;
    if (closing === 'nearby') this.nearby = null;
    if (closing === 'city') {
      this.selected = null;
      if (this.returnTo) {
        const back = this.returnTo;
        this.returnTo = null;
        await this.openPanel(back);
        return;
      }
      await this.updateComplete;
      if (placeId !== undefined) this.mapEl?.focusCity(placeId);
      return;
    }
    await this.updateComplete;
    this.opener?.focus();
    this.opener = null;
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

  private renderPanel() {
    const common = { server: this.server, campaign: this.shownCampaign };
    switch (this.panel) {
      case 'city':
        return html`<fto-city-panel
          class="panel"
          part="panel"
          .server=${common.server}
          .campaign=${common.campaign}
          .place=${this.selected?.place ?? null}
        ></fto-city-panel>`;
      case 'nearby':
        return html`<fto-nearby
          class="panel"
          part="panel"
          .server=${common.server}
          .campaign=${common.campaign}
          @fto-nearby=${(e: CustomEvent<{ result: NearbyResult | null }>) => {
            // The results are drawn in the part of the map the panel leaves free.
            if (this.mapEl) this.mapEl.covered = this.coveredByPanel();
            this.nearby = e.detail.result;
          }}
        ></fto-nearby>`;
      case 'list':
        return html`<fto-list
          class="panel"
          part="panel"
          .server=${common.server}
          .campaign=${common.campaign}
        ></fto-list>`;
      case 'stats':
        return html`<fto-stats class="panel" part="panel" .summary=${this.summary}></fto-stats>`;
      case 'join':
        return html`<fto-join
          class="panel"
          part="panel"
          .campaign=${common.campaign}
          .identity=${this.summary?.identity ?? null}
        ></fto-join>`;
      default:
        return nothing;
    }
  }

  /** The skip button: focus lands after the map (its pins are one Tab stop each). */
  private skipMap(): void {
    this.renderRoot.querySelector<HTMLElement>('footer')?.focus();
  }

  private renderMap() {
    return html`<fto-map
      part="map"
      .features=${this.view.features}
      .selectedPlaceId=${this.panel === 'city' ? (this.selected?.place.id ?? null) : null}
      .nearby=${this.nearby}
      .tileUrl=${this.tileUrl}
      .tileAttribution=${this.tiles ? this.tileAttribution : (this.config?.tileAttribution ?? '')}
      .start=${this.start}
      .server=${this.server}
      @fto-view-change=${(e: CustomEvent<Parameters<ViewController['setView']>[0]>) => this.view.setView(e.detail)}
      @fto-tiles-error=${() => (this.tilesFailing = true)}
    ></fto-map>`;
  }

  private navButton(panel: Panel, label: string, extraClass = '') {
    return html`<button
      type="button"
      class=${extraClass}
      aria-expanded=${String(this.panel === panel)}
      @click=${(e: Event) => this.openPanel(panel, e)}
    >
      ${label}
    </button>`;
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
      <header part="header">
        <div class="intro">
          <h1>
            ${
              this.shownCampaign
                ? html`${identity?.title ?? ''}${
                    // The default title is the tag itself: do not say it twice.
                    identity?.title.toLowerCase() === `#${this.shownCampaign}`
                      ? ''
                      : html`<span class="tag">#${this.shownCampaign}</span>`
                  }`
                : noCampaign
                  ? 'No campaign configured'
                  : 'Find the Others'
            }
          </h1>
          ${
            identity?.description
              ? html`<p class="description">
                  ${identity.description}
                  ${
                    identity.link
                      ? html`<a href=${identity.link.url} target="_blank" rel="noopener"
                          >${identity.link.label}</a
                        >`
                      : nothing
                  }
                </p>`
              : nothing
          }
          <p class="tally" aria-live="polite">${this.stats ? describeTally(this.stats) : ' '}</p>
        </div>
        ${
          this.shownCampaign
            ? html`<nav aria-label="Campaign">
                ${this.navButton('nearby', 'Find others near me')}
                ${layout === 'map' ? this.navButton('list', 'List') : nothing}
                ${this.navButton('stats', 'Figures')}
                ${this.join === 'none' ? nothing : this.navButton('join', 'Add yourself', 'join')}
              </nav>`
            : nothing
        }
      </header>
      <div
        class="stage ${layout}"
        @fto-panel-close=${this.closePanel}
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
        ${this.renderPanel()}
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
