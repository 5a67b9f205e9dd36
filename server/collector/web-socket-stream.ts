import WebSocket from 'ws';
import { HttpError, NeedsTokenError, NetworkError, TimeoutError } from './errors.js';

/** One message of Mastodon's streaming API (https://docs.joinmastodon.org/methods/streaming/#events). */
export interface StreamMessage {
  /** The stream it belongs to, e.g. `["hashtag", "yourturn"]`. */
  stream: string[];
  /** `update`, `status.update`, `delete`, … */
  event: string;
  /** A Status as a JSON string, or for `delete` the bare local id. */
  payload: string;
}

export interface WebSocketStreamOptions {
  /** `configuration.urls.streaming` from /api/v2/instance, e.g. `wss://streaming.example`. */
  streamingUrl: string;
  /** Bearer token (never logged, never in the URL). */
  token: string;
  userAgent: string;
  /** Hashtags to subscribe to, lower case. */
  tags: string[];
  /** Deadline for the handshake. */
  connectTimeoutMs: number;
  /** Close when nothing at all (not even a ping) arrives for this long. */
  silenceTimeoutMs: number;
  onMessage(message: StreamMessage): void;
}

/** An open stream; `closed` resolves with a readable reason when it ends for any cause. */
export interface WebSocketStream {
  closed: Promise<string>;
  close(): void;
}

/**
 * Open Mastodon's multiplexed WebSocket stream and subscribe to hashtags. Built on `ws` rather than
 * masto's client because it must send our User-Agent (GoToSocial refuses requests without one) and
 * tell the collector about every reconnect, so it can catch up by min_id.
 */
export function openWebSocketStream(options: WebSocketStreamOptions): Promise<WebSocketStream> {
  const url = `${options.streamingUrl.replace(/\/+$/, '')}/api/v1/streaming`;
  return new Promise((resolve, reject) => {
    // The token goes in a header, which Mastodon's streaming server reads first: a URL ends up in logs.
    const ws = new WebSocket(url, {
      headers: { 'user-agent': options.userAgent, authorization: `Bearer ${options.token}` },
      handshakeTimeout: options.connectTimeoutMs,
      maxPayload: 4 * 1024 * 1024, // one status is a few KB; an endless frame must not eat memory
    });
    let opened = false;
    let silence: NodeJS.Timeout | undefined;
    let reason = 'closed';
    let settle: (why: string) => void = () => {};
    const closed = new Promise<string>((done) => (settle = done));

    const touch = () => {
      clearTimeout(silence);
      silence = setTimeout(() => {
        reason = `stream ${url} was silent for ${Math.round(options.silenceTimeoutMs / 1000)} s (no ping, no event)`;
        ws.terminate();
      }, options.silenceTimeoutMs);
    };

    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      const error =
        status === 401 || status === 403
          ? new NeedsTokenError(status, url, 'streaming refused the access token')
          : new HttpError(status, url, 'streaming refused');
      ws.terminate();
      reject(error);
    });
    ws.on('open', () => {
      opened = true;
      for (const tag of options.tags)
        ws.send(JSON.stringify({ type: 'subscribe', stream: 'hashtag', tag }));
      touch();
      resolve({ closed, close: () => ws.close(1000) });
    });
    ws.on('ping', touch);
    ws.on('pong', touch);
    ws.on('message', (data) => {
      touch();
      let message: Partial<StreamMessage> & { error?: string };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return; // a frame we cannot read is skipped; the catch-up poll fills any gap
      }
      if (typeof message.event === 'string' && typeof message.payload === 'string') {
        options.onMessage({
          stream: Array.isArray(message.stream) ? message.stream.map(String) : [],
          event: message.event,
          payload: message.payload,
        });
      }
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (!opened) {
        reject(
          /timed out/i.test(err.message)
            ? new TimeoutError(url, options.connectTimeoutMs)
            : new NetworkError(url, Object.assign(new Error(err.message), { cause: err })),
        );
      } else reason = `stream ${url} failed: ${err.message}`;
    });
    ws.on('close', (code) => {
      clearTimeout(silence);
      if (reason === 'closed') reason = `stream ${url} closed by the server (code ${code})`;
      settle(reason);
    });
  });
}
