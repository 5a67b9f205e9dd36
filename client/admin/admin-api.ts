import type {
  ModerationResult,
  ModerationState,
  PlaceSearchResult,
  UnlocatedPage,
} from '../../shared/admin.js';
import type { BulkResult, CampaignFilter, QueuePage, QueueSelection } from '../../shared/queue.js';
import type { ApiToken, AuditPage, Me, Moderator } from '../../shared/team.js';
import type { Place } from '../../shared/types.js';

/** An admin request that failed; `message` is the server's own error text when it sent one. */
export class AdminApiError extends Error {
  override name = 'AdminApiError';
  constructor(
    /** HTTP status, or 0 when no answer arrived or it was not JSON. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a person should read for a failed request: the server's words, and what to do on a 401. */
export function describeFailure(err: unknown): string {
  if (!(err instanceof AdminApiError)) return (err as Error).message || String(err);
  if (err.status === 401)
    return `The server refused the token (401: ${err.message}). Sign out and sign in with the current token.`;
  if (err.status === 0) return err.message;
  return `${err.message} (${err.status})`;
}

export type AdminApi = ReturnType<typeof createAdminApi>;

const enc = encodeURIComponent;

/** How the page proves who it is: an API token (FTO_ADMIN_TOKEN too), or the session cookie and its CSRF token. */
export type AdminAuth = { token: string } | { csrf: string };

async function send<T>(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  credentials: RequestCredentials = 'omit',
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...headers,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials,
    });
  } catch (err) {
    throw new AdminApiError(0, `Could not reach the server: ${(err as Error).message}`);
  }
  const answer = (await res.json().catch(() => null)) as { error?: unknown } | null;
  if (!res.ok) {
    const detail = typeof answer?.error === 'string' ? answer.error : res.statusText;
    throw new AdminApiError(res.status, detail || `HTTP ${res.status}`);
  }
  if (answer === null) throw new AdminApiError(0, `${method} ${path} did not answer with JSON`);
  return answer as T;
}

/** Signing in and out with the session cookie (HttpOnly: the page never sees it). */
export const session = {
  /** The moderator this browser is signed in as, or null. */
  current: async () =>
    (await send<{ me: Me | null }>('GET', '/api/admin/session', {}, undefined, 'same-origin')).me,
  withPassword: (name: string, password: string) =>
    send<Me>('POST', '/api/admin/session', {}, { name, password }, 'same-origin'),
  withLink: (link: string) =>
    send<Me>('POST', '/api/admin/session/link', {}, { link }, 'same-origin'),
};

/**
 * Typed calls to /api/admin/*: with a token as a Bearer header (it goes nowhere else: not into a
 * URL, a cookie, a log line or an error message), or with the session cookie and the CSRF token
 * on every write.
 */
