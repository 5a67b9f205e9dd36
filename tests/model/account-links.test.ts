import { describe, expect, it } from 'vitest';
import {
  accountsLinked,
  blueskyNames,
  fediverseNames,
  namesIn,
} from '../../server/model/account-links.js';

const DID = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';

/** A Mastodon Account as the API serves it (note and field values are HTML). */
function fedi(
  over: Partial<{
    acct: string;
    url: string;
    note: string;
    fields: { name: string; value: string }[];
  }> = {},
) {
  return {
    acct: 'alice@mastodon.social',
    url: 'https://mastodon.social/@alice',
    note: '<p>Maps and bread.</p>',
    fields: [] as { name: string; value: string }[],
    ...over,
  };
}

function bsky(over: Partial<{ did: string; handle: string; description: string }> = {}) {
  return {
    did: DID,
    handle: 'alice.bsky.social',
    description: 'Maps and bread. Also @alice@mastodon.social',
    ...over,
  };
}

/** How Mastodon renders a URL in a bio or field: scheme and tail in `invisible` spans. */
const mastodonLink = (url: string) => {
  const [, scheme, rest] = /^(https?:\/\/)(.*)$/.exec(url)!;
  const shown = rest!.slice(0, 30);
  const hidden = rest!.slice(30);
  return `<a href="${url}" target="_blank" rel="nofollow noopener me" translate="no"><span class="invisible">${scheme}</span><span class="${hidden ? 'ellipsis' : ''}">${shown}</span><span class="invisible">${hidden}</span></a>`;
};

