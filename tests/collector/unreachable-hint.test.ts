import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchForNoNetwork } from '../../server/collector/unreachable-hint.js';
import type { SourceStatus } from '../../shared/types.js';

const source = (instance: string, over: Partial<SourceStatus> = {}): SourceStatus => ({
  instance,
  tag: 'yourturn',
  state: 'backing-off',
  lastSuccessAt: null,
  lastError: 'connect ETIMEDOUT 1.2.3.4:443',
  lastErrorAt: new Date().toISOString(),
  postsSeen: 0,
  rateLimitRemaining: null,
  ...over,
});

describe('the no-network hint in the operator log', () => {
  afterEach(() => vi.useRealTimers());

  it('points to the demo once, when every followed instance has failed and none answered', () => {
    vi.useFakeTimers();
    let sources = [
      source('https://mastodon.social', { lastError: null, state: 'polling' }),
      source('https://chaos.social'),
      source('https://relay.example', { mode: 'relay', lastError: null }),
    ];
    const said: string[] = [];
    watchForNoNetwork(
      () => sources,
      (m) => said.push(m),
      1_000,
    );
    vi.advanceTimersByTime(3_000);
    expect(said).toEqual([]); // one has not failed yet
    sources = sources.map((s) => (s.mode ? s : { ...s, lastError: 'getaddrinfo ENOTFOUND' }));
    vi.advanceTimersByTime(5_000);
    expect(said).toEqual([
      'no instance could be reached (mastodon.social, chaos.social): is this machine offline? To see the map with a local fediverse instead, run `npm run demo`.',
    ]);
  });

  it('stays silent for good once any instance has answered', () => {
    vi.useFakeTimers();
    let sources = [source('https://a.example', { lastSuccessAt: new Date().toISOString() })];
    const said: string[] = [];
    watchForNoNetwork(
      () => sources,
      (m) => said.push(m),
      1_000,
    );
    vi.advanceTimersByTime(1_500);
    sources = [source('https://a.example')];
    vi.advanceTimersByTime(10_000);
    expect(said).toEqual([]);
  });
});
