import { request } from 'node:http';
import { readEventStream } from '../../server/collector/event-stream.js';
import { createFrameParser, encodeFrame, Opcode } from '../../server/demo/web-socket.js';
import { createWaiter } from './wait.js';

import {
  startMastodonInstance as startInstance,
  type MastodonInstance,
  type MastodonInstanceOptions,
} from '../../server/demo/mastodon/index.js';

export type {
  MastodonInstance,
  MastodonInstanceOptions,
  PostInput,
  AccountInput,
  RequestLogEntry,
  Fault,
} from '../../server/demo/mastodon/index.js';

// Every open test instance and the hosts it is home for: its domain, its `homeFor` domains and
// its own 127.0.0.1:port. Tests pass them as --resolve, so each author's home answers consent
// look-ups on loopback and no made-up domain is ever looked up elsewhere.
const openHomes = new Map<MastodonInstance, string[]>();

/** A test Mastodon instance on 127.0.0.1 (the demo's), registered as home of its domains until closed. */
export async function startMastodonInstance(
  options: MastodonInstanceOptions = {},
): Promise<MastodonInstance> {
  const instance = await startInstance(options);
  openHomes.set(instance, [
    instance.domain,
    ...(options.homeFor ?? []),
    new URL(instance.url).host,
  ]);
  const close = instance.close;
  instance.close = async () => {
    openHomes.delete(instance);
    await close();
  };
  return instance;
}

/** host → origin for every open test instance (the first one started wins a shared domain). */
export function testHomes(): Record<string, string> {
  const homes: Record<string, string> = {};
  for (const [instance, hosts] of openHomes) for (const h of hosts) homes[h] ??= instance.url;
  return homes;
}

/** The same as `--resolve HOST=URL` flags for `serve`. */
export function testHomeArgs(): string[] {
  return Object.entries(testHomes()).flatMap(([host, url]) => ['--resolve', `${host}=${url}`]);
}

/**
 * Reads a Mastodon SSE stream line by line, so lone `:thump` comments (which Mastodon writes
 * without a blank line after them) are seen as they arrive.
 */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  if (!res.body) throw new Error(`SSE ${url}: no body`);
  const events: { event: string; data: string }[] = [];
  const comments: string[] = [];
  let ended = false;
  const waiter = createWaiter();
  if (res.ok) {
    void readEventStream(res.body, {
      onEvent({ event, data }) {
        events.push({ event, data });
        waiter.wake();
      },
      onComment(text) {
        comments.push(text);
        waiter.wake();
      },
    })
      .catch(() => {}) // aborted by close()
      .finally(() => (ended = true));
  }
  return {
    status: res.status,
    headers: res.headers,
    body: res.ok ? '' : await res.text(),
    events,
    comments,
    /** True once the server ended the stream. */
    ended: () => ended,
    waitFor: <T>(check: () => T | undefined, what: string, timeoutMs = 2_000) =>
      waiter.until(check, timeoutMs, what),
    close: () => controller.abort(),
  };
}

/** A WebSocket client for Mastodon's streaming API, built on the demo's own frame codec. */
export function connectWebSocket(url: string, headers: Record<string, string> = {}) {
  return new Promise<{
    frames: { stream?: string[]; event?: string; payload?: string; error?: string }[];
    send(message: unknown): void;
    waitFor<T>(check: () => T | undefined, what: string, timeoutMs?: number): Promise<T>;
    close(): void;
  }>((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('find-the-others!').toString('base64'),
        ...headers,
      },
    });
    req.on('response', (res) => reject(new Error(`WebSocket ${url}: HTTP ${res.statusCode}`)));
    req.on('error', reject);
    req.on('upgrade', (_res, socket) => {
      const frames: { stream?: string[]; event?: string; payload?: string; error?: string }[] = [];
      const waiter = createWaiter();
      socket.on(
        'data',
        createFrameParser((opcode, payload) => {
          if (opcode === Opcode.text) {
            frames.push(JSON.parse(payload.toString('utf8')) as (typeof frames)[number]);
            waiter.wake();
          }
          if (opcode === Opcode.ping) socket.write(encodeFrame(Opcode.pong, payload, true));
        }),
      );
      resolve({
        frames,
        send: (message) =>
          socket.write(encodeFrame(Opcode.text, Buffer.from(JSON.stringify(message)), true)),
        waitFor: (check, what, timeoutMs = 2_000) => waiter.until(check, timeoutMs, what),
        close: () => socket.destroy(),
      });
    });
    req.end();
  });
}
