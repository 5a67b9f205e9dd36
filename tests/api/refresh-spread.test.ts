import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReactiveControllerHost } from 'lit';
import { ViewController } from '../../client/controllers/view-controller.js';
import { refreshSpreadMs } from '../../server/api/stats-publisher.js';
import { places } from '../helpers/posts.js';
import { listen, type Listening } from '../helpers/listen.js';
import { readSse } from '../helpers/sse.js';
import { apiFixture } from './fixture.js';

// Every open map refetches its view after a change; with thousands open, the server asks them to
// spread those refetches out instead of all asking in the same second.

describe('the refetch spread the server advertises', () => {
  it('is nothing for a few hundred viewers and grows with more, up to 30 s', () => {
    expect([0, 1, 200, 499].map(refreshSpreadMs)).toEqual([0, 0, 0, 0]);
    expect(refreshSpreadMs(500)).toBe(1000);
    expect(refreshSpreadMs(5000)).toBe(10_000);
    expect(refreshSpreadMs(1_000_000)).toBe(30_000);
    // At most ~500 refetches a second, whatever the number of viewers below the cap.
    for (const viewers of [600, 2000, 5000, 15_000]) {
      expect(viewers / (refreshSpreadMs(viewers) / 1000)).toBeCloseTo(500, 0);
    }
  });

  describe('on the live stream', () => {
    let f: ReturnType<typeof apiFixture>;
    let server: Listening;
    let url: string;
    beforeAll(async () => {
      f = apiFixture();
      f.join('ada@a.example', places.lagos);
      server = await listen(f.app);
      url = `${server.url}/api/campaigns/yourturn/events`;
    });
    afterAll(async () => {
      await server.close();
      f.close();
    });

    it('is sent with the stats, from how many clients follow the campaign', async () => {
      const alone = await readSse(url);
      try {
        const stats = JSON.parse((await alone.next((e) => e.event === 'stats')).data);
        expect(stats).toMatchObject({ contributors: 1, refreshSpreadMs: 0 });
      } finally {
        alone.close();
      }
      // 5,000 more listeners on the hub, as 5,000 open maps would be.
      const off = Array.from({ length: 5000 }, () => f.hub.subscribe('yourturn', () => {}));
      const crowded = await readSse(url);
      try {
        const stats = JSON.parse((await crowded.next((e) => e.event === 'stats')).data);
        expect(stats.refreshSpreadMs).toBe(refreshSpreadMs(5001));
        expect(stats.refreshSpreadMs).toBeGreaterThan(9000);
      } finally {
        crowded.close();
        off.forEach((unsubscribe) => unsubscribe());
      }
    });
  });
});

describe('a map told to spread its refetches', () => {
  it('waits its usual delay plus a random share of the spread, and asks once for a burst', async () => {
    vi.useFakeTimers();
    try {
      const host = { addController() {}, requestUpdate() {} } as unknown as ReactiveControllerHost;
      const view = new ViewController(host, { lazyMs: 1000 });
      const load = vi.fn(async () => []);
      view.use(load);
      view.setView({ bbox: [-180, -85, 180, 85], zoom: 2 });
      await vi.advanceTimersByTimeAsync(0);
      expect(load).toHaveBeenCalledTimes(1);

      view.spreadMs = 10_000;
      vi.spyOn(Math, 'random').mockReturnValue(0.5);
      for (let i = 0; i < 20; i++) view.refreshLater();
      await vi.advanceTimersByTimeAsync(5999);
      expect(load).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(load).toHaveBeenCalledTimes(2);
    } finally {
      vi.restoreAllMocks();
      vi.useRealTimers();
    }
  });
});
