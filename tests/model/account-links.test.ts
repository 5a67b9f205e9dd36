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
