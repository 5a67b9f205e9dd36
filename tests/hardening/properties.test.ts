import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatusShapeError, toPost } from '../../server/collector/normalize.js';
import { sanitizePostHtml } from '../../server/text/sanitize.js';
import { locator } from '../helpers/collector-harness.js';

// Text that looks like what strangers post: words, city names, tags, mentions, HTML, emoji, RTL marks.
const fragment = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    'Portland',
    'Lagos',
    'São Paulo',
    'Москва',
    '北京',
    'Nice',
    'Reading',
    'Paris, TX',
    '🇦🇺',
    '🇫🇷',
  ),
  fc.constantFrom(
    '#YourTurn',
    '#yourturn',
    '#NewYorkCity',
    '@bob',
    '@bob@x.example',
    'from',
    'in',
    'desde',
    'aus',
  ),
  fc.constantFrom(
    '<p>',
    '</p>',
    '<br>',
    '<a href="javascript:alert(1)">',
    '</a>',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
  ),
  fc.constantFrom(
    '\u202e',
    '\u200b',
    '\u0000',
    '\ud800',
    '&amp;',
    '&#0;',
    '&#x110000;',
    '😀'.repeat(50),
  ),
);
const postText = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(' '));

const validLat = (n: number) => Number.isFinite(n) && n >= -90 && n <= 90;
const validLng = (n: number) => Number.isFinite(n) && n >= -180 && n <= 180;

describe('the locator under arbitrary input', () => {
  it('never throws and returns a valid place or null, quickly', () => {
    const loc = locator();
    fc.assert(
      fc.property(
        postText,
        postText,
        fc.option(fc.string({ maxLength: 8 })),
        (html, profile, language) => {
          const started = performance.now();
          const result = loc.locate({
            html,
            profileLocation: profile,
            language,
            campaignTags: ['yourturn'],
            tags: ['yourturn'],
          });
          const ms = performance.now() - started;
          // A generous bound per input: a pathological regex would take seconds, not milliseconds.
          expect(ms).toBeLessThan(250);
          if (result === null) return;
          expect(Number.isInteger(result.place.id)).toBe(true);
          expect(result.place.name.length).toBeGreaterThan(0);
          expect(result.place.country).toMatch(/^[A-Z]{2}$/);
          expect(validLat(result.place.lat) && validLng(result.place.lng)).toBe(true);
          expect(result.confidence).toBeGreaterThanOrEqual(0);
          expect(result.confidence).toBeLessThanOrEqual(1);
          expect(typeof result.matched).toBe('string');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on the plain text typed into "near" (the nearby search), and answers a valid place or null', () => {
    const loc = locator();
    fc.assert(
      fc.property(fc.oneof(postText, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const result = loc.locate({ text });
        if (result === null) return;
        expect(result.place.name.length).toBeGreaterThan(0);
        expect(validLat(result.place.lat) && validLng(result.place.lng)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('stays linear on a 10,000-emoji post and a 100 KB post (no worse than 100 small posts of the same text)', () => {
    // Compared with the same text cut into 100 small posts, timed in the same moment, so a busy
    // machine slows both alike: linear work costs about the same, quadratic work 100 times more.
    const loc = locator();
    const time = (posts: string[]): number => {
      const started = performance.now();
      for (const html of posts) loc.locate({ html, campaignTags: ['yourturn'] });
      return performance.now() - started;
    };
    for (const [unit, count] of [
      ['🦊', 10_000],
      ['Lagos Portland ', 7_000],
    ] as const) {
      const big = `<p>#YourTurn ${unit.repeat(count)}</p>`;
      const small = Array.from(
        { length: 100 },
        () => `<p>#YourTurn ${unit.repeat(count / 100)}</p>`,
      );
      time(small); // warm the caches and the JIT
      const smallMs = Math.max(time(small), 5);
      expect(time([big])).toBeLessThan(smallMs * 20);
    }
  });
});

describe('the status normaliser under arbitrary input', () => {
  it('either returns a well-formed post or throws StatusShapeError, never anything else', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const statusLike = fc.record(
      {
        id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        uri: fc.oneof(fc.webUrl(), fc.string(), fc.constant(undefined)),
        url: fc.oneof(fc.webUrl(), fc.constant('javascript:alert(1)'), fc.constant(null)),
        created_at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        content: postText,
        visibility: fc.constantFrom('public', 'unlisted', 'private', 'direct', ''),
        tags: fc.oneof(fc.array(fc.record({ name: fc.string() })), json),
        account: fc.oneof(
          fc.record({
            id: fc.string(),
            username: fc.string(),
            acct: fc.string(),
            display_name: postText,
            note: postText,
            url: fc.oneof(fc.webUrl(), fc.constant('javascript:alert(1)')),
            avatar: fc.oneof(fc.webUrl(), fc.constant('data:image/svg+xml,<svg onload=alert(1)>')),
            fields: fc.array(fc.record({ name: postText, value: postText })),
            bot: fc.oneof(fc.boolean(), json),
          }),
          json,
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(statusLike, json), (raw) => {
        try {
          const post = toPost(raw, { domain: 'x.example' });
          expect(post.account.acct).toMatch(/^[^@]*@[^@]+$/);
          for (const url of [post.url, post.account.url, post.account.avatar]) {
            expect(url === '' || /^https?:\/\//.test(url)).toBe(true);
          }
          expect(post.content).not.toMatch(/<script|onerror|onload|javascript:/i);
        } catch (err) {
          expect(err).toBeInstanceOf(StatusShapeError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('the sanitiser output never carries a script, an event handler or a non-http link', () => {
    fc.assert(
      fc.property(postText, (html) => {
        const clean = sanitizePostHtml(html);
        expect(clean).not.toMatch(/<(script|img|svg|iframe|style|object)\b/i);
        expect(clean).not.toMatch(/\son\w+\s*=/i);
        expect(clean).not.toMatch(/href="(?!https?:)/i);
      }),
      { numRuns: 1000 },
    );
  });
});
