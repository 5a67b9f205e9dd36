import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from '../define.js';
import type { ServerStatus, SourceStatus } from '../../shared/types.js';
import type { LiveState } from '../controllers/live-events-controller.js';
import { hostOf } from '../format.js';
import { plural, reachLine, sourceReachText } from '../reach-text.js';

const LIVE_TEXT: Record<LiveState, string> = {
  idle: 'not connected',
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
};

/** What is wrong with a source, in words, or null when it is fine. */
export function sourceProblem(source: SourceStatus): string | null {
  const host = hostOf(source.instance);
  if (source.state === 'needs-token') return `${host} needs an access token`;
  if (source.state === 'waiting-for-budget') {
    const until = source.nextAttemptAt ? timeOf(source.nextAttemptAt) : null;
    return `${host} is waiting for its request budget${until ? ` until ${until}` : ''}`;
  }
  if ((source.state === 'error' || source.state === 'backing-off') && source.lastError) {
    return `${host} unreachable: ${source.lastError}`;
  }
  return null;
}

/** `14:05` in the reader's locale and time zone. */
function timeOf(iso: string): string | null {
  const t = new Date(iso);
  return Number.isNaN(t.getTime())
    ? null
    : t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * One line saying what the map is following and whether it is live, plus one line per
 * instance that is failing.
 *
 * @csspart line - the main line
 * @csspart reach - the reach line ("Found through 5 sources…"), a disclosure with one line per source
 * @csspart problem - each failing-instance line
 */
@customElement('fto-status')
export class FtoStatus extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font: 0.8125rem/1.4 var(--fto-font, system-ui, sans-serif);
      color: var(--fto-muted, #555);
    }
    p {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .dot {
      display: inline-block;
      inline-size: 0.55em;
      block-size: 0.55em;
      border-radius: 50%;
      margin-inline-end: 0.4em;
      vertical-align: 0.08em;
      background: var(--fto-muted, #888);
    }
    .live .dot {
      background: var(--fto-ok, green);
    }
    .reconnecting .dot,
    .connecting .dot {
      background: var(--fto-warn, orange);
    }
    .problem {
      color: var(--fto-warn, #b45309);
    }
    details summary {
      cursor: pointer;
    }
    details ul {
      margin: 0.2em 0 0;
      padding-inline-start: 1.2em;
    }
  `;

  /** The campaign tag, without `#`. */
  @property() campaign = '';
  /** The server's last status report, or null before the first. */
  @property({ attribute: false }) status: ServerStatus | null = null;
  /** State of the live connection. */
  @property() live: LiveState = 'idle';
  /** A problem of our own to report (the API unreachable, tiles failing), or null. */
  @property() problem: string | null = null;

  protected override render() {
    const sources = (this.status?.sources ?? []).filter((s) => s.tag === this.campaign);
    // Relays and aggregators are counted in the reach line, not as instances.
    const instances = new Set(
      sources.filter((s) => s.mode !== 'relay' && s.mode !== 'aggregator').map((s) => s.instance),
    ).size;
    const following = this.campaign
      ? `Following #${this.campaign}${this.status ? ` on ${instances} ${instances === 1 ? 'instance' : 'instances'}` : ''}`
      : 'Loading';
    const problems = [this.problem, ...sources.map(sourceProblem)].filter((p) => p !== null);
    return html`
      <p part="line" class=${this.live}>
        <span class="dot" aria-hidden="true"></span>${following} · ${LIVE_TEXT[this.live]}
      </p>
      ${this.renderReach()}
      ${
        problems.length
          ? problems.map((p) => html`<p part="problem" class="problem">${p}</p>`)
          : nothing
      }
    `;
  }

  private renderReach() {
    const reach = this.status?.reach;
    const line = reach ? reachLine(reach) : null;
    if (!reach || !line) return nothing;
    return html`
      <details part="reach">
        <summary>${line}</summary>
        <ul>
          ${reach.sources.map((s) => html`<li>${sourceReachText(s)}</li>`)}
          ${
            reach.postsFirstUnknown > 0
              ? html`<li>
                  ${plural(reach.postsFirstUnknown, 'older post', 'older posts')} came through
                  several sources before the first was recorded
                </li>`
              : nothing
          }
        </ul>
      </details>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-status': FtoStatus;
  }
}
