import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { HttpError, NeedsTokenError } from './errors.js';
import type { MastodonClient, RateLimit } from './mastodon-client.js';

/** What one `GET /api/v1/statuses/:id` told us about a post. */
export type StatusCheck =
  /** Still there: its raw JSON, to save (an edit re-locates it). */
  | { state: 'there'; raw: unknown }
  | { state: 'gone' }
  /** This server does not show statuses to us (a 401/403): another way must decide. */
  | { state: 'unreadable' };

export interface StatusReadsOptions {
  origin: string;
  client: MastodonClient;
  log: Logger;
  clock: Clock;
  /** Whether we send a token: the line after a 401 says what would help. */
  hasToken: boolean;
  /** After a 401/403, status reads are tried again after this long. */
  retryMs: number;
  /** Whether the server's API is otherwise answering (its last tag timeline read was JSON). */
  answering(): boolean;
  paced<T>(signal: AbortSignal, request: () => Promise<T>): Promise<T>;
  onRateLimit(rateLimit: RateLimit): void;
}

export type StatusReads = ReturnType<typeof createStatusReads>;

/**
 * Reads single statuses for the delete checks, and knows what the server allows: snac and
 * GoToSocial answer 401 without a token (said once, then not asked again for a while), and snac
 * answers a deleted status with its HTML 404 page, which counts as "gone" while its API otherwise
 * answers (a proxy in front of a server that is down answers everything with such pages).
 */
export function createStatusReads(options: StatusReadsOptions) {
  const { origin, client, log, clock } = options;
  let blockedUntil = 0;
  let need: string | null = null;

  return {
    /** False while a 401/403 says this server shows us no statuses. */
    readable(): boolean {
      return clock.now() >= blockedUntil;
    },

    /** What the server said it needs, for `/api/status` (empty when nothing). */
    needs(): string[] {
      return need ? [need] : [];
    },

    async check(localId: string, signal: AbortSignal): Promise<StatusCheck> {
      if (clock.now() < blockedUntil) return { state: 'unreadable' };
      try {
        const got = await options.paced(signal, () => client.status(localId));
        options.onRateLimit(got.rateLimit);
        if (got.found) return { state: 'there', raw: got.raw };
        if (got.said === 'api' || options.answering()) return { state: 'gone' };
        throw new HttpError(
          404,
          `${origin}/api/v1/statuses/${localId}`,
          'an HTML page, not the API',
        );
      } catch (err) {
        if (!(err instanceof NeedsTokenError)) throw err;
        blockedUntil = clock.now() + options.retryMs;
        const first = need === null;
        need = `${options.hasToken ? 'a token that may read statuses' : 'an access token'} to re-check deleted posts (HTTP ${err.status})`;
        const line = `${origin} needs ${need}; noticing deletes from its tag timeline instead (a post missing from two re-reads in a row)`;
        if (first) log.warn(line);
        else log.debug(line);
        return { state: 'unreadable' };
      }
    },
  };
}
