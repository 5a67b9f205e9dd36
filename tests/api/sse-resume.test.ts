import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { places } from '../helpers/posts.js';
import { listen, type Listening } from '../helpers/listen.js';
import { readSse } from '../helpers/sse.js';
import { apiFixture } from './fixture.js';

// A client that reconnects gets exactly what it missed, or one `reset` when the pruned log no
// longer holds it all: never a partial replay that looks complete.

describe('resuming the event stream after the log was pruned', () => {
  let f: ReturnType<typeof apiFixture>;
  let server: Listening;
  let url: string;
  let people = 0;
  const arrive = () => f.join(`p${++people}@a.example`, places.lagos)[0]!;

  beforeAll(async () => {
    f = apiFixture({}, { eventLog: { maxPerCampaign: 3 } });
    server = await listen(f.app);
    url = `${server.url}/api/campaigns/yourturn/events`;
  });
  afterAll(async () => {
    await server.close();
    f.close();
  });

  it('gives a new client its place in the log with the stats it sends on connect', async () => {
    const last = arrive();
    const sse = await readSse(url);
    try {
      const stats = await sse.next((e) => e.event === 'stats');
      expect(stats.id).toBe(String(last.id));
      expect(JSON.parse(stats.data)).toMatchObject({ contributors: people });
    } finally {
      sse.close();
    }
  });

  it('replays what a client missed from that place, even if it saw no event', async () => {
    const first = await readSse(url);
    const position = (await first.next((e) => e.event === 'stats')).id!;
    first.close();
    const missed = [arrive(), arrive()];
    const again = await readSse(url, { 'Last-Event-ID': position });
    try {
      const replayed = [await again.next(), await again.next()];
      expect(replayed.map((e) => [e.event, e.id])).toEqual(
        missed.map((e) => ['contributor', String(e.id)]),
      );
      expect((await again.next()).event).toBe('stats');
    } finally {
      again.close();
    }
  });

  it('sends one reset, not a partial replay, when events it missed were pruned', async () => {
    const seen = arrive();
    for (let i = 0; i < 4; i++) arrive();
    await f.store.eventLog.prune(); // keeps the newest 3: one event after `seen` is gone
    const sse = await readSse(url, { 'Last-Event-ID': String(seen.id) });
    try {
      const reset = await sse.next();
      expect(reset.event).toBe('reset');
      expect(reset.id).toBe(String(f.store.eventLog.newestId()));
      expect((await sse.next()).event).toBe('stats');
      expect(sse.events.filter((e) => e.event === 'contributor')).toEqual([]);
      // From then on it is live as usual.
      // (A live `stats` tick, which carries no id, may come first on a busy machine.)
      const next = arrive(); // the store publishes it on the hub
      expect((await sse.next((e) => e.event === 'contributor')).id).toBe(String(next.id));
    } finally {
      sse.close();
    }
  });

  it('sends reset for an id from another database, and through ?lastEventId= as well', async () => {
    const future = String(f.store.eventLog.newestId() + 100);
    const sse = await readSse(`${url}?lastEventId=${future}`);
    try {
      expect((await sse.next()).event).toBe('reset');
    } finally {
      sse.close();
    }
  });
});
