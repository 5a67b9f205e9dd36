import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AuditEntry } from '../../shared/team.js';
import { customElement } from '../define.js';
import { fullDate } from '../format.js';
import { describeFailure, type AdminApi } from './admin-api.js';
import { adminStyles, gridItemStyles } from './admin-styles.js';

/** Entries per page. */
const PAGE = 50;

/**
 * "Audit log": who did what, when and why, newest first (GET /api/admin/audit), with the whole
 * log as CSV. Refreshes itself after every change made on the page (fto-moderated).
 */
@customElement('fto-admin-audit')
export class FtoAdminAudit extends LitElement {
  static override styles = [
    adminStyles,
    gridItemStyles,
    css`
      .scroll {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        inline-size: 100%;
        font-size: 0.875rem;
      }
      th,
      td {
        text-align: start;
        padding: 0.25rem 0.5rem;
        border-block-end: 1px solid var(--fto-line);
        vertical-align: top;
      }
      td.on,
      td.why {
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) api: AdminApi | null = null;

  @state() private entries: AuditEntry[] = [];
  @state() private nextBefore: number | null = null;
  @state() private error: string | null = null;

  private readonly onModerated = () => void this.refresh();

  override connectedCallback(): void {
    super.connectedCallback();
    this.getRootNode().addEventListener('fto-moderated', this.onModerated);
  }

  override disconnectedCallback(): void {
    this.getRootNode().removeEventListener('fto-moderated', this.onModerated);
    super.disconnectedCallback();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('api') && this.api) void this.refresh();
  }

  /** Reads the newest page again. */
  async refresh(): Promise<void> {
    await this.load(null);
  }

  private async load(before: number | null): Promise<void> {
    if (!this.api) return;
    try {
      const page = await this.api.audit(before, PAGE);
      this.entries = before === null ? page.entries : [...this.entries, ...page.entries];
      this.nextBefore = page.nextBefore;
      this.error = null;
    } catch (err) {
      this.error = `Could not read the audit log: ${describeFailure(err)}`;
    }
  }

  private async downloadCsv(): Promise<void> {
    if (!this.api) return;
    try {
      const url = URL.createObjectURL(await this.api.auditCsv());
      const a = document.createElement('a');
      a.href = url;
      a.download = 'moderation-audit.csv';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this.error = `Could not download the audit log: ${describeFailure(err)}`;
    }
  }

  private detail(e: AuditEntry): string {
    if (!e.detail) return '';
    return Object.entries(e.detail)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ');
  }

  protected override render() {
    return html`<section class="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p class="sub">Every moderation action, newest first. Nothing is ever removed from it.</p>
      <div class="row">
        <button class="button" type="button" @click=${() => this.refresh()}>Refresh</button>
        <button class="button" type="button" @click=${() => this.downloadCsv()}>
          Download CSV
        </button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">On</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            ${this.entries.map(
              (e) =>
                html`<tr>
                  <td><time datetime=${e.at}>${fullDate(e.at)}</time></td>
                  <td>${e.actor}</td>
                  <td>
                    ${e.action}${e.detail ? html`<br /><span class="muted">${this.detail(e)}</span>` : nothing}
                  </td>
                  <td class="on">${e.target}</td>
                  <td class="why">${e.note ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        this.nextBefore !== null
          ? html`<button class="button" type="button" @click=${() => this.load(this.nextBefore)}>
              Load older
            </button>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-admin-audit': FtoAdminAudit;
  }
}
