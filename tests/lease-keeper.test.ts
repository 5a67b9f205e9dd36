import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepLease } from '../server/lease-keeper.js';
import { type Db } from '../server/store/db.js';
import { openTestDb } from './helpers/test-db.js';
import { createLeases, type Leases } from '../server/store/leases.js';

// Two processes sharing a lease table, on a fake clock: the keeper's timer drives both.
describe('the lease keeper', () => {
  let db: Db;
  let leases: Leases;

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    db = openTestDb(':memory:');
    leases = createLeases(db, () => Date.now());
  });
  afterEach(() => {
    vi.useRealTimers();
    db.close();
  });

  const keeper = (holder: string, log: string[], isDead?: (h: string) => boolean) =>
    keepLease({
      leases,
      name: 'collector',
      holder,
      onGain: () => log.push(`${holder} gains`),
      onLose: async () => {
        log.push(`${holder} loses`);
      },
      onError: (err) => {
        throw err;
      },
      isDead,
    });

  it('lets one process collect while it renews, and another take over within 20 s once it dies', async () => {
    const log: string[] = [];
    const a = keeper('a', log);
    const b = keeper('b', log);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(log).toEqual(['a gains']); // renewed all along
    // a dies without a word (kill -9): its timer is gone, its row stays until it expires.
    vi.spyOn(leases, 'release').mockImplementation(() => {});
    await a.stop();
    const died = Date.now();
    while (!b.held()) await vi.advanceTimersByTimeAsync(1_000);
    expect(Date.now() - died).toBeGreaterThanOrEqual(10_000); // the last renewal was <= 5 s before
    expect(Date.now() - died).toBeLessThanOrEqual(20_000);
    expect(log).toEqual(['a gains', 'a loses', 'b gains']);
    await b.stop();
  });

  it('gives the lease up when its holder stops, so the next process takes it at its next try', async () => {
    const log: string[] = [];
    const a = keeper('a', log);
    const b = keeper('b', log);
    await a.stop();
    expect(leases.holder('collector')).toBeNull();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(log).toEqual(['a gains', 'a loses', 'b gains']);
    await b.stop();
  });

  it('takes the lease at once from a holder known to be dead', async () => {
    const log: string[] = [];
    leases.acquire('collector', 'gone', 15_000);
    const b = keeper('b', log, (h) => h === 'gone');
    expect(log).toEqual(['b gains']);
    await b.stop();
  });

  it('stops collecting when another process has taken the lease (its own stalled past the expiry)', async () => {
    const log: string[] = [];
    const a = keeper('a', log);
    db.prepare("UPDATE leases SET holder = 'b', expires_at = ?").run(Date.now() + 15_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(log).toEqual(['a gains', 'a loses']);
    expect(a.held()).toBe(false);
    await a.stop();
  });
});
