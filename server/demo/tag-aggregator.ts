import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MastodonAccount, MastodonStatus } from './entities.js';

/**
 * A double of a tag-search aggregator such as fedi.buzz: it implements only
 * `GET /api/v1/timelines/tag/:tag`, answering Mastodon Status JSON gathered from other servers
 * with ids of its own and every `acct` as `user@domain` (it is no one's home). Everything else,
 * `/api/v2/instance` included, is a 404. It can be made slow.
 */
export interface TagAggregator {
  /** Origin, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  /**
   * Gather a status as a server served it. `home` is that server's domain (for a local `acct`);
   * `account` overrides profile fields, as an aggregator's copy can be stale.
   */
  add(
    status: MastodonStatus,
    options: { home: string; account?: Partial<MastodonAccount> },
  ): MastodonStatus;
  /** Every tag request waits this long before answering (0: at once). */
  setDelay(ms: number): void;
  /** Requests, oldest first: path, query, arrival time (ms) and the status sent. */
  requestLog: { path: string; query: Record<string, string>; time: number; status: number }[];
  close(): Promise<void>;
}

export async function startTagAggregator(): Promise<TagAggregator> {
  const statuses: MastodonStatus[] = [];
  const byUri = new Map<string, MastodonStatus>();
  const requestLog: TagAggregator['requestLog'] = [];
  let delayMs = 0;
  let nextId = 900_000_000;

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function send(res: ServerResponse, entry: { status: number }, status: number, body: unknown) {
    entry.status = status;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    const entry = {
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      time: Date.now(),
      status: 0,
    };
    requestLog.push(entry);
    const match = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) return send(res, entry, 404, { error: 'Not Found' });
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (res.destroyed) return;
    const tag = decodeURIComponent(match[1]!).toLowerCase();
    const limit = Math.min(40, Math.max(1, Number(url.searchParams.get('limit')) || 20));
    const maxId = url.searchParams.get('max_id');
    const page = statuses
      .filter((s) => s.tags.some((t) => t.name.toLowerCase() === tag))
      .filter((s) => maxId === null || Number(s.id) < Number(maxId))
      .sort((a, b) => Number(b.id) - Number(a.id))
      .slice(0, limit);
    send(res, entry, 200, page);
  }

  return {
    url: origin,
    add(status, options) {
      const known = byUri.get(status.uri);
      if (known) return known;
      const acct = status.account.acct.includes('@')
        ? status.account.acct
        : `${status.account.acct}@${options.home}`;
      const copy: MastodonStatus = {
        ...status,
        id: String(nextId++),
        account: { ...status.account, id: String(nextId++), acct, ...options.account },
      };
      statuses.push(copy);
      byUri.set(copy.uri, copy);
      return copy;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    requestLog,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
