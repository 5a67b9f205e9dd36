import type {
  ContributorCollection,
  ContributorFeature,
  Place,
  PostExcerpt,
} from '../../shared/types.js';
import type { Post } from '../model/post.js';
import type { ChangeStream } from './changes.js';
import {
  contributorSelect,
  toFeature,
  toPostExcerpt,
  type ContributorRow,
} from './contributor-feature.js';
import type { Db } from './db.js';
import type { StoredEvent } from './event-log.js';
import type { AccountRow } from './posts.js';

/** A post just inserted with a city, and how to build its feature from what is in hand. */
export interface FreshPost {
  id: number;
  placeId: number;
  /** When the post was written (ISO): a person joins the map on the day they answered. */
  postedAt: string;
  feature: () => ContributorFeature;
}

/** A contributor row as stored. */
interface Row {
  acct: string;
  post_id: number;
  place_id: number;
  joined_at: string;
  linked_acct: string | null;
}

/** An account's latest located post on a map that is not hidden. */
interface Latest {
  id: number;
  place_id: number;
  created_at: string;
}

/** A change's `paired`, left out when the row is an account alone before and after. */
const paired = (from: boolean, to: boolean) => (from || to ? { paired: { from, to } } : {});

/** Which of two posts is the newer: the later written, then the later stored. */
const newer = (a: Latest, b: Latest) =>
  a.created_at > b.created_at || (a.created_at === b.created_at && a.id > b.id);

/**
 * Who is on each campaign's map and where (table `contributors`): each person once, at the city
 * of their latest located post that is not hidden. A linked pair (server/store/links.ts) is one
 * person when both accounts are on the map on their own: one row, under the account whose latest
 * post is the newer (where they are now), naming the other in `linked_acct`; if either is hidden,
 * blocked or gone, the other is shown alone. Every appearance, move and departure is logged as a
 * live event and recorded on the change stream.
 */
