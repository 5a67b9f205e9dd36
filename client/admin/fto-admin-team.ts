import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CampaignFilter } from '../../shared/queue.js';
import type { ApiToken, Me, Moderator } from '../../shared/team.js';
import { customElement } from '../define.js';
import { describeFailure, type AdminApi } from './admin-api.js';
import { adminStyles, gridItemStyles } from './admin-styles.js';
import { moderated } from './moderated.js';

/**
 * Owners only: the team (add someone and hand them a one-time sign-in link, revoke them), API
 * tokens for scripts (the secret is shown once), and the campaign's pre-moderation and filters.
 *
 * @fires fto-moderated - after every change (the audit log refreshes)
 */
@customElement('fto-admin-team')
export class FtoAdminTeam extends LitElement {
  static override styles = [
    adminStyles,
    gridItemStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        align-items: center;
        padding-block: 0.375rem;
        border-block-end: 1px solid var(--fto-line);
      }
      li .what {
        flex: 1 1 12rem;
        overflow-wrap: anywhere;
      }
      .secret {
        overflow-wrap: anywhere;
        user-select: all;
      }
    `,
  ];

  @property({ attribute: false }) api: AdminApi | null = null;
  @property({ attribute: false }) me: Me | null = null;
  @property() campaign = '';

  @state() private moderators: Moderator[] = [];
  @state() private tokens: ApiToken[] = [];
  @state() private filters: CampaignFilter[] = [];
  @state() private premoderation = false;
  /** A sign-in link or token just made: shown once. */
  @state() private secret: { what: string; value: string } | null = null;
  @state() private error: string | null = null;
  @state() private result = '';

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('api') || changed.has('campaign')) && this.api && this.campaign)
      void this.refresh();
  }

  async refresh(): Promise<void> {
    if (!this.api) return;
    try {
      const [m, t, s] = await Promise.all([
        this.api.moderators(),
        this.api.tokens(),
        this.api.settings(this.campaign),
      ]);
      this.moderators = m.moderators;
      this.tokens = t.tokens;
      this.filters = s.filters;
      this.premoderation = s.premoderation;
    } catch (err) {
      this.error = describeFailure(err);
    }
  }

  private async run(what: string, fn: (api: AdminApi) => Promise<unknown>): Promise<void> {
    if (!this.api) return;
    try {
      await fn(this.api);
      this.result = what;
      this.error = null;
      moderated(this);
      await this.refresh();
    } catch (err) {
      this.error = `${what.replace(/\.$/, '')} failed: ${describeFailure(err)}`;
    }
  }

  private field(e: SubmitEvent, name: string): string {
    return (
      (e.target as HTMLFormElement).elements.namedItem(name) as HTMLInputElement
    ).value.trim();
  }

  private onAddModerator(e: SubmitEvent): void {
    e.preventDefault();
    const name = this.field(e, 'name');
    const role = this.field(e, 'role') as 'owner' | 'moderator';
    void this.run(`Added ${name}.`, async (api) => {
      const { link } = await api.addModerator(name, role);
      this.secret = {
        what: `Sign-in link for ${name} (works once, for a day)`,
        value: location.origin + link,
      };
    });
  }

  private onAddToken(e: SubmitEvent): void {
    e.preventDefault();
    const name = this.field(e, 'token-name');
    const role = this.field(e, 'token-role') as 'owner' | 'moderator';
    void this.run(`Created token ${name}.`, async (api) => {
      const { token } = await api.addToken(name, role);
      this.secret = {
        what: `API token ${name} (shown once: send it as "Authorization: Bearer …")`,
        value: token,
      };
    });
  }

  private onAddFilter(e: SubmitEvent): void {
    e.preventDefault();
    const kind = this.field(e, 'kind') as 'word' | 'domain';
    const value = this.field(e, 'value');
    const action = this.field(e, 'action') as 'hide' | 'hold';
    void this.run(`Added the ${kind} filter "${value}".`, (api) =>
      api.addFilter(this.campaign, { kind, value, action }),
    );
  }

  protected override render() {
    return html`<section class="card" aria-labelledby="team-title">
      <h2 id="team-title">Team and settings</h2>
      <p class="status ok" role="status">${this.result}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${
        this.secret
          ? html`<p>${this.secret.what}:<br /><code class="secret">${this.secret.value}</code></p>`
          : nothing
      }

