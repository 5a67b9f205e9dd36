import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import { createCollector, type CollectorOptions } from '../../server/collector/collector.js';
import { openGazetteer } from '../../server/geo/gazetteer.js';
import { createLocator } from '../../server/geo/locator.js';
import type { Locator } from '../../server/geo/types.js';
import { createHub } from '../../server/hub.js';
import { openTestDb } from './test-db.js';
import { createSourcePostQueries } from '../../server/store/source-posts.js';
import { createConsentStore } from '../../server/store/consent-store.js';
import { createStore, type StoredEvent } from '../../server/store/store.js';
import {
  startMastodonInstance,
  testHomes,
  type MastodonInstance,
  type MastodonInstanceOptions,
} from './mastodon-instance.js';

let sharedLocator: Locator | null = null;
/** The real offline locator, loaded once per test file. */
export function locator(): Locator {
  sharedLocator ??= createLocator(openGazetteer());
  return sharedLocator;
}

/** Log lines as a person would read them, for asserting on what the collector says. */
export function captureLog() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

/** A collector on a real SQLite file, with everything it publishes recorded. */
export function createHarness(
  options: Partial<CollectorOptions> & Pick<CollectorOptions, 'instances'>,
  dbPath?: string,
) {
  const dir = mkdtempSync(join(tmpdir(), 'fto-collector-'));
  const path = dbPath ?? join(dir, 'collector.db');
  const db = openTestDb(path);
  const store = createStore(db);
  const tags = options.tags ?? ['yourturn'];
  store.ensureCampaigns(tags);
  const hub = createHub(store);
  const published: StoredEvent[] = [];
  for (const tag of tags) hub.subscribe(tag, (e) => published.push(e));
  const { log, lines } = captureLog();
  const collector = createCollector({
    store,
    locator: locator(),
    log,
    tags,
    userAgent: 'FindTheOthers-test/1.0',
    pollIntervalMs: 40,
    random: () => 0.5,
    sourcePosts: createSourcePostQueries(db),
    consentStore: createConsentStore(db),
    ...options,
    // The delete re-check makes requests of its own: off unless a test asks for it.
    tuning: { recheckIntervalMs: 0, ...options.tuning },
    // Every open test instance is the home of its domains (tests/helpers/mastodon-instance.ts).
    resolve: { ...testHomes(), ...options.resolve },
    // Consent is asked for real; only the pace is a test's (none, not 2 s, between requests to one home).
    consentTuning: { paceMs: 0, minBackoffMs: 200, maxBackoffMs: 2_000, ...options.consentTuning },
  });
  return {
    db,
    store,
    collector,
    published,
    lines,
    path,
    async close() {
      await collector.stop();
      db.close();
      if (!dbPath) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Test Mastodon instances (rate limits off unless asked) and collector harnesses, all closed
 * after each test, harnesses before the instances they read. Call once at the top of a test file.
 */
export function collectorFixtures() {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  return {
    async instance(options: MastodonInstanceOptions = {}): Promise<MastodonInstance> {
      const i = await startMastodonInstance({ rateLimit: false, ...options });
      open.push(i);
      return i;
    },
    harness(...args: Parameters<typeof createHarness>) {
      const h = createHarness(...args);
      open.unshift(h);
      return h;
    },
    /** Close anything else (a fake relay, a server) after the test. */
    closeAfter(resource: { close(): Promise<void> }): void {
      open.push(resource);
    },
  };
}