export function createContributors(
  db: Db,
  deps: {
    iso: () => string;
    isBlocked: (acct: string) => boolean;
    partnerOf: (acct: string) => string | null;
    changes: ChangeStream;
  },
) {
  const { iso, changes } = deps;
  const stmt = {
    latestLocated: db.prepare(`
      SELECT p.id, p.place_id, p.created_at FROM posts p JOIN post_tags t ON t.post_id = p.id AND t.tag = ?
      WHERE p.acct = ? AND p.deleted_at IS NULL AND p.place_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM hidden_posts h WHERE h.post_id = p.id)
      ORDER BY p.created_at DESC, p.id DESC LIMIT 1`),
    contributorRow: db.prepare(
      'SELECT acct, post_id, place_id, joined_at, linked_acct FROM contributors WHERE tag = ? AND acct = ?',
    ),
    linkingRow: db.prepare(
      'SELECT acct, post_id, place_id, joined_at, linked_acct FROM contributors WHERE linked_acct = ? AND tag = ?',
    ),
    upsertContributor: db.prepare(`
      INSERT INTO contributors (tag, acct, post_id, place_id, joined_at, updated_at, linked_acct) VALUES (@tag, @acct, @postId, @placeId, @joined, @now, @linked)
      ON CONFLICT (tag, acct) DO UPDATE SET post_id = excluded.post_id, place_id = excluded.place_id,
        updated_at = excluded.updated_at, linked_acct = excluded.linked_acct`),
    insertContributor: db.prepare(`
      INSERT INTO contributors (tag, acct, post_id, place_id, joined_at, updated_at) VALUES (@tag, @acct, @postId, @placeId, @joined, @now)
      ON CONFLICT (tag, acct) DO NOTHING`),
    deleteContributor: db.prepare('DELETE FROM contributors WHERE tag = ? AND acct = ?'),
    contributors: db.prepare(`${contributorSelect} WHERE c.tag = ? ORDER BY c.joined_at, c.acct`),
    contributor: db.prepare(`${contributorSelect} WHERE c.tag = ? AND c.acct = ?`),
    contributorByLinked: db.prepare(`${contributorSelect} WHERE c.linked_acct = ? AND c.tag = ?`),
  };

  /** The row that shows `acct` on this map: their own, or the one of the account they are linked with. */
  function rowShowing(tag: string, acct: string): ContributorRow | undefined {
    return (stmt.contributor.get(tag, acct) ?? stmt.contributorByLinked.get(acct, tag)) as
      ContributorRow | undefined;
  }

  function feature(tag: string, acct: string): ContributorFeature | null {
    const row = rowShowing(tag, acct);
    return row ? toFeature(row) : null;
  }

  const latestOf = (tag: string, acct: string) =>
    deps.isBlocked(acct) ? undefined : (stmt.latestLocated.get(tag, acct) as Latest | undefined);

  /**
   * Bring the rows of `acct`, its partner and any account a row still pairs them with in line with
   * their posts and links, pushing the events of what changed on the map. `fresh` is a post just
   * inserted with a city: for someone unlinked not yet on this map it is their latest located post
   * (a contributor row exists exactly when one does), so the lookups can be skipped.
   */
  function recompute(
    tag: string,
    acct: string,
    force: boolean,
    events: StoredEvent[],
    fresh?: FreshPost,
  ): void {
    const partner = deps.partnerOf(acct);
    if (fresh && partner === null) {
      const now = iso();
      const joined = joinedAt(fresh.postedAt, now);
      const row = { tag, acct, postId: fresh.id, placeId: fresh.placeId, now, joined };
      if (stmt.insertContributor.run(row).changes > 0) {
        const move = { tag, acct, from: null, to: fresh.placeId, joinedAt: joined };
        events.push(changes.log(tag, 'contributor', fresh.feature(), move));
        return;
      }
    }
    // The accounts concerned: acct, its partner, and whoever a row or a link pairs them with now.
    const partners = new Map<string, string | null>([[acct, partner]]);
    const rows = new Map<string, Row>();
    const pending = [acct];
    for (let a = pending.pop(); a !== undefined; a = pending.pop()) {
      const p = partners.has(a) ? partners.get(a)! : deps.partnerOf(a);
      partners.set(a, p);
      const own = stmt.contributorRow.get(tag, a) as Row | undefined;
      const linking = stmt.linkingRow.get(a, tag) as Row | undefined;
      if (own) rows.set(own.acct, own);
      if (linking) rows.set(linking.acct, linking);
      for (const b of [p, own?.linked_acct, linking?.acct])
        if (b && !partners.has(b) && !pending.includes(b)) pending.push(b);
      if (partners.size + pending.length > 8) break; // a pair touches at most 4 accounts
    }
    // Where each is shown now: a pair once, at the newer post, when both are on the map.
    const wanted = new Map<string, { latest: Latest; linked: string | null }>();
    const seen = new Set<string>();
    for (const [a, p] of partners) {
      if (seen.has(a)) continue;
      seen.add(a);
      const la = latestOf(tag, a);
      const other = p !== null && partners.get(p) === a && !seen.has(p) ? p : null;
      const lp = other === null ? undefined : latestOf(tag, other);
      if (other !== null) seen.add(other);
      if (la && lp) {
        if (newer(lp, la)) wanted.set(other!, { latest: lp, linked: a });
        else wanted.set(a, { latest: la, linked: other });
      } else if (la) wanted.set(a, { latest: la, linked: null });
      else if (lp) wanted.set(other!, { latest: lp, linked: null });
    }
    for (const [a, cur] of rows) {
      if (wanted.has(a) || !partners.has(a)) continue; // only rows of accounts looked at above
      stmt.deleteContributor.run(tag, a);
      const move = {
        tag,
        acct: a,
        from: cur.place_id,
        to: null,
        joinedAt: cur.joined_at,
        ...paired(cur.linked_acct !== null, false),
      };
      events.push(changes.log(tag, 'remove', { acct: a }, move));
    }
    for (const [a, { latest, linked }] of wanted) {
      const cur = rows.get(a);
      const same =
        cur?.post_id === latest.id &&
        cur.place_id === latest.place_id &&
        cur.linked_acct === linked;
      if (same && !(force && (a === acct || linked === acct))) continue;
      const now = iso();
      // The person joined when they first appeared, under either account.
      const earlier = [...rows.values()]
        .filter((r) => r.acct === linked || r.linked_acct === a)
        .map((r) => r.joined_at)
        .sort()[0];
      const joined = cur?.joined_at ?? earlier ?? joinedAt(latest.created_at, now);
      const row = {
        tag,
        acct: a,
        postId: latest.id,
        placeId: latest.place_id,
        now,
        joined,
        linked,
      };
      if (!same) stmt.upsertContributor.run(row);
      const wasPaired = (cur?.linked_acct ?? null) !== null;
      const move =
        cur?.place_id !== latest.place_id || wasPaired !== (linked !== null)
          ? {
              tag,
              acct: a,
              from: cur?.place_id ?? null,
              to: latest.place_id,
              joinedAt: joined,
              ...paired(wasPaired, linked !== null),
            }
          : undefined;
      events.push(changes.log(tag, 'contributor', feature(tag, a)!, move));
    }
  }

  return {
    recompute,

    /** Recompute one account on each of `tags`, collecting the events. */
    recomputeAll(acct: string, tags: string[], events: StoredEvent[]): void {
      for (const tag of tags) recompute(tag, acct, false, events);
    },

    collection(tag: string): ContributorCollection {
      const rows = stmt.contributors.all(tag) as ContributorRow[];
      return { type: 'FeatureCollection', features: rows.map(toFeature) };
    },

    feature,

    /** The text of the post that placed `acct` on this map, or null when they are not on it. */
    post(tag: string, acct: string): PostExcerpt | null {
      const row = rowShowing(tag, acct);
      return row ? toPostExcerpt(row) : null;
    },
  };
}

/** The feature of a post just inserted, from what is in hand (the account as stored: it may be another instance's copy). */
/**
 * The day someone joined a map is the day of the post that put them there, so a backfilled
 * campaign charts its real history; a post dated in the future (a server's clock) counts as now.
 */
function joinedAt(postedAt: string, now: string): string {
  return postedAt < now ? postedAt : now;
}

export function freshFeature(post: Post, place: Place, account: AccountRow): ContributorFeature {
  return toFeature({
    acct: post.account.acct,
    display_name: account.display_name,
    emojis: account.emojis,
    profile_url: account.url,
    avatar: account.avatar,
    post_url: post.url,
    posted_at: post.createdAt,
    content: post.content,
    spoiler_text: post.spoilerText,
    sensitive: post.sensitive ? 1 : 0,
    place_id: place.id,
    place_name: place.name,
    linked_acct: null,
    linked_url: null,
    admin1: place.admin1,
    country: place.country,
    lat: place.lat,
    lng: place.lng,
  });
}

export type Contributors = ReturnType<typeof createContributors>;
