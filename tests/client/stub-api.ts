import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Response } from 'express';
import express from 'express';
import type { ClientConfig } from '../../client/api.js';
import type { ContributorFeature, LiveEventMap, ServerStatus } from '../../shared/types.js';

/** The policy the real server is meant to send: no inline script, nothing from elsewhere but images. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface StubApi {
  /** Origin, e.g. "http://127.0.0.1:41234". */
  url: string;
  /** What `/api/config` answers; tests may change it before opening a page. */
  config: ClientConfig;
  /** What `/contributors` answers, for every tag. */
  contributors: ContributorFeature[];
  status: ServerStatus;
  /** Tags whose contributors were requested, in order. */
  requestedTags: string[];
  /** Sends one SSE event to every open stream. */
  push<K extends keyof LiveEventMap>(type: K, data: LiveEventMap[K]): void;
  /** Resolves once at least `count` event streams are open. */
  waitForStreams(count?: number): Promise<void>;
  /** Ends every open stream, as a restarting server would. */
  dropStreams(): void;
  close(): Promise<void>;
}

/**
 * Serves the built client the way the real server does (index at / and /c/:tag, assets under
 * /assets) with a stub of the API on 127.0.0.1 and a random port.
 */
export async function startStubApi(
  distDir: string,
  initial: { contributors: ContributorFeature[]; status: ServerStatus },
): Promise<StubApi> {
  const app = express();
  const streams = new Set<Response>();
  const waiters: (() => void)[] = [];
  let nextId = 1;

  const stub: StubApi = {
    url: '',
    config: {
      campaigns: ['yourturn', 'othertag'],
      tileUrl: null,
      tileAttribution: '© OpenStreetMap contributors',
    },
    contributors: initial.contributors,
    status: initial.status,
    requestedTags: [],
    push(type, data) {
      const frame = `id: ${nextId++}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const res of streams) res.write(frame);
    },
    async waitForStreams(count = 1) {
      while (streams.size < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    dropStreams() {
      for (const res of streams) res.end();
      streams.clear();
    },
    close: () =>
      new Promise((resolve, reject) => {
        stub.dropStreams();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };

  const index = path.join(distDir, 'index.html');
  const sendIndex = (_req: express.Request, res: Response) => {
    res.set('Content-Security-Policy', CSP).sendFile(index);
  };
  app.get('/', sendIndex);
  app.get('/c/:tag', sendIndex);
  app.use(
    '/assets',
    express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '1y' }),
  );
  app.get('/avatars/ok.svg', (_req, res) => {
    res
      .type('image/svg+xml')
      .send(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" fill="#4f7cac"/><circle cx="20" cy="16" r="7" fill="#dbe7f0"/><ellipse cx="20" cy="36" rx="13" ry="10" fill="#dbe7f0"/></svg>',
      );
  });
  app.get('/tiles/:z/:x/:y', (_req, res) => {
    res.status(404).end();
  });

  app.get('/api/config', (_req, res) => {
    res.json(stub.config);
  });
  app.get('/api/status', (_req, res) => {
    res.json(stub.status);
  });
  app.get('/api/campaigns/:tag/contributors', (req, res) => {
    stub.requestedTags.push(req.params.tag);
    res.json({ type: 'FeatureCollection', features: stub.contributors });
  });
  app.get('/api/campaigns/:tag/events', (req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1500\n: connected\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
    for (const wake of waiters.splice(0)) wake();
  });

  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
