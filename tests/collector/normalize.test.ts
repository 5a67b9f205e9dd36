import { describe, expect, it } from 'vitest';
import { consentRefusal, profileLocationOf } from '../../server/collector/consent.js';
import { normaliseAcct, StatusShapeError, toPost } from '../../server/collector/normalize.js';
import { account, post } from '../helpers/posts.js';

// Shaped like GET /api/v1/timelines/tag/yourturn on Mastodon 4.3 (https://docs.joinmastodon.org/entities/Status/).
const status = {
  id: '113502938374657281',
  created_at: '2024-11-19T08:12:44.000Z',
  in_reply_to_id: null,
  in_reply_to_account_id: null,
  sensitive: false,
  spoiler_text: '',
  visibility: 'public',
  language: 'en',
  uri: 'https://hachyderm.io/users/ada/statuses/113502938374657281',
  url: 'https://hachyderm.io/@ada/113502938374657281',
  replies_count: 0,
  reblogs_count: 1,
  favourites_count: 3,
  edited_at: null,
  content:
    '<p><a href="https://hachyderm.io/tags/YourTurn" class="mention hashtag" rel="tag">#<span>YourTurn</span></a> Lagos <img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a></p>',
  reblog: null,
  account: {
    id: '109348',
    username: 'ada',
    acct: 'ada',
    display_name: 'Ada <b>Lovelace</b> :blobcat:',
    locked: false,
    bot: false,
    discoverable: true,
    group: false,
    created_at: '2022-11-10T00:00:00.000Z',
    note: '<p>Engineer. <a href="https://hachyderm.io/tags/books">#books</a></p>',
    url: 'https://hachyderm.io/@ada',
    avatar: 'https://media.hachyderm.io/accounts/avatars/ada.png',
    avatar_static: 'https://media.hachyderm.io/accounts/avatars/ada.png',
    header: '',
    header_static: '',
    followers_count: 10,
    following_count: 5,
    statuses_count: 99,
    last_status_at: '2024-11-19',
    emojis: [],
    fields: [{ name: 'Location', value: 'Lagos, Nigeria', verified_at: null }],
    noindex: false,
  },
  media_attachments: [],
  mentions: [],
  tags: [{ name: 'yourturn', url: 'https://hachyderm.io/tags/yourturn' }],
  emojis: [],
  card: null,
  poll: null,
};

describe('toPost', () => {
  it('turns a local acct into user@domain with the instance domain', () => {
    const p = toPost(status, { domain: 'hachyderm.io' });
    expect(p.account.acct).toBe('ada@hachyderm.io');
    expect(p.uri).toBe(status.uri);
    expect(p.localId).toBe('113502938374657281');
    expect(p.tags).toEqual(['yourturn']);
  });

  it('keeps the content warning as plain text and the sensitive flag', () => {
    const p = toPost(
      { ...status, sensitive: true, spoiler_text: '  grief <b>& loss</b>  ' },
      { domain: 'hachyderm.io' },
    );
    expect(p.spoilerText).toBe('grief <b>& loss</b>');
    expect(p.sensitive).toBe(true);
    const plain = toPost(status, { domain: 'hachyderm.io' });
    expect([plain.spoilerText, plain.sensitive]).toEqual(['', false]);
  });

  it('reads a status without spoiler_text or sensitive (some servers leave them out) as unwarned', () => {
    const bare: Record<string, unknown> = { ...status, spoiler_text: null };
    delete bare.sensitive;
    const p = toPost(bare, { domain: 'hachyderm.io' });
    expect([p.spoilerText, p.sensitive]).toEqual(['', false]);
  });

  it('cuts a warning longer than Mastodon allows to 500 characters', () => {
    const p = toPost({ ...status, spoiler_text: 'w'.repeat(900) }, { domain: 'hachyderm.io' });
    expect(p.spoilerText).toHaveLength(500);
  });

  it('rejects a sensitive flag that is not a boolean, naming the field', () => {
    expect(() => toPost({ ...status, sensitive: 'yes' }, { domain: 'hachyderm.io' })).toThrow(
      /sensitive/,
    );
  });

  it('keeps ids as strings, never numbers', () => {
    expect(typeof toPost(status, { domain: 'hachyderm.io' }).localId).toBe('string');
  });

  it('sanitises content: no script handlers, no javascript: links, links get nofollow', () => {
    const p = toPost(status, { domain: 'hachyderm.io' });
    expect(p.content).not.toMatch(/onerror|javascript:|<img/);
    expect(p.content).toContain('rel="nofollow noopener noreferrer"');
    expect(p.rawContent).toBe(status.content);
  });

  it('keeps the display name as plain text, never interpreting it', () => {
    expect(toPost(status, { domain: 'hachyderm.io' }).account.displayName).toBe(
      'Ada <b>Lovelace</b> :blobcat:',
    );
  });

  it('keeps the custom emoji the name uses, with their static image, and drops what cannot be drawn', () => {
    const emoji = (shortcode: string, url: string, static_url = url) => ({
      shortcode,
      url,
      static_url,
      visible_in_picker: true,
    });
    const p = toPost(
      {
        ...status,
        account: {
          ...status.account,
          display_name: 'Ada :blobcat: :party: :evil: :bad-code: :blobcat:',
          emojis: [
            emoji(
              'blobcat',
              'https://media.hachyderm.io/emoji/blobcat.gif',
              'https://media.hachyderm.io/emoji/blobcat.png',
            ),
            emoji('party', 'https://media.hachyderm.io/emoji/party.png', ''),
            emoji('evil', 'javascript:alert(1)'),
            emoji('bad-code', 'https://media.hachyderm.io/emoji/x.png'),
            emoji('inbio', 'https://media.hachyderm.io/emoji/inbio.png'),
            { shortcode: 42 },
            'not an emoji',
          ],
        },
      },
      { domain: 'hachyderm.io' },
    );
    expect(p.account.emojis).toEqual([
      { shortcode: 'blobcat', url: 'https://media.hachyderm.io/emoji/blobcat.png' },
      { shortcode: 'party', url: 'https://media.hachyderm.io/emoji/party.png' },
    ]);
    // An account without the field (snac2 omits it) is fine.
    const bare: Partial<typeof status.account> = { ...status.account };
    delete bare.emojis;
    expect(toPost({ ...status, account: bare }, { domain: 'hachyderm.io' }).account.emojis).toEqual(
      [],
    );
  });

  it('drops a javascript: avatar or profile URL', () => {
    const evil = {
      ...status,
      account: {
        ...status.account,
        avatar: 'javascript:alert(1)',
        avatar_static: 'javascript:alert(1)',
        url: 'javascript:alert(1)',
      },
    };
    const p = toPost(evil, { domain: 'hachyderm.io' });
    expect(p.account.avatar).toBe('');
    expect(p.account.url).toBe('');
  });

  it.each([
    [null, /\(root\)/],
    [{ ...status, uri: undefined }, /uri/],
    [{ ...status, created_at: 'yesterday' }, /created_at/],
    [{ ...status, account: { ...status.account, acct: 42 } }, /account\.acct/],
    // Found by the property test: an empty user or domain is no handle at all.
    [{ ...status, account: { ...status.account, acct: ' @' } }, /account\.acct/],
    [{ ...status, account: { ...status.account, acct: 'ada@' } }, /account\.acct/],
  ])('rejects a malformed status with the field named (%#)', (raw, message) => {
    expect(() => toPost(raw, { domain: 'x' })).toThrow(StatusShapeError);
    expect(() => toPost(raw, { domain: 'x' })).toThrow(message);
  });
});

