import { describe, expect, it } from 'vitest';
import { createSampleCampaign } from '../../server/demo/sample-campaign.js';
import { sampleCities } from '../../server/demo/sample-cities.js';

describe('the sample campaign', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(createSampleCampaign({ seed: 7 })).toEqual(createSampleCampaign({ seed: 7 }));
    expect(createSampleCampaign({ seed: 8 })).not.toEqual(createSampleCampaign({ seed: 7 }));
  });

  it('has about 300 steps in time order within the duration, with a burst at the start', () => {
    const steps = createSampleCampaign();
    expect(steps).toHaveLength(300);
    expect(steps.map((s) => s.atMs)).toEqual([...steps.map((s) => s.atMs)].sort((a, b) => a - b));
    expect(steps.every((s) => s.atMs >= 0 && s.atMs < 90_000)).toBe(true);
    expect(steps.filter((s) => s.atMs < 2_000).length).toBeGreaterThanOrEqual(50);
  });

  it('names at least 100 distinct cities on every continent', () => {
    const steps = createSampleCampaign();
    const cities = new Set(
      steps.filter((s) => s.expected).map((s) => `${s.expected!.city}|${s.expected!.cc}`),
    );
    expect(cities.size).toBeGreaterThanOrEqual(100);
    expect(sampleCities.length).toBeGreaterThanOrEqual(150);
    const countries = new Set(steps.flatMap((s) => (s.expected ? [s.expected.cc] : [])));
    for (const cc of ['US', 'BR', 'DE', 'NG', 'JP', 'AU']) expect(countries).toContain(cc);
  });

  it('includes posts that must not be pinned: no city, region only, replies, bots, opt-outs, unlisted', () => {
    const steps = createSampleCampaign();
    const kinds = new Set(steps.filter((s) => s.expected === null).map((s) => s.kind));
    for (const kind of [
      'no-city',
      'region-only',
      'reply',
      'bot',
      'opted-out',
      'unlisted',
      'delete',
    ])
      expect(kinds).toContain(kind);
    expect(steps.filter((s) => s.kind === 'bot').every((s) => s.input.account.bot)).toBe(true);
    expect(
      steps
        .filter((s) => s.kind === 'opted-out')
        .every((s) => /#no(map|bot|index|search)/.test(s.input.account.note ?? '')),
    ).toBe(true);
    expect(steps.find((s) => s.kind === 'reply')!.input.inReplyToUri).toMatch(/^https:\/\//);
  });

  it('writes posts the way people do, in several languages and scripts, across many domains', () => {
    const steps = createSampleCampaign();
    const texts = steps.map((s) => s.input.text ?? '');
    expect(
      texts.some((t) => /^#YourTurn Portland, Maine/.test(t) || /Portland, Maine/.test(t)),
    ).toBe(true);
    expect(texts.some((t) => /Desde .+ #YourTurn/.test(t))).toBe(true);
    expect(texts.some((t) => /#YourTurn aus /.test(t) || /Grüße aus/.test(t))).toBe(true);
    expect(texts.some((t) => /[\u0400-\u04ff]/.test(t))).toBe(true);
    expect(texts.some((t) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(t))).toBe(true);
    expect(texts.some((t) => /#YourTurn #[A-Z]\w+/.test(t))).toBe(true);
    expect(new Set(steps.map((s) => s.input.account.domain)).size).toBeGreaterThanOrEqual(15);
    expect(
      steps.some(
        (s) => s.input.account.emojis?.length && s.input.account.displayName?.includes(':'),
      ),
    ).toBe(true);
    expect(
      steps.some((s) =>
        s.input.account.fields?.some((f) => ['Location', 'Ort', 'Based in'].includes(f.name)),
      ),
    ).toBe(true);
  });

  it('moves some people to a second city and edits and deletes a few posts late in the run', () => {
    const steps = createSampleCampaign();
    const moved = steps.filter((s) => s.kind === 'moved');
    expect(moved.length).toBeGreaterThanOrEqual(2);
    for (const move of moved) {
      const earlier = steps.find(
        (s) => s.kind === 'city' && s.input.account.username === move.input.account.username,
      );
      expect(earlier!.atMs).toBeLessThan(move.atMs);
      expect(earlier!.expected!.city).not.toBe(move.expected!.city);
    }
    for (const step of steps.filter((s) => s.action !== 'post')) {
      expect(step.atMs).toBeGreaterThan(90_000 * 0.7);
      expect(
        steps.some(
          (s) => s.action === 'post' && s.input.uri === step.input.uri && s.atMs < step.atMs,
        ),
      ).toBe(true);
    }
  });

  it('dates its opening posts back over four weeks, busiest at the launch, and the live ones now', () => {
    const steps = createSampleCampaign();
    const DAY = 86_400_000;
    const history = steps.filter((s) => s.ageMs > 0);
    expect(history.length).toBeGreaterThanOrEqual(150);
    expect(history.every((s) => s.atMs < 2_000 && s.ageMs <= 28 * DAY)).toBe(true);
    const days = new Set(history.map((s) => Math.floor(s.ageMs / DAY)));
    expect(days.size).toBeGreaterThanOrEqual(20);
    const firstWeek = history.filter((s) => s.ageMs > 21 * DAY).length;
    const lastWeek = history.filter((s) => s.ageMs <= 7 * DAY).length;
    expect(firstWeek).toBeGreaterThan(lastWeek);
    // What arrives while people watch, and every move, edit and delete, happens now.
    expect(steps.filter((s) => s.atMs >= 2_000).every((s) => s.ageMs === 0)).toBe(true);
    // A reply is never dated before the post it answers.
    for (const reply of steps.filter((s) => s.input.inReplyToUri)) {
      const parent = steps.find((s) => s.input.uri === reply.input.inReplyToUri)!;
      expect(reply.ageMs).toBeLessThanOrEqual(parent.ageMs);
    }
  });
});
