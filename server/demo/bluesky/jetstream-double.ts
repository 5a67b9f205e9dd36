import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A Jetstream on 127.0.0.1, written from Jetstream's README (https://github.com/bluesky-social/jetstream):
 * `GET /subscribe?wantedCollections=…&cursor=<time_us>` upgrades to a WebSocket of JSON events
 * (`kind` commit, identity, account), replaying every kept event at or after the cursor first.
 * For tests and the demo only.
 */
export interface JetstreamDouble {
  /** `ws://127.0.0.1:<port>/subscribe`. */
  url: string;
  /** Every subscribe request, with its query (the cursor asked for). */
  requests: { cursor: string | null; wantedCollections: string[] }[];
  /** Open connections now. */
  connections(): number;
  /** A post created by `did`; returns its rkey. */
  post(input: PostInput): { rkey: string; timeUs: number };
  /** The post deleted. */
  deletePost(did: string, rkey: string): void;
  /** An `account` event (`active: false, status: 'takendown'`…). */
  account(did: string, active: boolean, status?: string): void;
  /** An `identity` event (a handle change). */
  identity(did: string, handle: string): void;
  /** Any raw event frame, sent as given (malformed ones too). */
  raw(frame: string): void;
  /** Close every connection as a server restart would (clients reconnect). */
  dropConnections(): void;
  /** Stop accepting connections (a dead instance): refuses the upgrade with 503 while on. */
  setDown(down: boolean): void;
  /** Forget events older than this (µs): the replay window of a real instance. */
  forgetBefore(timeUs: number): void;
  close(): Promise<void>;
}

export interface PostInput {
  did: string;
  text: string;
  /** Tags given as `#tag` facets (the text need not say them). */
  facetTags?: string[];
  createdAt?: string;
  langs?: string[];
  rkey?: string;
}

interface Kept {
  timeUs: number;
  collection: string | null;
  frame: string;
}

let rkeyCounter = 0;
/** A TID-like record key (base32-sortable, 13 characters). */
function nextRkey(): string {
  const n = BigInt(Date.now()) * 1000n + BigInt(rkeyCounter++ % 1000);
  return n.toString(32).padStart(13, '2').slice(-13);
}

/** The `app.bsky.richtext.facet` list marking each `#tag` of the text (UTF-8 byte offsets, as the lexicon says). */
export function tagFacets(text: string, extra: string[] = []) {
  const facets: unknown[] = [];
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  for (const m of text.matchAll(/#([\p{L}\p{N}_]+)/gu)) {
    const start = bytes(text.slice(0, m.index));
    facets.push({
      index: { byteStart: start, byteEnd: start + bytes(m[0]) },
      features: [{ $type: 'app.bsky.richtext.facet#tag', tag: m[1] }],
    });
  }
  for (const tag of extra)
    facets.push({
      index: { byteStart: 0, byteEnd: 0 },
      features: [{ $type: 'app.bsky.richtext.facet#tag', tag }],
    });
  return facets;
}

export async function startJetstreamDouble(): Promise<JetstreamDouble> {
  const kept: Kept[] = [];
  const sockets = new Set<{ ws: WebSocket; wanted: Set<string> }>();
  const requests: JetstreamDouble['requests'] = [];
  let lastUs = 0;
  let down = false;
  const nowUs = () => {
    lastUs = Math.max(lastUs + 1, Date.now() * 1000);
    return lastUs;
  };

  const server: Server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('use /subscribe over WebSocket');
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (down || url.pathname !== '/subscribe') {
      socket.end(`HTTP/1.1 ${down ? '503 Service Unavailable' : '404 Not Found'}\r\n\r\n`);
      return;
    }
    const wanted = new Set(url.searchParams.getAll('wantedCollections'));
    const cursor = url.searchParams.get('cursor');
    requests.push({ cursor, wantedCollections: [...wanted] });
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = { ws, wanted };
      // Replay first (synchronously, so no live event slips between), then live.
      if (cursor !== null) {
        const from = Number(cursor);
        for (const e of kept) if (e.timeUs >= from && wants(client.wanted, e)) ws.send(e.frame);
      }
      sockets.add(client);
      ws.on('close', () => sockets.delete(client));
      ws.on('error', () => sockets.delete(client));
    });
  });

  const wants = (wanted: Set<string>, e: Kept) =>
    e.collection === null || wanted.size === 0 || wanted.has(e.collection);

  function emit(event: Record<string, unknown>, collection: string | null) {
    const timeUs = nowUs();
    // Jetstream's field order: did, time_us, kind, then the kind's object.
    const frame = JSON.stringify({ did: event.did, time_us: timeUs, ...event });
    const e = { timeUs, collection, frame };
    kept.push(e);
    for (const s of sockets) if (wants(s.wanted, e)) s.ws.send(frame);
    return timeUs;
  }

  function dropConnections() {
    for (const s of sockets) s.ws.terminate();
    sockets.clear();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `ws://127.0.0.1:${port}/subscribe`,
    requests,
    connections: () => sockets.size,
    post(input) {
      const rkey = input.rkey ?? nextRkey();
      const record = {
        $type: 'app.bsky.feed.post',
        text: input.text,
        createdAt: input.createdAt ?? new Date().toISOString(),
        langs: input.langs ?? ['en'],
        facets: tagFacets(input.text, input.facetTags),
      };
      const timeUs = emit(
        {
          did: input.did,
          kind: 'commit',
          commit: {
            rev: nextRkey(),
            operation: 'create',
            collection: 'app.bsky.feed.post',
            rkey,
            record,
            cid: `bafyrei${rkey}`,
          },
        },
        'app.bsky.feed.post',
      );
      return { rkey, timeUs };
    },
    deletePost(did, rkey) {
      emit(
        {
          did,
          kind: 'commit',
          commit: { rev: nextRkey(), operation: 'delete', collection: 'app.bsky.feed.post', rkey },
        },
        'app.bsky.feed.post',
      );
    },
    account(did, active, status) {
      const account: Record<string, unknown> = {
        active,
        did,
        seq: kept.length + 1,
        time: new Date().toISOString(),
      };
      if (status) account.status = status;
      emit({ did, kind: 'account', account }, null);
    },
    identity(did, handle) {
      emit(
        {
          did,
          kind: 'identity',
          identity: { did, handle, seq: kept.length + 1, time: new Date().toISOString() },
        },
        null,
      );
    },
    raw(frame) {
      for (const s of sockets) s.ws.send(frame);
    },
    dropConnections,
    setDown(value) {
      down = value;
      if (down) dropConnections();
    },
    forgetBefore(timeUs) {
      while (kept.length && kept[0]!.timeUs < timeUs) kept.shift();
    },
    async close() {
      for (const s of sockets) s.ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
