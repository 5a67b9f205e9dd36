import { describe, expect, it } from 'vitest';
import { accountsLinked, claimsIn } from '../../server/model/account-links.js';
import { isOwnField } from '../../server/model/claim-context.js';

// Made-up people: pia on both networks, her partner tom on both networks.
const PIA_B = 'b:pia.bsky.social';

const claims = (text: string) => claimsIn(text).includes(PIA_B);

describe('claimsIn: a name counts only when written as the author’s own', () => {
  it('counts a name after a self or neutral marker, in every language', () => {
    for (const text of [
      'Cyclist. Also on Bluesky → @pia.bsky.social',
      'you can find me at pia.bsky.social too',
      'me on the butterfly site: @pia.bsky.social',
      '🦋 pia.bsky.social',
      'bsky: pia.bsky.social',
      'alt: @pia.bsky.social (lurking)',
      'mirror: https://bsky.app/profile/pia.bsky.social',
      'My other account lives at @pia.bsky.social',
      'Elsewhere: pia.bsky.social',
      'Knitting, trains\n@pia.bsky.social\nshe/her',
      'Web | bsky.app/profile/pia.bsky.social | keyoxide',
      'Ich bin auch auf Bluesky: @pia.bsky.social',
      'Aussi sur Bluesky : @pia.bsky.social',
      'También estoy en Bluesky: @pia.bsky.social',
      'Também no Bluesky: @pia.bsky.social',
      'Mi trovate anche su Bluesky: @pia.bsky.social',
      'Ook te vinden op Bluesky: @pia.bsky.social',
      'ブルスカもやってます: @pia.bsky.social',
      'Marie-Pia, gardener, also on bsky: @pia.bsky.social',
      'Not online much, reach me at @pia.bsky.social',
      'Coder by day, baker by night, 🦋 @pia.bsky.social',
      'Designer 🦋 @pia.bsky.social',
      'she/her illustrator 🦋 @pia.bsky.social',
      'RIP Twitter, now 🦋 pia.bsky.social',
      'Bluesky:\n@pia.bsky.social',
      'Parent, runner, baker, 🦋 @pia.bsky.social',
      'That’s me: @pia.bsky.social',
      'formerly @pia.bsky.social',
      "I'm not active here anymore, find me on bsky: @pia.bsky.social",
      'No estoy activa aquí, búscame en @pia.bsky.social',
      'Building maps, also on bsky @pia.bsky.social',
    ])
      expect(claims(text), text).toBe(true);
  });

  it('does not count a name a relation, credit or negation word governs in its clause', () => {
    for (const text of [
      'Proudly married to @pia.bsky.social',
      'my partner @pia.bsky.social 💕',
      'My partner, @pia.bsky.social, takes the photos',
      'sister of pia.bsky.social',
      'avatar by @pia.bsky.social',
      'Header art by the lovely pia.bsky.social',
      'pfp: @pia.bsky.social',
      'thanks to @pia.bsky.social for the banner',
      'co-host with @pia.bsky.social on Radio Moss',
      'bandmate: @pia.bsky.social',
      'This bot is maintained by @pia.bsky.social',
      "my cat's account: @pia.bsky.social",
      'not affiliated with @pia.bsky.social',
      '@pia.bsky.social is NOT me!',
      'Beware of the impersonator @pia.bsky.social',
      "I'm not pia.bsky.social, I just share a name",
      '@pia.bsky.social ist nicht mein Account',
      'This is not pia.bsky.social',
      '@pia.bsky.social (my wife) does the drawings',
      '@pia.bsky.social’s human',
      'In memory of @pia.bsky.social',
      // de, fr, es, pt, it, nl, ja
      'Verheiratet mit @pia.bsky.social',
      'Meine Schwester: @pia.bsky.social',
      'Profilbild gezeichnet von @pia.bsky.social',
      'Das bin nicht ich: @pia.bsky.social',
      'Ma compagne @pia.bsky.social',
      'Avatar dessiné par @pia.bsky.social',
      "Ce n'est pas moi : @pia.bsky.social",
      'Mi hermana @pia.bsky.social',
      'Gracias a @pia.bsky.social por el avatar',
      'No soy @pia.bsky.social',
      'Minha namorada: @pia.bsky.social',
      'Não sou eu: @pia.bsky.social',
      'Mia moglie @pia.bsky.social',
      'Grazie a @pia.bsky.social per il logo',
      'Non sono @pia.bsky.social',
      'Mijn vriendin @pia.bsky.social',
      'Getekend door @pia.bsky.social',
      'Dit ben ik niet: @pia.bsky.social',
      '妻: @pia.bsky.social',
      'アイコンは @pia.bsky.social さんに描いていただきました',
      '@pia.bsky.social は私ではありません',
      'My partner:\n@pia.bsky.social',
      "Married to @tom@m.example. He's on Bluesky too: @pia.bsky.social",
      '中の人: @pia.bsky.social',
      'Dev: @pia.bsky.social',
      'Building @pia.bsky.social with friends',
      'Partner 💕 @pia.bsky.social',
      'I belong to @pia.bsky.social',
      'Mein Frauchen: @pia.bsky.social',
      'PhD advisor: @pia.bsky.social',
      'RIP @pia.bsky.social',
      // the someone's other names listed first
      'sister of @tom@m.example and @pia.bsky.social',
      'Wife: @tom@m.example, @pia.bsky.social',
      'art by @tom@m.example / @pia.bsky.social',
    ])
      expect(claims(text), text).toBe(false);
  });

  it('judges each clause on its own: a partner named in the next sentence leaves the claim', () => {
    const text = 'Maps. Also on bsky @pia.bsky.social. My partner is @tom.bsky.social';
    expect(claimsIn(text)).toEqual([PIA_B]);
  });

  it('drops a name when a relation governs the clause, even after a self marker', () => {
    expect(claims('My partner @tom@m.example is on Bluesky too: @pia.bsky.social')).toBe(false);
  });
});

