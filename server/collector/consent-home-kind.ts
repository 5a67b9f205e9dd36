import type { Clock } from '../clock.js';
import { jsonOf, type HomeGet, type HomeState } from './consent-home-http.js';

/** The server software of a home, told by `/api/v1/instance` or NodeInfo (docs/consent.md). */
export type HomeKind = 'mastodon' | 'gotosocial' | 'pleroma' | 'snac' | 'misskey' | 'unknown';

/** The software of each home, from /api/v1/instance or else NodeInfo; kept for `ttlMs`. */
export function createHomeKinds(get: HomeGet, clock: Clock, ttlMs: number) {
  const kinds = new Map<string, { kind: HomeKind; at: number }>();

  return async function kindOf(h: HomeState, host: string, signal: AbortSignal): Promise<HomeKind> {
    const cached = kinds.get(host);
    if (cached && clock.now() - cached.at < ttlMs) return cached.kind;
    let kind: HomeKind = 'unknown';
    const instance = await get(h, host, '/api/v1/instance', 'application/json', signal);
    const version =
      instance.status === 200 ? (jsonOf(instance.body) as { version?: unknown })?.version : null;
    if (typeof version === 'string') kind = kindOfVersion(version);
    if (kind === 'unknown') {
      const index = await get(h, host, '/.well-known/nodeinfo', 'application/json', signal);
      const links = (jsonOf(index.body) as { links?: { href?: unknown }[] } | null)?.links;
      const href = Array.isArray(links)
        ? links
            .map((l) => l?.href)
            .filter((x) => typeof x === 'string')
            .pop()
        : null;
      if (index.status === 200 && typeof href === 'string') {
        const url = new URL(href, `https://${host}`);
        // Only the home itself is asked: a link elsewhere is read on the home's host.
        const doc = await get(h, host, url.pathname + url.search, 'application/json', signal);
        const name = (jsonOf(doc.body) as { software?: { name?: unknown } } | null)?.software?.name;
        if (typeof name === 'string') kind = kindOfSoftware(name);
      }
    }
    kinds.set(host, { kind, at: clock.now() });
    return kind;
  };
}

/** "4.3.0", "0.17.0 git-…", "2.7.2 (compatible; Pleroma 2.5.0)", "4.0.0 (not true; really snac 2.78)". */
export function kindOfVersion(version: string): HomeKind {
  if (/pleroma|akkoma/i.test(version)) return 'pleroma';
  if (/snac/i.test(version)) return 'snac';
  if (/gotosocial|\bgit-/i.test(version) || /^0\.\d+\.\d+/.test(version)) return 'gotosocial';
  if (/misskey|sharkey|firefish|iceshrimp|calckey|foundkey|catodon/i.test(version))
    return 'misskey';
  if (/^\d+\.\d+\.\d+/.test(version)) return 'mastodon';
  return 'unknown';
}

/** NodeInfo `software.name` → kind. */
export function kindOfSoftware(name: string): HomeKind {
  const n = name.toLowerCase();
  if (n === 'mastodon' || n === 'hometown' || n === 'glitch-soc') return 'mastodon';
  if (n === 'gotosocial') return 'gotosocial';
  if (n === 'pleroma' || n === 'akkoma') return 'pleroma';
  if (n === 'snac' || n === 'snac2') return 'snac';
  if (/misskey|sharkey|firefish|iceshrimp|calckey|foundkey|catodon|cherrypick/.test(n))
    return 'misskey';
  return 'unknown';
}
