import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { doubledWait, jitteredBackoff } from './backoff.js';
import { toDurationText } from './duration.js';
import { HttpError, NeedsTokenError } from './errors.js';
import type { Batch, Pipeline } from './pipeline.js';
import { createSilentStream, type SilentStreamTuning } from './silent-stream.js';
import type { SourceStatuses } from './source-statuses.js';
import { openWebSocketStream, type StreamMessage } from './web-socket-stream.js';

/** Knobs of the WebSocket stream; `collector.ts` fills them from its defaults. */
export interface StreamTuning extends SilentStreamTuning {
  minBackoffMs: number;
  maxBackoffMs: number;
  needsTokenRetryMs: number;
  /** A stream with no frame at all (not even a ping) for this long is reconnected. */
  streamSilenceMs: number;
  /** An advertised stream that cannot be opened (snac: none behind it) is off this long, doubling… */
  failedStreamRetryMs: number;
  /** …up to this; polling goes on meanwhile. */
  failedStreamRetryMaxMs: number;
  /** Connection attempts in a row that fail before the stream is switched off for a while. */
  streamConnectTries: number;
  streamConnectTimeoutMs: number;
  /**
   * Mastodon acknowledges no subscription, so the catch-up read after a stream opens waits this
   * long for the subscribe message to have taken effect on the server.
   */
  streamSubscribeSettleMs: number;
}

export interface InstanceStreamOptions {
  origin: string;
  tags: readonly string[];
  /** Bearer token (never logged); without one there is no stream. */
  token: string | null;
  userAgent: string;
  tuning: StreamTuning;
  log: Logger;
  clock: Clock;
  random: () => number;
  pipeline: Pipeline;
  statuses: SourceStatuses;
  /** The instance's LOCAL_DOMAIN, for `user` → `user@domain`. */
  domain(): string;
  /** The streaming URL the instance advertises, once known. */
  streamingUrl(): string | null;
  /**
   * The stream opened (its subscriptions sent) or closed: read every tag from its cursor once the
   * subscriptions have taken effect, or at once on a close, so nothing falls between poll and stream.
   */
  onConnectionChange(open: boolean): void;
}

export type InstanceStream = ReturnType<typeof createInstanceStream>;

/**
 * One instance's WebSocket stream of every campaign tag (https://docs.joinmastodon.org/methods/streaming/):
 * kept open with back-off, switched off for a while when it cannot be opened, and per tag the
 * silent-stream state machine (a tag whose stream is found silent is polled instead).
 */
