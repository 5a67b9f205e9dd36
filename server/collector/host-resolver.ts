/**
 * Where a host is really reached. An account's domain is a name; `--resolve HOST=URL` (and each
 * followed instance, which teaches its own LOCAL_DOMAIN) says which origin answers for it. Names
 * under the reserved TLDs (RFC 2606, RFC 6761) are never looked up on the network without an
 * entry, so a test's made-up domains can never reach the internet.
 */
export interface HostResolver {
  /** The origin to ask for `host` (`https://host` unless told otherwise), or null: never contacted. */
  resolve(host: string): string | null;
  /** A followed instance at `origin` says its domain is `host`; an explicit `--resolve` wins. */
  learn(host: string, origin: string): void;
}

// RFC 2606 and RFC 6761: names that are never real hosts on the internet.
const reservedTlds = ['test', 'example', 'invalid', 'localhost'];

/** True for `x.test`, `a.b.example`, `localhost`…: names no DNS answer may be trusted for. */
export function isReservedHost(host: string): boolean {
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const tld = name.slice(name.lastIndexOf('.') + 1);
  return reservedTlds.includes(tld);
}

/** A resolver over explicit `host → origin` entries (already validated by the config). */
export function createHostResolver(entries: Record<string, string> = {}): HostResolver {
  const explicit = new Map(
    Object.entries(entries).map(([host, url]) => [host.toLowerCase(), new URL(url).origin]),
  );
  const learned = new Map<string, string>();
  return {
    resolve(host) {
      const key = host.toLowerCase();
      const known = explicit.get(key) ?? learned.get(key);
      if (known) return known;
      if (isReservedHost(key)) return null;
      return `https://${key}`;
    },
    learn(host, origin) {
      const key = host.toLowerCase();
      if (!explicit.has(key) && new URL(origin).host.toLowerCase() !== key)
        learned.set(key, new URL(origin).origin);
    },
  };
}
