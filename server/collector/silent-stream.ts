import { doubledWait } from './backoff.js';

/**
 * `live`: the hashtag stream is trusted. `silent`: it delivered nothing while polling found posts
 * (GoToSocial), so the tag is polled until `retryAt`. `probation`: subscribed again, but still
 * polled as before until the stream delivers.
 */
export type SilentStreamState = 'live' | 'silent' | 'probation';

export interface SilentStreamTuning {
  /** A hashtag stream found silent is tried again after this long, doubling while it stays silent… */
  silentStreamRetryMs: number;
  /** …up to this. */
  silentStreamRetryMaxMs: number;
}

export type SilentStream = ReturnType<typeof createSilentStream>;

/** The silent-stream state machine of one tag: live → silent → probation → live (or silent again, waiting twice as long). */
export function createSilentStream(tuning: SilentStreamTuning) {
  let state: SilentStreamState = 'live';
  /** Times in a row the stream was found silent: the wait before the next try doubles with each. */
  let strikes = 0;
  let retryAt = 0;
  /** Stream posts for this tag since the stream (re)connected. */
  let heard = 0;

  return {
    get state(): SilentStreamState {
      return state;
    },
    /** When a silent stream is tried again (ms). */
    get retryAt(): number {
      return retryAt;
    },

    /** Whether a poll may still find the stream silent: subscribed, and nothing heard since connecting. */
    mayBeSilent(): boolean {
      return state !== 'silent' && heard === 0;
    },

    /** The stream (re)connected: count what it delivers from now on. */
    connected(): void {
      heard = 0;
    },

    /** Polling found posts the stream never delivered: poll instead until the returned time, waiting longer each time. */
    foundSilent(now: number): number {
      const wait = doubledWait(tuning.silentStreamRetryMs, tuning.silentStreamRetryMaxMs, strikes);
      state = 'silent';
      strikes++;
      retryAt = now + wait;
      return wait;
    },

    /** Once the wait is over, subscribe again on probation. True when it did. */
    retryIfDue(now: number): boolean {
      if (state !== 'silent' || now < retryAt) return false;
      state = 'probation';
      return true;
    },

    /** The stream delivered a post for this tag. True when that ended a probation (the strikes start over). */
    delivered(): boolean {
      heard++;
      if (state !== 'probation') return false;
      state = 'live';
      strikes = 0;
      return true;
    },
  };
}
