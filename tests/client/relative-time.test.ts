import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { timeAgo } from '../../client/format.js';
import { createTicker, nextChangeIn, type Ticking } from '../../client/relative-time.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('nextChangeIn', () => {
  it('waits until the rounded text would read differently, no longer', () => {
    const then = Date.UTC(2026, 10, 20, 12);
    for (const age of [
      0,
      4_400,
      59_000,
      90_000,
      3 * MINUTE + 20 * SECOND,
      5 * HOUR,
      3 * 24 * HOUR,
    ]) {
      const now = then + age;
      const wait = nextChangeIn(then, now);
      expect(timeAgo(new Date(then).toISOString(), now + wait - 2)).toBe(
        timeAgo(new Date(then).toISOString(), now),
      );
      expect(timeAgo(new Date(then).toISOString(), now + wait)).not.toBe(
        timeAgo(new Date(then).toISOString(), now),
      );
    }
  });
});

describe('the shared ticker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A row showing a time, redrawn every `every` ms, that counts its redraws. */
  const row = (every: number): Ticking & { ticks: number } => {
    const item = {
      ticks: 0,
      tick: () => {
        item.ticks++;
        return every;
      },
    };
    return item;
  };

  it('keeps one timer for many rows, wakes for the soonest and redraws only the rows due', () => {
    const ticker = createTicker();
    const rows = Array.from({ length: 50 }, () => row(MINUTE));
    for (const r of rows) ticker.add(r, MINUTE);
    const fresh = row(SECOND);
    ticker.add(fresh, SECOND);
    expect(vi.getTimerCount()).toBe(1);

    vi.advanceTimersByTime(5 * SECOND);
    expect(fresh.ticks).toBe(5);
    expect(rows.every((r) => r.ticks === 0)).toBe(true);
    vi.advanceTimersByTime(MINUTE);
    expect(rows.every((r) => r.ticks === 1)).toBe(true);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('stops its timer once every row is gone, and starts again for a new one', () => {
    const ticker = createTicker();
    const a = row(SECOND);
    const b = row(HOUR);
    ticker.add(a, SECOND);
    ticker.add(b, HOUR);
    ticker.delete(a);
    vi.advanceTimersByTime(10 * SECOND);
    expect(a.ticks).toBe(0); // a removed row is never redrawn
    ticker.delete(b);
    expect(ticker.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    ticker.add(a, SECOND);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(SECOND);
    expect(a.ticks).toBe(1);
  });
});
