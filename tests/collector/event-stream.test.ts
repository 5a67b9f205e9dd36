import { describe, expect, it } from 'vitest';
import {
  createEventStreamParser,
  type ServerSentEvent,
} from '../../server/collector/event-stream.js';

function parse(chunks: string[]) {
  const events: ServerSentEvent[] = [];
  const comments: string[] = [];
  const parser = createEventStreamParser({
    onEvent: (e) => events.push(e),
    onComment: (c) => comments.push(c),
  });
  for (const chunk of chunks) parser.push(chunk);
  return { events, comments };
}

describe('the SSE parser', () => {
  it('reads a Mastodon stream split anywhere, CRLF halves included', () => {
    const { events, comments } = parse([
      ':thump\n',
      'event: update\r',
      '\ndata: {"id":"1"}\r\n\r\n',
      'id: 7\ndata: a\ndata: b\n\n',
    ]);
    expect(comments).toEqual(['thump']);
    expect(events).toEqual([
      { event: 'update', data: '{"id":"1"}', id: null },
      { event: 'message', data: 'a\nb', id: '7' },
    ]);
  });

  it('dispatches nothing for a block without data lines', () => {
    expect(parse(['event: update\n\n']).events).toEqual([]);
  });

  it('refuses an event that grows past its bound without ending', () => {
    const parser = createEventStreamParser({ onEvent: () => {} });
    const line = `data: ${'x'.repeat(1024 * 1024)}\n`;
    expect(() => {
      for (let i = 0; i < 5; i++) parser.push(line);
    }).toThrow(/grew past 4194304 bytes/);
  });
});
