import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { normalizeHashtag } from '../status-html.js';
import { acceptWebSocket } from '../web-socket.js';
import { isValidToken, tokenOf, type InstanceContext } from './context.js';
import type { StatusEvent } from './model.js';
import { toQueryObject } from './params.js';
import { json, send, snacNotFound, type RequestContext } from './respond.js';
import type { RequestLogEntry, StatusRecord } from './types.js';

type Channel = 'public' | 'public:local' | 'public:remote' | 'hashtag' | 'hashtag:local';

interface Subscriber {
  channel: Channel;
  tag: string | null;
  /** GoToSocial accepts hashtag streams but never delivers on them. */
  silent: boolean;
  deliver(event: string, payload: string): void;
}

const STREAM_PATHS: Record<string, Channel> = {
  '/api/v1/streaming/public': 'public',
  '/api/v1/streaming/public/local': 'public:local',
  '/api/v1/streaming/public/remote': 'public:remote',
  '/api/v1/streaming/hashtag': 'hashtag',
  '/api/v1/streaming/hashtag/local': 'hashtag:local',
};

export type Streams = ReturnType<typeof createStreams>;

/**
 * Mastodon's streaming API (https://docs.joinmastodon.org/methods/streaming/) over SSE and
 * WebSocket, with each software's quirks: GoToSocial streams over WebSocket only and its hashtag
 * streams stay silent, snac has no streaming behind its advertised URL.
 */
