import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MastodonInstance } from '../helpers/mastodon-instance.js';
import { backfillCursor, dbSnapshot, spawnServe } from '../helpers/server-process.js';
import { startSlowBackfillInstance } from '../helpers/slow-backfill.js';

const dir = mkdtempSync(join(tmpdir(), 'fto-kill-'));
let a: MastodonInstance;

beforeAll(async () => {
  // Slow pages, so there is a "mid-backfill" to kill the process in.
  a = await startSlowBackfillInstance({ posts: 480, accounts: 150, delayMs: 120 });
}, 120_000);

afterAll(async () => {
  await a?.close();
  rmSync(dir, { recursive: true, force: true });
});

const serve = (db: string) =>
  spawnServe([
    ...['--instance', a.url, '--db', db],
    ...['--backfill-posts', '480', '--backfill-days', '3650', '--poll-interval', '200'],
  ]);

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
    const before = a.requestLog.length;

    const second = serve(killed);
    await expect.poll(() => cursor(killed)?.backfill_done, { timeout: 60_000 }).toBe(1);
    await second.stop();

    // The restart went on from its saved cursor rather than reading the newest pages again.
    const firstPageAgain = a.requestLog
      .slice(before)
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
