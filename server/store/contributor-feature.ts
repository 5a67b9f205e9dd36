import { toLngLat } from '../../shared/geo.js';
import { networkOf } from '../../shared/network.js';
import type {
  ContributorFeature,
  ContributorProperties,
  CustomEmoji,
  PostExcerpt,
} from '../../shared/types.js';

/** The contributor query without its WHERE: every column a ContributorRow needs. */
export const contributorSelect = `
  SELECT c.acct, a.display_name, a.emojis, a.url AS profile_url, a.avatar, p.url AS post_url,
         p.created_at AS posted_at, p.content, p.spoiler_text, p.sensitive, pl.id AS place_id, pl.name AS place_name,
         pl.admin1, pl.country, pl.lat, pl.lng, c.joined_at, c.linked_acct, la.url AS linked_url
  FROM contributors c
  JOIN accounts a ON a.acct = c.acct
  LEFT JOIN accounts la ON la.acct = c.linked_acct
  JOIN posts p ON p.id = c.post_id
  JOIN places pl ON pl.id = c.place_id`;

/** A row of the contributor query (snake_case, as SQL returns it). */
export interface ContributorRow {
  acct: string;
  display_name: string;
  /** JSON array of CustomEmoji, as stored. */
  emojis: string;
  profile_url: string;
  avatar: string;
  post_url: string;
  posted_at: string;
  /** Sanitised HTML; never leaves the server in a public answer when the post is behind a warning. */
  content: string;
  /** The author's content warning, '' when none. */
  spoiler_text: string;
  /** 1 when the author marked the post sensitive. */
  sensitive: number;
  place_id: number;
  place_name: string;
  admin1: string | null;
  country: string;
  lat: number;
  lng: number;
  /** When they first appeared on this campaign's map (paging key). */
  joined_at?: string;
  /** The same person's account on the other network, when the two are linked (shown as one). */
  linked_acct?: string | null;
  /** That account's profile page. */
  linked_url?: string | null;
}

// Accounts repeat across a city's people and every live event: parse each stored list once.
const emojiCache = new Map<string, CustomEmoji[]>();
const NO_EMOJIS: CustomEmoji[] = [];
function parseEmojis(json: string): CustomEmoji[] {
  if (json === '[]') return NO_EMOJIS;
  let list = emojiCache.get(json);
  if (!list) {
    list = JSON.parse(json) as CustomEmoji[];
    if (emojiCache.size > 1000) emojiCache.clear();
    emojiCache.set(json, list);
  }
  return list;
}

/** A post with a warning, or marked sensitive, keeps its text behind a "Show post" control. */
const isBehindWarning = (row: Pick<ContributorRow, 'spoiler_text' | 'sensitive'>) =>
  row.spoiler_text !== '' || row.sensitive === 1;

/**
 * The row → GeoJSON boundary: snake_case becomes camelCase here and nowhere else. The excerpt of
 * a post behind a warning is left out ('' ): readers fetch it with `toPostExcerpt` when they ask.
 */
export function toFeature(row: ContributorRow): ContributorFeature {
  const sensitive = isBehindWarning(row);
  return {
    type: 'Feature',
    id: row.acct,
    geometry: { type: 'Point', coordinates: toLngLat(row.lat, row.lng) },
    properties: {
      acct: row.acct,
      network: networkOf(row.acct),
      displayName: row.display_name,
      emojis: parseEmojis(row.emojis),
      profileUrl: row.profile_url,
      avatar: row.avatar,
      postUrl: row.post_url,
      postedAt: row.posted_at,
      place: { id: row.place_id, name: row.place_name, admin1: row.admin1, country: row.country },
      contentWarning: row.spoiler_text || null,
      sensitive,
      excerpt: sensitive ? '' : row.content,
      ...(row.linked_acct
        ? {
            linked: {
              acct: row.linked_acct,
              network: networkOf(row.linked_acct),
              profileUrl: row.linked_url ?? '',
            },
          }
        : {}),
    },
  };
}

/** `GET .../contributors/:acct/post`: the text of the post that placed a contributor, on request. */
export function toPostExcerpt(row: ContributorRow): PostExcerpt {
  return {
    acct: row.acct,
    postUrl: row.post_url,
    contentWarning: row.spoiler_text || null,
    sensitive: isBehindWarning(row),
    excerpt: row.content,
  };
}

/** A feature's properties alone (city pages list people, the map already has the point). */
export function toProperties(row: ContributorRow): ContributorProperties {
  return toFeature(row).properties;
}
