// Rules from the round on unseen posts (issue #14): each is a language-wide cue (grammar, a word
// class, GeoNames data), shown here on posts written for these tests.
import { describe, expect, it } from 'vitest';
import type { LocateInput } from '../../server/geo/types.js';
import { post, useCampaignLocator } from './campaign-locator.js';

const locator = useCampaignLocator();

const locate = (text: string, extra: Partial<LocateInput> = {}) =>
  locator().locate({ html: post(text), language: 'en', ...extra });

describe('the author’s place among several on unseen posts', () => {
  it.each([
    [
      'a Czech case form whose stem is an airport code',
      'Dnes píšu z Brna, venku prší',
      'cs',
      'Brno',
      '‘z Brna’ is where the author is',
    ],
    [
      'a Czech locative whose stem is an alternate of another town',
      'Od loňska žiju v Brně a je mi tu dobře',
      'cs',
      'Brno',
      '‘v Brně’ is where the author is',
    ],
  ])('reads %s', (_why, text, language, want, reason) => {
    const r = locate(text, { language });
    expect(r?.place.name ?? null).toBe(want);
    expect(r?.reason).toContain(reason);
  });
});
