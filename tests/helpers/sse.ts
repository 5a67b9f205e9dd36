import {
  readEventStream,
  type ServerSentEvent as SseEvent,
} from '../../server/collector/event-stream.js';
import { createWaiter } from './wait.js';

export type { SseEvent };

/** Open an SSE stream with fetch and read events from it (tests only; the collector's own SSE parser reads it). */
export async function readSse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  if (!res.ok || !res.body) throw new Error(`SSE ${url}: HTTP ${res.status}`);
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiter = createWaiter();
  void readEventStream(res.body, {
    onEvent(event) {
      events.push(event);
      waiter.wake();
    },
    onComment(text) {
      comments.push(text.trim());
      waiter.wake();
    },
  }).catch(() => {}); // aborted by close()

  let consumed = 0;
  return {
    headers: res.headers,
    events,
    /** The next event (after those already returned) that matches. */
    next(match: (e: SseEvent) => boolean = () => true, timeoutMs = 5000): Promise<SseEvent> {
      return waiter.until(
        () => {
          for (let i = consumed; i < events.length; i++) {
            if (match(events[i]!)) {
              consumed = i + 1;
              return events[i];
            }
          }
          return undefined;
        },
        timeoutMs,
        'an SSE event',
      );
    },
    /** Resolves once a comment line (heartbeat) has arrived. */
    comment(timeoutMs = 5000): Promise<string> {
      return waiter.until(() => comments[0], timeoutMs, 'an SSE comment');
    },
    close() {
      controller.abort();
    },
  };
}
