import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../../bench/fixtures/fanout-world.js';

// The short version of `npm run bench fanout`: correctness, not speed (no timing bound). One
// collecting process and two serving ones on one file; 40 raw SSE clients in two client processes.

let world: World;
beforeAll(async () => {
  world = await startWorld(2, 2);
}, 120_000);
afterAll(() => world?.stop());

describe('SSE fan-out over several serving processes', () => {
  it('delivers a post collected by one process to every client of every serving process, after it was logged', async () => {
    const urls = Array.from(
      { length: 40 },
      (_, i) => `${world.servers[i % 2]!.url}/api/campaigns/yourturn/events`,
    );
    const opened = await Promise.all(
      world.crowds.map((c, n) => c.open(urls.filter((_, i) => i % 2 === n))),
    );
    expect(opened.map((o) => [o.open, o.failed])).toEqual([
      [20, 0],
      [20, 0],
    ]);

    const marker = 'fanouttestx@fanout.example';
    const watches = world.crowds.map((c) => c.watch(marker, 20_000));
    await Promise.all(watches.map((w) => w.armed));
    world.instance.post({ account: { username: 'fanouttestx' }, text: '#YourTurn Lagos' });
    const at = (await Promise.all(watches.map((w) => w.arrived))).flatMap((a) => a.at);

    const loggedAt = world.loggedAt(marker);
    expect(loggedAt).not.toBeNull();
    expect(at).toHaveLength(40);
    // Every client has it (-1 would be a miss), and none before the collector logged it (the ISO
    // time has whole milliseconds, so 1 ms of slack).
    for (const t of at) expect(t).toBeGreaterThanOrEqual(loggedAt! - 1);
  }, 60_000);

  it('does not mistake another post for the one a client waits for', async () => {
    const watches = world.crowds.map((c) => c.watch('nobodyx@fanout.example', 1_500));
    await Promise.all(watches.map((w) => w.armed));
    world.instance.post({ account: { username: 'somebodyx' }, text: '#YourTurn Lima' });
    const at = (await Promise.all(watches.map((w) => w.arrived))).flatMap((a) => a.at);
    expect(at).toEqual(Array.from({ length: 40 }, () => -1));
  }, 30_000);
});