export function createStreams(instance: InstanceContext, requestLog: RequestLogEntry[]) {
  const { options, origin, quirks, now, model } = instance;
  const { software, heartbeatMs, noStreaming, streamingRequiresToken, subscribeDelayMs } = quirks;
  const { toStatus } = model;
  const subscribers = new Set<Subscriber>();
  const closers = new Set<() => void>();

  /** Start delivering to a subscriber, `subscribeDelayMs` late, unless its stream has closed by then. */
  function deliverLater(subscriber: Subscriber, open: () => boolean): void {
    if (subscribeDelayMs <= 0) subscribers.add(subscriber);
    else setTimeout(() => open() && subscribers.add(subscriber), subscribeDelayMs).unref();
  }

  function streamMatches(subscriber: Subscriber, record: StatusRecord): boolean {
    if (subscriber.silent || record.visibility !== 'public') return false;
    if (subscriber.channel.endsWith(':local') && !record.account.local) return false;
    if (subscriber.channel === 'public:remote' && record.account.local) return false;
    return !subscriber.channel.startsWith('hashtag') || record.tags.includes(subscriber.tag ?? '');
  }

  function publish(record: StatusRecord, event: StatusEvent) {
    const payload = event === 'delete' ? record.id : JSON.stringify(toStatus(record));
    for (const subscriber of subscribers) {
      // GoToSocial sends deletes to its AllStatusTimelines (public, local, user, direct, list): no hashtag.
      const skip =
        event === 'delete' && software === 'gotosocial' && subscriber.channel.startsWith('hashtag');
      if (!skip && streamMatches(subscriber, record)) subscriber.deliver(event, payload);
    }
  }

  function streamOverSse(ctx: RequestContext) {
    const { url, req, res } = ctx;
    if (software === 'snac') return snacNotFound(ctx);
    if (url.pathname === '/api/v1/streaming/health') return send(ctx, 200, 'OK', 'text/plain');
    // GoToSocial streams over WebSocket only.
    if (software === 'gotosocial') return json(ctx, 404, { error: 'Not Found' });
    const channel =
      STREAM_PATHS[url.pathname.replace(/\/$/, '')] ?? toChannel(url.searchParams.get('stream'));
    if (!channel) return json(ctx, 400, { error: 'Unknown stream type' });
    const authError = streamingAuthError(tokenOf(req, url));
    if (authError) return json(ctx, 401, { error: authError });
    const tag = url.searchParams.get('tag');
    if (channel.startsWith('hashtag') && !tag)
      return json(ctx, 400, { error: 'No tag for stream provided' });
    ctx.entry.status = 200;
    // Headers as Mastodon's streaming server sends them (streaming/index.js).
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'private, no-store',
      'Transfer-Encoding': 'chunked',
    });
    res.write(':)\n');
    const heartbeat = setInterval(() => res.write(':thump\n'), heartbeatMs);
    const subscriber: Subscriber = {
      channel,
      tag: tag ? normalizeHashtag(tag) : null,
      silent: false,
      deliver: (event, payload) => res.write(`event: ${event}\ndata: ${payload}\n\n`),
    };
    let open = true;
    deliverLater(subscriber, () => open);
    const end = () => {
      open = false;
      clearInterval(heartbeat);
      subscribers.delete(subscriber);
      closers.delete(end);
      res.end();
    };
    closers.add(end);
    res.on('close', end);
  }

  function streamingAuthError(token: string | null): string | null {
    if (!token) return streamingRequiresToken ? 'Missing access token' : null;
    return isValidToken(options, token) ? null : 'Invalid access token';
  }

  function upgrade(req: IncomingMessage, socket: Duplex) {
    const url = new URL(req.url ?? '/', origin);
    const userAgent = req.headers['user-agent'] ?? null;
    const token =
      tokenOf(req, url) ?? (req.headers['sec-websocket-protocol'] as string | undefined) ?? null;
    const entry: RequestLogEntry = {
      method: 'GET',
      path: url.pathname,
      query: toQueryObject(url.searchParams),
      userAgent,
      authorized: !!token,
      time: now(),
      status: 0,
    };
    requestLog.push(entry);
    const refuse = (status: number, reason: string, error: string) => {
      entry.status = status;
      const body = JSON.stringify({ error });
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (software === 'gotosocial' && !userAgent)
      return refuse(418, "I'm a teapot", "I'm a teapot: no user-agent sent with request");
    if (noStreaming === 'reset') {
      entry.status = 0;
      if (socket instanceof Socket) socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    if (noStreaming || url.pathname.replace(/\/$/, '') !== '/api/v1/streaming')
      return refuse(404, 'Not Found', 'Not Found');
    const authError = streamingAuthError(token);
    if (authError) return refuse(401, 'Unauthorized', authError);
    entry.status = 101;
    const connection = acceptWebSocket(req, socket);
    const own = new Map<string, Subscriber>();
    let open = true;
    const subscribe = (stream: string | null, tag: string | null) => {
      const channel = toChannel(stream);
      if (!channel)
        return connection.send(JSON.stringify({ error: 'Unknown stream type', status: 400 }));
      if (channel.startsWith('hashtag') && !tag) {
        return connection.send(
          JSON.stringify({ error: 'No tag for stream provided', status: 400 }),
        );
      }
      const normalized = tag ? normalizeHashtag(tag) : null;
      const name = normalized ? [channel, normalized] : [channel];
      const key = name.join(':');
      if (own.has(key)) return;
      const subscriber: Subscriber = {
        channel,
        tag: normalized,
        silent: quirks.silentHashtags && channel.startsWith('hashtag'),
        deliver: (event, payload) =>
          connection.send(JSON.stringify({ stream: name, event, payload })),
      };
      own.set(key, subscriber);
      deliverLater(subscriber, () => open && own.get(key) === subscriber);
    };
    if (url.searchParams.get('stream'))
      subscribe(url.searchParams.get('stream'), url.searchParams.get('tag'));
    connection.onMessage((text) => {
      let message: { type?: string; stream?: string; tag?: string };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        return;
      }
      if (message.type === 'subscribe') subscribe(message.stream ?? null, message.tag ?? null);
      if (message.type === 'unsubscribe') {
        const tag = message.tag ? normalizeHashtag(message.tag) : null;
        const key = [message.stream, ...(tag ? [tag] : [])].join(':');
        const subscriber = own.get(key);
        if (subscriber) subscribers.delete(subscriber);
        own.delete(key);
      }
    });
    const heartbeat = setInterval(() => connection.ping(), heartbeatMs);
    const end = () => connection.close(1001);
    closers.add(end);
    connection.onClose(() => {
      open = false;
      clearInterval(heartbeat);
      closers.delete(end);
      for (const subscriber of own.values()) subscribers.delete(subscriber);
    });
  }

  return {
    publish,
    /** Answers `/api/v1/streaming/*` over SSE. */
    streamOverSse,
    /** Answers a WebSocket upgrade on `/api/v1/streaming`. */
    upgrade,
    /** Open streaming connections (SSE and WebSocket). */
    open: () => closers.size,
    /** Hashtag subscriptions that deliver now: a WebSocket subscribes after it opens. */
    hashtagSubscriptions: () =>
      [...subscribers].filter((s) => s.channel.startsWith('hashtag') && !s.silent).length,
    /** Ends every open stream. */
    closeAll() {
      for (const end of [...closers]) end();
    },
  };
}

function toChannel(stream: string | null): Channel | null {
  const channels: Channel[] = [
    'public',
    'public:local',
    'public:remote',
    'hashtag',
    'hashtag:local',
  ];
  return channels.find((channel) => channel === stream) ?? null;
}
