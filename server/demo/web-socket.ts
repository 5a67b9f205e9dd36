// Just enough of RFC 6455 for Mastodon's streaming API: unfragmented text frames, ping, close.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Frame opcodes (RFC 6455 §5.2). */
export const Opcode = { text: 1, close: 8, ping: 9, pong: 10 } as const;

/** One open WebSocket, server side. */
export interface WebSocketConnection {
  /** Sends a text frame. */
  send(text: string): void;
  /** Sends a ping, which clients answer with a pong. */
  ping(): void;
  /** Sends a close frame and ends the socket. */
  close(code?: number): void;
  /** Called with each text message from the client. */
  onMessage(listener: (text: string) => void): void;
  /** Called once when the socket ends, however it ends. */
  onClose(listener: () => void): void;
}

/** Encodes one final frame; clients must mask, servers must not (RFC 6455 §5.3). */
export function encodeFrame(opcode: number, payload: Buffer, mask = false): Buffer {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.alloc(header + (mask ? 4 : 0) + length);
  frame[0] = 0x80 | opcode;
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) frame[1] = maskBit | length;
  else if (length < 65536) {
    frame[1] = maskBit | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = maskBit | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!mask) {
    payload.copy(frame, header);
    return frame;
  }
  const key = randomBytes(4);
  key.copy(frame, header);
  for (let i = 0; i < length; i++) frame[header + 4 + i] = payload[i]! ^ key[i % 4]!;
  return frame;
}

/** Returns a function to feed socket chunks into; it calls `onFrame` per complete frame. */
export function createFrameParser(onFrame: (opcode: number, payload: Buffer) => void) {
  let buffered = Buffer.alloc(0);
  return (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (buffered.length < 2) return;
      const opcode = buffered[0]! & 0x0f;
      const masked = (buffered[1]! & 0x80) !== 0;
      let length = buffered[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      const keyLength = masked ? 4 : 0;
      if (buffered.length < offset + keyLength + length) return;
      const key = buffered.subarray(offset, offset + keyLength);
      const payload = Buffer.from(
        buffered.subarray(offset + keyLength, offset + keyLength + length),
      );
      if (masked) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ key[i % 4]!;
      buffered = buffered.subarray(offset + keyLength + length);
      onFrame(opcode, payload);
    }
  };
}

/** The `Sec-WebSocket-Accept` value for a client's key (RFC 6455 §4.2.2). */
export function toAcceptKey(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** Completes the opening handshake of an `upgrade` request and returns the connection. */
export function acceptWebSocket(request: IncomingMessage, socket: Duplex): WebSocketConnection {
  const key = String(request.headers['sec-websocket-key'] ?? '');
  const protocol = request.headers['sec-websocket-protocol'];
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${toAcceptKey(key)}\r\n` +
      // Mastodon's web client passes the token as the subprotocol; echo it as ws does.
      (protocol ? `Sec-WebSocket-Protocol: ${String(protocol).split(',')[0]!.trim()}\r\n` : '') +
      '\r\n',
  );
  const messageListeners: ((text: string) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let closed = false;
  const finish = () => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener();
  };
  const write = (opcode: number, payload: Buffer) => {
    if (!closed && socket.writable) socket.write(encodeFrame(opcode, payload));
  };
  socket.on(
    'data',
    createFrameParser((opcode, payload) => {
      if (opcode === Opcode.text)
        for (const listener of messageListeners) listener(payload.toString('utf8'));
      else if (opcode === Opcode.ping) write(Opcode.pong, payload);
      else if (opcode === Opcode.close) {
        write(Opcode.close, payload.subarray(0, 2));
        socket.end();
        finish();
      }
    }),
  );
  socket.on('close', finish);
  socket.on('error', finish);
  return {
    send: (text) => write(Opcode.text, Buffer.from(text, 'utf8')),
    ping: () => write(Opcode.ping, Buffer.alloc(0)),
    close(code = 1000) {
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(code);
      write(Opcode.close, payload);
      socket.end();
      finish();
    },
    onMessage: (listener) => void messageListeners.push(listener),
    onClose: (listener) => void closeListeners.push(listener),
  };
}
