/** A failure to inject in front of the instance, as a flaky proxy or server would produce. */
export type Fault =
  /** An error status: 5xx with nginx's HTML page, 4xx with Mastodon's JSON error. */
  | { kind: 'status'; status: 401 | 403 | 404 | 429 | 500 | 502 | 503 }
  /** 200 with a JSON content type and a body that is not JSON. */
  | { kind: 'malformed-json' }
  /** The real response, cut off halfway through the body, then the connection drops. */
  | { kind: 'truncated-json' }
  /** The real response, after `ms` milliseconds. */
  | { kind: 'delay'; ms: number }
  /** No response at all until the client gives up or the instance closes. */
  | { kind: 'hang' }
  /** The TCP connection is reset without a response. */
  | { kind: 'reset' }
  /** 200 with a JSON array of statuses that never ends, as fast as the client reads it. */
  | { kind: 'endless-body' }
  /** 200 with this JSON instead of the real answer: a server that misreads the request. */
  | { kind: 'json'; body: unknown };

/** A fault and the requests it applies to. */
export interface FaultRule {
  fault: Fault;
  /** Path prefix (e.g. `/api/v1/timelines/tag`) or pattern; all requests when absent. */
  path?: string | RegExp;
  /** How many more requests it applies to (Infinity for a standing fault). */
  remaining: number;
}

/** Whether a rule applies to a request path. */
export function faultMatches(rule: FaultRule, path: string): boolean {
  if (rule.remaining <= 0) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? path.startsWith(rule.path) : rule.path.test(path);
}

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
};

/** The body and content type a fault status is served with. */
export function toFaultBody(status: number): { contentType: string; body: string } {
  if (status >= 500) {
    const title = `${status} ${REASONS[status] ?? 'Error'}`;
    return {
      contentType: 'text/html',
      body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
    };
  }
  // Mastodon's messages from config/locales/en.yml (errors.*) and Doorkeeper.
  const messages: Record<number, string> = {
    401: 'The access token is invalid',
    403: 'This action is not allowed',
    404: 'Record not found',
    429: 'Too many requests',
  };
  return {
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ error: messages[status] ?? REASONS[status] ?? 'Error' }),
  };
}
