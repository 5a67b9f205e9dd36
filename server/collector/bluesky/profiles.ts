import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { BlueskyConsent } from '../../store/bluesky-consent.js';
import type { ConsentStore } from '../../store/consent-store.js';
import {
  maxActorsPerCall,
  type AppViewClient,
  type AppViewLabel,
  type AppViewProfile,
} from './appview.js';
import { profileUrl, type KnownProfile } from './jetstream-event.js';

export interface BlueskyProfileTuning {
  /** How long a profile (and the consent it gave) is trusted before the AppView is asked again. */
  ttlMs: number;
  /** The least time between two calls to the AppView. */
  paceMs: number;
  /** First wait after a failed call (doubles per failure in a row). */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Profiles kept in memory at most (the oldest go first). */
  cacheSize: number;
  /** A call that goes anyway also re-reads authors due within this long (at most a 12th of ttlMs), so re-reads share calls. */
  reReadAheadMs: number;
}

export const profileDefaults: BlueskyProfileTuning = {
  ttlMs: 6 * 3600_000, // a label added later takes the person off the map within 6 h
  paceMs: 1_000, // one getProfiles call (25 authors) a second at most: polite to a shared public service
  minBackoffMs: 5_000, // an AppView that fails is asked again after 5 s, 10, 20…
  maxBackoffMs: 10 * 60_000, // …at most every 10 min
  cacheSize: 50_000, // about 10 MB of profiles
  reReadAheadMs: 30 * 60_000, // re-reads due one by one went one a call: 25 a call instead, each 0–30 min early
};

/** The Bluesky moderation service, whose labels the public AppView applies by default. */
export const blueskyModerationDid = 'did:plc:ar7c4by46qjdydhdevvrndac';

/**
 * Label values that keep a person off a public page. `!no-unauthenticated` is the author's own
 * "do not show me to logged-out viewers"; the rest are the Bluesky moderation service's hiding and
 * adult or abusive labels (https://docs.bsky.app/docs/advanced-guides/moderation).
 */
export const hidingLabels = new Set([
  '!no-unauthenticated',
  '!hide',
  '!takedown',
  '!suspend',
  '!warn',
  'spam',
  'impersonation',
  'scam',
  'intolerant',
  'threat',
  'extremist',
  'illicit',
  'self-harm',
  'porn',
  'sexual',
  'nudity',
  'graphic-media',
  'gore',
]);

/** Account statuses (Jetstream `account` events) that keep the person off the map. */
export const hidingStatuses = new Set(['takendown', 'suspended', 'deleted', 'deactivated']);

/** Why a profile keeps its person off the map, or null when it may be shown. Pure. */
export function profileRefusal(profile: AppViewProfile): string | null {
  const labels: AppViewLabel[] = Array.isArray(profile.labels) ? profile.labels : [];
  const withdrawn = new Set(labels.filter((l) => l.neg).map((l) => `${l.src} ${l.val}`));
  for (const label of labels) {
    if (label.neg || withdrawn.has(`${label.src} ${label.val}`)) continue;
    if (typeof label.val !== 'string' || !hidingLabels.has(label.val)) continue;
    // The author's own label, or the moderation service's: other labellers are not ours to follow.
    if (label.src === profile.did || label.src === blueskyModerationDid)
      return `label ${label.val}`;
  }
  return null;
}

export interface BlueskyProfilesOptions {
  appView: AppViewClient;
  consent: ConsentStore;
  dids: BlueskyConsent;
  log: Logger;
  clock: Clock;
  tuning?: Partial<BlueskyProfileTuning>;
  /** The AppView vouched for the author: show their waiting posts, with this profile. */
  onKnown(did: string, profile: KnownProfile): void;
  /** The author is not to be shown (a label, gone, taken down): forget them. */
  onRefused(did: string, reason: string): void;
}

/**
 * Consent and profiles for Bluesky authors, from the public AppView: nobody is shown before their
 * profile has been read and carries no hiding label; a later label, or an account taken down,
 * removes them. Look-ups are batched (25 DIDs a call), paced, and re-done after `ttlMs`.
 */
