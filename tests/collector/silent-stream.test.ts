import { describe, expect, it } from 'vitest';
import { createSilentStream } from '../../server/collector/silent-stream.js';

const minute = 60_000;
const tuning = { silentStreamRetryMs: 15 * minute, silentStreamRetryMaxMs: 60 * minute };

describe('the silent-stream state machine', () => {
  it('starts live and may be found silent until the stream delivers a post', () => {
    const s = createSilentStream(tuning);
    expect(s.state).toBe('live');
    expect(s.mayBeSilent()).toBe(true);
    s.delivered();
    expect(s.mayBeSilent()).toBe(false);
    s.connected();
    expect(s.mayBeSilent()).toBe(true);
  });

  it('polls a silent stream until its wait is over, then tries it again on probation', () => {
    const s = createSilentStream(tuning);
    expect(s.foundSilent(0)).toBe(15 * minute);
    expect(s.state).toBe('silent');
    expect(s.mayBeSilent()).toBe(false);
    expect(s.retryIfDue(15 * minute - 1)).toBe(false);
    expect(s.retryIfDue(15 * minute)).toBe(true);
    expect(s.state).toBe('probation');
    expect(s.retryIfDue(16 * minute)).toBe(false);
  });

  it('doubles the wait each time the stream is found silent again, up to the cap', () => {
    const s = createSilentStream(tuning);
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 4; i++) {
      waits.push(s.foundSilent(now));
      now = s.retryAt;
      s.retryIfDue(now);
      s.connected();
    }
    expect(waits).toEqual([15, 30, 60, 60].map((m) => m * minute));
  });

  it('trusts a stream on probation again once it delivers, and starts the doubling over', () => {
    const s = createSilentStream(tuning);
    s.foundSilent(0);
    s.retryIfDue(s.retryAt);
    s.foundSilent(s.retryAt);
    s.retryIfDue(s.retryAt);
    s.connected();
    expect(s.delivered()).toBe(true);
    expect(s.state).toBe('live');
    expect(s.delivered()).toBe(false);
    s.connected();
    expect(s.foundSilent(0)).toBe(15 * minute);
  });
});
