import type { Flags } from './args.js';
import { ConfigError } from './values.js';

/**
 * What one process does when several share a database (docs/deploy.md):
 * - `all`: serve the map and compete for the collector lease (one process alone does both);
 * - `serve`: serve the map, its API and live events, and never collect;
 * - `collect`: compete for the collector lease and serve nothing but `/healthz`.
 */
export type Role = 'all' | 'serve' | 'collect';

const roles: Role[] = ['all', 'serve', 'collect'];

const defaults = {
  role: 'all' as Role, // one `serve` process does everything, as before there were roles
};

/** `--role`, else FTO_ROLE, else `all`. */
export function parseRole(flags: Flags, env: NodeJS.ProcessEnv): Role {
  const raw = flags.role ?? env.FTO_ROLE;
  if (raw === undefined || raw === '') return defaults.role;
  if (!roles.includes(raw as Role)) {
    throw new ConfigError(
      `${flags.role !== undefined ? '--role' : 'FTO_ROLE'}: "${raw}" is not one of ${roles.join(', ')}`,
    );
  }
  return raw as Role;
}