export function createBlueskyProfiles(options: BlueskyProfilesOptions) {
  // An option given as undefined keeps its default.
  const given = Object.entries(options.tuning ?? {}).filter(([, v]) => v !== undefined);
  const tuning: BlueskyProfileTuning = { ...profileDefaults, ...Object.fromEntries(given) };
  const { clock, consent, log } = options;
  const cache = new Map<string, { profile: KnownProfile; at: number }>();
  /** Asked now, ahead of the table's schedule (a post by someone known but not cached). */
  const wanted = new Set<string>();
  let wake: () => void = () => {};
  let failures = 0;
  let calls = 0;
  let lastError: string | null = null;

  function remember(did: string, profile: KnownProfile) {
    cache.delete(did);
    cache.set(did, { profile, at: clock.now() });
    if (cache.size > tuning.cacheSize) cache.delete(cache.keys().next().value!);
  }

  function refuse(did: string, reason: string) {
    const now = clock.now();
    cache.delete(did);
    consent.decide(did, 'refused', reason, now, now + tuning.ttlMs, profileUrl(did));
    options.onRefused(did, reason);
  }

  async function lookUp(dids: string[], signal: AbortSignal) {
    const profiles = await options.appView.getProfiles(dids, signal);
    calls++;
    const byDid = new Map(profiles.map((p) => [p.did, p]));
    const now = clock.now();
    for (const did of dids) {
      wanted.delete(did);
      const p = byDid.get(did);
      // Not returned: taken down, deleted or unknown to the AppView. A blocked handle domain is
      // the store's moderation (onKnown stores the handle), so an unblock brings the person back.
      const reason = !p ? 'not served by the AppView' : profileRefusal(p);
      if (reason) {
        refuse(did, reason);
        continue;
      }
      const profile: KnownProfile = {
        handle: p!.handle,
        displayName: typeof p!.displayName === 'string' ? p!.displayName.trim() : '',
        avatar: typeof p!.avatar === 'string' ? p!.avatar : '',
        description: typeof p!.description === 'string' ? p!.description : '',
      };
      remember(did, profile);
      consent.decide(did, 'known', 'appview', now, now + tuning.ttlMs, profileUrl(did));
      options.onKnown(did, profile);
    }
  }

  /** Make sure the author is looked up soon (at once when new or not cached). */
  function ask(did: string): void {
    consent.ask(did, profileUrl(did), clock.now());
    wanted.add(did);
    wake();
  }

  return {
    /** The author's profile when it was read within the TTL, else null (ask for it). */
    get(did: string): KnownProfile | null {
      const hit = cache.get(did);
      return hit && clock.now() - hit.at < tuning.ttlMs ? hit.profile : null;
    },

    ask,

    /** A handle changed: the cached profile is stale, read it again. */
    identityChanged(did: string): void {
      if (!cache.has(did) && consent.state(did) === null) return;
      cache.delete(did);
      ask(did);
    },

    /** A Jetstream `account` event: gone or taken down means off the map; back means ask again. */
    accountChanged(did: string, active: boolean, status: string | undefined): void {
      if (!active) {
        if (hidingStatuses.has(status ?? '')) refuse(did, `account ${status}`);
        else if (consent.state(did) !== null) refuse(did, `account inactive (${status ?? '?'})`);
      } else if (
        consent.state(did) === 'refused' &&
        consent.get(did)?.reason?.startsWith('account')
      )
        ask(did);
    },

    /** Run until `signal` aborts: look up wanted and due authors, 25 a call, one call per `paceMs`. */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        const now = clock.now();
        const batch = [...wanted].slice(0, maxActorsPerCall);
        // Only when someone is asked for or due now; then the call is filled with those due soon.
        const ahead = Math.floor(Math.min(tuning.reReadAheadMs, tuning.ttlMs / 12)); // whole ms: PostgreSQL keeps bigint
        if (batch.length < maxActorsPerCall && (batch.length || options.dids.due(now, 1).length))
          for (const did of options.dids.due(now + ahead, maxActorsPerCall * 2))
            if (batch.length < maxActorsPerCall && !batch.includes(did)) batch.push(did);
        if (batch.length === 0) {
          const next = options.dids.nextDue();
          const wait =
            next === null ? 60_000 : Math.min(60_000, Math.max(next - now, tuning.paceMs));
          // Woken early, the sleep is cancelled: left running it would hold a timer and a listener on `signal`.
          const idle = new AbortController();
          const stop = () => idle.abort();
          signal.addEventListener('abort', stop, { once: true });
          await new Promise<void>((resolve) => {
            wake = resolve;
            void clock.sleep(wait, idle.signal).then(resolve);
          });
          signal.removeEventListener('abort', stop);
          idle.abort();
          wake = () => {};
          continue;
        }
        try {
          await lookUp(batch, signal);
          failures = 0;
          lastError = null;
          await clock.sleep(tuning.paceMs, signal);
        } catch (err) {
          if (signal.aborted) break;
          failures++;
          lastError = (err as Error).message;
          const delay = Math.min(tuning.maxBackoffMs, tuning.minBackoffMs * 2 ** (failures - 1));
          log.warn(`Bluesky profiles: ${lastError} — retrying in ${Math.round(delay / 1000)} s`);
          await clock.sleep(delay, signal);
        }
      }
    },

    status() {
      return { calls, failures, lastError, cached: cache.size, waiting: wanted.size };
    },
  };
}

export type BlueskyProfiles = ReturnType<typeof createBlueskyProfiles>;
