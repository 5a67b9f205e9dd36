import { describe, expect, it } from 'vitest';
import { dbSnapshot } from '../helpers/server-process.js';
import { readSse, type SseEvent } from '../helpers/sse.js';
import { severalServers } from './world.js';

// Three processes on one SQLite file: `web` serves the map only, `both` serves and competes for
// the collector lease, `worker` only collects. Whoever collects, every map hears of every post.

const world = severalServers({ web: 'serve', both: 'all', worker: 'collect' });

const acctOf = (e: SseEvent) =>
  (JSON.parse(e.data) as { properties: { acct: string } }).properties.acct;
const contributorFor = (acct: string) => (e: SseEvent) =>
  e.event === 'contributor' && acctOf(e) === acct;
const events = (url: string, headers: Record<string, string> = {}) =>
  readSse(`${url}/api/campaigns/yourturn/events`, headers);

describe('several servers on one database', () => {
  it('has exactly one process collecting, and never the serve-only one', async () => {
    const collector = await world.collector();
    expect(['both', 'worker']).toContain(collector.name);
    expect(await world.member('web').health()).toEqual({
      ok: true,
      role: 'serve',
      collecting: false,
    });
    // Its status line names the sources all the same: the collecting process shares them.
    const sources = async () =>
      (
        (await (await fetch(`${world.member('web').url}/api/status`)).json()) as {
          sources: { instance: string; state: string }[];
        }
      ).sources;
    await expect
      .poll(sources, { timeout: 15_000 })
      .toEqual([expect.objectContaining({ instance: world.instance().url, state: 'polling' })]);
    // A collect-only process serves nothing but its health.
    const res = await fetch(`${world.member('worker').url}/api/campaigns/yourturn`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: expect.stringContaining('/healthz alone') });
  });

  it("sends a post collected by another process to the serve-only process's SSE clients", async () => {
    const collector = await world.collector();
    const web = world.member('web');
    const sse = await events(web.url);
    await sse.next((e) => e.event === 'stats');
    const acct = world.post('ada');
    const event = await sse.next(contributorFor(acct), 10_000);
    // The same event, with the same id, as the collecting process logged it.
    const logged = world.events().at(-1)!;
    expect(Number(event.id)).toBe(logged.id);
    expect(collector.name).not.toBe('web');
    sse.close();
  }, 30_000);

  it('replays, on another server, every event a client missed, with Last-Event-ID', async () => {
    const web = world.member('web');
    const first = await events(web.url);
    const acct = world.post('bola', 'Lima');
    const seen = await first.next(contributorFor(acct), 10_000);
    first.close();
    const missed = [world.post('chi', 'Osaka'), world.post('dan', 'Quito'), world.post('eve')];
    await expect
      .poll(() => world.events().filter((e) => e.id > Number(seen.id)).length, { timeout: 10_000 })
      .toBe(missed.length);

    const other = await events(world.member('both').url, { 'Last-Event-ID': seen.id! });
    const replayed = [];
    for (let i = 0; i < missed.length; i++)
      replayed.push(await other.next((e) => e.event !== 'stats'));
    expect(replayed.map((e) => e.event)).toEqual(['contributor', 'contributor', 'contributor']);
    expect(replayed.map(acctOf).sort()).toEqual(missed.sort());
    expect(replayed.map((e) => Number(e.id))).toEqual(
      world
        .events()
        .filter((e) => e.id > Number(seen.id))
        .map((e) => e.id),
    );
    other.close();
  }, 30_000);

  it('hands collection to another process within 30 s of a kill -9, losing and duplicating nothing', async () => {
    const web = world.member('web');
    const sse = await events(web.url);
    await sse.next((e) => e.event === 'stats');
    const before = await world.collector();
    const postsBefore = dbSnapshot(world.db).posts.length;

    await before.process.kill();
    const killedAt = Date.now();
    // Published while nobody collects: the next collector reads them from the saved cursor.
    const during: string[] = [];
    for (let i = 0; i < 6; i++) {
      during.push(world.post(`gap${i}`, ['Accra', 'Hanoi', 'Dakar'][i % 3]));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const after = await world.collector(30_000);
    const handOverMs = Date.now() - killedAt;
    expect(after.name).not.toBe(before.name);
    expect(handOverMs).toBeLessThan(30_000);

    const heard = () => sse.events.filter((e) => e.event === 'contributor').map(acctOf);
    await expect
      .poll(() => during.filter((a) => heard().includes(a)).length, { timeout: 15_000 })
      .toBe(during.length);
    const snapshot = dbSnapshot(world.db);
    expect(snapshot.duplicates).toBe(0);
    expect(snapshot.posts).toHaveLength(postsBefore + during.length);
    // Each person arrived once on the map that stayed up.
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a second copy to show
    expect(during.map((a) => heard().filter((h) => h === a).length)).toEqual(during.map(() => 1));
    console.log(`multi: ${before.name} killed, ${after.name} collecting after ${handOverMs} ms`);
    sse.close();
  }, 90_000);

  it('takes collection from a holder that stalls past its lease, which stops collecting when it wakes', async () => {
    await world.spawn('spare', 'all'); // the kill above left one collecting process: add another
    const web = world.member('web');
    const sse = await events(web.url);
    await sse.next((e) => e.event === 'stats');
    const stalled = await world.collector();
    const postsBefore = dbSnapshot(world.db).posts.length;

    // SIGSTOP: alive (its pid is there) but silent, as a process swapped out or in a long GC.
    stalled.process.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    const during = [world.post('stall0', 'Cusco'), world.post('stall1', 'Nairobi')];
    const other = await world.collector(30_000);
    const handOverMs = Date.now() - stoppedAt;
    expect(other.name).not.toBe(stalled.name);
    // Not before its lease ran out (15 s after its last renewal, at most 5 s before the stop).
    expect(handOverMs).toBeGreaterThanOrEqual(8_000); // 10 s, less a late renewal timer
    expect(handOverMs).toBeLessThan(30_000);

    stalled.process.child.kill('SIGCONT');
    await expect
      .poll(async () => (await stalled.health())?.collecting, { timeout: 10_000 })
      .toBe(false);
    const after = [world.post('stall2', 'Accra')];
    const heard = () => sse.events.filter((e) => e.event === 'contributor').map(acctOf);
    const everyone = [...during, ...after];
    await expect
      .poll(() => everyone.filter((a) => heard().includes(a)).length, { timeout: 15_000 })
      .toBe(everyone.length);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(everyone.map((a) => heard().filter((h) => h === a).length)).toEqual(
      everyone.map(() => 1),
    );
    const snapshot = dbSnapshot(world.db);
    expect(snapshot.duplicates).toBe(0);
    expect(snapshot.posts).toHaveLength(postsBefore + everyone.length);
    console.log(`multi: ${stalled.name} stopped, ${other.name} collecting after ${handOverMs} ms`);
    sse.close();
  }, 90_000);
});
