import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../server/clock.js';
import { createRateBudget, type RateBudgetTuning } from '../../server/collector/rate-budget.js';

/** A clock whose sleeps pass at once, moving its time on. */
function fakeClock(start = 1_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += Math.max(0, ms);
    },
  };
}

function budgetFor(tuning: RateBudgetTuning, clock = fakeClock()) {
  const lines: string[] = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line).msg) },
  );
  const waits: string[] = [];
  const budget = createRateBudget({
    origin: 'https://snac.example',
    clock,
    log,
    tuning,
    onWaitStart: (until) => waits.push(`start ${until - clock.now()}`),
    onWaitEnd: () => waits.push('end'),
  });
  const signal = new AbortController().signal;
  const request = (ms = 0) => budget.paced(signal, () => clock.sleep(ms).then(() => 'ok'));
  return { budget, clock, lines, waits, request };
}

describe('the rate budget', () => {
  it('spreads the requests left over the time left in the window, keeping the reserve', () => {
    const { budget, clock } = budgetFor({ rateLimitReserve: 0.1, budget: false });
    expect(budget.spacingMs()).toBe(0);
    budget.record({ limit: 300, remaining: 100, resetAt: new Date(clock.now() + 60_000) });
    // 100 left, 30 kept back: 70 requests over 60 s.
    expect(budget.spacingMs()).toBe(Math.ceil(60_000 / 70));
  });

  it('waits for the window to reset once only the reserve is left, shows the wait and says it once', async () => {
    const { budget, clock, waits, lines, request } = budgetFor({
      rateLimitReserve: 0.1,
      budget: false,
    });
    await request();
    budget.record({ limit: 300, remaining: 30, resetAt: new Date(clock.now() + 60_000) });
    await request();
    expect(clock.slept[1]).toBe(61_000);
    expect(waits).toEqual(['start 61000', 'end']);
    budget.record({ limit: 300, remaining: 30, resetAt: new Date(clock.now() + 60_000) });
    await request();
    expect(waits).toEqual(['start 61000', 'end', 'start 61000', 'end']);
    expect(lines.filter((l) => /used its request budget/.test(l))).toEqual([
      expect.stringContaining('its rate limit, down to our reserve'),
    ]);
  });

  it('keeps to its own window on an instance without rate-limit headers, saying so once per wait', async () => {
    const { clock, waits, lines, request } = budgetFor({
      rateLimitReserve: 0.2,
      budget: { requests: 10, windowMs: 1_000 },
    });
    const start = clock.now();
    for (let i = 0; i < 8; i++) await request();
    expect(clock.now()).toBe(start);
    await request();
    expect(clock.now()).toBe(start + 1_000);
    expect(waits).toEqual(['start 1000', 'end']);
    const said = lines.filter((l) => /used its request budget/.test(l));
    expect(said).toEqual([expect.stringContaining('our own 8 requests per')]);
    // Free requests in between: the next wait is a new one, said again.
    for (let i = 0; i < 8; i++) await request();
    expect(lines.filter((l) => /used its request budget/.test(l))).toHaveLength(2);
  });

  it('measures the mean time a request takes, none before the first', async () => {
    const { budget, request } = budgetFor({ rateLimitReserve: 0.1, budget: false });
    expect(budget.meanRequestMs()).toBeNull();
    await request(100);
    await request(300);
    expect(budget.meanRequestMs()).toBe(200);
  });
});
