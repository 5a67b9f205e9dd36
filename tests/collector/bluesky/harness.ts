import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBluesky, type BlueskyOptions } from '../../../server/collector/bluesky/index.js';
import { createHostResolver } from '../../../server/collector/host-resolver.js';
import { systemClock } from '../../../server/clock.js';
import { startAppViewDouble } from '../../../server/demo/bluesky/appview-double.js';
import { startJetstreamDouble } from '../../../server/demo/bluesky/jetstream-double.js';
import { openTestDb } from '../../helpers/test-db.js';
import { createStore } from '../../../server/store/store.js';
import { expect } from 'vitest';
import { captureLog, locator } from '../../helpers/collector-harness.js';

// Bluesky's collector on a real SQLite file, reading a Jetstream and an AppView double on
// 127.0.0.1; everything opened here is closed by closeBluesky() (call it after each test).

const open: { close(): Promise<void> }[] = [];

/** A Jetstream double and an AppView double, closed with the rest. */
export async function blueskyDoubles() {
  const jetstream = await startJetstreamDouble();
  const appView = await startAppViewDouble();
  open.push(jetstream, appView);
  return { jetstream, appView };
}

/** One more Jetstream double (a second URL to fail over to), closed with the rest. */
export async function anotherJetstream() {
  const jetstream = await startJetstreamDouble();
  open.push(jetstream);
  return jetstream;
}

export interface FollowOptions extends Partial<BlueskyOptions> {
  /** Keep the database here (and leave it), e.g. to restart on it; else a temp folder, removed. */
  dir?: string;
  /** How long a profile read stays good (ms). */
  ttlMs?: number;
}

/** Starts Bluesky's collector on #yourturn with fast test timings; `options` win. */
export function followBluesky(options: FollowOptions = {}) {
  const { dir: given, ttlMs, ...rest } = options;
  const dir = given ?? mkdtempSync(join(tmpdir(), 'fto-bsky-'));
  const db = openTestDb(join(dir, 'bluesky.db'));
  const store = createStore(db);
  store.ensureCampaigns(['yourturn']);
  const { log, lines } = captureLog();
  const bluesky = createBluesky({
    jetstreams: [],
    appViews: [],
    tags: ['yourturn'],
    userAgent: 'FindTheOthers-test/1.0',
    store,
    consentStore: store.consent,
    resolver: createHostResolver(),
    locator: locator(),
    log,
    clock: systemClock,
    jetstreamTuning: { flushMs: 30, minBackoffMs: 50, maxBackoffMs: 200 },
    profileTuning: { paceMs: 10, minBackoffMs: 50, maxBackoffMs: 200, ttlMs },
    ...rest,
  });
  const abort = new AbortController();
  const running = bluesky.run(abort.signal);
  let closed = false;
  const handle = {
    db,
    store,
    bluesky,
    lines,
    dir,
    /** Who is on the map: DID → city. */
    people: () =>
      Object.fromEntries(
        store
          .contributors('yourturn')
          .features.map((f) => [f.properties.acct, f.properties.place.name]),
      ),
    async close() {
      if (closed) return;
      closed = true;
      const at = open.indexOf(handle);
      if (at >= 0) open.splice(at, 1);
      abort.abort();
      await running;
      db.close();
      if (!given) rmSync(dir, { recursive: true, force: true });
    },
  };
  open.push(handle);
  return handle;
}

/** Closes every collector and double still open, newest first. */
export async function closeBluesky(): Promise<void> {
  while (open.length) await open.pop()!.close();
}

/**
 * Waits until the map shows exactly `people` (DID → city). The ceiling is long because CI runs
 * PostgreSQL, Chromium and two test files at once on two cores (10 s was once too short there);
 * a failure quotes the collector's log and status, so a slow run can be told from a lost post.
 */
export async function untilPeople(
  b: ReturnType<typeof followBluesky>,
  people: Record<string, string>,
  timeout = 25_000,
): Promise<void> {
  try {
    await expect.poll(() => b.people(), { timeout }).toEqual(people);
  } catch (err) {
    const status = JSON.stringify(b.bluesky.status());
    throw new Error(
      `${(err as Error).message}\nstatus: ${status}\nlog:\n${b.lines.map((l) => l.msg).join('\n')}`,
    );
  }
}
