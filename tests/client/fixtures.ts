import type { ContributorFeature, PlaceLabel, ServerStatus } from '../../shared/types.js';

/** Real GeoNames ids and city-centre coordinates. */
export const places = {
  lagos: { id: 2332459, name: 'Lagos', admin1: 'Lagos', country: 'NG', lng: 3.39467, lat: 6.45407 },
  portland: {
    id: 5746545,
    name: 'Portland',
    admin1: 'Oregon',
    country: 'US',
    lng: -122.67621,
    lat: 45.52345,
  },
  lyon: {
    id: 2996944,
    name: 'Lyon',
    admin1: 'Auvergne-Rhône-Alpes',
    country: 'FR',
    lng: 4.84671,
    lat: 45.74846,
  },
  berlin: {
    id: 2950159,
    name: 'Berlin',
    admin1: 'Land Berlin',
    country: 'DE',
    lng: 13.41053,
    lat: 52.52437,
  },
  saoPaulo: {
    id: 3448439,
    name: 'São Paulo',
    admin1: 'São Paulo',
    country: 'BR',
    lng: -46.63611,
    lat: -23.5475,
  },
  nairobi: {
    id: 184745,
    name: 'Nairobi',
    admin1: 'Nairobi Area',
    country: 'KE',
    lng: 36.81667,
    lat: -1.28333,
  },
  tokyo: {
    id: 1850147,
    name: 'Tokyo',
    admin1: 'Tokyo',
    country: 'JP',
    lng: 139.69171,
    lat: 35.6895,
  },
  reykjavik: {
    id: 3413829,
    name: 'Reykjavík',
    admin1: 'Capital Region',
    country: 'IS',
    lng: -21.89541,
    lat: 64.13548,
  },
} satisfies Record<string, PlaceLabel & { lng: number; lat: number }>;

type PlaceKey = keyof typeof places;

/** The display name an attacker would pick; it must show up as these characters. */
export const hostileName = '<img src=x onerror=alert(1)>';

/** An excerpt with everything the client-side allowlist must remove, around a normal post. */
export const hostileExcerpt =
  '<p>Hello from Lagos <script>alert(2)</script><img src=x onerror=alert(3)>' +
  '<a href="javascript:alert(4)">click me</a> ' +
  '<a href="https://example.social/tags/yourturn" class="mention hashtag" rel="tag">#<span>YourTurn</span></a></p>' +
  '<svg><script>alert(5)</script></svg><p>Second <b>paragraph</b><br>new line</p>';

let minutes = 0;

export function contributor(
  user: string,
  place: PlaceKey,
  overrides: Partial<ContributorFeature['properties']> = {},
): ContributorFeature {
  const { lng, lat, ...label } = places[place];
  const [name, domain] = user.split('@') as [string, string];
  minutes += 37;
  return {
    type: 'Feature',
    id: user,
    geometry: { type: 'Point', coordinates: [lng, lat] },
    properties: {
      acct: user,
      displayName: name[0]!.toUpperCase() + name.slice(1),
      emojis: [],
      profileUrl: `https://${domain}/@${name}`,
      avatar: '/avatars/ok.svg',
      postUrl: `https://${domain}/@${name}/1130${minutes}`,
      postedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
      place: label,
      contentWarning: null,
      sensitive: false,
      excerpt: `<p>I'm in ${label.name}. <a href="https://${domain}/tags/yourturn" class="mention hashtag" rel="tag">#<span>YourTurn</span></a></p>`,
      ...overrides,
    },
  };
}

/** 12 people in 7 cities, 7 countries. */
export const contributors: ContributorFeature[] = [
  contributor('ada@example.social', 'lagos', { displayName: hostileName, excerpt: hostileExcerpt }),
  contributor('bola@example.social', 'lagos', { displayName: 'Bọ́lá Àjàyí', avatar: '' }),
  contributor('chi@naija.town', 'lagos', { displayName: 'Chi', avatar: '/avatars/missing.png' }),
  contributor('dana@pdx.social', 'portland'),
  contributor('eli@pdx.social', 'portland', { displayName: 'Eli 🌲' }),
  contributor('fatou@piaille.fr', 'lyon'),
  contributor('gus@chaos.social', 'berlin'),
  contributor('hana@chaos.social', 'berlin'),
  contributor('ines@masto.donte.com.br', 'saoPaulo'),
  contributor('juma@mastodon.africa', 'nairobi'),
  contributor('kenji@mstdn.jp', 'tokyo'),
  contributor('lea@chaos.social', 'berlin'),
];

export const status: ServerStatus = {
  campaigns: ['yourturn'],
  sources: [
    {
      instance: 'https://mastodon.social',
      tag: 'yourturn',
      state: 'backing-off',
      lastSuccessAt: null,
      lastError: 'connect ETIMEDOUT 199.232.1.1:443',
      lastErrorAt: new Date().toISOString(),
      postsSeen: 0,
      rateLimitRemaining: null,
    },
    {
      instance: 'https://chaos.social',
      tag: 'yourturn',
      state: 'streaming',
      lastSuccessAt: new Date().toISOString(),
      lastError: null,
      lastErrorAt: null,
      postsSeen: 41,
      rateLimitRemaining: 280,
    },
    {
      instance: 'https://chaos.social',
      tag: 'othertag',
      state: 'polling',
      lastSuccessAt: new Date().toISOString(),
      lastError: null,
      lastErrorAt: null,
      postsSeen: 3,
      rateLimitRemaining: 280,
    },
  ],
  reach: {
    sources: [
      { source: 'https://chaos.social', kind: 'instance', postsFirst: 1200, postsOnlyHere: 9 },
      { source: 'https://mastodon.social', kind: 'instance', postsFirst: 300, postsOnlyHere: 0 },
      { source: 'https://fedi.buzz', kind: 'aggregator', postsFirst: 40, postsOnlyHere: 3 },
      { source: 'https://old.example', kind: null, postsFirst: 2, postsOnlyHere: 0 },
    ],
    postsTotal: 1542,
    postsSeenByOneSourceOnly: 12,
    postsFirstUnknown: 0,
    countedAt: new Date().toISOString(),
  },
};
