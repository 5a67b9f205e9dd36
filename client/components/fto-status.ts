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

// Network error codes as a person would say them.
const ERROR_WORDS: [RegExp, string][] = [
  [/ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|timed? ?out/i, 'the connection timed out'],
  [/ECONNREFUSED/, 'the connection was refused'],
  [/ENOTFOUND|EAI_AGAIN/, 'its name could not be found (DNS)'],
  [/ECONNRESET|socket hang up|other side closed/i, 'the connection was cut'],
  [/CERT|certificate|SSL|TLS/i, 'its certificate was not accepted'],
  [/ENETUNREACH|EHOSTUNREACH/, 'the network cannot reach it'],
];

/**
 * A source's last error without the request behind it: "HTTP 503" stays, an address like
 * `https://…/api/v1/timelines/tag/x?limit=40` becomes its host, an errno its meaning.
 */
export function plainError(message: string): string {
  for (const [pattern, words] of ERROR_WORDS) if (pattern.test(message)) return words;
  return message
    .replace(/https?:\/\/([^/\s]+)\S*/g, '$1')
    .replace(/\s+\d{1,3}(\.\d{1,3}){3}(:\d+)?/g, '')
    .trim();
}

const isFailing = (s: SourceStatus) =>
  (s.state === 'error' || s.state === 'backing-off') && s.lastError !== null;

/** What is wrong with a source, in words, or null when it is fine. */
export function sourceProblem(source: SourceStatus): string | null {
  const host = hostOf(source.instance);
  if (source.state === 'needs-token') return `${host} needs an access token`;
  if (source.state === 'waiting-for-budget') {
    const until = source.nextAttemptAt ? timeOf(source.nextAttemptAt) : null;
    return `${host} is waiting for its request budget${until ? ` until ${until}` : ''}`;
  }
  if (isFailing(source)) return `${host}: ${plainError(source.lastError!)}`;
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
    .connecting .dot,
    .down .dot {
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
      sources
        .filter((s) => s.mode !== 'relay' && s.mode !== 'aggregator' && s.mode !== 'jetstream')
        .map((s) => s.instance),
    ).size;
    const following = this.campaign
      ? `Following #${this.campaign}${this.status ? ` on ${instances} ${instances === 1 ? 'instance' : 'instances'}` : ''}`
      : 'Loading';
    const followed = sources.filter(
      (s) => s.mode !== 'relay' && s.mode !== 'aggregator' && s.mode !== 'jetstream',
    );
    const failing = sources.filter(isFailing);
    // The page's own connection may be live while the server reaches no instance at all: say that.
    const noneReached =
      followed.length > 0 && followed.every((s) => isFailing(s) || s.state === 'needs-token');
    const state = noneReached ? 'down' : this.live;
    const liveText = noneReached ? 'Can’t reach any instance — retrying' : LIVE_TEXT[this.live];
    const others = sources
      .filter((s) => !isFailing(s))
      .map(sourceProblem)
      .filter((p) => p !== null);
    return html`
      <p part="line" class=${state}>
        <span class="dot" aria-hidden="true"></span>${following} · ${liveText}
      </p>
      ${this.renderReach()}
      ${this.problem ? html`<p part="problem" class="problem">${this.problem}</p>` : nothing}
      ${this.renderFailing(failing, noneReached)}
      ${others.map((p) => html`<p part="problem" class="problem">${p}</p>`)}
    `;
  }

  /** One failing source is one line; several are one line with each behind it. */
  private renderFailing(failing: SourceStatus[], noneReached: boolean) {
    if (failing.length === 0) return nothing;
    if (failing.length === 1 && !noneReached)
      return html`<p part="problem" class="problem">Can’t reach ${sourceProblem(failing[0]!)}</p>`;
    const hosts = new Set(failing.map((s) => hostOf(s.instance))).size;
    return html`<details part="problem" class="problem">
      <summary>
        ${noneReached ? 'What each instance answered' : `${hosts} ${hosts === 1 ? 'instance' : 'instances'} can’t be reached`}
      </summary>
      <ul>
        ${failing.map((s) => html`<li>${sourceProblem(s)}</li>`)}
      </ul>
    </details>`;
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