describe('normaliseAcct', () => {
  it('keeps remote handles and lower-cases their domain', () => {
    expect(normaliseAcct('Bob@Mastodon.Social', 'hachyderm.io')).toBe('Bob@mastodon.social');
    expect(normaliseAcct('@bob', 'Hachyderm.io')).toBe('bob@hachyderm.io');
  });
});

describe('consent', () => {
  const ok = { strict: false };
  it('lets an ordinary public post through', () => {
    expect(consentRefusal(post(), ok)).toBeNull();
  });
  it.each([
    ['a bot', { account: account({ bot: true }) }, 'bot'],
    ['a suspended account', { account: account({ suspended: true }) }, 'suspended'],
    ['a limited account', { account: account({ limited: true }) }, 'limited'],
    ['noindex: true', { account: account({ noindex: true }) }, 'noindex'],
    [
      '#nomap in the bio',
      { account: account({ noteText: 'Writer. #NoMap please' }) },
      'opt-out-tag',
    ],
    [
      '#nobot in a profile field',
      { account: account({ fields: [{ name: 'Tags', value: '#nobot' }] }) },
      'opt-out-tag',
    ],
    ['#noindex in the bio', { account: account({ noteText: '#noindex' }) }, 'opt-out-tag'],
    ['#nosearch in the bio', { account: account({ noteText: 'hi #nosearch' }) }, 'opt-out-tag'],
    ['an unlisted post', { visibility: 'unlisted' }, 'not-public'],
    ['a boost', { isReblog: true }, 'reblog'],
  ])('skips %s', (_name, overrides, reason) => {
    expect(consentRefusal(post(overrides), ok)).toBe(reason);
  });
  it('does not mistake a longer tag like #nomapping for an opt-out', () => {
    expect(
      consentRefusal(post({ account: account({ noteText: '#nomapping #bots' }) }), ok),
    ).toBeNull();
  });
  it('requires discoverable only in strict mode', () => {
    const p = post({ account: account({ discoverable: false }) });
    expect(consentRefusal(p, ok)).toBeNull();
    expect(consentRefusal(p, { strict: true })).toBe('not-discoverable');
  });
  it('finds the Location field in several languages', () => {
    expect(
      profileLocationOf(post({ account: account({ fields: [{ name: 'Ort:', value: 'Köln' }] }) })),
    ).toBe('Köln');
    expect(
      profileLocationOf(
        post({ account: account({ fields: [{ name: 'Pronouns', value: 'she/her' }] }) }),
      ),
    ).toBeNull();
  });
});