describe('isOwnField: fields are the author’s own links unless named as someone else', () => {
  it('takes Bluesky, network and link field names as the author’s own', () => {
    for (const name of [
      'Bluesky',
      'bsky',
      '🦋',
      'Mastodon',
      'Fediverse',
      'fedi',
      '⁂',
      'Also',
      'Elsewhere',
      'Web',
      'Links',
      'Auch hier',
      'Ailleurs',
    ])
      expect(isOwnField(name), name).toBe(true);
  });

  it('takes relation, credit and warning field names as someone else’s', () => {
    for (const name of [
      'Partner',
      'Wife',
      'Artist',
      'Avatar',
      'Avatar by',
      'Not me',
      'Impersonator',
      'Ehefrau',
      'Mon chat',
      'Esposa',
      'Marito',
      'Vriendin',
      '妻',
    ])
      expect(isOwnField(name), name).toBe(false);
  });
});

describe('accountsLinked: two people naming each other are two people', () => {
  const pia = {
    acct: 'pia@moss.example',
    url: 'https://moss.example/@pia',
    note: '<p>Gardener.</p>',
    fields: [] as { name: string; value: string }[],
  };
  const tomOnBluesky = {
    did: 'did:plc:tomtomtomtomtomtomtomtomt',
    handle: 'tom.bsky.social',
    description: 'Potter. My partner: @pia@moss.example',
  };

  it('keeps two partners apart when each bio names the other as partner', () => {
    const f = {
      ...pia,
      note: '<p>Gardener. My partner <a href="https://bsky.app/profile/tom.bsky.social">@tom.bsky.social</a></p>',
    };
    expect(accountsLinked(f, tomOnBluesky)).toBe(false);
  });

  it('keeps them apart when the partner is in a field named Partner', () => {
    const f = { ...pia, fields: [{ name: 'Partner', value: '@tom.bsky.social' }] };
    expect(
      accountsLinked(f, { ...tomOnBluesky, description: 'Potter. fedi: @pia@moss.example' }),
    ).toBe(false);
  });

  it('keeps them apart when one side disowns the other, whatever the other claims', () => {
    const f = { ...pia, fields: [{ name: 'Bluesky', value: 'tom.bsky.social' }] };
    expect(accountsLinked(f, { ...tomOnBluesky, description: '@pia@moss.example is not me' })).toBe(
      false,
    );
  });

  it('keeps a pet and its owner apart', () => {
    const cat = {
      ...pia,
      acct: 'miso@moss.example',
      url: 'https://moss.example/@miso',
      note: '<p>I am a cat. My human: @tom.bsky.social</p>',
    };
    expect(
      accountsLinked(cat, { ...tomOnBluesky, description: 'my cat: @miso@moss.example' }),
    ).toBe(false);
  });

  it('keeps a project and its maintainer apart', () => {
    const project = {
      ...pia,
      acct: 'mossmap@moss.example',
      url: 'https://moss.example/@mossmap',
      note: '<p>A map of moss. Maintained by @tom.bsky.social</p>',
    };
    expect(
      accountsLinked(project, { ...tomOnBluesky, description: 'I maintain @mossmap@moss.example' }),
    ).toBe(false);
  });

  it('still links one person who says so on both sides, beside a partner named elsewhere', () => {
    const f = {
      ...pia,
      note: '<p>Gardener. Married to @jo@moss.example.</p><p>🦋 pia.bsky.social</p>',
    };
    const b = {
      did: 'did:plc:piapiapiapiapiapiapiapiap',
      handle: 'pia.bsky.social',
      description: 'Gardener.\nfedi: @pia@moss.example',
    };
    expect(accountsLinked(f, b)).toBe(true);
  });
});