describe('accountsLinked', () => {
  it('links a Mastodon field naming the handle and a Bluesky description naming the address', () => {
    const f = fedi({ fields: [{ name: 'Bluesky', value: 'alice.bsky.social' }] });
    expect(accountsLinked(f, bsky())).toBe(true);
  });

  it('is false when only the fediverse side names the other account', () => {
    const f = fedi({ fields: [{ name: 'Bluesky', value: '@alice.bsky.social' }] });
    expect(accountsLinked(f, bsky({ description: 'Maps and bread.' }))).toBe(false);
  });

  it('is false when only the Bluesky side names the other account', () => {
    expect(accountsLinked(fedi(), bsky())).toBe(false);
  });

  it('reads the handle with an @ in the note', () => {
    const f = fedi({ note: '<p>Also on Bluesky: @alice.bsky.social</p>' });
    expect(accountsLinked(f, bsky())).toBe(true);
  });

  it('reads a bsky.app profile link by handle, shortened by Mastodon with invisible spans', () => {
    const f = fedi({
      fields: [{ name: 'bsky', value: mastodonLink('https://bsky.app/profile/alice.bsky.social') }],
    });
    expect(accountsLinked(f, bsky())).toBe(true);
  });

  it('reads a scheme-less bsky.app link by DID, an at:// URI, and a DID after a label', () => {
    for (const value of [
      `bsky.app/profile/${DID}`,
      `at://${DID}`,
      'at://alice.bsky.social',
      `bluesky:${DID}`,
      '🦋—alice.bsky.social',
    ])
      expect(accountsLinked(fedi({ fields: [{ name: 'x', value }] }), bsky()), value).toBe(true);
  });

  it('reads a bsky.app profile link by DID, and the bare DID', () => {
    const byUrl = fedi({ note: `<p>${mastodonLink(`https://bsky.app/profile/${DID}`)}</p>` });
    const byDid = fedi({ fields: [{ name: 'ATproto', value: DID }] });
    expect(accountsLinked(byUrl, bsky())).toBe(true);
    expect(accountsLinked(byDid, bsky())).toBe(true);
  });

  it('knows the account when the handle changed but the link names the DID', () => {
    const f = fedi({ note: `<p>${mastodonLink(`https://bsky.app/profile/${DID}`)}</p>` });
    expect(accountsLinked(f, bsky({ handle: 'alice.example' }))).toBe(true);
  });

  it('reads every way the Bluesky side may name the fediverse account', () => {
    const f = fedi({ fields: [{ name: 'Bluesky', value: 'alice.bsky.social' }] });
    for (const description of [
      'fedi: @alice@mastodon.social',
      'mail-like alice@mastodon.social works too',
      'https://mastodon.social/@alice',
      'mastodon.social/@alice',
      'Find me at HTTPS://Mastodon.Social/@Alice/?utm_source=bsky.',
      '(@Alice@Mastodon.Social).',
      'me → http://mastodon.social/@alice#top',
      'https://mastodon.social/users/alice',
      'fediverse—@alice@mastodon.social’s the one',
      'mailto:alice@mastodon.social',
    ])
      expect(accountsLinked(f, bsky({ description })), description).toBe(true);
  });

  it('reads the profile URL when the address domain is not the web domain', () => {
    const f = fedi({
      acct: 'alice@example.com',
      url: 'https://social.example.com/@alice',
      fields: [{ name: 'Bluesky', value: 'alice.bsky.social' }],
    });
    expect(accountsLinked(f, bsky({ description: 'https://social.example.com/@alice' }))).toBe(
      true,
    );
    expect(accountsLinked(f, bsky({ description: '@alice@example.com' }))).toBe(true);
    expect(accountsLinked(f, bsky({ description: 'https://example.com/@alice' }))).toBe(true);
    expect(accountsLinked(f, bsky({ description: '@alice@elsewhere.example' }))).toBe(false);
  });

  it('places a bare username on its profile page’s host', () => {
    const f = fedi({ acct: 'alice', fields: [{ name: 'Bluesky', value: 'alice.bsky.social' }] });
    expect(accountsLinked(f, bsky({ description: '@alice@mastodon.social' }))).toBe(true);
  });

  it('matches whole accounts only: a longer handle holding the handle is another account', () => {
    const f = fedi({ fields: [{ name: 'Bluesky', value: 'sal.bsky.social' }] });
    expect(accountsLinked(f, bsky({ handle: 'al.bsky.social' }))).toBe(false);
    const g = fedi({ fields: [{ name: 'Bluesky', value: 'al.bsky.social.evil.example' }] });
    expect(accountsLinked(g, bsky({ handle: 'al.bsky.social' }))).toBe(false);
  });

  it('matches whole addresses only: a domain under the real one is someone else', () => {
    const f = fedi({ acct: 'a@mastodon.social', url: 'https://mastodon.social/@a' });
    f.fields = [{ name: 'Bluesky', value: 'alice.bsky.social' }];
    for (const description of [
      '@a@mastodon.social.evil.example',
      'ba@mastodon.social',
      '@aa@mastodon.social',
      'https://mastodon.social/@ab',
      'https://mastodon.social.evil.example/@a',
      'https://mastodon.social/@a/110000000000',
      'https://evil.example/?u=https://mastodon.social/@a',
    ])
      expect(accountsLinked(f, bsky({ description })), description).toBe(false);
  });

  it('does not take a fediverse address on a handle domain for the handle', () => {
    const f = fedi({ note: '<p>@bob@alice.bsky.social</p>' });
    expect(accountsLinked(f, bsky())).toBe(false);
  });

  it('is case-insensitive and ignores trailing punctuation on the fediverse side', () => {
    const f = fedi({ note: '<p>Bluesky: <strong>Alice.BSKY.social</strong>!</p>' });
    expect(accountsLinked(f, bsky())).toBe(true);
  });

  it('reads escaped HTML entities in a field', () => {
    const f = fedi({ fields: [{ name: 'x', value: '&quot;alice.bsky.social&quot;' }] });
    expect(accountsLinked(f, bsky())).toBe(true);
  });

  it('never reads field names, only their values', () => {
    const f = fedi({ fields: [{ name: 'alice.bsky.social', value: 'my other place' }] });
    expect(accountsLinked(f, bsky())).toBe(false);
  });

  it('never links through a handle that no longer verifies', () => {
    const f = fedi({ fields: [{ name: 'Bluesky', value: 'handle.invalid' }] });
    expect(accountsLinked(f, bsky({ handle: 'handle.invalid' }))).toBe(false);
  });

  it('treats a Bluesky mention of the bridged handle as naming the fediverse account', () => {
    const f = fedi({ fields: [{ name: 'Bluesky', value: 'alice.bsky.social' }] });
    expect(accountsLinked(f, bsky({ description: 'also @alice.mastodon.social.ap.brid.gy' }))).toBe(
      true,
    );
  });

  describe('bridges (Bridgy Fed)', () => {
    it('links a fediverse account with its Bluesky mirror, without any text', () => {
      const mirror = bsky({
        did: 'did:plc:bridgemirror000000000000',
        handle: 'alice.mastodon.social.ap.brid.gy',
        description: '',
      });
      expect(accountsLinked(fedi(), mirror)).toBe(true);
    });

    it('maps underscores to hyphens as the bridge does', () => {
      const f = fedi({ acct: 'al_ice@mastodon.social', url: 'https://mastodon.social/@al_ice' });
      expect(accountsLinked(f, bsky({ handle: 'al-ice.mastodon.social.ap.brid.gy' }))).toBe(true);
    });

    it('links a Bluesky account with its fediverse mirror', () => {
      const mirror = fedi({
        acct: 'alice.bsky.social@bsky.brid.gy',
        url: 'https://bsky.brid.gy/ap/did:plc:ewvi7nxzyoun6zhxrhs64oiz',
        note: '',
      });
      expect(accountsLinked(mirror, bsky({ description: '' }))).toBe(true);
    });

    it('never links a mirror with someone else, whatever the copied bio says', () => {
      const mirrorOfBob = bsky({
        handle: 'bob.mastodon.social.ap.brid.gy',
        description: 'Me: @alice@mastodon.social',
      });
      const f = fedi({ fields: [{ name: 'Bluesky', value: 'bob.mastodon.social.ap.brid.gy' }] });
      expect(accountsLinked(f, mirrorOfBob)).toBe(false);
      const fediMirrorOfBob = fedi({
        acct: 'bob.bsky.social@bsky.brid.gy',
        url: 'https://bsky.brid.gy/ap/did:plc:bob',
        note: '<p>alice.bsky.social</p>',
      });
      expect(
        accountsLinked(fediMirrorOfBob, bsky({ description: '@bob.bsky.social@bsky.brid.gy' })),
      ).toBe(false);
    });

    it('reads a fediverse mention of the bridge address as naming the Bluesky account', () => {
      const f = fedi({ note: '<p>@alice.bsky.social@bsky.brid.gy</p>' });
      expect(accountsLinked(f, bsky())).toBe(true);
    });
  });
});

describe('namesIn', () => {
  it('names each account once, whole words only', () => {
    expect(
      namesIn('x.bsky.social, @x.bsky.social and https://bsky.app/profile/x.bsky.social/'),
    ).toEqual(['b:x.bsky.social']);
    expect(namesIn('just words, no names')).toEqual([]);
  });

  it('reads a label before a colon as a label, not a name', () => {
    expect(namesIn('bsky:alice.bsky.social')).toEqual(['b:alice.bsky.social']);
    expect(namesIn(`bluesky:${DID}`)).toEqual([`b:${DID}`]);
  });
});

describe('names', () => {
  it('gives a fediverse account its address, its profile URL and its local form', () => {
    const { self } = fediverseNames(fedi());
    expect(self).toContain('f:alice@mastodon.social');
    expect(self).toContain('f:mastodon.social/@alice');
  });

  it('gives a Bluesky account its DID and handle', () => {
    expect(blueskyNames(bsky()).self).toEqual([`b:${DID}`, 'b:alice.bsky.social']);
  });
});

// The blind set's labelling rules (tests/fixtures/linked-accounts-blind.README.md), each with new
// made-up people: rosa on moss.example and on Bluesky.
describe('labelling rules', () => {
  const RDID = 'did:plc:r0saaaaaaaaaaaaaaaaaaaaa';
  const rosa = (over: Partial<ReturnType<typeof fedi>> = {}) =>
    fedi({ acct: 'rosa@moss.example', url: 'https://moss.example/@rosa', note: '', ...over });
  const rosaSky = (over: Partial<ReturnType<typeof bsky>> = {}) =>
    bsky({
      did: RDID,
      handle: 'rosa.bsky.social',
      description: 'fedi: @rosa@moss.example',
      ...over,
    });
  const field = (value: string, name = 'Links') => rosa({ fields: [{ name, value }] });

  it('rule 1: one side alone is never enough, even with a field on one side and a bio on the other', () => {
    expect(
      accountsLinked(field('rosa.bsky.social', 'Bluesky'), rosaSky({ description: 'Moss.' })),
    ).toBe(false);
    expect(accountsLinked(rosa({ note: '<p>Moss.</p>' }), rosaSky())).toBe(false);
  });

  it('rule 2: names the Bluesky account by handle, bsky.app URL in any form, DID, at:// and another client’s /profile/<did>', () => {
    for (const value of [
      'rosa.bsky.social',
      'http://www.bsky.app/profile/rosa.bsky.social/?ref=fedi',
      `bsky.app/profile/${RDID}/`,
      `at://${RDID}`,
      `https://deck.example/profile/${RDID}`,
      '@rosa.bsky.social@bsky.brid.gy',
    ])
      expect(accountsLinked(field(value), rosaSky()), value).toBe(true);
  });

  it('rule 2: a bridge mention whose href holds the DID names the account', () => {
    const note = `<p><span class="h-card"><a href="https://bsky.brid.gy/ap/${RDID}" class="u-url mention">@<span>rosa</span></a></span> is me too</p>`;
    expect(accountsLinked(rosa({ note }), rosaSky())).toBe(true);
  });

  it('rule 3: names the fediverse account by address and by its page in any server URL shape', () => {
    for (const description of [
      'rosa@moss.example',
      'moss.example/@rosa/',
      'https://www.moss.example/@rosa?src=bsky',
      'https://moss.example/users/rosa',
      'https://moss.example/profile/rosa',
      'https://moss.example/rosa',
      'also @rosa.moss.example.ap.brid.gy',
    ])
      expect(accountsLinked(field('rosa.bsky.social'), rosaSky({ description })), description).toBe(
        true,
      );
  });

  it('rule 3: either form counts when the address domain is not the web host', () => {
    const f = fedi({
      acct: 'rosa@moss.example',
      url: 'https://social.moss.example/@rosa',
      fields: [{ name: 'Bluesky', value: 'rosa.bsky.social' }],
    });
    for (const description of [
      'rosa@social.moss.example',
      'https://social.moss.example/rosa',
      'moss.example/@rosa',
    ])
      expect(accountsLinked(f, rosaSky({ description })), description).toBe(true);
  });

  it('rule 4: whole identities only; a cut-off DID, a bare username, a server alone name nothing', () => {
    for (const value of [
      'arosa.bsky.social',
      'rosa.bsky.social.evil.example',
      `${RDID}x`,
      `${RDID.slice(0, -4)}…`,
      '@rosa',
      'bsky.app',
      'link in bio',
    ])
      expect(accountsLinked(field(value), rosaSky()), value).toBe(false);
    for (const description of [
      '@rosa',
      'moss.example',
      '@rosa@moss.example.evil.example',
      'https://moss.example/@rosalind',
    ])
      expect(accountsLinked(field('rosa.bsky.social'), rosaSky({ description })), description).toBe(
        false,
      );
  });

  it('rule 5: case and surrounding punctuation, full-width or CJK, are not part of a name', () => {
    for (const value of [
      'ブルスカ：Rosa.Bsky.Social。',
      '«@ROSA.bsky.social»',
      '(rosa.bsky.social)!',
      '🦋rosa.bsky.social🌿',
    ])
      expect(accountsLinked(field(value), rosaSky()), value).toBe(true);
    expect(
      accountsLinked(
        field('rosa.bsky.social'),
        rosaSky({ description: 'Fedi：@Rosa@Moss.Example】' }),
      ),
    ).toBe(true);
  });

  it('rule 6: self-claims count, in several languages', () => {
    for (const description of [
      'also me: @rosa@moss.example',
      'my alt → @rosa@moss.example',
      'work: @rosa@moss.example',
      'Ich bin auch @rosa@moss.example',
    ])
      expect(accountsLinked(field('rosa.bsky.social'), rosaSky({ description })), description).toBe(
        true,
      );
  });

  it('rule 7 (deliberately not followed): a Bridgy Fed mirror is linked with the account it mirrors, so a bridged person counts once', () => {
    const mirror = rosaSky({
      did: 'did:plc:m1rrorrrrrrrrrrrrrrrrrrr',
      handle: 'rosa.moss.example.ap.brid.gy',
      description: '🌉 bridged from ⁂ https://moss.example/@rosa',
    });
    expect(accountsLinked(rosa(), mirror)).toBe(true);
    expect(
      accountsLinked(rosa({ acct: 'tam@moss.example', url: 'https://moss.example/@tam' }), mirror),
    ).toBe(false);
  });

  it('rule 8: a custom-domain handle counts as a handle, a bsky.app link or after a Bluesky marker, not as a plain website', () => {
    const sky = rosaSky({ handle: 'rosa.garden' });
    for (const [f, linked] of [
      [field('@rosa.garden'), true],
      [field('rosa.garden', 'Bluesky'), true],
      [field('rosa.garden', '🦋'), true],
      [rosa({ note: '<p>Also on Bluesky as rosa.garden.</p>' }), true],
      [rosa({ note: '<p>bsky: rosa.garden</p>' }), true],
      [field('rosa.garden', 'Website'), false],
      [field(mastodonLink('https://rosa.garden/'), 'Website'), false],
      [rosa({ note: '<p>I blog at rosa.garden</p>' }), false],
      [field('@blog.rosa.garden'), false],
      [field('@garden'), false],
    ] as const)
      expect(accountsLinked(f, sky), JSON.stringify(f.fields[0] ?? f.note)).toBe(linked);
  });

  it('rule 9: a DID names the account only when it is this account’s DID, after a handle change too', () => {
    expect(accountsLinked(field(RDID), rosaSky({ handle: 'rosa.renamed.example' }))).toBe(true);
    expect(accountsLinked(field('did:web:rosa.bsky.social'), rosaSky())).toBe(false);
    expect(accountsLinked(field('did:plc:someoneelseeeeeeeeeeeeee'), rosaSky())).toBe(false);
  });

  it('rule 10: Pixelfed, Friendica and Misskey profile URL shapes name the account like Mastodon ones', () => {
    for (const url of [
      'https://pix.example/rosa',
      'https://friendica.example/profile/rosa',
      'https://misskey.example/@rosa',
    ]) {
      const host = new URL(url).host;
      const f = fedi({
        acct: `rosa@${host}`,
        url,
        fields: [{ name: 'Bluesky', value: 'rosa.bsky.social' }],
      });
      expect(accountsLinked(f, rosaSky({ description: url })), url).toBe(true);
      expect(accountsLinked(f, rosaSky({ description: `@rosa@${host}` })), url).toBe(true);
    }
  });
});
