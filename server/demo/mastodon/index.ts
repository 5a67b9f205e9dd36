import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultRule } from '../faults.js';
import { createIdGenerator } from '../id-generator.js';
import { createRateLimiter, toRateLimitHeaders } from '../rate-limiter.js';
import { isValidToken, tokenOf, type InstanceContext } from './context.js';
import { createModel } from './model.js';
import { toQueryObject } from './params.js';
import { toQuirks } from './quirks.js';
import { applyFault, json, takeFault, type RequestContext } from './respond.js';
import { createRoutes } from './routes.js';
import { createStreams } from './streaming.js';
import type { MastodonInstance, MastodonInstanceOptions, RequestLogEntry } from './types.js';

export type {
  AccountInput,
  EditInput,
  Fault,
  FeedAccess,
  MastodonInstance,
  MastodonInstanceOptions,
  PostInput,
  RequestLogEntry,
  Software,
} from './types.js';
export { MULTIPLE_STATUSES_LIMIT } from './quirks.js';

/**
 * Starts a Mastodon-compatible instance on 127.0.0.1 that serves the real wire format: the model
 * (model.ts), the REST API (routes.ts, profile-routes.ts, instance-info.ts), streaming
 * (streaming.ts) and the quirks of the software it imitates (quirks.ts).
 */
export async function startMastodonInstance(
  options: MastodonInstanceOptions = {},
): Promise<MastodonInstance> {
  const quirks = toQuirks(options);
  const { software } = quirks;
  const now = options.now ?? Date.now;
  const nextId = createIdGenerator(software, now);
  const limiter =
    options.rateLimit === false
      ? null
      : createRateLimiter(
          options.rateLimit && 'limit' in options.rateLimit
            ? { api: options.rateLimit, paging: options.rateLimit, token: options.rateLimit }
            : (options.rateLimit ?? {}),
          now,
        );
  const faults: FaultRule[] = [];
  const requestLog: RequestLogEntry[] = [];

  const server = createServer((req, res) => void handle(req, res));
  server.on('upgrade', (req, socket) => streams.upgrade(req, socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const streamingUrl = `ws://127.0.0.1:${port}`;
  const domain = options.domain ?? `${software}-${port}.test`;

  const model = createModel({
    domain,
    origin,
    homeFor: options.homeFor ?? [],
    now,
    nextId,
    publish: (record, event) => streams.publish(record, event),
  });
  const instance: InstanceContext = { options, quirks, origin, streamingUrl, domain, now, model };
  const streams = createStreams(instance, requestLog);
  const route = createRoutes(instance);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: toQueryObject(url.searchParams),
      userAgent: req.headers['user-agent'] ?? null,
      authorized: !!req.headers.authorization || url.searchParams.has('access_token'),
      time: now(),
      status: 0,
    };
    requestLog.push(entry);
    const ctx: RequestContext = { req, res, url, entry, headers: {}, truncate: false };
    const fault = takeFault(faults, url.pathname);
    if (fault && (await applyFault(ctx, fault, now))) return;
    // GoToSocial answers every request without a User-Agent with 418.
    if (software === 'gotosocial' && !req.headers['user-agent']) {
      return json(ctx, 418, { error: "I'm a teapot: no user-agent sent with request" });
    }
    if (url.pathname.startsWith('/api/v1/streaming')) return streams.streamOverSse(ctx);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(ctx, 404, { error: 'Record not found' });
    if (url.pathname.startsWith('/api/')) {
      const token = tokenOf(req, url);
      const limit = limiter?.hit({
        ip: req.socket.remoteAddress ?? '',
        token: isValidToken(options, token) ? token : null,
        paging: ['page', 'min_id', 'max_id', 'since_id'].some((key) => !!url.searchParams.get(key)),
      });
      // snac sends no rate-limit headers at all.
      if (limit && software !== 'snac') ctx.headers = toRateLimitHeaders(limit);
      if (limit?.limited) return json(ctx, 429, { error: 'Too many requests' });
    }
    route(ctx);
  }

  return {
    url: origin,
    domain,
    software,
    streamingUrl,
    post: model.post,
    edit: model.edit,
    delete: model.remove,
    status: (id) => model.toVisible(model.byId.get(id)),
    statusByUri: (uri) => model.toVisible(model.byUri.get(uri)),
    statuses: () =>
      model.records
        .filter((record) => !record.deleted)
        .reverse()
        .map(model.toStatus),
    account(acct) {
      const record = model.account(acct);
      return record && model.toAccount(record);
    },
    putAccount(input) {
      return model.toAccount(model.upsertAccount(input));
    },
    requestLog,
    failNext(count, fault, path) {
      faults.push({ fault, path, remaining: count });
    },
    setFault(fault, path) {
      for (let i = faults.length - 1; i >= 0; i--)
        if (faults[i]!.remaining === Infinity) faults.splice(i, 1);
      if (fault) faults.push({ fault, path, remaining: Infinity });
    },
    openStreams: streams.open,
    hashtagSubscriptions: streams.hashtagSubscriptions,
    setSilentHashtagStreams(silent) {
      quirks.silentHashtags = silent;
    },
    async close() {
      streams.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