      <h3>Moderators</h3>
      <ul>
        ${this.moderators.map(
          (m) =>
            html`<li>
              <span class="what"
                >${m.name} ·
                ${m.role}${m.revokedAt ? ' · revoked' : m.hasPassword ? '' : ' · link only'}</span
              >
              ${
                m.revokedAt || m.name === this.me?.name
                  ? nothing
                  : html`<button
                        class="button"
                        type="button"
                        @click=${() =>
                          this.run(`New sign-in link for ${m.name}.`, async (api) => {
                            const { link } = await api.newLink(m.name);
                            this.secret = {
                              what: `Sign-in link for ${m.name}`,
                              value: location.origin + link,
                            };
                          })}
                      >
                        New link
                      </button>
                      <button
                        class="button danger"
                        type="button"
                        @click=${() => this.run(`Revoked ${m.name}.`, (api) => api.revokeModerator(m.name))}
                      >
                        Revoke ${m.name}
                      </button>`
              }
            </li>`,
        )}
      </ul>
      <form class="row" novalidate @submit=${this.onAddModerator} aria-label="Add a moderator">
        <label for="new-name">Name</label>
        <input id="new-name" name="name" type="text" autocomplete="off" />
        <select name="role" aria-label="Role">
          <option value="moderator">moderator</option>
          <option value="owner">owner</option>
        </select>
        <button class="button" type="submit">Add moderator</button>
      </form>

      <h3>API tokens</h3>
      <ul>
        ${this.tokens.map(
          (t) =>
            html`<li>
              <span class="what"
                >${t.name} ·
                ${t.role}${t.moderator ? ` · ${t.moderator}'s` : ''}${t.revokedAt ? ' · revoked' : ` · last used ${t.lastUsedAt ?? 'never'}`}</span
              >
              ${
                t.revokedAt
                  ? nothing
                  : html`<button
                      class="button danger"
                      type="button"
                      @click=${() => this.run(`Revoked token ${t.name}.`, (api) => api.revokeToken(t.name))}
                    >
                      Revoke token ${t.name}
                    </button>`
              }
            </li>`,
        )}
      </ul>
      <form class="row" novalidate @submit=${this.onAddToken} aria-label="Create an API token">
        <label for="token-name">Token name</label>
        <input id="token-name" name="token-name" type="text" autocomplete="off" />
        <select name="token-role" aria-label="Token role">
          <option value="moderator">moderator</option>
          <option value="owner">owner</option>
        </select>
        <button class="button" type="submit">Create token</button>
      </form>

      <h3>#${this.campaign}</h3>
      <label>
        <input
          type="checkbox"
          .checked=${this.premoderation}
          @change=${(e: Event) => {
            const on = (e.target as HTMLInputElement).checked;
            void this.run(`Pre-moderation is ${on ? 'on' : 'off'}.`, (api) =>
              api.setPremoderation(this.campaign, on),
            );
          }}
        />
        Pre-moderation: show nobody new until a moderator approves them
      </label>
      <ul aria-label="Filters">
        ${this.filters.map(
          (f) =>
            html`<li>
              <span class="what"
                >${f.kind} "${f.value}" → ${f.action === 'hide' ? 'hide' : 'hold for review'}</span
              >
              <button
                class="button"
                type="button"
                @click=${() =>
                  this.run(`Removed the ${f.kind} filter "${f.value}".`, (api) =>
                    api.removeFilter(this.campaign, f),
                  )}
              >
                Remove filter ${f.value}
              </button>
            </li>`,
        )}
      </ul>
      <form class="row" novalidate @submit=${this.onAddFilter} aria-label="Add a filter">
        <select name="kind" aria-label="Filter on">
          <option value="word">word</option>
          <option value="domain">domain</option>
        </select>
        <input name="value" type="text" aria-label="Word or domain" autocomplete="off" />
        <select name="action" aria-label="Then">
          <option value="hold">hold for review</option>
          <option value="hide">hide</option>
        </select>
        <button class="button" type="submit">Add filter</button>
      </form>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-admin-team': FtoAdminTeam;
  }
}
