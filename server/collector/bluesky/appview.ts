import { BadResponseError, HttpError, NetworkError, TimeoutError } from '../errors.js';

/** A label on a profile (com.atproto.label.defs#label): who said it (`src`) and what (`val`). */
export interface AppViewLabel {
  src: string;
  uri?: string;
  val: string;
  /** A negation: the label `val` from `src` is withdrawn. */
  neg?: boolean;
}

/** app.bsky.actor.defs#profileViewDetailed, only the fields we read. */
export interface AppViewProfile {
  did: string;
  handle: string;
  displayName?: string;
  /** Plain text; may name the person's fediverse address (linked accounts). */
  description?: string;
  avatar?: string;
  labels?: AppViewLabel[];
}

export interface AppViewClientOptions {
  /** AppView origins, tried in order (e.g. https://public.api.bsky.app). */
  urls: string[];
  userAgent: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** The most actors app.bsky.actor.getProfiles takes in one call (its lexicon's maxLength). */
export const maxActorsPerCall = 25;

/**
 * The public AppView's `app.bsky.actor.getProfiles` (no login needed), with failover: a request
 * that fails goes to the next AppView. Accounts it does not return (taken down, deleted, unknown)
 * are simply absent from the answer.
 */
export function createAppViewClient(options: AppViewClientOptions) {
  const doFetch = options.fetch ?? fetch;
  let current = 0;

  async function getFrom(base: string, dids: string[], signal?: AbortSignal) {
    const url = new URL('/xrpc/app.bsky.actor.getProfiles', base);
    for (const did of dids) url.searchParams.append('actors', did);
    let res: Response;
    try {
      res = await doFetch(url, {
        headers: { 'user-agent': options.userAgent, accept: 'application/json' },
        signal: signal
          ? AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)])
          : AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') throw new TimeoutError(base, options.timeoutMs);
      throw new NetworkError(base, err as Error);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new HttpError(res.status, base, 'getProfiles failed');
    }
    const body = (await res.json()) as { profiles?: unknown };
    if (!Array.isArray(body.profiles)) throw new BadResponseError(base, 'no "profiles" list');
    return (body.profiles as AppViewProfile[]).filter(
      (p) => p && typeof p.did === 'string' && typeof p.handle === 'string',
    );
  }

  return {
    /** Profiles of up to 25 DIDs; throws the last AppView's error when none answers. */
    async getProfiles(dids: string[], signal?: AbortSignal): Promise<AppViewProfile[]> {
      if (dids.length > maxActorsPerCall)
        throw new Error(`getProfiles takes at most ${maxActorsPerCall} actors, not ${dids.length}`);
      let lastError: unknown = null;
      for (let i = 0; i < options.urls.length; i++) {
        const base = options.urls[(current + i) % options.urls.length]!;
        try {
          const profiles = await getFrom(base, dids, signal);
          current = (current + i) % options.urls.length;
          return profiles;
        } catch (err) {
          lastError = err;
          if (signal?.aborted) break;
        }
      }
      throw lastError as Error;
    },
  };
}

export type AppViewClient = ReturnType<typeof createAppViewClient>;
