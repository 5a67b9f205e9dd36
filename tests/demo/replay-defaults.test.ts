import { afterEach, expect, it } from 'vitest';
import { startMastodonInstance, type MastodonInstance } from '../../server/demo/mastodon/index.js';
import { replayCampaign } from '../../server/demo/replay.js';
import { createSampleCampaign } from '../../server/demo/sample-campaign.js';

let instance: MastodonInstance | null = null;
afterEach(async () => {
  await instance?.close();
});

it('replays in real time when speed is passed as undefined, instead of all at once', async () => {
  instance = await startMastodonInstance({ rateLimit: false });
  const posts = createSampleCampaign({ count: 40, durationMs: 60_000 });
  const replay = replayCampaign([instance], posts, { speed: undefined });
  await new Promise((r) => setTimeout(r, 100));
  replay.stop();
  const late = posts.filter((p) => p.atMs > 5_000).length;
  expect(late).toBeGreaterThan(0);
  expect(instance.statuses().length).toBeLessThanOrEqual(posts.length - late);
});
