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

  return {
    source,
    profiles,
    /** Run Jetstream and the profile look-ups until `signal` aborts. */
    async run(signal: AbortSignal): Promise<void> {
      await Promise.all([source.run(signal), profiles.run(signal)]);
    },
    status: () => source.status(),
  };
}

export type Bluesky = ReturnType<typeof createBluesky>;
