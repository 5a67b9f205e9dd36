import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPrng } from '../../server/demo/prng.js';
import {
  backfillCursor,
  dbSnapshot,
  queryDb,
  type ServerProcess,
} from '../helpers/server-process.js';
import { backfillCities, slowBackfillWorld } from '../helpers/slow-backfill.js';

// Several SIGKILLs at random moments, during backfill and during live collection, against an
// uninterrupted server following the same instance at the same time. FTO_SEED repeats a run.
const seed = Number(process.env.FTO_SEED ?? Date.now() % 2 ** 31);
const backfillPosts = 720;
// Slow pages, so a backfill lasts long enough to be killed in more than once.
const { dir, instance, serve } = slowBackfillWorld({
  name: 'kill-random',
  posts: backfillPosts,
  accounts: 200,
  delayMs: 60,
  pollIntervalMs: 100,
});

const cursor = backfillCursor;
const postCount = (db: string) =>
  queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM posts')[0]?.n ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('kill -9 at random moments', () => {
  it('ends with the same posts and pins as an uninterrupted run, with no duplicates', async () => {
    console.log(`kill test seed ${seed} (FTO_SEED=${seed} repeats this run)`);
    const prng = createPrng(seed);
    const kills: string[] = [];
    const clean = join(dir, 'clean.db');
    const killed = join(dir, 'killed.db');
    const uninterrupted = serve(clean);
    let victim: ServerProcess = serve(killed);

    // Backfill: kill after a random number of pages, a random few milliseconds into the next one.
    let pages = 0;
    for (let k = 0; k < 3; k++) {
      pages += 1 + prng.int(5);
      const atLeast = pages * 40;
      await expect
        .poll(() => cursor(killed)?.backfill_count ?? 0, { timeout: 30_000, interval: 10 })
        .toBeGreaterThanOrEqual(atLeast);
      const wait = prng.int(60);
      await sleep(wait);
      const at = cursor(killed)!;
      await victim.kill();
      kills.push(
        `backfill: ${at.backfill_count} read${at.backfill_done ? ' (done)' : ''}, +${wait} ms`,
      );
      victim = serve(killed);
    }

    // Live collection: posts keep arriving (some from people already on the map, who move) while
    // the server is killed a random while after each restart.
    await expect.poll(() => cursor(killed)?.backfill_done, { timeout: 30_000 }).toBe(1);
    let live = 0;
    let posting = true;
    const poster = (async () => {
      while (posting) {
        const who = prng.chance(0.3) ? `u${prng.int(200)}` : `new${live}`;
        instance().post({
          account: { username: who },
          text: `#YourTurn ${prng.pick(backfillCities)}`,
        });
        live++;
        await sleep(15 + prng.int(30));
      }
    })();
    for (let k = 0; k < 3; k++) {
      await victim.url;
      const wait = 100 + prng.int(600);
      await sleep(wait);
      await victim.kill();
      kills.push(`live: ${live} posted, ${postCount(killed)} stored, ${wait} ms after start`);
      victim = serve(killed);
    }
    posting = false;
    await poster;
    console.log(`killed ${kills.length} times:\n  ${kills.join('\n  ')}`);

    const total = backfillPosts + live;
    for (const db of [clean, killed])
      await expect.poll(() => postCount(db), { timeout: 30_000 }).toBe(total);
    await victim.stop();
    await uninterrupted.stop();
    const after = dbSnapshot(killed);
    expect(after.duplicates).toBe(0);
    expect(after.posts).toHaveLength(total);
    expect(after).toEqual(dbSnapshot(clean));
    expect(cursor(killed)!.backfill_done).toBe(1);
  }, 120_000);
});
