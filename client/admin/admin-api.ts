import type {
  ModerationResult,
  ModerationState,
  PlaceSearchResult,
  UnlocatedPage,
} from '../../shared/admin.js';
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

/**
 * Typed calls to /api/admin/* with the token as a Bearer header. The token goes nowhere else: not
 * into a URL, a cookie, a log line or an error message.
 */
export function createAdminApi(token: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
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
  };
}

/** "1 change sent to the map" / "no change to the map". */
export function liveChanges(result: ModerationResult): string {
  if (result.events === 0) return 'nothing on the map changed';
  return `${result.events} ${result.events === 1 ? 'change' : 'changes'} sent to the map`;
}