export function createInstanceStream(options: InstanceStreamOptions) {
  const { origin, tags, clock, tuning, log, pipeline, statuses } = options;
  const silence = new Map(tags.map((tag) => [tag, createSilentStream(tuning)]));
  const silent = (tag: string) => silence.get(tag)!.state === 'silent';
  let stream: { connectedAt: number; close(): void } | null = null;
  let task: Promise<void> | null = null;
  let disabledUntil = 0;
  /** Times in a row the advertised stream could not be opened at all: its off time doubles with each. */
  let strikes = 0;
  /** The open stream is being closed to subscribe again with tags that were silent: reconnect at once. */
  let resubscribe = false;
  const streamedUris = new Set<string>();

  const live = (tag: string) => stream !== null && silence.get(tag)!.state === 'live';

  function onMessage(message: StreamMessage) {
    try {
      if (message.event === 'delete') {
        pipeline.deleteLocal(origin, message.payload);
        return;
      }
      if (message.event !== 'update' && message.event !== 'status.update') return;
      const named = message.stream[0]?.startsWith('hashtag')
        ? message.stream[1]?.toLowerCase()
        : null;
      const tag = named && silence.has(named) ? named : null;
      const batch = pipeline.prepare([JSON.parse(message.payload)], {
        source: origin,
        domain: options.domain(),
        tag,
        isInstance: true,
      });
      pipeline.save(batch);
      if (streamedUris.size > 10_000) streamedUris.clear();
      for (const post of batch.posts) {
        streamedUris.add(post.uri);
        for (const name of tags) {
          if (name !== tag && !post.tags.includes(name)) continue;
          statuses.saw(name, [post]);
          statuses.streamed(name, clock.now());
          if (silence.get(name)!.delivered()) {
            statuses.streamTrusted(name);
            log.info(`the #${name} stream on ${origin} delivers again: streaming #${name}`);
          }
        }
      }
    } catch (err) {
      log.warn(`skipped a stream event from ${origin}: ${(err as Error).message}`);
    }
  }

  function connectionChanged(open: boolean) {
    if (open) statuses.streamOpened(live);
    else statuses.streamClosed();
    for (const s of silence.values()) s.connected();
    options.onConnectionChange(open);
  }

  /** Switch off an advertised stream that cannot be opened, for 15 min doubling to 4 h; polling goes on. */
  function switchOff(why: string) {
    const wait = doubledWait(tuning.failedStreamRetryMs, tuning.failedStreamRetryMaxMs, strikes);
    strikes++;
    disabledUntil = clock.now() + wait;
    for (const tag of tags) if (!silent(tag)) statuses.streamRetry(tag, disabledUntil);
    const line = `${origin} advertises a stream (${options.streamingUrl()}) that cannot be opened (${why}): polling only, trying the stream again in ${toDurationText(wait)}`;
    if (strikes === 1) log.warn(line);
    else log.info(line);
  }

  /** Keep a WebSocket stream open, reconnecting with backoff; returns when streaming is not possible. */
  async function loop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    /** Attempts in a row that never opened; after a strike one more failure is enough. */
    let connectFailures = 0;
    let said = false;
    while (!signal.aborted && clock.now() >= disabledUntil) {
      try {
        const conn = await openWebSocketStream({
          streamingUrl: options.streamingUrl()!,
          token: options.token!,
          userAgent: options.userAgent,
          tags: tags.filter((tag) => !silent(tag)),
          connectTimeoutMs: tuning.streamConnectTimeoutMs,
          silenceTimeoutMs: tuning.streamSilenceMs,
          onMessage,
        });
        const openedAt = clock.now();
        connectFailures = 0;
        if (strikes > 0) {
          strikes = 0;
          for (const tag of tags) if (!silent(tag)) statuses.streamRetry(tag, null);
          log.info(`the stream of ${origin} opens again`);
        }
        stream = { connectedAt: openedAt, close: conn.close };
        if (!said) log.info(`streaming #${tags.join(', #')} from ${origin}`);
        said = true;
        connectionChanged(true);
        const stop = () => conn.close();
        signal.addEventListener('abort', stop, { once: true });
        const why = await conn.closed;
        signal.removeEventListener('abort', stop);
        stream = null;
        connectionChanged(false);
        if (signal.aborted || clock.now() < disabledUntil) return;
        if (resubscribe) {
          resubscribe = false;
          continue; // closed on purpose, to subscribe again to a tag that was silent
        }
        // A stream that stayed up a while was healthy: start the backoff over.
        failures = clock.now() - openedAt > 60_000 ? 0 : failures + 1;
        const wait = jitteredBackoff(tuning, failures, options.random);
        log.warn(`${why} — polling meanwhile, reconnecting in ${Math.round(wait / 1000)} s`);
        await clock.sleep(wait, signal);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof NeedsTokenError) {
          // 401/403: the token is not good for streaming. Poll instead.
          disabledUntil = clock.now() + tuning.needsTokenRetryMs;
          log.warn(`${origin} offers no usable stream (HTTP ${err.status}): polling instead`);
          return;
        }
        connectFailures++;
        // An HTTP answer (snac's 404) is final at once; a reset or timeout gets a few tries.
        const limit = strikes > 0 ? 1 : tuning.streamConnectTries;
        if (err instanceof HttpError || connectFailures >= limit) {
          switchOff(err instanceof HttpError ? `HTTP ${err.status}` : (err as Error).message);
          return;
        }
        failures++;
        const wait = jitteredBackoff(tuning, failures, options.random);
        log.warn(
          `${(err as Error).message} — polling meanwhile, reconnecting in ${Math.round(wait / 1000)} s`,
        );
        await clock.sleep(wait, signal);
      }
    }
  }

  return {
    /** Whether `tag` is read from an open stream now (not silent, not on probation). */
    live,

    /** While streaming, a poll that finds posts the stream never delivered means the stream is silent. */
    checkSilence(tag: string, batch: Batch): void {
      const s = silence.get(tag)!;
      if (!stream || !s.mayBeSilent()) return;
      // Only posts made once the subscription had surely taken effect prove the stream silent.
      const subscribedAt = stream.connectedAt + Math.max(1000, tuning.streamSubscribeSettleMs);
      const missed = batch.posts.filter(
        (p) => !streamedUris.has(p.uri) && Date.parse(p.createdAt) > subscribedAt,
      );
      if (missed.length === 0) return;
      const wait = s.foundSilent(clock.now());
      statuses.streamRetry(tag, s.retryAt);
      log.warn(
        `the #${tag} stream on ${origin} delivers nothing although polling finds new posts: polling #${tag} instead, trying the stream again in ${toDurationText(wait)}`,
      );
      if (tags.every(silent)) {
        disabledUntil = Math.min(...[...silence.values()].map((x) => x.retryAt));
        stream.close();
      }
    },

    /** Subscribe again to silent streams whose wait is over; they stay polled until they deliver. */
    retrySilent(): void {
      let due = false;
      for (const [tag, s] of silence) {
        if (!s.retryIfDue(clock.now())) continue;
        statuses.streamRetry(tag, null);
        due = true;
        log.info(
          `trying the #${tag} stream on ${origin} again (it was silent); polling #${tag} until it delivers`,
        );
      }
      if (due && stream) {
        resubscribe = true;
        stream.close();
      }
    },

    /** Open the stream when there is a token, an advertised URL, a tag to stream and no reason to wait. */
    maybeStart(signal: AbortSignal): void {
      if (task || !options.token || !options.streamingUrl() || clock.now() < disabledUntil) return;
      if (tags.every(silent)) return;
      task = loop(signal).finally(() => (task = null));
    },

    /** When the stream wants the worker awake next: a silent tag's retry, or the end of an off time. */
    nextWakeAt(): number {
      return Math.min(
        ...tags.filter(silent).map((tag) => silence.get(tag)!.retryAt),
        disabledUntil > clock.now() && options.token && !task ? disabledUntil : Infinity,
      );
    },

    /** Resolves once the stream loop has ended (after the run signal aborts). */
    async done(): Promise<void> {
      await task;
    },
  };
}
