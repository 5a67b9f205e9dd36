import { describe, expect, it } from 'vitest';
import { joinSeries } from '../../client/join-buckets.js';

describe('the new-people chart buckets', () => {
  it('uses hours while the campaign is young, with the empty hours between', () => {
    const s = joinSeries({
      joinsPerDay: [{ date: '2026-12-04', count: 5 }],
      joinsPerHour: [
        { hour: '2026-12-04T08', count: 3 },
        { hour: '2026-12-04T11', count: 2 },
      ],
    });
    expect(s.unit).toBe('hour');
    expect(s.buckets).toEqual([
      { label: '2026-12-04 08:00', count: 3 },
      { label: '2026-12-04 09:00', count: 0 },
      { label: '2026-12-04 10:00', count: 0 },
      { label: '2026-12-04 11:00', count: 2 },
    ]);
  });

  it('uses days over weeks, filling the days no one joined', () => {
    const s = joinSeries({
      joinsPerDay: [
        { date: '2026-11-01', count: 4 },
        { date: '2026-11-04', count: 1 },
      ],
      joinsPerHour: null,
    });
    expect(s.unit).toBe('day');
    expect(s.buckets.map((b) => b.count)).toEqual([4, 0, 0, 1]);
    expect(s.buckets.at(-1)!.label).toBe('2026-11-04');
  });

  it('uses weeks from Monday beyond four months, summing their days', () => {
    const s = joinSeries({
      joinsPerDay: [
        { date: '2026-01-01', count: 2 }, // a Thursday: the week of Monday 2025-12-29
        { date: '2026-01-04', count: 1 }, // Sunday, same week
        { date: '2026-01-05', count: 7 }, // the next Monday
        { date: '2026-06-30', count: 1 },
      ],
      joinsPerHour: null,
    });
    expect(s.unit).toBe('week');
    expect(s.buckets.slice(0, 2)).toEqual([
      { label: '2025-12-29', count: 3 },
      { label: '2026-01-05', count: 7 },
    ]);
    expect(s.buckets.reduce((n, b) => n + b.count, 0)).toBe(11);
    expect(s.buckets.at(-1)!.label).toBe('2026-06-29');
  });

  it('has no bars before anyone joined', () => {
    expect(joinSeries({ joinsPerDay: [], joinsPerHour: [] })).toEqual({ unit: 'day', buckets: [] });
  });
});
