import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Role } from '../../server/config/index.js';
import { testDbPath } from '../helpers/test-db.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';
import { queryDb, spawnServe, type ServerProcess } from '../helpers/server-process.js';

export interface Health {
  ok: boolean;
  role: Role;
  collecting: boolean;
}

export interface Member {
  name: string;
  role: Role;
  process: ServerProcess;
  url: string;
  health(): Promise<Health | null>;
}

/**
 * Several `serve` processes, each with its role, on one SQLite file in a temporary folder,
 * following one test instance (multi.example) by polling every 200 ms. Started before the
 * calling file's tests (one after another, or all at once with `together`), stopped after.
 */
export function severalServers(roles: Record<string, Role>, options: { together?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fto-multi-'));
  // A file, or a PostgreSQL database on that run (empty when they start together: the first start)
  const db = testDbPath(join(dir, 'shared.db'), { empty: options.together });
  let instance: MastodonInstance | undefined;
  const members = new Map<string, Member>();

  async function spawn(name: string, role: Role): Promise<Member> {
    const process = spawnServe([
      ...['--instance', instance!.url, '--db', db, '--role', role],
      ...['--poll-interval', '200', '--backfill-days', '3650'],
    ]);
    const url = await process.url;
    const member: Member = {
      name,
      role,
      process,
      url,
      async health() {
        try {
          const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
          return (await res.json()) as Health;
        } catch {
          return null; // gone, or stopped (SIGSTOP)
        }
      },
    };
    members.set(name, member);
    return member;
  }

  beforeAll(async () => {
    instance = await startMastodonInstance({ domain: 'multi.example', rateLimit: false });
    const all = Object.entries(roles);
    // Together on a new file (all race to create the schema and take the lease), or one at a time.
    if (options.together) await Promise.all(all.map(([name, role]) => spawn(name, role)));
    else for (const [name, role] of all) await spawn(name, role);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...members.values()].map((m) => m.process.stop()));
    await instance?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    db,
    instance: () => instance!,
    member: (name: string) => members.get(name)!,
    members: () => [...members.values()],
    /** The member that collects now, once exactly one says so. */
    async collector(timeout = 30_000): Promise<Member> {
      let found: Member | undefined;
      await expect
        .poll(
          async () => {
            const alive = [...members.values()].filter((m) => m.process.child.exitCode === null);
            const healths = await Promise.all(alive.map((m) => m.health()));
            const holders = alive.filter((_, i) => healths[i]?.collecting);
            found = holders.length === 1 ? holders[0] : undefined;
            return holders.length;
          },
          { timeout, interval: 100 },
        )
        .toBe(1);
      return found!;
    },
    /** Publish a post by a new person naming a city; returns the acct. */
    post(username: string, city = 'Lagos'): string {
      instance!.post({ account: { username, displayName: username }, text: `#YourTurn ${city}` });
      return `${username}@multi.example`;
    },
    /** Live events in the shared log, by id. */
    events: () =>
      queryDb<{ id: number; type: string; data: string }>(
        db,
        "SELECT id, type, data FROM events WHERE tag = 'yourturn' ORDER BY id",
      ),
    spawn,
  };
}
