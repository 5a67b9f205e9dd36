import type { Located } from '../../server/geo/types.js';
import type { Post, PostAccount } from '../../server/model/post.js';
import type { Place } from '../../shared/types.js';

/** Real GeoNames rows (id, name, admin1, country, lat, lng, population) for store and API tests. */
export const places = {
  lagos: {
    id: 2332459,
    name: 'Lagos',
    admin1: 'Lagos',
    country: 'NG',
    lat: 6.45407,
    lng: 3.39467,
    population: 9000000,
  },
  portland: {
    id: 5746545,
    name: 'Portland',
    admin1: 'Oregon',
    country: 'US',
    lat: 45.52345,
    lng: -122.67621,
    population: 652503,
  },
  lyon: {
    id: 2996944,
    name: 'Lyon',
    admin1: 'Auvergne-Rhône-Alpes',
    country: 'FR',
    lat: 45.74846,
    lng: 4.84671,
    population: 522969,
  },
} satisfies Record<string, Place>;

export function located(place: Place, matched = place.name): Located {
  return { place, confidence: 0.95, matched };
}

export function account(overrides: Partial<PostAccount> = {}): PostAccount {
  return {
    acct: 'ada@example.social',
    displayName: 'Ada',
    emojis: [],
    url: 'https://example.social/@ada',
    avatar: 'https://example.social/avatars/ada.png',
    noteText: '',
    fields: [],
    bot: false,
    discoverable: true,
    noindex: null,
    suspended: false,
    limited: false,
    ...overrides,
  };
}

let seq = 0;
/** A normalised post; `n` makes uri and local id unique. */
export function post(overrides: Partial<Post> = {}): Post {
  seq++;
  return {
    uri: `https://example.social/users/ada/statuses/${1000 + seq}`,
    url: `https://example.social/@ada/${1000 + seq}`,
    localId: String(110000000000000000n + BigInt(seq)),
    createdAt: new Date(Date.UTC(2026, 10, 1, 12, 0, seq)).toISOString(),
    editedAt: null,
    rawContent: '<p>#YourTurn Lagos</p>',
    content: '<p>#YourTurn Lagos</p>',
    spoilerText: '',
    sensitive: false,
    language: 'en',
    tags: ['yourturn'],
    visibility: 'public',
    isReblog: false,
    account: account(),
    ...overrides,
  };
}
