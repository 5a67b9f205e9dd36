import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorPage, wantsPage } from './pages.js';
import type { ErrorRequestHandler, RequestHandler } from 'express';

/** Longest quoted value in an error: enough to recognise it, not a 15 KB echo of what was sent. */
const ECHO_MAX = 80;

/** A value as JSON for an error message, cut to ECHO_MAX characters with a note of its length. */
export function echo(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  if (json.length <= ECHO_MAX) return json;
  return `${json.slice(0, ECHO_MAX)}… (${json.length.toLocaleString('en')} characters)`;
}

/** An error with an HTTP status and a message safe to show a client. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** More fields for the JSON body beside `error` (a 409's `candidates`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** 404 for API paths nobody handled, in the one error shape. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, `no such endpoint: ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/** 404 for any other path (a page), instead of Express's bare "Cannot GET". */
export const pageNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, `no page at ${echo(req.originalUrl.split('?')[0])} on this server`));
};

/**
 * The one error handler: `{"error": "..."}`, never a stack trace on the wire. A browser asking
 * for a page (not under /api, Accept: text/html) gets the same words as an HTML page instead.
 */
export function errorHandler(
  log: { error(obj: object, msg: string): void },
  campaigns: readonly string[] = [],
): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const status =
      err instanceof ApiError
        ? err.status
        : typeof err?.status === 'number' && err.status < 500
          ? err.status
          : 500;
    // An ApiError says what it means (a 501 "not implemented" too); anything else 5xx is a bug.
    const expected = err instanceof ApiError || status < 500;
    if (!expected) log.error({ err, path: req.path }, 'request failed');
    const message = !expected ? 'internal error' : err instanceof Error ? err.message : String(err);
    if (res.headersSent) return res.end();
    if (wantsPage(req)) {
      res.status(status).type('html').set('Cache-Control', 'no-store');
      return res.send(errorPage(status, message, campaigns));
    }
    res.status(status).json({ ...(err instanceof ApiError ? err.extra : {}), error: message });
  };
}

const parserErrors: Record<string, [status: number, reason: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'the request line and headers are over 16 KB: send a shorter query',
  ],
};

/**
 * Requests Node's HTTP parser refuses before Express sees them (a 20 KB query string) get the
 * same `{"error": …}` body as every other error, instead of Node's bare status line.
 */
export function answerParserErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const [status, reason, message] = parserErrors[err.code ?? ''] ?? [
      400,
      'Bad Request',
      'the request could not be parsed as HTTP',
    ];
    const body = JSON.stringify({ error: message });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
