import { LitElement, css, html, nothing, svg } from 'lit';
import { property, query } from 'lit/decorators.js';
import { customElement } from '../define.js';
import type { CampaignSummary } from '../../shared/types.js';
import { formatCount, people, placeName } from '../cities.js';
import { joinSeries, type JoinSeries } from '../join-buckets.js';
import { countryName } from '../format.js';
import { onPanelKeydown, panelHeader, panelStyles } from '../panel.js';
import { focusRing } from '../styles.js';

const CHART = { width: 320, height: 96, gap: 1 };

/**
 * The campaign in figures: top cities, top countries, and new people per hour, day or week
 * (chosen from the campaign's span) as a small bar chart, described for screen readers.
 *
 * @fires fto-panel-close - the reader asked to close the panel (button or Escape)
 * @csspart panel - the outer section
 * @csspart chart - the joins-per-day chart
 */
@customElement('fto-stats')
export class FtoStats extends LitElement {
  static override styles = [
    panelStyles,
    focusRing,
    css`
      .block {
        padding: 0.75rem 1rem;
        border-block-end: 1px solid var(--fto-line);
      }
      h3 {
        margin: 0 0 0.5rem;
        font-size: 0.9375rem;
      }
      ol {
        margin: 0;
        padding: 0;
        list-style: none;
        display: grid;
        gap: 0.25rem;
      }
      li {
        display: flex;
        justify-content: space-between;
        gap: 1rem;
      }
      .n {
        font-variant-numeric: tabular-nums;
        color: var(--fto-muted);
      }
      svg {
        display: block;
        inline-size: 100%;
        block-size: auto;
      }
      .bar {
        fill: var(--fto-accent);
      }
      .axis {
        display: flex;
        justify-content: space-between;
        color: var(--fto-muted);
        font-size: 0.75rem;
      }
    `,
  ];

  /** The campaign summary, or null while it loads. */
  @property({ attribute: false }) summary: CampaignSummary | null = null;

  @query('h2') private heading?: HTMLElement;

  /** Moves focus to the heading when the panel opens. */
  override focus(): void {
    this.heading?.focus();
  }

  private chart(series: JoinSeries) {
    const bars = series.buckets;
    if (!bars.some((b) => b.count > 0)) return html`<p class="sub">No one has joined yet.</p>`;
    const max = Math.max(1, ...bars.map((d) => d.count));
    const w = CHART.width / bars.length;
    const total = bars.reduce((n, d) => n + d.count, 0);
    const first = bars[0]!.label;
    const last = bars[bars.length - 1]!.label;
    const busiest = `the busiest ${series.unit} had ${formatCount(max)}`;
    return html`<svg
        part="chart"
        viewBox="0 0 ${CHART.width} ${CHART.height}"
        role="img"
        aria-label=${`${people(total)} joined between ${first} and ${last}; ${busiest}.`}
      >
        ${bars.map((d, i) => {
          const h = Math.max(d.count ? 2 : 0, (d.count / max) * CHART.height);
          const title = `${series.unit === 'week' ? `week of ${d.label}` : d.label}: ${formatCount(d.count)}`;
          return svg`<rect class="bar" x=${i * w} y=${CHART.height - h} width=${Math.max(1, w - CHART.gap)} height=${h}><title>${title}</title></rect>`;
        })}
      </svg>
      <div class="axis" aria-hidden="true"><span>${first}</span><span>${last}</span></div>`;
  }

  private renderJoins(series: JoinSeries) {
    return html`<h3>New people per ${series.unit}</h3>
      ${this.chart(series)}`;
  }

  protected override render() {
    const s = this.summary;
    return html`<section part="panel" aria-labelledby="title" @keydown=${onPanelKeydown}>
      ${panelHeader(this, 'The campaign in figures', s ? `${people(s.contributors)} so far` : 'Loading…', 'Close figures')}
      ${
        s
          ? html`<div class="body">
              ${
                s.networks?.bluesky
                  ? html`<div class="block">
                      <h3>By network</h3>
                      <ol class="networks">
                        <li>
                          <span>⁂ Fediverse</span
                          ><span class="n">${formatCount(s.networks.fediverse)}</span>
                        </li>
                        <li>
                          <span>🦋 Bluesky</span
                          ><span class="n">${formatCount(s.networks.bluesky)}</span>
                        </li>
                      </ol>
                    </div>`
                  : nothing
              }
              <div class="block">${this.renderJoins(joinSeries(s))}</div>
              <div class="block">
                <h3>Top cities</h3>
                <ol>
                  ${s.topCities.map(
                    (c) =>
                      html`<li>
                        <span>${placeName(c.place)}</span
                        ><span class="n">${formatCount(c.count)}</span>
                      </li>`,
                  )}
                </ol>
              </div>
              <div class="block">
                <h3>Top countries</h3>
                <ol>
                  ${s.topCountries.map(
                    (c) =>
                      html`<li>
                        <span>${countryName(c.country)}</span
                        ><span class="n">${formatCount(c.count)}</span>
                      </li>`,
                  )}
                </ol>
              </div>
            </div>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-stats': FtoStats;
  }
}
