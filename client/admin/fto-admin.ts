import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { fetchConfig } from '../api.js';
import type { ServerStatus } from '../../shared/types.js';
import { customElement } from '../define.js';
import { theme } from '../styles.js';
import type { Me } from '../../shared/team.js';
import {
  AdminApiError,
  createAdminApi,
  describeFailure,
  session,
  type AdminApi,
} from './admin-api.js';
import { adminStyles } from './admin-styles.js';
import { shellStyles } from './fto-admin-styles.js';
import type { FtoAdminHidden } from './fto-admin-hidden.js';
import { forgetToken, saveToken, savedToken } from './token-store.js';
import './fto-admin-hidden.js';
import './fto-admin-someone.js';
import './fto-admin-unlocated.js';
import './fto-admin-queue.js';
import './fto-admin-audit.js';
import './fto-admin-team.js';

type Phase = 'checking' | 'signed-out' | 'signed-in';

/**
 * The moderation page at /admin: sign in as a moderator (a one-time link in `#link=…`, or name and
 * password: an HttpOnly session cookie the page never sees, plus a CSRF token it keeps in memory),
 * or with an API token / FTO_ADMIN_TOKEN (kept in this tab's sessionStorage only). Then the
 * review queue, a campaign's posts with no city, what is hidden or blocked, a form to hide or
 * block someone, the audit log, and for owners the team and the campaign's settings. Light or dark with the reader's preference, like the map.
 *
 * Attributes:
 * - `switched-off`: set by the server when it has no admin token; the page then only says how
 *   to switch moderation on, and asks the API nothing.
 */
@customElement('fto-admin')
export class FtoAdmin extends LitElement {
  static override styles = [theme, adminStyles, shellStyles];

  @property({ type: Boolean, attribute: 'switched-off' }) switchedOff = false;

  @state() private phase: Phase = 'checking';
  @state() private api: AdminApi | null = null;
  /** Who is signed in (null until known). */
  @state() private me: Me | null = null;
  @state() private signInError: string | null = null;
  /** A refused name and password, or sign-in link (shown in the moderator form). */
  @state() private passwordError: string | null = null;
  @state() private notice = '';
  @state() private campaigns: string[] = [];
  @state() private campaign = '';
  @state() private busy = false;
  /** Authors waiting for their home server's consent answer, from /api/status (docs/consent.md). */
  @state() private consentLine = '';

