import type { Logger } from 'pino';
import type { SourceStatus } from '../../shared/types.js';
import { initialSourceStatus } from './source-status.js';
import type { Clock } from '../clock.js';
import { HttpError, NeedsTokenError, NetworkError, TimeoutError } from './errors.js';
import { readEventStream } from './event-stream.js';
import type { Pipeline } from './pipeline.js';

export interface RelaySourceOptions {
  /** SSE URL that streams every public post in Mastodon's event format. */
  url: string;
  /** Campaign tags, lower case: posts without one are dropped here. */
  tags: string[];
  userAgent: string;
  /** Bearer token (never logged), when the relay wants one. */
  token: string | null;
  pipeline: Pipeline;
  log: Logger;
  clock: Clock;
  random: () => number;
  fetch?: typeof fetch;
  tuning: {
    connectTimeoutMs: number;
    /** No byte at all (not even a `:thump`) for this long: reconnect. */
    silenceMs: number;
    minBackoffMs: number;
    maxBackoffMs: number;
    needsTokenRetryMs: number;
  };
}

export type RelaySource = ReturnType<typeof createRelaySource>;

/**
 * A firehose: an SSE stream of all public posts (`event: update`, `data: <Status JSON>`), filtered
 * by hashtag on our side. Deletes (`event: delete`, the relay's local id) remove what it gave us.
 */
export function createRelaySource(options: RelaySourceOptions) {
  const { url, clock, pipeline } = options;
  const log = options.log.child({ relay: url });
  const doFetch = options.fetch ?? fetch;
  const domain = new URL(url).host.toLowerCase();
  const statuses = new Map<string, SourceStatus>(
    options.tags.map((tag) => [tag, initialSourceStatus(url, tag, 'relay')]),
  );
  // Cheap pre-filter before JSON.parse: a firehose is mostly posts we do not want.
  const mentionsTag = (data: string) => {
    const lower = data.toLowerCase();
    return options.tags.some((t) => lower.includes(`"${t}"`));
  };

  function setAll(patch: Partial<SourceStatus>) {
    for (const s of statuses.values()) Object.assign(s, patch);
  }

  function onEvent(event: { event: string; data: string }) {
    try {
      if (event.event === 'delete') {
        pipeline.deleteLocal(url, event.data.trim());
        return;
      }
      if (event.event !== 'update' && event.event !== 'status.update') return;
      if (!mentionsTag(event.data)) return;
      const batch = pipeline.prepare([JSON.parse(event.data)], {
        source: url,
        domain,
        tag: null,
        isInstance: false,
      });
      pipeline.save(batch);
      for (const post of batch.posts)
        for (const tag of post.tags) {
          const s = statuses.get(tag);
          if (s) s.postsSeen++;
        }
      setAll({ lastSuccessAt: new Date(clock.now()).toISOString() });
    } catch (err) {
      log.warn(`skipped an event from relay ${url}: ${(err as Error).message}`);
    }
  }

  /** One connection, until it ends. Throws on failure to connect. */
  async function connectOnce(signal: AbortSignal): Promise<string> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal.addEventListener('abort', stop, { once: true });
    let reason = `relay ${url} ended the stream`;
    let timer = setTimeout(() => {
      reason = `no answer from relay ${url} within ${options.tuning.connectTimeoutMs} ms`;
      controller.abort();
    }, options.tuning.connectTimeoutMs);
    try {
      const headers: Record<string, string> = {
        accept: 'text/event-stream',
        'user-agent': options.userAgent,
      };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let res: Response;
      try {
        res = await doFetch(url, { headers, signal: controller.signal });
      } catch (err) {
        if (controller.signal.aborted && !signal.aborted)
          throw new TimeoutError(url, options.tuning.connectTimeoutMs);
        throw new NetworkError(url, err);
      }
      if (!res.ok || !res.body) {
        const text = (await res.text().catch(() => '')).slice(0, 160);
        if (res.status === 401 || res.status === 403)
          throw new NeedsTokenError(res.status, url, text);
        throw new HttpError(res.status, url, text);
      }
      setAll({ state: 'streaming', nextAttemptAt: null });
      log.info(`reading relay ${url} for #${options.tags.join(', #')}`);
      const touch = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          reason = `relay ${url} was silent for ${Math.round(options.tuning.silenceMs / 1000)} s`;
          controller.abort();
        }, options.tuning.silenceMs);
      };
      touch();
      try {
        await readEventStream(res.body, { onEvent, onActivity: touch });
      } catch (err) {
        if (!controller.signal.aborted)
          reason = `relay ${url} stream broke: ${(err as Error).message}`;
      }
      return reason;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
  }

  return {
    status(): SourceStatus[] {
      return [...statuses.values()].map((s) => ({ ...s }));
    },

    /** Read the relay forever, reconnecting with backoff and jitter. */
    async run(signal: AbortSignal): Promise<void> {
      let failures = 0;
      while (!signal.aborted) {
        const started = clock.now();
        let wait: number;
        try {
          const why = await connectOnce(signal);
          if (signal.aborted) return;
          failures = clock.now() - started > 60_000 ? 0 : failures + 1;
          wait = backoff(failures);
          setAll({
            state: 'backing-off',
            lastError: why,
            lastErrorAt: new Date(clock.now()).toISOString(),
          });
          log.warn(`${why} — reconnecting in ${Math.round(wait / 1000)} s`);
        } catch (err) {
          if (signal.aborted) return;
          failures++;
          const needsToken = err instanceof NeedsTokenError;
          wait = needsToken ? options.tuning.needsTokenRetryMs : backoff(failures);
          setAll({
            state: needsToken ? 'needs-token' : 'backing-off',
            lastError: (err as Error).message,
            lastErrorAt: new Date(clock.now()).toISOString(),
          });
          log.warn(`${(err as Error).message} — retrying in ${Math.round(wait / 1000)} s`);
        }
        setAll({ nextAttemptAt: new Date(clock.now() + wait).toISOString() });
        await clock.sleep(wait, signal);
      }
    },
  };

  function backoff(n: number): number {
    const base = Math.min(
      options.tuning.maxBackoffMs,
      options.tuning.minBackoffMs * 2 ** Math.min(n, 20),
    );
    return Math.round(base * (0.5 + options.random()));
  }
}
