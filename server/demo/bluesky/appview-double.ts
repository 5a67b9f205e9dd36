import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toAvatarSvg } from '../avatar-svg.js';

/** A label as the AppView serves it (com.atproto.label.defs#label). */
export interface LabelInput {
  /** Who labelled: the account itself (a self-label) or a labeller's DID. */
  src: string;
  val: string;
  neg?: boolean;
}

export interface ProfileInput {
  did: string;
  handle: string;
  displayName?: string;
  /** The profile's description, plain text. */
  description?: string;
  avatar?: string;
  labels?: LabelInput[];
}

/**
 * The public AppView's `app.bsky.actor.getProfiles` on 127.0.0.1 (lexicon app.bsky.actor.getProfiles:
 * `?actors=` repeated, at most 25; `{ profiles: profileViewDetailed[] }`, unknown or taken-down
 * accounts left out). For tests and the demo only.
 */
export interface AppViewDouble {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The actors of each getProfiles call. */
  calls: string[][];
  setProfile(profile: ProfileInput): void;
  /** The account is gone (deleted, taken down): no longer served. */
  removeProfile(did: string): void;
  /** The account and app password createSession accepts (none: every login fails). */
  setLogin(identifier: string, password: string): void;
  /** A post searchPosts finds (newest first by createdAt). */
  addSearchable(post: { did: string; rkey: string; text: string; createdAt: string }): void;
  /** Every searchPosts call's query, and whether it came with the session's token. */
  searches: { q: string | null; cursor: string | null; authorized: boolean }[];
  /** Answer the next `n` calls with this HTTP status. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

export async function startAppViewDouble(): Promise<AppViewDouble> {
  const profiles = new Map<string, ProfileInput>();
  const calls: string[][] = [];
  let failures = 0;
  let login: { identifier: string; password: string } | null = null;
  const token = 'double-access-jwt';
  const searchable: { did: string; rkey: string; text: string; createdAt: string }[] = [];
  const searches: AppViewDouble['searches'] = [];
  let failStatus = 502;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/xrpc/com.atproto.server.createSession' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += String(c)));
      req.on('end', () => {
        const b = JSON.parse(body || '{}') as { identifier?: string; password?: string };
        if (!login || b.identifier !== login.identifier || b.password !== login.password)
          return json(401, {
            error: 'AuthenticationRequired',
            message: 'Invalid identifier or password',
          });
        json(200, {
          did: 'did:plc:operator',
          handle: login.identifier,
          accessJwt: token,
          refreshJwt: 'r',
        });
      });
      return;
    }
    if (url.pathname === '/xrpc/app.bsky.feed.searchPosts') {
      const authorized = req.headers.authorization === `Bearer ${token}`;
      searches.push({
        q: url.searchParams.get('q'),
        cursor: url.searchParams.get('cursor'),
        authorized,
      });
      if (!authorized) return json(403, { error: 'Forbidden', message: 'search needs a login' });
      const want = (url.searchParams.get('tag') ?? url.searchParams.get('q') ?? '')
        .replace(/^#/, '')
        .toLowerCase();
      const hits = searchable
        .filter((p) => p.text.toLowerCase().includes(`#${want}`))
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
      const from = Number(url.searchParams.get('cursor') ?? 0);
      const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 25));
      const page = hits.slice(from, from + limit);
      return json(200, {
        ...(from + limit < hits.length && { cursor: String(from + limit) }),
        hitsTotal: hits.length,
        posts: page.map((p) => {
          const profile = profiles.get(p.did);
          return {
            uri: `at://${p.did}/app.bsky.feed.post/${p.rkey}`,
            cid: `bafy${p.rkey}`,
            author: { did: p.did, handle: profile?.handle ?? 'handle.invalid' },
            record: {
              $type: 'app.bsky.feed.post',
              text: p.text,
              createdAt: p.createdAt,
              langs: ['en'],
            },
            indexedAt: p.createdAt,
          };
        }),
      });
    }
    // Avatars drawn locally, so the demo needs no image host: /avatar/<did>.svg.
    const avatar = /^\/avatar\/(did:[^/]+)\.svg$/.exec(decodeURIComponent(url.pathname));
    if (avatar) {
      const p = profiles.get(avatar[1]!);
      if (!p) return json(404, { error: 'NotFound' });
      res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=3600' });
      return void res.end(toAvatarSvg(p.displayName || p.handle, p.did));
    }
    if (url.pathname !== '/xrpc/app.bsky.actor.getProfiles')
      return json(404, { error: 'MethodNotImplemented', message: 'Method Not Implemented' });
    const actors = url.searchParams.getAll('actors');
    calls.push(actors);
    if (failures > 0) {
      failures--;
      return json(failStatus, { error: 'InternalServerError', message: 'try again' });
    }
    if (actors.length === 0 || actors.length > 25)
      return json(400, { error: 'InvalidRequest', message: 'actors must have 1 to 25 items' });
    json(200, {
      profiles: actors
        .map((a) => profiles.get(a) ?? [...profiles.values()].find((p) => p.handle === a))
        .filter((p): p is ProfileInput => p !== undefined)
        .map((p) => ({
          did: p.did,
          handle: p.handle,
          ...(p.displayName !== undefined && { displayName: p.displayName }),
          ...(p.description !== undefined && { description: p.description }),
          ...(p.avatar !== undefined && { avatar: p.avatar }),
          labels: (p.labels ?? []).map((l) => ({
            src: l.src,
            uri: `at://${p.did}/app.bsky.actor.profile/self`,
            val: l.val,
            ...(l.neg && { neg: true }),
            cts: new Date().toISOString(),
          })),
          indexedAt: new Date().toISOString(),
        })),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    searches,
    setLogin: (identifier, password) => void (login = { identifier, password }),
    addSearchable: (post) => void searchable.push(post),
    setProfile: (p) => void profiles.set(p.did, p),
    removeProfile: (did) => void profiles.delete(did),
    failNext(n, status = 502) {
      failures = n;
      failStatus = status;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
