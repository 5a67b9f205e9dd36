/** One Server-Sent Event (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation). */
export interface ServerSentEvent {
  event: string;
  data: string;
}

const maxEventBytes = 4 * 1024 * 1024; // a status is a few KB; an event that never ends must not eat memory

/**
 * Read an SSE body to its end, calling `onEvent` per event and `onActivity` for every chunk,
 * comments (Mastodon's `:thump` heartbeats) included. Throws when one event grows past the bound.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
  onActivity: () => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    onActivity();
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r\n|\r|\n/)) !== -1) {
      if (end === buffer.length - 1 && buffer[end] === '\r') break; // maybe the first half of CRLF
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n') });
        event = '';
        data = [];
        size = 0;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') {
        data.push(value);
        size += value.length;
      }
    }
    if (size + buffer.length > maxEventBytes) {
      await reader.cancel();
      throw new Error(`an event grew past ${maxEventBytes} bytes without ending`);
    }
  }
}