  @query('#token') private tokenInput?: HTMLInputElement;
  @query('h1') private heading?: HTMLElement;
  @query('fto-admin-hidden') private hiddenList?: FtoAdminHidden;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.switchedOff) return;
    void this.resume();
    fetchConfig('')
      .then((config) => {
        this.campaigns = config.campaigns;
        this.campaign ||= config.campaigns[0] ?? '';
      })
      .catch((err: unknown) => {
        this.notice = `Could not read the campaigns: ${(err as Error).message}`;
      });
  }

  /**
   * A sign-in link (`/admin#link=…`, taken out of the address bar at once), else the session
   * cookie this browser may have, else the token kept in this tab.
   */
  private async resume(): Promise<void> {
    const link = /^#link=([\w-]+)$/.exec(location.hash)?.[1];
    if (link) history.replaceState(null, '', location.pathname + location.search);
    try {
      const me = link ? await session.withLink(link) : await session.current();
      if (me) return await this.startSession(me);
    } catch (err) {
      this.passwordError = `Could not sign in with that link: ${describeFailure(err)}`;
    }
    const token = savedToken();
    if (token) void this.signIn(token, true);
    else this.phase = 'signed-out';
  }

  private async startSession(me: Me): Promise<void> {
    this.me = me;
    this.api = createAdminApi({ csrf: me.csrf ?? '' });
    this.phase = 'signed-in';
    this.passwordError = null;
    this.notice = `Signed in as ${me.name} (${me.role}).`;
    await this.updateComplete;
    this.heading?.focus();
  }

  private async onPasswordSignIn(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    if (!name || !password) {
      this.passwordError = 'Type your name and password first.';
      return;
    }
    this.busy = true;
    try {
      await this.startSession(await session.withPassword(name, password));
    } catch (err) {
      this.passwordError =
        err instanceof AdminApiError && err.status === 401
          ? 'Wrong name or password.'
          : `Could not sign in: ${describeFailure(err)}`;
    } finally {
      this.busy = false;
    }
  }

  /** Checks the token against the server (GET /api/admin/moderation) before keeping it. */
  private async signIn(token: string, saved: boolean): Promise<void> {
    this.busy = true;
    this.signInError = null;
    const api = createAdminApi(token);
    try {
      this.me = await api.me();
      saveToken(token);
      this.api = api;
      this.phase = 'signed-in';
      this.notice =
        'Signed in. The token is kept in this tab only, until you sign out or close it.';
      await this.updateComplete;
      this.heading?.focus();
    } catch (err) {
      const status = err instanceof AdminApiError ? err.status : 0;
      if (status === 401) forgetToken();
      this.signInError =
        status === 401
          ? saved
            ? 'The token kept in this tab no longer works (was the server restarted with another FTO_ADMIN_TOKEN?). Paste the current one.'
            : 'Wrong token: the server refused it. Paste the FTO_ADMIN_TOKEN the server was started with.'
          : status === 404
            ? 'Moderation is switched off on this server: restart it with FTO_ADMIN_TOKEN set in its environment.'
            : `Could not sign in: ${describeFailure(err)}`;
      this.phase = 'signed-out';
      await this.updateComplete;
      this.tokenInput?.focus();
    } finally {
      this.busy = false;
    }
  }

  private onSignIn(e: SubmitEvent): void {
    e.preventDefault();
    const token = this.tokenInput?.value.trim() ?? '';
    if (!token) {
      this.signInError = 'Paste the admin token first.';
      this.tokenInput?.focus();
      return;
    }
    void this.signIn(token, false);
  }

  private async signOut(everywhere = false): Promise<void> {
    if (this.me?.kind === 'session' && this.api) {
      try {
        await (everywhere ? this.api.signOutEverywhere() : this.api.signOut());
      } catch (err) {
        this.notice = `Could not sign out: ${describeFailure(err)}`;
        return;
      }
    }
    const wasSession = this.me?.kind === 'session';
    this.me = null;
    forgetToken();
    this.api = null;
    this.phase = 'signed-out';
    this.signInError = null;
    this.notice = wasSession
      ? everywhere
        ? 'Signed out everywhere: every session of yours has ended.'
        : 'Signed out.'
      : 'Signed out: this tab no longer keeps the token.';
    await this.updateComplete;
    this.tokenInput?.focus();
  }

  private renderSwitchedOff() {
    return html`<section class="card" aria-labelledby="off-title">
      <h2 id="off-title">Moderation is switched off</h2>
      <p>
        This server has no moderators and was started without an admin token, so this page and the
        admin API (<code>/api/admin/…</code>) do nothing.
      </p>
      <p>
        To switch them on, add a moderator on the server's machine (no restart needed), and open the
        link it prints:
      </p>
      <pre><code>npx find-the-others moderators add NAME --role owner --url https://THIS-MAP</code></pre>
      <p>or, for scripts, restart the server with a long random token in its environment:</p>
      <pre><code>FTO_ADMIN_TOKEN="$(openssl rand -hex 32)" npx find-the-others serve …</code></pre>
      <p>
        then open this page again and paste that token. It is read from the environment only, never
        from a flag. See <code>docs/moderation.md</code>.
      </p>
    </section>`;
  }

  private renderSignIn() {
    return html`<section class="card" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      <form class="signin" novalidate @submit=${this.onPasswordSignIn}>
        <label for="name">Name</label>
        <input id="name" name="name" type="text" autocomplete="username" spellcheck="false" />
        <label for="password">Password</label>
        <div class="row">
          <input id="password" name="password" type="password" autocomplete="current-password" />
          <button class="button primary" type="submit" ?disabled=${this.busy}>
            Sign in as moderator
          </button>
        </div>
        ${
          this.passwordError
            ? html`<p class="error" id="password-error" role="alert">${this.passwordError}</p>`
            : nothing
        }
        <p class="hint">
          New here? Open the sign-in link an owner gave you (<code
            >find-the-others moderators add</code
          >).
        </p>
      </form>
      <h3>Or with a token</h3>
      <p class="sub">
        Paste the admin token the server was started with (<code>FTO_ADMIN_TOKEN</code>). It is kept
        in this tab only and sent to this server only.
      </p>
      <form class="signin" novalidate @submit=${this.onSignIn}>
        <label for="token">Admin token</label>
        <div class="row">
          <input
            id="token"
            type="password"
            autocomplete="off"
            spellcheck="false"
            aria-invalid=${this.signInError ? 'true' : 'false'}
            aria-describedby=${this.signInError ? 'signin-error' : nothing}
          />
          <button class="button primary" type="submit" ?disabled=${this.busy}>
            ${this.busy ? 'Checking…' : 'Sign in'}
          </button>
        </div>
        ${
          this.signInError
            ? html`<p class="error" id="signin-error" role="alert">${this.signInError}</p>`
            : nothing
        }
      </form>
    </section>`;
  }

  private renderSignedIn() {
    return html`<div class="campaign">
        <label for="campaign">Campaign</label>
        <select
          id="campaign"
          @change=${(e: Event) => (this.campaign = (e.target as HTMLSelectElement).value)}
        >
          ${this.campaigns.map(
            (c) => html`<option value=${c} ?selected=${c === this.campaign}>#${c}</option>`,
          )}
        </select>
      </div>
      ${this.consentLine ? html`<p class="muted" id="consent-status">${this.consentLine}</p>` : nothing}
      <fto-admin-queue .api=${this.api} .campaign=${this.campaign}></fto-admin-queue>
      <fto-admin-unlocated .api=${this.api} .campaign=${this.campaign}></fto-admin-unlocated>
      <fto-admin-hidden .api=${this.api}></fto-admin-hidden>
      <fto-admin-someone .api=${this.api}></fto-admin-someone>
      <fto-admin-audit .api=${this.api}></fto-admin-audit>
      ${
        this.me?.role === 'owner'
          ? html`<fto-admin-team
              .api=${this.api}
              .campaign=${this.campaign}
              .me=${this.me}
            ></fto-admin-team>`
          : nothing
      }`;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('phase') && this.phase === 'signed-in') void this.loadConsentLine();
  }

  /** One line on consent: who waits for which home, and what happens if it never answers. */
  private async loadConsentLine(): Promise<void> {
    try {
      const res = await fetch('/api/status', { cache: 'no-store', credentials: 'omit' });
      const status = (await res.json()) as ServerStatus;
      const c = status.consent;
      if (!c) return;
      const homes = c.homes
        .slice(0, 5)
        .map((h) => `${h.home} (${h.waiting}${h.lastError ? `: ${h.lastError}` : ''})`)
        .join(', ');
      this.consentLine =
        c.waiting === 0
          ? `Consent: every author's home has answered (${c.known} confirmed, ${c.refused} refused).`
          : `Consent: ${c.waiting} author(s) wait for their home server${c.unreachable ? `, ${c.unreachable} for longer than ${Math.round(c.unreachableAfterMs / 3600_000)} h` : ''} — ${homes}. ${c.unreachablePolicy === 'wait' ? 'They stay off the map until it answers.' : 'They are shown once that time has passed.'}`;
    } catch {
      this.consentLine = '';
    }
  }

  protected override render() {
    return html`<div class="page" @fto-moderated=${() => this.hiddenList?.refresh()}>
      <header>
        <div>
          <h1 tabindex="-1">Moderation</h1>
          <p class="sub">Find the Others · <a href="/">the map</a></p>
        </div>
        ${
          this.phase === 'signed-in'
            ? html`<div class="row">
                ${this.me ? html`<span class="muted" id="who">${this.me.name} · ${this.me.role}</span>` : nothing}
                <button class="button" type="button" @click=${() => this.signOut()}>
                  Sign out
                </button>
                ${
                  this.me?.kind === 'session'
                    ? html`<button class="button" type="button" @click=${() => this.signOut(true)}>
                        Sign out everywhere
                      </button>`
                    : nothing
                }
              </div>`
            : nothing
        }
      </header>
      <p class="notice" role="status">${this.notice}</p>
      <main>
        ${
          this.switchedOff
            ? this.renderSwitchedOff()
            : this.phase === 'checking'
              ? html`<p class="muted">Checking the token kept in this tab…</p>`
              : this.phase === 'signed-in'
                ? this.renderSignedIn()
                : this.renderSignIn()
        }
      </main>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-admin': FtoAdmin;
  }
}
