import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extract } from '../../server/geo/extract.js';
import { htmlToText } from '../../server/text/html-text.js';
import { foldName, foldTag } from '../../server/geo/fold.js';

// A real Mastodon 4.x status body: campaign hashtag, mention, link with invisible spans, line break.
const STATUS =
  '<p><a href="https://mastodon.social/tags/YourTurn" class="mention hashtag" rel="tag">#<span>YourTurn</span></a> Hi <span class="h-card" translate="no"><a href="https://mastodon.social/@bob" class="u-url mention">@<span>bob</span></a></span>, see <a href="https://example.org/about" target="_blank" rel="nofollow noopener noreferrer"><span class="invisible">https://</span><span class="">example.org/about</span><span class="invisible"></span></a><br>we&#39;re in <a href="https://mastodon.social/tags/NewYorkCity" class="mention hashtag" rel="tag">#<span>NewYorkCity</span></a> &amp; happy</p>';

describe('extract', () => {
  it('drops the campaign hashtag, mentions and link text and keeps other hashtags', () => {
    const { text } = extract({ html: STATUS, campaignTags: ['yourturn'] });
    expect(text).not.toMatch(/YourTurn|bob|example\.org/);
    expect(text).toContain('#NewYorkCity');
    expect(text).toContain("we're in");
    expect(text).toContain('& happy');
  });

  it('splits CamelCase hashtags into words and keeps the hashtag span', () => {
    const { text, segments } = extract({ html: STATUS, campaignTags: ['yourturn'] });
    const tag = segments.find((s) => s.tag)!;
    expect(tag.tokens.map((t) => t.text)).toEqual(['New', 'York', 'City']);
    expect(text.slice(tag.tag!.start, tag.tag!.end)).toBe('#NewYorkCity');
  });

  it('turns paragraphs and <br> into separate lines', () => {
    expect(htmlToText('<p>one</p><p>two<br>three</p>').split('\n').filter(Boolean)).toEqual([
      'one',
      'two',
      'three',
    ]);
  });

  it('reads flag emoji as country codes', () => {
    const flags = extract({ text: 'Melbourne 🇦🇺' })
      .segments.flatMap((s) => s.tokens)
      .filter((t) => t.kind === 'flag');
    expect(flags.map((t) => t.key)).toEqual(['AU']);
  });

  it('removes plain-text campaign tags, handles and URLs from CLI text lines', () => {
    const { text } = extract({
      text: '#yourturn @amy@example.social https://x.example/y Lyon',
      campaignTags: ['yourturn'],
    });
    expect(text.trim()).toBe('Lyon');
  });
});

describe('foldName', () => {
  it.each([
    ['Zürich', 'zurich'],
    ['São Paulo', 'sao paulo'],
    ['Łódź', 'lodz'],
    ['Winston-Salem', 'winston salem'],
    ["St. John's", 'st johns'],
    ['İzmir', 'izmir'],
    ['Москва', 'москва'],
  ])('folds %s to %s', (name, folded) => {
    expect(foldName(name)).toBe(folded);
  });

  it('folds hashtag forms without spaces', () => {
    expect(foldTag('New York')).toBe('newyork');
  });

  it('is idempotent and never leaves double or edge spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const f = foldName(s);
        expect(foldName(f)).toBe(f);
        expect(f).not.toMatch(/^ | $| {2}/);
      }),
    );
  });
});
