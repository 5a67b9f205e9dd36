import type { Express } from 'express';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';

/** An Express app on a free loopback port, for tests that need real HTTP (SSE, streaming). */
export interface Listening {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Closes open connections (SSE streams stay open otherwise) and the server. */
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<Listening> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A loopback port nothing listens on right now, for a process that needs a number (nginx, a CLI). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
