import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBalancer, type Balancer } from '../helpers/balancer.js';
import { resumingClient } from './resuming-client.js';
import { severalServers } from './world.js';

// nginx in front of two serve-only processes, a third collecting: a client whose server dies
// reconnects through nginx to the other one and, resuming from its Last-Event-ID, misses nothing.

const world = severalServers({ web1: 'serve', web2: 'serve', worker: 'collect' });
let balancer: Balancer;

beforeAll(async () => {
  const port = (name: string) => Number(new URL(world.member(name).url).port);
  balancer = await startBalancer({ upstreams: [port('web1'), port('web2')] });
}, 30_000);
afterAll(async () => {
  await balancer?.stop();
});

const acctOf = (data: string) =>
  (JSON.parse(data) as { properties: { acct: string } }).properties.acct;

describe('several servers behind nginx', () => {
  it('a client whose server dies reconnects through the balancer and misses no event', async () => {
    await world.collector();
    // Waits 3 s before reconnecting, as the server's `retry:` tells browsers to.
    const client = resumingClient(`${balancer.url}/api/campaigns/yourturn/events`, 3000);
    await expect.poll(() => client.events.some((e) => e.event === 'stats')).toBe(true);
    const before = [world.post('ana'), world.post('ben', 'Lima')];
    await expect
      .poll(() => client.events.filter((e) => e.event === 'contributor').length, {
        timeout: 10_000,
      })
      .toBe(before.length);

    // Kill the server this client streams from; post while it is down and after.
    const upstream = client.upstreams.at(-1)!;
    const victim = ['web1', 'web2']
      .map((name) => world.member(name))
      .find((m) => new URL(m.url).host === upstream)!;
    expect(victim).toBeDefined();
    await victim.process.kill();
    const after = [
      world.post('cai', 'Osaka'),
      world.post('dee', 'Quito'),
      world.post('eli', 'Accra'),
    ];

    const everyone = [...before, ...after];
    const heard = () =>
      client.events.filter((e) => e.event === 'contributor').map((e) => acctOf(e.data));
    await expect
      .poll(() => everyone.filter((a) => heard().includes(a)).length, { timeout: 15_000 })
      .toBe(everyone.length);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a second copy to show
    // Reconnected to the other server, and heard every event of the log exactly once, in order.
    expect(client.connections()).toBeGreaterThanOrEqual(2);
    expect(client.upstreams.at(-1)).not.toBe(upstream);
    const ids = client.events.filter((e) => e.event !== 'stats').map((e) => Number(e.id));
    expect(ids).toEqual(world.events().map((e) => e.id));
    expect(heard().sort()).toEqual(everyone.sort());
    await client.close();
  }, 60_000);
});
