import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backfillCursor, dbSnapshot } from '../helpers/server-process.js';
import { slowBackfillWorld } from '../helpers/slow-backfill.js';

// Slow pages, so there is a "mid-backfill" to kill the process in.
const { dir, instance, serve } = slowBackfillWorld({
  name: 'kill',
  posts: 480,
  accounts: 150,
  delayMs: 120,
  pollIntervalMs: 200,
  setupTimeoutMs: 120_000,
});

const cursor = backfillCursor;

describe('collector: kill and restart', () => {
  it('loses nothing and duplicates nothing when the process is SIGKILLed mid-backfill', async () => {
    const clean = join(dir, 'clean.db');
    const uninterrupted = serve(clean);
    await expect.poll(() => cursor(clean)?.backfill_done, { timeout: 60_000 }).toBe(1);
    await uninterrupted.stop();

    const killed = join(dir, 'killed.db');
    const first = serve(killed);
    await expect
      .poll(() => cursor(killed)?.backfill_count ?? 0, { timeout: 60_000, interval: 20 })
      .toBeGreaterThanOrEqual(120);
    await first.kill();
    expect(cursor(killed)!.backfill_done).toBe(0);
    const before = instance().requestLog.length;

    const second = serve(killed);
    await expect.poll(() => cursor(killed)?.backfill_done, { timeout: 60_000 }).toBe(1);
    await second.stop();

    // The restart went on from its saved cursor rather than reading the newest pages again.
    const firstPageAgain = instance()
      .requestLog.slice(before)
      .filter(
        (r) => r.path.startsWith('/api/v1/timelines/tag/') && !r.query.max_id && !r.query.min_id,
      );
    expect(firstPageAgain).toEqual([]);
    const after = dbSnapshot(killed);
    expect(after.duplicates).toBe(0);
    expect(after.posts).toHaveLength(480);
    expect(after).toEqual(dbSnapshot(clean));
  }, 180_000);
});
