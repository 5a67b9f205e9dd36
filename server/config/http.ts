import { isIP } from 'node:net';
import type { Command, Flags } from './args.js';
import { ConfigError, parseIntIn } from './values.js';

const defaults = {
  port: 3000, // http://localhost:3000
  host: '0.0.0.0', // reachable from the LAN and containers; use 127.0.0.1 to keep it private
  tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  tileAttribution: '© OpenStreetMap contributors', // plain text: the map escapes it
  rateLimit: 20, // public API requests per second per client IP
  // Whose X-Forwarded-For is believed: a balancer on this machine. One elsewhere must be named, or
  // every client would share the balancer's address, and its rate limit bucket.
  trustProxy: 'loopback',
};

/** The HTTP server's part of the configuration: where it listens and what the map page gets. */
export interface HttpConfig {
  port: number;
  host: string;
  /** Map tile URL template, or null for the bundled world outline only. */
  tileUrl: string | null;
  tileAttribution: string;
  /** FTO_ADMIN_TOKEN (environment only: a flag would show in `ps`); null disables the admin API. */
  adminToken: string | null;
  /** Public API requests per second per client IP (FTO_RATE_LIMIT; 0 = no limit), per process. */
  rateLimit: number;
  /** FTO_TRUST_PROXY: the proxies whose X-Forwarded-For names the client (Express's `trust proxy`). */
  trustProxy: string;
}

export function parseListen(
  flags: Flags,
  env: NodeJS.ProcessEnv,
): Pick<HttpConfig, 'port' | 'host'> {
  return {
    port: parseIntIn(
      flags.port ?? env.PORT,
      flags.port ? '--port' : 'PORT',
      defaults.port,
      0,
      65535,
    ),
    host: flags.host ?? env.FTO_HOST ?? defaults.host,
  };
}

/** `--tiles`/FTO_TILE_URL: a template, "none" or "" for none; the demo has none unless named. */
export function parseTiles(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  command: Command,
): Pick<HttpConfig, 'tileUrl' | 'tileAttribution'> {
  const raw = flags.tiles ?? env.FTO_TILE_URL;
  return {
    tileUrl:
      raw === undefined
        ? // The demo is the offline way to try the map: only tiles asked for by name leave the machine.
          command === 'demo'
          ? null
          : defaults.tileUrl
        : raw === '' || raw === 'none'
          ? null
          : parseTileUrl(raw),
    tileAttribution: env.FTO_TILE_ATTRIBUTION ?? defaults.tileAttribution,
  };
}

/** The admin token and the rate limit: environment only. */
export function parseAccess(
  env: NodeJS.ProcessEnv,
): Pick<HttpConfig, 'adminToken' | 'rateLimit' | 'trustProxy'> {
  return {
    adminToken: env.FTO_ADMIN_TOKEN?.trim() || null,
    rateLimit: parseIntIn(env.FTO_RATE_LIMIT, 'FTO_RATE_LIMIT', defaults.rateLimit, 0, 1_000_000),
    trustProxy: parseTrustProxy(env.FTO_TRUST_PROXY),
  };
}

const proxyNames = ['loopback', 'linklocal', 'uniquelocal'];

/** `loopback`, `10.0.0.5`, `10.0.0.0/8, loopback`…: Express's names, addresses and subnets. */
function parseTrustProxy(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return defaults.trustProxy;
  const parts = raw.split(',').map((p) => p.trim());
  for (const part of parts) {
    const [address, bits, extra] = part.split('/');
    const ok =
      proxyNames.includes(part) ||
      (extra === undefined &&
        isIP(address ?? '') !== 0 &&
        (bits === undefined || /^\d{1,3}$/.test(bits)));
    if (!ok) {
      throw new ConfigError(
        `FTO_TRUST_PROXY: "${part}" is not an address, a subnet (10.0.0.0/8) or one of ${proxyNames.join(', ')}`,
      );
    }
  }
  return parts.join(', ');
}

function parseTileUrl(raw: string): string {
  if (!/^https?:\/\/.+\{z\}.*\{x\}.*\{y\}/.test(raw)) {
    throw new ConfigError(
      `FTO_TILE_URL/--tiles: "${raw}" must be an http(s) URL template with {z}, {x} and {y}, or "none"`,
    );
  }
  return raw;
}
