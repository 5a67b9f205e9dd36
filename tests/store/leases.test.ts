import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import { createLeases, type Leases } from '../../server/store/leases.js';

describe('leases', () => {
  let db: Db;
  let t: number;
  let leases: Leases;

  beforeEach(() => {
    db = openTestDb(':memory:');
    t = 1_000_000;
    leases = createLeases(db, () => t);
  });
  afterEach(() => db.close());

  it('gives a free lease to the first process that asks, and not to a second while it lasts', () => {
    expect(leases.acquire('collector', 'a', 15_000)).toBe(true);
    expect(leases.acquire('collector', 'b', 15_000)).toBe(false);
    t += 14_999;
    expect(leases.acquire('collector', 'b', 15_000)).toBe(false);
    expect(leases.holder('collector')).toEqual({ holder: 'a', expiresAt: 1_015_000, detail: null });
  });

  it('lets the holder renew before it expires, which keeps the others out', () => {
    leases.acquire('collector', 'a', 15_000);
    t += 10_000;
    expect(leases.acquire('collector', 'a', 15_000)).toBe(true);
    t += 10_000; // 20 s after the first take, 10 s after the renewal
    expect(leases.acquire('collector', 'b', 15_000)).toBe(false);
  });

  it('hands an expired lease to the next process that asks, and the old holder cannot renew it', () => {
    leases.acquire('collector', 'a', 15_000);
    t += 15_000;
    expect(leases.acquire('collector', 'b', 15_000)).toBe(true);
    expect(leases.acquire('collector', 'a', 15_000)).toBe(false);
    expect(leases.holder('collector')?.holder).toBe('b');
  });

  it('frees a released lease at once, and only its holder can release it', () => {
    leases.acquire('collector', 'a', 15_000);
    leases.release('collector', 'b');
    expect(leases.acquire('collector', 'b', 15_000)).toBe(false);
    leases.release('collector', 'a');
    expect(leases.holder('collector')).toBeNull();
    expect(leases.acquire('collector', 'b', 15_000)).toBe(true);
  });

  it('keeps each named lease apart', () => {
    expect(leases.acquire('collector', 'a', 15_000)).toBe(true);
    expect(leases.acquire('other', 'b', 15_000)).toBe(true);
  });

  it("keeps what the holder tells the others with each renewal, and only the holder's", () => {
    leases.acquire('collector', 'a', 15_000, '[{"state":"polling"}]');
    expect(leases.acquire('collector', 'b', 15_000, '[]')).toBe(false);
    expect(leases.holder('collector')?.detail).toBe('[{"state":"polling"}]');
  });
});
