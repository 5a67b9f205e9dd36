import { readEventStream, type ServerSentEvent } from '../../server/collector/event-stream.js';

/**
 * A live-events client that behaves as a browser's EventSource does: when its stream ends or
 * cannot be opened, it waits and connects again with `Last-Event-ID`, here through whatever URL
 * it was given (a balancer). It records every event and which server sent each stream.
 */
export function resumingClient(url: string, retryMs = 200) {
  const events: ServerSentEvent[] = [];
  const upstreams: string[] = [];
  let lastId: string | null = null;
  let controller = new AbortController();
  let closed = false;
  let connections = 0;

  async function run(): Promise<void> {
    while (!closed) {
      try {
        const res = await fetch(url, {
          headers: { accept: 'text/event-stream', ...(lastId ? { 'Last-Event-ID': lastId } : {}) },
          signal: controller.signal,
        });
        if (res.ok && res.body) {
          connections++;
          upstreams.push(res.headers.get('x-balancer-upstream') ?? '');
          await readEventStream(res.body, {
            onEvent(event) {
              if (event.id !== null) lastId = event.id;
              events.push(event);
            },
          });
        }
      } catch {
        // refused, reset or aborted: as a browser, try again after the retry delay
      }
      if (!closed) await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
  const running = run();

  return {
    events,
    /** The upstream (host:port, from the balancer's header) of each connection, in order. */
    upstreams,
    connections: () => connections,
    async close(): Promise<void> {
      closed = true;
      controller.abort();
      controller = new AbortController();
      await running;
    },
  };
}
