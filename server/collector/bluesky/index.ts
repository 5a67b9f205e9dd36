import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Locator } from '../../geo/types.js';
import type { ConsentStore } from '../../store/consent-store.js';
import type { IngestItem, Store } from '../../store/store.js';
import type { HostResolver } from '../host-resolver.js';
import { createPipeline, type PipelineOptions } from '../pipeline.js';
import { createAppViewClient } from './appview.js';
import { toPostAccount, type KnownProfile } from './jetstream-event.js';
import {
  createJetstreamSource,
  jetstreamSource,
  type JetstreamTuning,
} from './jetstream-source.js';
import { createBlueskyProfiles, type BlueskyProfileTuning } from './profiles.js';
import { runSearchBackfill, searchSource } from './search-backfill.js';

export { jetstreamSource };

export interface BlueskyOptions {
  /** Jetstream subscribe URLs, in order of preference. */
  jetstreams: string[];
  /** AppView origins for profiles and labels. */
  appViews: string[];
  tags: string[];
  userAgent: string;
  store: Store;
  consentStore: ConsentStore;
  resolver: HostResolver;
  locator: Locator;
  log: Logger;
  clock: Clock;
  fetch?: typeof fetch;
  onUnplaced?: PipelineOptions['onUnplaced'];
  jetstreamTuning?: Partial<JetstreamTuning>;
  profileTuning?: Partial<BlueskyProfileTuning>;
  appViewTimeoutMs?: number;
  /** A login for searchPosts (backfill); without one, Bluesky starts from now. Never logged. */
  login?: { identifier: string; appPassword: string } | null;
  /** Where to log in and search (the account's PDS). */
  pds?: string;
  /** First-start horizon of the search backfill, per tag. */
  backfill?: { posts: number; days: number };
}

/**
 * Bluesky, the second network: Jetstream for posts, the AppView for profiles and consent, into the
 * same pipeline and store as the fediverse. A Bluesky author's `acct` is their DID.
 */
export function createBluesky(options: BlueskyOptions) {
  const { store, consentStore: consent, clock } = options;
  const log = options.log.child({ network: 'bluesky' });

  /** The AppView vouched for the author: their waiting posts go on the map, with its profile. */
  function release(did: string, profile: KnownProfile): void {
    // The handle first: under a blocked domain, the person leaves the map and their posts are not kept.
    store.setBlueskyHandle(did, profile.handle);
    // Someone already on the map keeps their name and avatar up to date at each re-read.
    const account = toPostAccount(did, profile);
    store.refreshAccount(did, account);
    let items: IngestItem[] = [];
    store.atomically(() => {
      items = consent.takePending(did).map((item) => ({
        ...item,
        post: { ...item.post, account: toPostAccount(did, profile) },
        authoritative: true,
      }));
      return items.length ? store.ingest(items) : [];
    });
    if (options.onUnplaced)
      for (const item of items)
        if (!item.located)
          options.onUnplaced(item.post.uri, {
            html: item.post.rawContent,
            tags: item.post.tags,
            language: item.post.language,
            profileLocation: null,
            campaignTags: options.tags,
          });
  }

  const profiles = createBlueskyProfiles({
    appView: createAppViewClient({
      urls: options.appViews,
      userAgent: options.userAgent,
      timeoutMs: options.appViewTimeoutMs ?? 15_000,
      fetch: options.fetch,
    }),
    consent,
    dids: store.blueskyConsent,
    log,
    clock,
    tuning: options.profileTuning,
    onKnown: (did, profile) => release(did, profile),
    onRefused: (did, reason) => {
      log.info(`Bluesky: ${did} is not shown (${reason})`);
      pipeline.refuse(did);
    },
  });

  const pipeline = createPipeline({
    store,
    locator: options.locator,
    log,
    tags: options.tags,
    strictConsent: false,
    clock,
    onUnplaced: options.onUnplaced,
    consent: {
      store: consent,
      resolver: options.resolver,
      recordHomeCopy: () => {},
      ask: (did) => profiles.ask(did),
    },
  });

  const source = createJetstreamSource({
    urls: options.jetstreams,
    tags: options.tags,
    userAgent: options.userAgent,
    store,
    consent,
    locator: options.locator,
    pipeline,
    profiles,
    log,
    clock,
    tuning: options.jetstreamTuning,
  });

  async function backfill(signal: AbortSignal): Promise<void> {
    if (!options.login) {
      const why =
        'a Bluesky app password (--bluesky-identifier, --bluesky-app-password) to search back: Bluesky starts from now';
      log.info(`Bluesky starts from now: no app password given, so no search backfill`);
      source.annotate({ needs: [why] });
      return;
    }
    const horizon = options.backfill ?? { posts: 2000, days: 365 };
    try {
      await runSearchBackfill(
        {
          pds: options.pds ?? 'https://bsky.social',
          login: options.login,
          tags: options.tags,
          userAgent: options.userAgent,
          store,
          log,
          clock,
          fetch: options.fetch,
          backfill: horizon,
          onPost: (event) => source.backfillPost(event),
          save: (c) =>
            source.saveBackfill({
              source: searchSource,
              tag: c.tag,
              newestId: null,
              oldestId: c.oldestId,
              backfillCount: c.count,
              backfillDone: c.done,
            }),
          onProgress: (_tag, read, oldest) =>
            source.annotate({
              backfill: {
                postsRead: read,
                targetPosts: horizon.posts,
                horizon: new Date(clock.now() - horizon.days * 86_400_000).toISOString(),
                oldestReached: oldest,
                etaSeconds: null,
              },
            }),
        },
        signal,
      );
      source.annotate({ backfill: null });
    } catch (err) {
      if (signal.aborted) return;
      // The message names the PDS and the HTTP status, never the password.
      log.warn(`Bluesky search backfill failed (${(err as Error).message}): starting from now`);
      source.annotate({
        needs: [`a working Bluesky login to search back: ${(err as Error).message}`],
      });
    }
  }

  return {
    source,
    profiles,
    /** Run Jetstream, the profile look-ups and the search backfill until `signal` aborts. */
    async run(signal: AbortSignal): Promise<void> {
      await Promise.all([source.run(signal), profiles.run(signal), backfill(signal)]);
    },
    status: () => source.status(),
  };
}

export type Bluesky = ReturnType<typeof createBluesky>;
