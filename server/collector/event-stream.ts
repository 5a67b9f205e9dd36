/** One Server-Sent Event (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation). */
export interface ServerSentEvent {
  event: string;
  data: string;
  /** The `id:` field of this event, or null when it had none. */
  id: string | null;
}

/** What an SSE parser reports as the lines arrive. */
export interface EventStreamHandlers {
  onEvent(event: ServerSentEvent): void;
  /** A comment line without its `:` (Mastodon's `:thump` heartbeat), as soon as it arrives. */
  onComment?(text: string): void;
}

const maxEventBytes = 4 * 1024 * 1024; // a status is a few KB; an event that never ends must not eat memory

/**
 * The one SSE parser of the Node side (the collector's relay source and the tests): feed it decoded
 * text in any chunks. Lines end in CRLF, CR or LF; a blank line ends an event. `push` throws when one
 * event grows past the bound.
 */
export function createEventStreamParser(handlers: EventStreamHandlers) {
  let buffer = '';
  let event = '';
  let id: string | null = null;
  let data: string[] = [];
  let size = 0;

  function line(text: string) {
    if (text === '') {
      if (data.length > 0)
        handlers.onEvent({ event: event || 'message', data: data.join('\n'), id });
      event = '';
      id = null;
      data = [];
      size = 0;
      return;
    }
    if (text.startsWith(':')) {
      handlers.onComment?.(text.slice(1));
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') {
      data.push(value);
      size += value.length;
    }
  }

  return {
    push(chunk: string): void {
      buffer += chunk;
      let end: number;
      while ((end = buffer.search(/\r\n|\r|\n/)) !== -1) {
        if (end === buffer.length - 1 && buffer[end] === '\r') break; // maybe the first half of CRLF
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        line(text);
      }
      if (size + buffer.length > maxEventBytes)
        throw new Error(`an event grew past ${maxEventBytes} bytes without ending`);
    },
  };
}

/**
 * Read an SSE body to its end, calling the handlers per event and comment, and `onActivity` for
 * every chunk, comments (Mastodon's `:thump` heartbeats) included. Throws when one event grows past
 * the bound.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  handlers: EventStreamHandlers & { onActivity?(): void },
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createEventStreamParser(handlers);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    handlers.onActivity?.();
    try {
      parser.push(decoder.decode(value, { stream: true }));
    } catch (err) {
      await reader.cancel();
      throw err;
    }
  }
}
