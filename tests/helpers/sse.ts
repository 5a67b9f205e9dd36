/** A parsed Server-Sent Event. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/** Open an SSE stream with fetch and read events from it (tests only; follows the WHATWG parsing rules we need). */
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
  let buffer = '';
  let waiters: (() => void)[] = [];

  (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const ev: SseEvent = { id: null, event: 'message', data: '' };
          const data: string[] = [];
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('data:')) {
              data.push(line.slice(5).replace(/^ /, ''));
              isEvent = true;
            } else if (line.startsWith('event:')) ev.event = line.slice(6).trim();
            else if (line.startsWith('id:')) ev.id = line.slice(3).trim();
          }
          if (isEvent) events.push({ ...ev, data: data.join('\n') });
          waiters.forEach((w) => w());
          waiters = [];
        }
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
