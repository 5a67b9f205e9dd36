import { afterEach, describe, expect, it } from 'vitest';
import { replayCampaign } from '../../server/demo/replay.js';
import { createSampleCampaign } from '../../server/demo/sample-campaign.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';

const open: MastodonInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((instance) => instance.close()));
});

describe('replaying the campaign', () => {
  it('posts each step on its home instance and federates copies with the same uri and other ids', async () => {
    const domains = ['mastodon.social', 'hachyderm.io'];
    const instances = await Promise.all(
      domains.map((domain) => startMastodonInstance({ domain, rateLimit: false })),
    );
    open.push(...instances);
    const steps = createSampleCampaign({ count: 120, durationMs: 2_000 });
    const progress: number[] = [];
    const replay = replayCampaign(instances, steps, {
      speed: 20,
      onProgress: (done) => progress.push(done),
    });
    await replay.done;
    expect(progress.at(-1)).toBe(120);

    const [a, b] = instances as [MastodonInstance, MastodonInstance];
    const shared = a.statuses().filter((status) => b.statusByUri(status.uri));
    expect(shared.length).toBeGreaterThan(10);
    for (const status of shared) {
      const copy = b.statusByUri(status.uri)!;
      expect(copy.id).not.toBe(status.id);
      expect(copy.created_at).toBe(status.created_at);
    }
    const local = shared.find((status) => status.uri.startsWith('https://mastodon.social/'))!;
    expect(local.account.acct).toBe(local.account.username);
    expect(b.statusByUri(local.uri)!.account.acct).toBe(
      `${local.account.username}@mastodon.social`,
    );

    // The history is dated back by its age; what arrives live is dated as it arrives.
    for (const step of steps.filter((s) => s.action === 'post' && s.kind === 'city')) {
      const status = a.statusByUri(step.input.uri) ?? b.statusByUri(step.input.uri);
      if (!status) continue; // deleted later in the run
      const age = Date.now() - Date.parse(status.created_at);
      expect(age).toBeGreaterThanOrEqual(step.ageMs);
      expect(age).toBeLessThan(step.ageMs + 10_000);
    }

    for (const step of steps.filter((s) => s.action === 'delete')) {
      expect(instances.every((instance) => !instance.statusByUri(step.input.uri))).toBe(true);
    }
    for (const step of steps.filter((s) => s.action === 'edit')) {
      const edited = instances
        .map((instance) => instance.statusByUri(step.input.uri))
        .filter(Boolean);
      expect(edited.length).toBeGreaterThan(0);
      expect(
        edited.every(
          (status) => status!.edited_at !== null && status!.content.includes(step.expected!.city),
        ),
      ).toBe(true);
    }
  });

  it('stops before the end when asked', async () => {
    const instance = await startMastodonInstance({ rateLimit: false });
    open.push(instance);
    const replay = replayCampaign(
      [instance],
      createSampleCampaign({ count: 50, durationMs: 10_000 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    replay.stop();
    await replay.done;
    const count = instance.statuses().length;
    expect(count).toBeLessThan(50);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(instance.statuses().length).toBe(count);
  });
});
