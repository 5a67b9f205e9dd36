import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ModerationResult } from '../../shared/admin.js';
import { acctProblem, domainProblem } from '../../shared/admin.js';
import { customElement } from '../define.js';
import { describeFailure, liveChanges, type AdminApi } from './admin-api.js';
import { adminStyles } from './admin-styles.js';
import { moderated } from './moderated.js';

type Action = 'hide-account' | 'block-account' | 'block-domain';

interface ActionInfo {
  label: string;
  explains: string;
  field: string;
  placeholder: string;
  /** Why the typed text will not do, or null. */
  problem: (text: string) => string | null;
  /** The typed text as the API wants it. */
  normalise: (text: string) => string;
  run: (api: AdminApi, target: string) => Promise<ModerationResult>;
  /** For "Could not …". */
  verb: string;
  /** A block asks first: the question, what follows from yes, and the yes button. */
  confirm: {
    question: (target: string) => string;
    consequence: (target: string) => string;
    yes: (target: string) => string;
  } | null;
  done: (target: string) => string;
}

const acct = (text: string) => text.trim().replace(/^@/, '');
const domain = (text: string) => text.trim().toLowerCase();

const ACTIONS: Record<Action, ActionInfo> = {
  'hide-account': {
    label: 'Hide an account',
    explains: 'Off every map; their posts are kept, and unhiding brings them back.',
    field: 'Account',
    placeholder: 'user@example.social',
    problem: acctProblem,
    normalise: acct,
    run: (api, a) => api.hideAccount(a),
    verb: 'hide the account',
    confirm: null,
    done: (a) => `@${a} is hidden`,
  },
  'block-account': {
    label: 'Block an account',
    explains: 'Off every map, the posts we stored from them deleted, their future posts dropped.',
    field: 'Account',
    placeholder: 'user@example.social',
    problem: acctProblem,
    normalise: acct,
    run: (api, a) => api.blockAccount(a),
    verb: 'block the account',
    confirm: {
      question: (a) => `Block @${a}?`,
      consequence: () =>
        'Every post we stored from them is deleted and their future posts are dropped. Unblocking lets new posts in again, but the deleted ones do not come back.',
      yes: (a) => `Yes, block @${a}`,
    },
    done: (a) => `@${a} is blocked and their stored posts are deleted`,
  },
  'block-domain': {
    label: 'Block a domain',
    explains: 'Everyone on that server off every map, their future posts dropped.',
    field: 'Domain',
    placeholder: 'spam.example',
    problem: domainProblem,
    normalise: domain,
    run: (api, d) => api.blockDomain(d),
    verb: 'block the domain',
    confirm: {
      question: (d) => `Block ${d}?`,
      consequence: (d) =>
        `Everyone with an account on ${d} leaves the map and their future posts are dropped. Unblocking brings back the posts we kept.`,
      yes: (d) => `Yes, block ${d}`,
    },
    done: (d) => `${d} is blocked`,
  },
};

/**
 * "Hide or block someone": an account (`user@domain`) or a domain, checked here before it is
 * sent (the server checks again). A block asks for confirmation first. A failed request leaves
 * the form as it was.
 *
 * @fires fto-moderated - after every change
 */
@customElement('fto-admin-someone')
export class FtoAdminSomeone extends LitElement {
  static override styles = [
    adminStyles,
    css`
      form {
        display: grid;
        gap: 0.5rem;
      }
      fieldset {
        border: 0;
        margin: 0 0 0.25rem;
        padding: 0;
        display: grid;
        gap: 0.375rem;
      }
      legend {
        font-weight: 600;
        font-size: 0.875rem;
        padding: 0;
        margin-block-end: 0.25rem;
      }
      .choice {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 0.5rem;
        align-items: baseline;
      }
      .choice label {
        font-weight: 400;
      }
      .choice .hint {
        grid-column: 2;
        margin: 0;
      }
      .confirm {
        margin-block-start: 0.75rem;
        padding: 0.75rem;
        border: 2px solid var(--fto-warn);
        border-radius: 10px;
      }
      .confirm h3 {
        margin-block-start: 0;
      }
    `,
  ];

  @property({ attribute: false }) api: AdminApi | null = null;

