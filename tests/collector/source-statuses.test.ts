import { describe, expect, it } from 'vitest';
import { createSourceStatuses } from '../../server/collector/source-statuses.js';

const origin = 'https://gts.example';
const at = (ms: number) => new Date(ms).toISOString();

describe('the source status holder', () => {
  it('shows a budget wait on every readable tag and afterwards what each showed before', () => {
    const s = createSourceStatuses(origin, ['a', 'b', 'c']);
    s.succeeded('a', 1_000, true, 12);
    s.failed('backing-off', 'HTTP 502', 2_000, 9_000);
    s.succeeded('a', 3_000, true, 11);
    s.needToken('c', 401, 3_000, 60_000);
    s.waitForBudget(5_000);
    s.waitForBudget(6_000); // a second wait in a row keeps what was shown before the first
    const waiting = s.snapshot([]);
    expect(waiting.map((x) => [x.state, x.nextAttemptAt])).toEqual([
      ['waiting-for-budget', at(6_000)],
      ['waiting-for-budget', at(6_000)],
      ['needs-token', at(60_000)],
    ]);
    s.budgetWaitOver();
    expect(s.snapshot([]).map((x) => [x.state, x.nextAttemptAt])).toEqual([
      ['streaming', null],
      ['backing-off', at(9_000)],
      ['needs-token', at(60_000)],
    ]);
  });

  it('switches streaming tags to polling when the stream closes, leaving a tag that needs a token alone', () => {
    const s = createSourceStatuses(origin, ['a', 'b']);
    s.needToken('b', 403, 0, 60_000);
    s.streamOpened(() => true);
    expect(s.snapshot([]).map((x) => [x.state, x.mode])).toEqual([
      ['streaming', 'stream'],
      ['needs-token', 'poll'],
    ]);
    s.streamClosed();
    expect(s.snapshot([]).map((x) => [x.state, x.mode])).toEqual([
      ['polling', 'poll'],
      ['needs-token', 'poll'],
    ]);
  });

  it('counts a post seen again once, per tag, and hands out copies with what the server needs', () => {
    const s = createSourceStatuses(origin, ['a', 'b']);
    s.saw('a', [{ uri: 'u1' }, { uri: 'u2' }]);
    s.saw('a', [{ uri: 'u2' }]);
    s.saw('b', [{ uri: 'u2' }]);
    const [a, b] = s.snapshot(['an access token']);
    expect([a!.postsSeen, b!.postsSeen]).toEqual([2, 1]);
    expect(a!.needs).toEqual(['an access token']);
    a!.postsSeen = 99;
    expect(s.snapshot([])[0]!.postsSeen).toBe(2);
  });
});
