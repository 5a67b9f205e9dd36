/** One error class per kind of failure, so the scheduler can decide what to do without parsing messages. */

/** The instance answered with an HTTP error status. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly url: string,
    /** A short, printable excerpt of the body (HTML error pages are common). */
    readonly bodyExcerpt: string,
  ) {
    super(`HTTP ${status} from ${url}${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`);
  }
}

/** 401/403: the instance wants a token for this feed. */
export class NeedsTokenError extends HttpError {
  override name = 'NeedsTokenError';
}

/** 429: over the rate limit until `resetAt`. */
export class RateLimitedError extends HttpError {
  override name = 'RateLimitedError';
  constructor(
    status: number,
    url: string,
    bodyExcerpt: string,
    readonly resetAt: Date | null,
  ) {
    super(status, url, bodyExcerpt);
  }
}

/** No answer within the deadline. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(
    readonly url: string,
    ms: number,
  ) {
    super(`no answer from ${url} within ${ms} ms`);
  }
}

/** DNS failure, refused or reset connection, TLS error. */
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`cannot reach ${url}: ${describeCause(cause)}`);
  }
}

/** The body was not the JSON we expect (truncated, HTML, wrong shape). */
export class BadResponseError extends Error {
  override name = 'BadResponseError';
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`unexpected response from ${url}: ${detail}`);
  }
}

const explained: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_SOCKET: 'connection closed mid-response',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
};

/** Node's fetch hides the reason in `cause.code`: say it in words, keep the code for searching. */
function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: { code?: string; message?: string } }).cause;
    if (inner?.code)
      return `${explained[inner.code] ?? inner.message ?? 'network error'} (${inner.code})`;
    return cause.message;
  }
  return String(cause);
}

/**
 * The database's own failures, which say "disk is full" without saying what for: better-sqlite3's
 * `code` (SQLITE_…), PostgreSQL's SQLSTATE classes for a lost connection (08), no resources (53),
 * an operator shutting it down (57) and a read-only transaction (25006), and the PostgreSQL
 * bridge's own FTO_PG_GONE. Returns what to tell a person, or null for any other error.
 */
export function databaseFailure(code: unknown): string | null {
  if (typeof code !== 'string' || !/^(SQLITE_|08|53|57|25006|FTO_PG_GONE)/.test(code)) return null;
  if (code === 'SQLITE_FULL' || code === '53100') return 'the disk is full';
  if (code.startsWith('SQLITE_READONLY') || code === '25006') return 'the database is read-only';
  if (/^(08|57|FTO_PG_GONE)/.test(code)) return 'the database cannot be reached';
  return code;
}

/** The database refused a write (disk full, read-only): nothing was saved, and the batch is read again later. */
export class StoreWriteError extends Error {
  override name = 'StoreWriteError';
  constructor(
    readonly source: string,
    override readonly cause: Error & { code?: string },
  ) {
    const why = databaseFailure(cause.code) ?? cause.code ?? 'write failed';
    super(
      `cannot save posts from ${source}: ${why} (${cause.message}); the map keeps serving what it has and collecting resumes once the database can be written`,
    );
  }
}
