// The fitted scorer (issue #14): what it reads from a post, that it chooses as its weights say, and
// how the fitted weights behave on posts written for these tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gazetteer } from '../../server/geo/gazetteer.js';
import { createLocator } from '../../server/geo/locator.js';
import {
  FEATURE_NAMES,
  candidatesOf,
  choose,
  featuresOf,
  likelihood,
} from '../../server/geo/scorer.js';
import type { ScorerWeights } from '../../server/geo/scorer.js';
import { FITTED } from '../../server/geo/scorer-weights.js';
import type { LocateInput } from '../../server/geo/types.js';
import { ensureGazetteer } from './ensure-gazetteer.js';
import { post } from './campaign-locator.js';

let gazetteer: Gazetteer;
let hand: ReturnType<typeof createLocator>;
let fitted: ReturnType<typeof createLocator>;
beforeAll(async () => {
  gazetteer = await ensureGazetteer();
  hand = createLocator(gazetteer, { campaignTags: ['yourturn'], scorer: null });
  fitted = createLocator(gazetteer, { campaignTags: ['yourturn'], scorer: FITTED });
});
afterAll(() => gazetteer.close());

const input = (
  text: string,
  language = 'en',
  profileLocation: string | null = null,
): LocateInput => ({
  html: post(text),
  language,
  profileLocation,
});

/** A model that weighs one feature only. */
const only = (name: string, weight: number, bias: number, threshold: number): ScorerWeights => ({
  features: FEATURE_NAMES,
  weights: FEATURE_NAMES.map((n) => (n === name ? weight : n === 'bias' ? bias : 0)),
  threshold,
});

describe('the scorer’s reading of a post', () => {
  it('offers every city the post names and the profile’s city, once each', () => {
    const read = hand.reading(
      input('Moved from Boston to Denver in May. Boston forever!', 'en', 'Lyon, France'),
    );
    const names = candidatesOf(read)
      .map((c) => c.place.name)
      .sort();
    expect(names).toEqual(['Boston', 'Denver', 'Lyon']);
  });

  it('describes each candidate with one finite number per feature', () => {
    const read = hand.reading(input('Ich wohne in Leipzig, arbeite aber in Halle (Saale).', 'de'));
    const cands = candidatesOf(read);
    expect(cands.length).toBeGreaterThanOrEqual(2);
    for (const c of cands) {
      const x = featuresOf(read, c, hand.threshold);
      expect(x).toHaveLength(FEATURE_NAMES.length);
      for (const v of x) expect(Number.isFinite(v)).toBe(true);
    }
    const leipzig = cands.find((c) => c.place.name === 'Leipzig')!;
    const x = featuresOf(read, leipzig, hand.threshold);
    expect(x[FEATURE_NAMES.indexOf('hand_pick')]).toBe(1);
    expect(x[FEATURE_NAMES.indexOf('role_home')]).toBe(1);
    expect(x[FEATURE_NAMES.indexOf('language_home')]).toBe(1);
  });

  it('keeps a place the post denies once denied, however often it names it', () => {
    const read = hand.reading(input('Everyone says I live in London. Not in London!'));
    const london = candidatesOf(read).find((c) => c.place.name === 'London')!;
    expect(london.post?.role).toBe('negated');
  });

  it('marks a common English word naming a small town, and a case form read abroad', () => {
    const en = hand.reading(input('Snow again, love it. Hope you are well. #Leeds'));
    const hope = candidatesOf(en).find((c) => c.place.name === 'Hope');
    if (hope) expect(featuresOf(en, hope, 0.5)[FEATURE_NAMES.indexOf('english_word')]).toBe(1);
    const leeds = candidatesOf(en).find((c) => c.place.name === 'Leeds')!;
    expect(featuresOf(en, leeds, 0.5)[FEATURE_NAMES.indexOf('english_word')]).toBe(0);
    // "Savossa" (Finnish: in Savonia) is read by its case ending as Savona, Italy
    const fi = hand.reading(input('Asun Savossa, järviä joka suunnassa.', 'fi'));
    const savona = candidatesOf(fi).find((c) => c.place.name === 'Savona')!;
    expect(featuresOf(fi, savona, 0.5)[FEATURE_NAMES.indexOf('inflected_abroad')]).toBe(1);
  });

  it('marks the hand rules’ answer, or that they abstained', () => {
    const read = hand.reading(input('Portland and Seattle, both home to me.'));
    expect(read.answer).toBeNull();
    for (const c of candidatesOf(read))
      expect(featuresOf(read, c, hand.threshold)[FEATURE_NAMES.indexOf('hand_abstained')]).toBe(1);
  });
});

