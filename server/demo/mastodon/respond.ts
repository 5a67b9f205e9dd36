import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultMatches, toFaultBody, type Fault, type FaultRule } from '../faults.js';
import { toRateLimitHeaders } from '../rate-limiter.js';
import type { RequestLogEntry } from './types.js';

/** One request being answered. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  entry: RequestLogEntry;
  /** Headers every response gets (rate limits). */
  headers: Record<string, string>;
  truncate: boolean;
}

export function send(
  ctx: RequestContext,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
) {
  ctx.entry.status = status;
  ctx.res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
    ...ctx.headers,
    ...headers,
  });
  if (ctx.truncate) {
    ctx.res.write(body.slice(0, Math.floor(body.length / 2)));
    ctx.res.socket?.destroy();
    return;
  }
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : body);
}

export function json(
  ctx: RequestContext,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
) {
  send(ctx, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
}

/** snac's httpd.c answers every request no handler took with this page, `id[]=` included. */
export function snacNotFound(ctx: RequestContext) {
  send(ctx, 404, '<h1>404 Not Found (snac/2.94)</h1>', 'text/html; charset=utf-8');
}

/** The next fault for `path`, used up from `faults` (a rule with a count ends after it). */
export function takeFault(faults: FaultRule[], path: string): Fault | null {
  const rule = faults.find((candidate) => faultMatches(candidate, path));
  if (!rule) return null;
  rule.remaining -= 1;
  if (rule.remaining <= 0) faults.splice(faults.indexOf(rule), 1);
  return rule.fault;
}

/** Writes `[` and then the same status over and over, respecting backpressure, until the client goes. */
function endlessBody(ctx: RequestContext) {
  ctx.entry.status = 200;
  ctx.res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...ctx.headers });
  const item = JSON.stringify({ id: '1', content: 'x'.repeat(1000) }) + ',';
  const chunk = item.repeat(Math.ceil(65_536 / item.length));
  ctx.res.write('[');
  const pump = () => {
    while (!ctx.res.destroyed && ctx.res.write(chunk));
  };
  ctx.res.on('drain', pump);
  pump();
}

/** Applies a fault; returns true when the request is finished with. */
export async function applyFault(
  ctx: RequestContext,
  fault: Fault,
  now: () => number,
): Promise<boolean> {
  switch (fault.kind) {
    case 'delay':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return false;
    case 'truncated-json':
      ctx.truncate = true;
      return false;
    case 'hang':
      return true;
    case 'reset':
      ctx.req.socket.resetAndDestroy();
      return true;
    case 'malformed-json':
      send(ctx, 200, '[{"id":"1","created_at":', 'application/json; charset=utf-8');
      return true;
    case 'endless-body':
      endlessBody(ctx);
      return true;
    case 'json':
      json(ctx, 200, fault.body);
      return true;
    case 'status': {
      const { body, contentType } = toFaultBody(fault.status);
      const headers =
        fault.status === 429
          ? toRateLimitHeaders({
              limited: true,
              limit: 300,
              remaining: 0,
              resetAtMs: now() + 60_000,
            })
          : {};
      send(ctx, fault.status, body, contentType, headers);
      return true;
    }
  }
}
