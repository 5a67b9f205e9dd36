import { html, nothing } from 'lit';
import type {
  CampaignIdentity,
  CampaignSummary,
  LiveStats,
  NearbyResult,
  PlaceLabel,
} from '../../shared/types.js';
import { describeTally } from '../cities.js';
import type { Panel, PanelController } from '../controllers/panel-controller.js';
import './fto-city-panel.js';
import './fto-join.js';
import './fto-list.js';
import './fto-nearby.js';
import './fto-review-note.js';
import './fto-stats.js';

// Parts of <find-the-others>'s template that are drawn from what they are given alone.

/** The campaign's title (and its tag, when the title is not just the tag), description and tally. */
export function renderIntro(
  campaign: string,
  noCampaign: boolean,
  identity: CampaignIdentity | null,
  stats: LiveStats | null,
  server: string,
  networks: CampaignSummary['networks'] | null,
  network: string,
) {
  return html`<div class="intro">
    <h1>
      ${
        campaign
          ? html`${identity?.title ?? ''}${
              // The default title is the tag itself: do not say it twice.
              identity?.title.toLowerCase() === `#${campaign}`
                ? ''
                : html`<span class="tag">#${campaign}</span>`
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
    <p class="tally" aria-live="polite">${stats ? describeTally(stats) : ' '}</p>
    ${
      // The map page defines <fto-network-switch> (client/main.ts); the widget, within its size
      // budget, leaves it out and takes its `network` attribute instead.
      networks?.bluesky
        ? html`<fto-network-switch .counts=${networks} .value=${network}></fto-network-switch>`
        : nothing
    }
    ${campaign ? html`<fto-review-note .server=${server} .campaign=${campaign}></fto-review-note>` : nothing}
  </div>`;
}

/** The header's buttons, each opening (or closing) its panel; the list only beside a map. */
export function renderNav(panels: PanelController, withList: boolean, withJoin: boolean) {
  const button = (panel: Panel, label: string, extraClass = '') =>
    html`<button
      type="button"
      class=${extraClass}
      aria-expanded=${String(panels.panel === panel)}
      @click=${(e: Event) => panels.show(panel, e)}
    >
      ${label}
    </button>`;
  return html`<nav aria-label="Campaign">
    ${button('nearby', 'Find others near me')} ${withList ? button('list', 'List') : nothing}
    ${button('stats', 'Figures')} ${withJoin ? button('join', 'Add yourself', 'join') : nothing}
  </nav>`;
}

export interface PanelInputs {
  server: string;
  campaign: string;
  /** The city of the `city` panel. */
  place: PlaceLabel | null;
  summary: CampaignSummary | null;
  /** The server follows the campaign on Bluesky too (its status lists a Jetstream). */
  bluesky?: boolean;
  /** Nearby found people (or was cleared). */
  onNearby(result: NearbyResult | null): void;
}

/** The open side panel's element, or nothing. */
export function renderPanel(panel: Panel | null, inputs: PanelInputs) {
  switch (panel) {
    case 'city':
      return html`<fto-city-panel
        class="panel"
        part="panel"
        .server=${inputs.server}
        .campaign=${inputs.campaign}
        .place=${inputs.place}
      ></fto-city-panel>`;
    case 'nearby':
      return html`<fto-nearby
        class="panel"
        part="panel"
        .server=${inputs.server}
        .campaign=${inputs.campaign}
        @fto-nearby=${(e: CustomEvent<{ result: NearbyResult | null }>) =>
          inputs.onNearby(e.detail.result)}
      ></fto-nearby>`;
    case 'list':
      return html`<fto-list
        class="panel"
        part="panel"
        .server=${inputs.server}
        .campaign=${inputs.campaign}
      ></fto-list>`;
    case 'stats':
      return html`<fto-stats class="panel" part="panel" .summary=${inputs.summary}></fto-stats>`;
    case 'join':
      return html`<fto-join
        class="panel"
        part="panel"
        .campaign=${inputs.campaign}
        .identity=${inputs.summary?.identity ?? null}
        .bluesky=${inputs.bluesky ?? false}
      ></fto-join>`;
    default:
      return nothing;
  }
}
