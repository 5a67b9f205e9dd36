import type { MastodonInstance } from './mastodon/index.js';
import type { SamplePost } from './sample-campaign.js';

/** Options of `replayCampaign`. */
export interface ReplayOptions {
  /** Time factor: 1 plays in real time, 10 ten times faster (default 1). */
  speed?: number;
  /** Share of posts each other instance also receives by federation, 0..1 (default 0.6). */
  federation?: number;
  /** Longest federation lag before scaling by speed (default 1500 ms). */
  federationDelayMs?: number;
  /** Called after each step with the count of steps done and the total. */
  onProgress?(done: number, total: number): void;
}

const defaults = {
  speed: 1, // real time, so the demo map fills as people watch
  federation: 0.6, // real instances see some, not all, of the fediverse
  federationDelayMs: 1_500, // deliveries between instances take a moment
};

/** A replay under way. */
export interface Replay {
  /** Resolves when every step and federated copy is applied, or after `stop()`. */
  done: Promise<void>;
  /** Cancels what has not happened yet. */
  stop(): void;
}

/**
 * Plays sample posts onto instances at their offsets: each post lands on its author's home
 * instance (the one whose domain matches, else one chosen by account) and reaches a share of the
 * others later with the same uri, as federation delivers it; edits and deletes follow the uri.
 */
export function replayCampaign(
  instances: MastodonInstance[],
  posts: SamplePost[],
  options: ReplayOptions = {},
): Replay {
  if (instances.length === 0) throw new Error('replayCampaign needs at least one instance');
  // `??` rather than spread: an explicit `speed: undefined` must not erase the default (NaN delays).
  const speed = options.speed ?? defaults.speed;
  const federation = options.federation ?? defaults.federation;
  const federationDelayMs = options.federationDelayMs ?? defaults.federationDelayMs;
  const { onProgress } = options;
  const timers = new Set<NodeJS.Timeout>();
  let pending = 0;
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const schedule = (delayMs: number, task: () => void) => {
    pending += 1;
    const timer = setTimeout(() => {
      timers.delete(timer);
      try {
        task();
      } finally {
        pending -= 1;
        if (pending === 0) finish();
      }
    }, delayMs);
    timers.add(timer);
  };

  const homeOf = (post: SamplePost): MastodonInstance => {
    const { account, inReplyToUri } = post.input;
    const parentHome = inReplyToUri
      ? instances.find((instance) => instance.statusByUri(inReplyToUri))
      : undefined;
    return (
      parentHome ??
      instances.find((instance) => instance.domain === account.domain) ??
      instances[hash(`${account.username}@${account.domain}`) % instances.length]!
    );
  };

  // What happened to a post since it went out: a copy federated after an edit arrives edited,
  // and one due after a delete never arrives, as the origin's later deliveries would have it.
  const later = new Map<string, { edit: SamplePost['input'] | null; deleted: boolean }>();

  const edit = (instance: MastodonInstance, input: SamplePost['input']) => {
    const status = instance.statusByUri(input.uri);
    if (status)
      instance.edit(status.id, {
        text: input.text,
        content: input.content,
        language: input.language,
      });
  };

  const apply = (post: SamplePost) => {
    const { uri } = post.input;
    if (post.action === 'post') {
      const home = homeOf(post);
      const createdAt = new Date(Date.now() - post.ageMs).toISOString();
      home.post({ ...post.input, createdAt });
      const fate = { edit: null as SamplePost['input'] | null, deleted: false };
      later.set(uri, fate);
      for (const other of instances) {
        if (other === home || hash(`${uri} ${other.domain}`) / 2 ** 32 >= federation) continue;
        const lag = (hash(`${uri} lag ${other.domain}`) % federationDelayMs) / speed;
        schedule(lag, () => {
          if (fate.deleted) return;
          other.post({ ...post.input, createdAt });
          if (fate.edit) edit(other, fate.edit);
        });
      }
      return;
    }
    const fate = later.get(uri);
    if (fate && post.action === 'edit') fate.edit = post.input;
    if (fate && post.action === 'delete') fate.deleted = true;
    for (const instance of instances) {
      if (post.action === 'edit') edit(instance, post.input);
      else {
        const status = instance.statusByUri(uri);
        if (status) instance.delete(status.id);
      }
    }
  };

  if (posts.length === 0) finish();
  for (const post of posts) {
    schedule(post.atMs / speed, () => {
      apply(post);
      done += 1;
      onProgress?.(done, posts.length);
    });
  }

  return {
    done: finished,
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      finish();
    },
  };
}

/** FNV-1a, so the same uri federates the same way on every run. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
