import type { Request, Response } from 'express';
import type { LiveStats } from '../../shared/types.js';
import type { Hub } from '../hub.js';
import type { Store, StoredEvent } from '../store/store.js';

export interface SseOptions {
  /** Comment line interval, so proxies and browsers keep an idle connection open. */
  heartbeatMs?: number;
  /** Reconnection delay suggested to browsers. */
  retryMs?: number;
}

const defaults = { heartbeatMs: 15_000, retryMs: 3_000 };

// One event goes to thousands of clients: serialise it once, not once per connection.
const frames = new WeakMap<StoredEvent, string>();

/** The SSE frame of a logged or published event. A published `stats` carries no id: it is not in the log, so it must not move Last-Event-ID. */
export function frame(event: StoredEvent): string {
  let f = frames.get(event);
  if (f === undefined) {
    const id = event.type === 'stats' ? '' : `id: ${event.id}\n`;
    f = `${id}event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
    frames.set(event, f);
  }
  return f;
}

/**
 * Stream a campaign's live events as Server-Sent Events, resuming after `Last-Event-ID` (or
 * `?lastEventId=`): the events missed, or one `reset` when the log no longer holds them all.
 */
export function streamEvents(
  req: Request,
  res: Response,
  tag: string,
  deps: { hub: Hub; store: Store; stats?: (tag: string) => LiveStats },
  options: SseOptions = {},
): void {
  const heartbeatMs = options.heartbeatMs ?? defaults.heartbeatMs;
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no', // nginx would otherwise buffer the stream
  });
  res.flushHeaders();
  res.write(`retry: ${options.retryMs ?? defaults.retryMs}\n\n`);

  // Subscribe before replaying, and skip live events the replay already sent, so nothing falls in between.
  let lastSent = 0;
  const send = (event: StoredEvent) => {
    if (event.type !== 'stats') {
      if (event.id <= lastSent) return;
      lastSent = event.id;
    }
    res.write(frame(event));
  };
  const unsubscribe = deps.hub.subscribe(tag, send);

  // Where the client stands once this connection has caught up: after every event this process
  // has told so far (another process's newer ones reach it live, once followed). The stats sent
  // on connect carry it as their id, so a client that has seen no event yet still resumes from
  // here, and learns it missed something if the log is pruned past it.
  const position = deps.store.toldThrough();
  const raw = req.get('last-event-id') ?? req.query.lastEventId;
  if (typeof raw === 'string' && /^\d{1,15}$/.test(raw.trim())) {
    const resume = deps.store.eventLog.resume(tag, Number(raw));
    if ('reset' in resume) res.write(`id: ${position}\nevent: reset\ndata: {}\n\n`);
    else for (const event of resume.events) send(event);
  }
  lastSent = Math.max(lastSent, position);
  if (deps.stats) {
    const stats = deps.stats(tag);
    res.write(`id: ${position}\nevent: stats\ndata: ${JSON.stringify(stats)}\n\n`);
  }

  const heartbeat = setInterval(() => res.write(`: heartbeat ${Date.now()}\n\n`), heartbeatMs);
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  req.on('close', close);
  res.on('error', close);
}
