import type { BackfillProgress, SourceStatus } from '../../shared/types.js';
import { createSeenCounter } from './seen-counter.js';
import { initialSourceStatus } from './source-status.js';

type Resumable = Pick<SourceStatus, 'state' | 'nextAttemptAt'>;

export type SourceStatuses = ReturnType<typeof createSourceStatuses>;

/**
 * The status of one instance's sources (one per campaign tag), changed here and nowhere else:
 * every change is a named transition. A tag that needs a token keeps saying so through budget
 * waits, stream changes and other errors, until it is read again.
 */
export function createSourceStatuses(origin: string, tags: readonly string[]) {
  const statuses = new Map<string, SourceStatus>(
    tags.map((tag) => [tag, { ...initialSourceStatus(origin, tag, 'poll'), streamRetryAt: null }]),
  );
  /** While waiting for the budget: the state and next attempt to show again afterwards. */
  const beforeBudgetWait = new Map<string, Resumable>();
  const seen = createSeenCounter();
  const of = (tag: string) => statuses.get(tag)!;
  const readable = () => [...statuses.values()].filter((s) => s.state !== 'needs-token');
  const iso = (ms: number) => new Date(ms).toISOString();

  return {
    /** A copy of every tag's status, with what the server says it needs. */
    snapshot(needs: string[]): SourceStatus[] {
      return [...statuses.values()].map((s) => ({ ...s, needs }));
    },

    needsToken(tag: string): boolean {
      return of(tag).state === 'needs-token';
    },

    /** Count the posts of a read or a stream event; a post seen before counts once. */
    saw(tag: string, posts: readonly { uri: string }[]): void {
      of(tag).postsSeen += seen.add(
        tag,
        posts.map((p) => p.uri),
      );
    },

    /** A request for `tag` was answered. */
    succeeded(tag: string, now: number, streaming: boolean, rateLimitRemaining: number | null) {
      Object.assign(of(tag), {
        state: streaming ? 'streaming' : 'polling',
        mode: streaming ? 'stream' : 'poll',
        lastSuccessAt: iso(now),
        rateLimitRemaining,
        nextAttemptAt: null,
      });
    },

    /** The stream delivered a post for `tag`. */
    streamed(tag: string, now: number): void {
      of(tag).lastSuccessAt = iso(now);
    },

    /** The tag's feed answered 401/403: it is not read again before `retryAt`. */
    needToken(tag: string, httpStatus: number, now: number, retryAt: number): void {
      Object.assign(of(tag), {
        state: 'needs-token',
        lastError: `needs an access token (HTTP ${httpStatus})`,
        lastErrorAt: iso(now),
        nextAttemptAt: iso(retryAt),
      });
    },

    /** A request failed: every readable tag backs off (or is in error) until `retryAt`. */
    failed(kind: 'error' | 'backing-off', message: string, now: number, retryAt: number): void {
      for (const s of readable())
        Object.assign(s, {
          state: kind,
          lastError: message,
          lastErrorAt: iso(now),
          nextAttemptAt: iso(retryAt),
        });
    },

    /** The request budget is used up until `until` (ms). */
    waitForBudget(until: number): void {
      for (const s of readable()) {
        if (s.state !== 'waiting-for-budget')
          beforeBudgetWait.set(s.tag, { state: s.state, nextAttemptAt: s.nextAttemptAt });
        Object.assign(s, { state: 'waiting-for-budget', nextAttemptAt: iso(until) });
      }
    },

    /** The budget wait is over: show again what was shown before it. */
    budgetWaitOver(): void {
      for (const s of statuses.values()) {
        const before = beforeBudgetWait.get(s.tag);
        if (s.state === 'waiting-for-budget' && before) Object.assign(s, before);
      }
      beforeBudgetWait.clear();
    },

    /** The stream opened: the tags in `live` read from it now. */
    streamOpened(live: (tag: string) => boolean): void {
      for (const s of readable())
        if (live(s.tag)) Object.assign(s, { state: 'streaming', mode: 'stream' });
    },

    /** The stream closed: the tags that streamed are polled. */
    streamClosed(): void {
      for (const s of readable())
        if (s.state === 'streaming') Object.assign(s, { state: 'polling', mode: 'poll' });
    },

    /** The tag's stream, on probation after being silent, delivers again. */
    streamTrusted(tag: string): void {
      Object.assign(of(tag), { state: 'streaming', mode: 'stream' });
    },

    /** When the tag's stream is tried again (ms), or null when it is not off. */
    streamRetry(tag: string, at: number | null): void {
      of(tag).streamRetryAt = at === null ? null : iso(at);
    },

    /** First-start backfill progress; null once it is done. */
    backfill(tag: string, progress: BackfillProgress | null): void {
      of(tag).backfill = progress;
    },
  };
}
