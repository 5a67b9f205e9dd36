import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppDeps } from '../../server/app.js';
import type { Locator } from '../../server/geo/types.js';
import { createHub, type Hub, type Listener } from '../../server/hub.js';
import { type Db } from '../../server/store/db.js';
import { openTestDb } from '../helpers/test-db.js';
import { createStore, type Store, type StoreOptions } from '../../server/store/store.js';
import { createAuditLog } from '../../server/store/audit.js';
import { createTeamStore } from '../../server/store/team.js';
import { createQueue } from '../../server/store/queue.js';
import type { Place } from '../../shared/types.js';
import { account, located, places, post } from '../helpers/posts.js';

/** A locator over the test places: finds a place when the text names it. */
export const fakeLocator: Locator = {
  locate: ({ text }) => {
    const p = Object.values(places).find((pl) => text?.includes(pl.name));
    return p ? located(p) : null;
  },
  placeById: (id) => Object.values(places).find((p) => p.id === id) ?? null,
};

/** A real SQLite file, a store, a hub and createApp with test-friendly options (no debounce, no caches). */
export function apiFixture(overrides: Partial<AppDeps> = {}, storeOptions: StoreOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fto-api-'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>Find the Others</title><meta name="description" content="x" /></head><body><find-the-others></find-the-others></body></html>',
  );
  const db: Db = openTestDb(join(dir, 'api.db'));
  const store: Store = createStore(db, storeOptions);
  store.ensureCampaigns(['yourturn']);
  const hub: Hub = createHub(store);
  const app = createApp({
    store,
    hub,
    tags: ['yourturn'],
    tileUrl: null,
    tileAttribution: '',
    sourceStatus: () => [],
    log: { error: () => {} },
    clientDir: dir,
    sse: { heartbeatMs: 50 },
    locator: fakeLocator,
    rateLimit: null,
    cityIndex: { staleMs: 0 },
    summaryTtlMs: 0,
    statsIntervalMs: 20,
    team: {
      team: createTeamStore(db),
      audit: createAuditLog(db),
      queue: createQueue(db),
      signInLimit: { perSecond: 1000, burst: 1000 },
      reportLimit: { perSecond: 1000, burst: 1000 },
    },
    ...overrides,
  });
  let n = 0;
  /** Put `acct` on the map in `place` (the store publishes the events on the hub). */
  const join_ = (acct: string, place: Place, extra: Partial<Parameters<typeof post>[0]> = {}) => {
    n++;
    const events = store.ingest([
      {
        post: post({
          uri: `https://${acct.split('@')[1]}/users/${acct.split('@')[0]}/statuses/${n}`,
          account: account({ acct, displayName: acct.split('@')[0]! }),
          ...extra,
        }),
        located: located(place),
        source: 'https://a.example',
        campaignTags: ['yourturn'],
      },
    ]);
    return events;
  };
  return {
    dir,
    db,
    store,
    hub,
    app,
    join: join_,
    /**
     * Write down each event the hub publishes for #yourturn, as `describe` puts it (an event it
     * answers null for is left out); returns the list it fills.
     */
    published(describe: (event: Parameters<Listener>[0]) => string | null): string[] {
      const seen: string[] = [];
      hub.subscribe('yourturn', (e) => {
        const line = describe(e);
        if (line !== null) seen.push(line);
      });
      return seen;
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
