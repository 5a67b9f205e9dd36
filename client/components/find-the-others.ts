import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ContributorFeature } from '../../shared/types.js';
import type { ClientConfig } from '../api.js';
import { eventsUrl, fetchConfig, fetchContributors, fetchStatus } from '../api.js';
import type { City } from '../cities.js';
import { describeTally, groupByCity, tally } from '../cities.js';
import { LiveEventsController } from '../controllers/live-events-controller.js';
import { StatusController } from '../controllers/status-controller.js';
import { focusRing, theme } from '../styles.js';
import type { FtoCityPanel } from './fto-city-panel.js';
import type { FtoMap } from './fto-map.js';
import './fto-city-panel.js';
import './fto-map.js';
import './fto-status.js';

type Applied =
  { type: 'contributor'; feature: ContributorFeature } | { type: 'remove'; acct: string };

/**
 * The live map of one hashtag campaign: a pin per city, counters, and the list of people in a
 * city when its pin is chosen. Updates live from the server's event stream.
 *
 * Attributes / properties:
 * - `campaign`: the tag to show, without `#`; default: the first campaign the server follows.
 * - `server`: origin of the Find the Others API, e.g. "https://map.example"; default: this page's.
 * - `tiles`: a Leaflet tile URL template to use instead of the server's, or "none" for the
 *   bundled outline only.
 * - `tile-attribution`: credit for `tiles`, as plain text.
 *
 * @fires fto-campaign-change - detail `{ campaign }` once the campaign shown is known or changes
 * @fires fto-city-select - detail `{ cityId }` (from the map) when a city's pin is chosen
 * @csspart header - the title bar with the campaign and counters
 * @csspart map - the map area
 * @csspart panel - the list of people in the chosen city
 * @csspart status - the status line
 */
