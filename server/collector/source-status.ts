import type { SourceStatus } from '../../shared/types.js';

/** The status of a source before its first request. */
export function initialSourceStatus(
  instance: string,
  tag: string,
  mode: SourceStatus['mode'],
): SourceStatus {
  return {
    instance,
    tag,
    state: 'starting',
    lastSuccessAt: null,
    lastError: null,
    lastErrorAt: null,
    postsSeen: 0,
    rateLimitRemaining: null,
    mode,
    nextAttemptAt: null,
    backfill: null,
    needs: [],
  };
}
