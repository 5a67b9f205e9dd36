import { afterAll, beforeAll } from 'vitest';
import { createLocator } from '../../server/geo/locator.js';
import type { Gazetteer } from '../../server/geo/gazetteer.js';
import type { ScorerWeights } from '../../server/geo/scorer.js';
import { ensureGazetteer } from './ensure-gazetteer.js';

/** The campaign hashtag as Mastodon renders it in a post's HTML. */
export const TAG =
  '<a href="https://mastodon.example/tags/yourturn" class="mention hashtag" rel="tag">#<span>YourTurn</span></a>';

/** Any other hashtag, rendered the same way. */
export const hashtag = (name: string): string =>
  `<a href="https://mastodon.example/tags/${name.toLowerCase()}" class="mention hashtag" rel="tag">#<span>${name}</span></a>`;

/** A post that carries the campaign hashtag followed by `text`. */
export const post = (text: string): string => `<p>${TAG} ${text}</p>`;

/**
 * Opens the real gazetteer before the calling file's tests (closing it after) and returns a getter
 * for a locator whose campaign tag is #YourTurn: the world both locator test files share.
 * `{ scorer: null }` gives the hand rules alone, for tests of the reading itself (role words, case
 * forms) rather than of the default decision, which the fitted scorer makes.
 */
export function useCampaignLocator(
  opts: { scorer?: ScorerWeights | null } = {},
): () => ReturnType<typeof createLocator> {
  let gazetteer: Gazetteer;
  let locator: ReturnType<typeof createLocator>;
  beforeAll(async () => {
    gazetteer = await ensureGazetteer();
    locator = createLocator(gazetteer, { campaignTags: ['yourturn'], ...opts });
  });
  afterAll(() => gazetteer.close());
  return () => locator;
}