describe('choosing', () => {
  it('answers with the most likely candidate', () => {
    const read = hand.reading(input('Born in Leeds, living in York now.'));
    const model = only('hand_pick', 10, -5, 0.5);
    expect(choose(model, read, hand.threshold)?.candidate.place.name).toBe('York');
  });

  it('abstains when no candidate reaches the model’s threshold', () => {
    const read = hand.reading(input('Born in Leeds, living in York now.'));
    expect(choose(only('hand_pick', 10, -5, 0.99999), read, hand.threshold)).toBeNull();
  });

  it('computes the logistic of the weighted features', () => {
    expect(
      likelihood(
        only('bias', 1, 0, 0.5),
        FEATURE_NAMES.map(() => 0),
      ),
    ).toBe(0.5);
    const x = FEATURE_NAMES.map((n) => (n === 'bias' ? 1 : 0));
    expect(likelihood(only('hand_pick', 0, Math.log(3), 0.5), x)).toBeCloseTo(0.75, 10);
  });
});

describe('the fitted weights', () => {
  it('are one per feature, in the scorer’s order', () => {
    expect(FITTED.features).toEqual(FEATURE_NAMES);
    expect(FITTED.weights).toHaveLength(FEATURE_NAMES.length);
    expect(FITTED.threshold).toBeGreaterThan(0);
    expect(FITTED.threshold).toBeLessThan(1);
  });

  it.each([
    ['a home statement with its state', 'I live in Portland, Oregon.', 'en', 'Portland'],
    ['a German home verb', 'Ich wohne in Leipzig.', 'de', 'Leipzig'],
    ['the profile’s city when the post names none', 'Hi all, long-time lurker!', 'en', 'Oakland'],
  ])('still place %s', (_what, text, lang, want) => {
    const profile = want === 'Oakland' ? 'Oakland, CA' : null;
    expect(fitted.locate(input(text, lang, profile))?.place.name).toBe(want);
  });

  it('leave a small town abroad read from a word of another language unpinned', () => {
    // "Savossa" is Finnish for "in Savonia", a region; the hand rules read it as Savona, Italy.
    const text = 'Asun Savossa, järviä joka suunnassa.';
    expect(hand.locate(input(text, 'fi'))?.place.name).toBe('Savona');
    expect(fitted.locate(input(text, 'fi'))).toBeNull();
  });

  it('give the model’s likelihood as the confidence', () => {
    const r = fitted.locate(input('I live in Portland, Oregon.'))!;
    expect(r.confidence).toBeGreaterThanOrEqual(FITTED.threshold);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(r.reason).toMatch(/Portland/);
  });
});

describe('with the scorer off', () => {
  it('answers exactly as the hand rules’ reading says', () => {
    for (const [text, lang, profile] of [
      ['Born in Leeds, living in York now.', 'en', null],
      ['Portland and Seattle, both home to me.', 'en', null],
      ['Asun Savossa, järviä joka suunnassa.', 'fi', null],
      ['Hi all!', 'en', 'Lyon, France'],
    ] as const) {
      const i = input(text, lang, profile);
      expect(hand.locate(i)).toEqual(hand.reading(i).answer);
    }
  });
});