  @state() private action: Action = 'hide-account';
  @state() private invalid: string | null = null;
  @state() private failure: string | null = null;
  @state() private result = '';
  @state() private busy = false;
  /** A block waiting for "yes": the normalised target. */
  @state() private confirming: string | null = null;

  @query('#target') private input?: HTMLInputElement;

  private choose(action: Action): void {
    this.action = action;
    this.confirming = null;
    this.invalid = null;
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const info = ACTIONS[this.action];
    const text = this.input?.value ?? '';
    this.invalid = info.problem(text);
    this.failure = null;
    if (this.invalid) {
      this.result = '';
      this.input?.focus();
      return;
    }
    const target = info.normalise(text);
    if (info.confirm) {
      this.confirming = target;
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>('#confirm-title')?.focus(),
      );
      return;
    }
    void this.send(target);
  }

  private cancel(): void {
    this.confirming = null;
    this.input?.focus();
  }

  private async send(target: string): Promise<void> {
    if (!this.api || this.busy) return;
    const info = ACTIONS[this.action];
    this.busy = true;
    this.failure = null;
    try {
      const result = await info.run(this.api, target);
      this.result = `${info.done(target)}: ${liveChanges(result)}.`;
      this.confirming = null;
      if (this.input) this.input.value = '';
      this.input?.focus();
      moderated(this);
    } catch (err) {
      // The form keeps what was typed; the confirmation closes so the reader sees why.
      this.failure = `Could not ${info.verb}: ${describeFailure(err)}`;
      this.result = '';
      this.confirming = null;
      this.input?.focus();
    } finally {
      this.busy = false;
    }
  }

  private renderConfirm() {
    const target = this.confirming;
    const confirm = ACTIONS[this.action].confirm;
    if (target === null || !confirm) return nothing;
    return html`<div class="confirm" role="group" aria-labelledby="confirm-title">
      <h3 id="confirm-title" tabindex="-1">${confirm.question(target)}</h3>
      <p>${confirm.consequence(target)}</p>
      <div class="row">
        <button
          class="button danger"
          type="button"
          ?disabled=${this.busy}
          @click=${() => this.send(target)}
        >
          ${confirm.yes(target)}
        </button>
        <button class="button" type="button" @click=${this.cancel}>Cancel</button>
      </div>
    </div>`;
  }

  protected override render() {
    const info = ACTIONS[this.action];
    const describedBy = this.invalid ? 'target-hint target-error' : 'target-hint';
    return html`<section class="card" aria-labelledby="someone-title">
      <h2 id="someone-title">Hide or block someone</h2>
      <p class="sub">By account or by the server they are on.</p>
      <form novalidate @submit=${this.onSubmit}>
        <fieldset>
          <legend>What to do</legend>
          ${(Object.keys(ACTIONS) as Action[]).map(
            (a) =>
              html`<div class="choice">
                <input
                  id="do-${a}"
                  type="radio"
                  name="action"
                  aria-describedby="do-${a}-hint"
                  .checked=${this.action === a}
                  @change=${() => this.choose(a)}
                />
                <label for="do-${a}">${ACTIONS[a].label}</label>
                <span class="hint" id="do-${a}-hint">${ACTIONS[a].explains}</span>
              </div>`,
          )}
        </fieldset>
        <label for="target">${info.field}</label>
        <div class="row">
          <input
            id="target"
            type="text"
            autocomplete="off"
            autocapitalize="off"
            spellcheck="false"
            placeholder=${info.placeholder}
            aria-describedby=${describedBy}
            aria-invalid=${this.invalid ? 'true' : 'false'}
            ?readonly=${this.confirming !== null || this.busy}
            @input=${() => (this.confirming = null)}
          />
          <button
            class="button ${info.confirm ? 'danger' : 'primary'}"
            type="submit"
            ?disabled=${this.busy || this.confirming !== null}
          >
            ${info.confirm ? 'Block…' : 'Hide'}
          </button>
        </div>
        <p class="hint" id="target-hint">
          ${this.action === 'block-domain' ? 'A server’s domain, e.g. spam.example.' : 'user@server, with or without the @ in front.'}
        </p>
        ${this.invalid ? html`<p class="error" id="target-error" role="alert">${this.invalid}</p>` : nothing}
      </form>
      ${this.renderConfirm()}
      <p class="status ok" role="status">${this.result}</p>
      ${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fto-admin-someone': FtoAdminSomeone;
  }
}