export function createAdminApi(auth: AdminAuth | string) {
  const a: AdminAuth = typeof auth === 'string' ? { token: auth } : auth;
  function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    if ('token' in a) return send<T>(method, path, { Authorization: `Bearer ${a.token}` }, body);
    const headers: Record<string, string> = method === 'GET' ? {} : { 'X-CSRF-Token': a.csrf };
    return send<T>(method, path, headers, body, 'same-origin');
  }
  /** A file from the admin API (the audit CSV), with the same credentials. */
  async function download(path: string): Promise<Blob> {
    const res = await fetch(path, {
      headers: 'token' in a ? { Authorization: `Bearer ${a.token}` } : {},
      credentials: 'token' in a ? 'omit' : 'same-origin',
      cache: 'no-store',
    }).catch((err: unknown) => {
      throw new AdminApiError(0, `Could not reach the server: ${(err as Error).message}`);
    });
    if (!res.ok) throw new AdminApiError(res.status, res.statusText || `HTTP ${res.status}`);
    return res.blob();
  }
  const campaign = (tag: string) => `/api/admin/campaigns/${enc(tag)}`;

  const change = (method: 'POST' | 'DELETE', path: string, body?: unknown) =>
    call<ModerationResult>(method, `/api/admin${path}`, body);

  return {
    /** Hidden and blocked accounts, blocked domains, hidden and hand-placed posts. */
    moderation: () => call<ModerationState>('GET', '/api/admin/moderation'),
    /** One page of a campaign's posts that named no city, latest collected first. */
    unlocated: (tag: string, options: { limit?: number; before?: number | null } = {}) => {
      const query = new URLSearchParams({ limit: String(options.limit ?? 20) });
      if (options.before) query.set('before', String(options.before));
      return call<UnlocatedPage>('GET', `/api/admin/campaigns/${enc(tag)}/unlocated?${query}`);
    },
    /** Candidate cities for a typed name, best first. */
    places: async (q: string, limit = 8): Promise<Place[]> =>
      (
        await call<PlaceSearchResult>(
          'GET',
          `/api/admin/places?${new URLSearchParams({ q, limit: String(limit) })}`,
        )
      ).places,
    hideAccount: (acct: string) => change('POST', `/accounts/${enc(acct)}/hide`),
    unhideAccount: (acct: string) => change('DELETE', `/accounts/${enc(acct)}/hide`),
    blockAccount: (acct: string) => change('POST', `/accounts/${enc(acct)}/block`),
    unblockAccount: (acct: string) => change('DELETE', `/accounts/${enc(acct)}/block`),
    blockDomain: (domain: string) => change('POST', `/domains/${enc(domain)}/block`),
    unblockDomain: (domain: string) => change('DELETE', `/domains/${enc(domain)}/block`),
    hidePost: (uri: string) => change('POST', '/posts/hide', { uri }),
    unhidePost: (uri: string) => change('POST', '/posts/unhide', { uri }),
    unplacePost: (uri: string) => change('POST', '/posts/unplace', { uri }),
    placePost: (uri: string, placeId: number) => change('POST', '/posts/place', { uri, placeId }),

    /** Who this is, and (for a session) the CSRF token. */
    me: () => call<Me>('GET', '/api/admin/me'),
    signOut: () => call<{ ok: true }>('DELETE', '/api/admin/session'),
    signOutEverywhere: () =>
      call<{ ok: true; ended: number }>('POST', '/api/admin/sessions/end-all'),
    audit: (before?: number | null, limit = 50) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (before) query.set('before', String(before));
      return call<AuditPage>('GET', `/api/admin/audit?${query}`);
    },
    auditCsv: () => download('/api/admin/audit.csv'),
    queue: (tag: string, sel: QueueSelection = {}, after = 0, limit = 50) => {
      const query = new URLSearchParams({ limit: String(limit), after: String(after) });
      if (sel.domain) query.set('domain', sel.domain);
      if (sel.word) query.set('word', sel.word);
      if (sel.newerThanDays) query.set('newerThanDays', String(sel.newerThanDays));
      if (sel.heldOnly) query.set('held', '1');
      if (sel.reportedOnly) query.set('reported', '1');
      return call<QueuePage>('GET', `${campaign(tag)}/queue?${query}`);
    },
    approve: (tag: string, uri: string) =>
      call<ModerationResult>('POST', `${campaign(tag)}/queue/approve`, { uri }),
    bulk: (
      tag: string,
      action: 'approve' | 'hide',
      target: { uris: string[] } | { filter: QueueSelection },
      note?: string,
    ) => call<BulkResult>('POST', `${campaign(tag)}/queue/bulk`, { action, ...target, note }),
    settings: (tag: string) =>
      call<{ premoderation: boolean; waiting: number; filters: CampaignFilter[] }>(
        'GET',
        `${campaign(tag)}/settings`,
      ),
    setPremoderation: (tag: string, premoderation: boolean) =>
      call<ModerationResult>('PUT', `${campaign(tag)}/settings`, { premoderation }),
    addFilter: (tag: string, f: Pick<CampaignFilter, 'kind' | 'value' | 'action'>) =>
      call<{ ok: true; filters: CampaignFilter[] }>('POST', `${campaign(tag)}/filters`, f),
    removeFilter: (tag: string, f: Pick<CampaignFilter, 'kind' | 'value'>) =>
      call<{ ok: true; filters: CampaignFilter[] }>(
        'DELETE',
        `${campaign(tag)}/filters/${f.kind}/${enc(f.value)}`,
      ),
    moderators: () => call<{ moderators: Moderator[] }>('GET', '/api/admin/moderators'),
    addModerator: (name: string, role: 'owner' | 'moderator') =>
      call<{ moderator: Moderator; link: string }>('POST', '/api/admin/moderators', { name, role }),
    newLink: (name: string) =>
      call<{ link: string }>('POST', `/api/admin/moderators/${enc(name)}/link`),
    revokeModerator: (name: string) =>
      call<{ moderator: Moderator }>('DELETE', `/api/admin/moderators/${enc(name)}`),
    tokens: () => call<{ tokens: ApiToken[] }>('GET', '/api/admin/tokens'),
    addToken: (name: string, role: 'owner' | 'moderator') =>
      call<{ name: string; token: string }>('POST', '/api/admin/tokens', { name, role }),
    revokeToken: (name: string) => call<{ ok: true }>('DELETE', `/api/admin/tokens/${enc(name)}`),
  };
}

/** "1 change sent to the map" / "no change to the map". */
export function liveChanges(result: ModerationResult): string {
  if (result.events === 0) return 'nothing on the map changed';
  return `${result.events} ${result.events === 1 ? 'change' : 'changes'} sent to the map`;
}
