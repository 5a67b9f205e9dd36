import {
  createEventStreamParser,
  type ServerSentEvent as SseEvent,
} from '../../server/collector/event-stream.js';

export type { SseEvent };

/** Open an SSE stream with fetch and read events from it (tests only; the collector's own SSE parser reads it). */
export async function readSse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  if (!res.ok || !res.body) throw new Error(`SSE ${url}: HTTP ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let waiters: (() => void)[] = [];

  const wake = () => {
    waiters.forEach((w) => w());
    waiters = [];
  };
  const parser = createEventStreamParser({
    onEvent(event) {
      events.push(event);
      wake();
    },
    onComment(text) {
      comments.push(text.trim());
      wake();
    },
  });

  (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch {
      // aborted
    }
  })();

  async function waitFor<T>(
    check: () => T | undefined,
    timeoutMs: number,
    what: string,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  let consumed = 0;
  return {
    headers: res.headers,
    events,
    /** The next event (after those already returned) that matches. */
    next(match: (e: SseEvent) => boolean = () => true, timeoutMs = 5000): Promise<SseEvent> {
      return waitFor(
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
      return waitFor(() => comments[0], timeoutMs, 'an SSE comment');
    },
    close() {
      controller.abort();
    },
  };
}
