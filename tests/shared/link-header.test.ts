import { describe, expect, it } from 'vitest';
import { linkParam, parseLinkHeader } from '../../shared/link-header.js';

// As mastodon.social sends it on GET /api/v1/timelines/tag/:hashtag.
const MASTODON =
  '<https://mastodon.social/api/v1/timelines/tag/yourturn?max_id=113>; rel="next", <https://mastodon.social/api/v1/timelines/tag/yourturn?min_id=120>; rel="prev"';

describe('parseLinkHeader', () => {
  it('reads the next and prev links of a Mastodon page', () => {
    const links = parseLinkHeader(MASTODON);
    expect(links.next).toBe('https://mastodon.social/api/v1/timelines/tag/yourturn?max_id=113');
    expect(linkParam(links, 'next', 'max_id')).toBe('113');
    expect(linkParam(links, 'prev', 'min_id')).toBe('120');
  });

  it('accepts an unquoted rel and reads nothing from a missing header', () => {
    expect(parseLinkHeader('<https://a.example/?max_id=1>; rel=next').next).toBe(
      'https://a.example/?max_id=1',
    );
    expect(parseLinkHeader(null)).toEqual({});
  });

  it('treats a link that is not a URL as no link at all', () => {
    const links = parseLinkHeader('<not a url>; rel="next"');
    expect(linkParam(links, 'next', 'max_id')).toBeNull();
    expect(linkParam(links, 'prev', 'min_id')).toBeNull();
  });
});
