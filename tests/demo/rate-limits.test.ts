import { afterEach, describe, expect, it } from 'vitest';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';

const open: MastodonInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((instance) => instance.close()));
});

describe('rate limits', () => {
  it('counts down X-RateLimit-Remaining and answers 429 Too many requests with the same headers when over', async () => {
    let clock = Date.UTC(2025, 0, 1, 12, 0, 30);
    const instance = await startMastodonInstance({
      rateLimit: { limit: 3, windowMs: 60_000 },
      now: () => clock,
    });
    open.push(instance);
    const url = `${instance.url}/api/v1/timelines/tag/yourturn`;
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      expect(res.headers.get('x-ratelimit-reset')).toBe('2025-01-01T12:01:00.000000Z');
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const over = await fetch(url);
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({ error: 'Too many requests' });
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(over.headers.get('x-ratelimit-reset')).toBe('2025-01-01T12:01:00.000000Z');

    clock += 30_000;
    const next = await fetch(url);
    expect(next.status).toBe(200);
    expect(next.headers.get('x-ratelimit-remaining')).toBe('2');
  });

  it('keeps paging requests in their own 15-minute bucket beside the 5-minute API bucket', async () => {
    const clock = Date.UTC(2025, 0, 1, 12, 1, 0);
    const instance = await startMastodonInstance({ now: () => clock });
    open.push(instance);
    const plain = await fetch(`${instance.url}/api/v1/timelines/tag/yourturn`);
    expect(plain.headers.get('x-ratelimit-limit')).toBe('300');
    expect(plain.headers.get('x-ratelimit-remaining')).toBe('299');
    expect(plain.headers.get('x-ratelimit-reset')).toBe('2025-01-01T12:05:00.000000Z');
    const paging = await startMastodonInstance({
      now: () => clock,
      rateLimit: { paging: { limit: 2, windowMs: 15 * 60_000 } },
    });
    open.push(paging);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await fetch(`${paging.url}/api/v1/timelines/tag/yourturn?max_id=9`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const notPaging = await fetch(`${paging.url}/api/v1/timelines/tag/yourturn`);
    expect(notPaging.status).toBe(200);
    expect(notPaging.headers.get('x-ratelimit-remaining')).toBe('296');
  });

  it('limits per token instead of per IP when a valid token is sent', async () => {
    const instance = await startMastodonInstance({
      tokens: ['t1'],
      rateLimit: { token: { limit: 1, windowMs: 60_000 }, api: { limit: 5, windowMs: 60_000 } },
    });
    open.push(instance);
    const authed = { headers: { Authorization: 'Bearer t1' } };
    expect((await fetch(`${instance.url}/api/v2/instance`, authed)).status).toBe(200);
    expect((await fetch(`${instance.url}/api/v2/instance`, authed)).status).toBe(429);
    expect((await fetch(`${instance.url}/api/v2/instance`)).status).toBe(200);
  });

  it('can be turned off', async () => {
    const instance = await startMastodonInstance({ rateLimit: false });
    open.push(instance);
    const res = await fetch(`${instance.url}/api/v2/instance`);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
  });
});