@customElement('find-the-others')
export class FindTheOthers extends LitElement {
  static override styles = [
    theme,
    focusRing,
    css`
      :host {
        display: block;
        block-size: 100%;
        min-block-size: 320px;
      }
      /* The column lives inside the shadow root so it holds whatever display the page gives the host. */
      .frame {
        display: flex;
        flex-direction: column;
        block-size: 100%;
        min-block-size: inherit;
        background: var(--fto-bg);
        color: var(--fto-fg);
        font:
          1rem/1.45 system-ui,
          sans-serif;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.125rem 0.875rem;
        padding: 0.625rem 1rem;
        border-block-end: 1px solid var(--fto-line);
      }
      h1 {
        margin: 0;
        font-size: 1.25rem;
        line-height: 1.3;
        overflow-wrap: anywhere;
      }
      h1 .tag {
        color: var(--fto-accent);
      }
      .tally {
        margin: 0;
        color: var(--fto-muted);
        font-size: 0.9375rem;
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
      fto-city-panel {
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
      /* On a phone the list is a sheet over the lower part of the map, leaving pins in view. */
      @media (max-width: 640px) {
        fto-city-panel {
          inset-block: auto 0;
          inset-inline: 0;
          inline-size: auto;
          max-block-size: 60%;
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
        gap: 0.5rem;
        align-items: center;
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
  /** API origin; empty means the page's own origin. */
  @property() server = '';
  /** Tile URL template overriding the server's; "none" for the outline only. */
  @property() tiles = '';
  /** Plain-text credit for `tiles`. */
  @property({ attribute: 'tile-attribution' }) tileAttribution = '';

  @state() private config: ClientConfig | null = null;
  @state() private cities: City[] = [];
  @state() private selectedCityId: number | null = null;
  @state() private loadError: string | null = null;
  @state() private tilesFailing = false;
  @state() private shownCampaign = '';

  @query('fto-map') private mapEl?: FtoMap;
  @query('fto-city-panel') private panelEl?: FtoCityPanel;

  private readonly contributors = new Map<string, ContributorFeature>();
  /** Events that arrive while a snapshot is loading, replayed on top of it in order. */
  private pending: Applied[] | null = null;
  private loadAbort: AbortController | null = null;

  private readonly live = new LiveEventsController(this, {
    contributor: (feature) => this.apply({ type: 'contributor', feature }),
    remove: (acct) => this.apply({ type: 'remove', acct }),
    // After a drop the server may not have been able to replay everything; start from a snapshot.
    open: (reconnected) => {
      if (reconnected) void this.loadSnapshot();
    },
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
    this.contributors.clear();
    this.cities = [];
    this.selectedCityId = null;
    this.live.follow(campaign ? eventsUrl(this.server, campaign) : null);
    const server = this.server;
    this.statusPoll.poll(campaign ? (signal) => fetchStatus(server, signal) : null);
    if (campaign) {
      void this.loadSnapshot();
      this.dispatchEvent(
        new CustomEvent('fto-campaign-change', {
          detail: { campaign },
          bubbles: true,
          composed: true,
        }),
      );
    }
  }

  private async loadSnapshot(): Promise<void> {
    const campaign = this.shownCampaign;
    this.loadAbort?.abort();
    const abort = new AbortController();
    this.loadAbort = abort;
    this.pending = [];
    try {
      const features = await fetchContributors(this.server, campaign, abort.signal);
      if (abort.signal.aborted) return;
      this.contributors.clear();
      for (const f of features) this.contributors.set(f.properties.acct, f);
      const replay = this.pending;
      this.pending = null;
      for (const event of replay) this.applyNow(event);
      this.loadError = null;
      this.refreshCities();
    } catch (err) {
      if (abort.signal.aborted) return;
      this.pending = null;
      this.loadError = (err as Error).message;
    }
  }

  private apply(event: Applied): void {
    if (this.pending) {
      this.pending.push(event);
      return;
    }
    this.applyNow(event);
    this.refreshCities();
  }

  private applyNow(event: Applied): void {
    if (event.type === 'contributor') {
      this.contributors.set(event.feature.properties.acct, event.feature);
    } else {
      this.contributors.delete(event.acct);
    }
  }

  private refreshCities(): void {
    this.cities = groupByCity(this.contributors.values());
    if (this.selectedCityId !== null && !this.cities.some((c) => c.id === this.selectedCityId)) {
      this.selectedCityId = null;
    }
  }

  private async onCitySelect(e: CustomEvent<{ cityId: number }>): Promise<void> {
    const cityId = e.detail.cityId;
    this.selectedCityId = cityId;
    await this.updateComplete;
    this.panelEl?.focus();
    this.revealBehindPanel(cityId);
  }

  /** Keeps the chosen pin in view beside the panel (desktop) or above the sheet (phone). */
  private revealBehindPanel(cityId: number): void {
    const stage = this.mapEl?.getBoundingClientRect();
    const panel = this.panelEl?.getBoundingClientRect();
    if (!stage || !panel) return;
    const isSheet = panel.width > stage.width * 0.8;
    this.mapEl?.revealCity(cityId, {
      right: isSheet ? 0 : Math.max(0, stage.right - panel.left),
      bottom: isSheet ? Math.max(0, stage.bottom - panel.top) : 0,
    });
  }

  private async onPanelClose(): Promise<void> {
    const cityId = this.selectedCityId;
    this.selectedCityId = null;
    await this.updateComplete;
    if (cityId !== null) this.mapEl?.focusCity(cityId);
  }

  private retry(): void {
    this.loadError = null;
    if (!this.config) void this.loadConfig();
    else void this.loadSnapshot();
  }

  private get tileUrl(): string | null {
    if (this.tiles === 'none') return null;
    return this.tiles || this.config?.tileUrl || null;
  }

  protected override render() {
    const selected = this.cities.find((c) => c.id === this.selectedCityId) ?? null;
    const problem =
      this.loadError ?? (this.tilesFailing ? 'Map tiles unavailable; showing the outline' : null);
    const noCampaign = this.config && !this.shownCampaign;
    return html`<div class="frame">
      <header part="header">
        <h1>
          ${
            this.shownCampaign
              ? html`<span class="tag">#${this.shownCampaign}</span>`
              : noCampaign
                ? 'No campaign configured'
                : 'Find the Others'
          }
        </h1>
        <p class="tally">${describeTally(tally(this.cities))}</p>
      </header>
      <div class="stage">
        <fto-map
          part="map"
          .cities=${this.cities}
          .selectedCityId=${this.selectedCityId}
          .tileUrl=${this.tileUrl}
          .tileAttribution=${this.tiles ? this.tileAttribution : (this.config?.tileAttribution ?? '')}
          @fto-city-select=${this.onCitySelect}
          @fto-tiles-error=${() => (this.tilesFailing = true)}
        ></fto-map>
        ${
          selected
            ? html`<fto-city-panel
                part="panel"
                .city=${selected}
                @fto-panel-close=${this.onPanelClose}
              ></fto-city-panel>`
            : nothing
        }
      </div>
      <footer>
        <fto-status
          part="status"
          role="status"
          .campaign=${this.shownCampaign}
          .status=${this.statusPoll.status}
          .live=${this.live.state}
          .problem=${problem}
        ></fto-status>
        ${
          this.loadError
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
    'fto-campaign-change': CustomEvent<{ campaign: string }>;
  }
}
