import { startMastodonInstance, type MastodonInstance, type Software } from './mastodon/index.js';
import { replayCampaign, type Replay } from './replay.js';
import { createSampleCampaign, type SampleCampaignOptions } from './sample-campaign.js';

/** Options of `startDemoFediverse`. */
export interface DemoFediverseOptions extends SampleCampaignOptions {
  /** Replay speed factor (default 1). */
  speed?: number;
  /** Called as the replay advances. */
  onProgress?(done: number, total: number): void;
}

/** A running demo: instances, what to follow on them, and the replay feeding them. */
export interface DemoFediverse {
  instances: MastodonInstance[];
  /** One entry per instance: its origin and the token the demo instances accept. */
  sources: { url: string; domain: string; software: Software; token: string }[];
  /**
   * `--resolve` entries: every sample author's home domain → a local instance that answers their
   * consent look-ups, so the demo asks no real server (the sample's domains are real names).
   */
  resolve: Record<string, string>;
  replay: Replay;
  /** Stops the replay and closes the instances. */
  close(): Promise<void>;
}

/** The token every demo instance accepts, so the collector can stream as it would in production. */
export const DEMO_TOKEN = 'demo-token';

// Several instances, so the demo shows one post arriving from more than one source.
const INSTANCES: { domain: string; title: string; software: Software }[] = [
  { domain: 'mastodon.social', title: 'Mastodon (demo)', software: 'mastodon' },
  { domain: 'hachyderm.io', title: 'Hachyderm (demo)', software: 'mastodon' },
  { domain: 'chaos.social', title: 'chaos.social (demo)', software: 'mastodon' },
];

/** Starts local instances on 127.0.0.1 and replays the sample campaign onto them. */
export async function startDemoFediverse(
  options: DemoFediverseOptions = {},
): Promise<DemoFediverse> {
  const instances = await Promise.all(
    INSTANCES.map((spec) => startMastodonInstance({ ...spec, tokens: [DEMO_TOKEN] })),
  );
  const sample = createSampleCampaign(options);
  // Authors on other servers: one more local instance is their home (not followed, only asked).
  const followed = new Set(INSTANCES.map((i) => i.domain));
  const otherDomains = [...new Set(sample.map((p) => p.input.account.domain ?? ''))].filter(
    (d) => d && !followed.has(d),
  );
  const homes = await startMastodonInstance({
    domain: 'homes.demo.invalid',
    title: 'Home servers of the demo authors',
    homeFor: otherDomains,
  });
  for (const post of sample)
    if (post.input.account.domain && !followed.has(post.input.account.domain))
      homes.putAccount(post.input.account);
  const replay = replayCampaign(instances, sample, {
    speed: options.speed,
    onProgress: options.onProgress,
  });
  return {
    instances,
    sources: instances.map((instance) => ({
      url: instance.url,
      domain: instance.domain,
      software: instance.software,
      token: DEMO_TOKEN,
    })),
    resolve: Object.fromEntries(otherDomains.map((d) => [d, homes.url])),
    replay,
    async close() {
      replay.stop();
      await Promise.all([...instances, homes].map((instance) => instance.close()));
    },
  };
}
