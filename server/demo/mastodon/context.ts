import type { IncomingMessage } from 'node:http';
import type { Model } from './model.js';
import type { Quirks } from './quirks.js';
import type { MastodonInstanceOptions } from './types.js';

/** What every part of a running instance shares: where it listens, what it is, what it holds. */
export interface InstanceContext {
  options: MastodonInstanceOptions;
  quirks: Quirks;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** `ws://127.0.0.1:PORT`. */
  streamingUrl: string;
  /** LOCAL_DOMAIN. */
  domain: string;
  now: () => number;
  model: Model;
}

/** The bearer token of a request: the Authorization header, or `access_token`. */
export function tokenOf(req: IncomingMessage, url: URL): string | null {
  const header = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return header?.[1] ?? url.searchParams.get('access_token');
}

/** Whether `token` is accepted: any non-empty one, or one of `options.tokens`. */
export function isValidToken(
  options: MastodonInstanceOptions,
  token: string | null,
): token is string {
  return !!token && (options.tokens ? options.tokens.includes(token) : true);
}
