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

/**
 * Who is on each campaign's map and where (table `contributors`): each person once, at the city
 * of their latest located post that is not hidden. Every appearance, move and departure is
 * logged as a live event and recorded on the change stream.
 */
export function createContributors(
  db: Db,
  deps: { iso: () => string; isBlocked: (acct: string) => boolean; changes: ChangeStream },
) {
  const { iso, changes } = deps;
  const stmt = {
    latestLocated: db.prepare(`
      SELECT p.id, p.place_id, p.created_at FROM posts p JOIN post_tags t ON t.post_id = p.id AND t.tag = ?
      WHERE p.acct = ? AND p.deleted_at IS NULL AND p.place_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM hidden_posts h WHERE h.post_id = p.id)
      ORDER BY p.created_at DESC, p.id DESC LIMIT 1`),
    contributorRow: db.prepare(
      'SELECT post_id, place_id, joined_at FROM contributors WHERE tag = ? AND acct = ?',
    ),
    upsertContributor: db.prepare(`
      INSERT INTO contributors (tag, acct, post_id, place_id, joined_at, updated_at) VALUES (@tag, @acct, @postId, @placeId, @joined, @now)
      ON CONFLICT (tag, acct) DO UPDATE SET post_id = excluded.post_id, place_id = excluded.place_id, updated_at = excluded.updated_at`),
    insertContributor: db.prepare(`
      INSERT INTO contributors (tag, acct, post_id, place_id, joined_at, updated_at) VALUES (@tag, @acct, @postId, @placeId, @joined, @now)
      ON CONFLICT (tag, acct) DO NOTHING`),
    deleteContributor: db.prepare('DELETE FROM contributors WHERE tag = ? AND acct = ?'),
    contributors: db.prepare(`${contributorSelect} WHERE c.tag = ? ORDER BY c.joined_at, c.acct`),
    contributor: db.prepare(`${contributorSelect} WHERE c.tag = ? AND c.acct = ?`),
  };

  function feature(tag: string, acct: string): ContributorFeature | null {
    const row = stmt.contributor.get(tag, acct) as ContributorRow | undefined;
    return row ? toFeature(row) : null;
  }

  /**
   * Bring one contributor row in line with their posts; returns the event when the map changes.
   * `fresh` is a post just inserted with a city: for someone not yet on this map it is their latest
   * located post (a contributor row exists exactly when one does), so the lookups can be skipped.
   */
  function recompute(
    tag: string,
    acct: string,
    force: boolean,
    fresh?: FreshPost,
  ): StoredEvent | null {
    if (fresh) {
      const now = iso();
      const joined = joinedAt(fresh.postedAt, now);
      const row = { tag, acct, postId: fresh.id, placeId: fresh.placeId, now, joined };
      if (stmt.insertContributor.run(row).changes > 0) {
        const move = { tag, acct, from: null, to: fresh.placeId, joinedAt: joined };
        return changes.log(tag, 'contributor', fresh.feature(), move);
      }
    }
    const current = stmt.contributorRow.get(tag, acct) as
      { post_id: number; place_id: number; joined_at: string } | undefined;
    const latest = deps.isBlocked(acct)
      ? undefined
      : (stmt.latestLocated.get(tag, acct) as
          { id: number; place_id: number; created_at: string } | undefined);
    if (!latest) {
      if (!current) return null;
      stmt.deleteContributor.run(tag, acct);
      const move = { tag, acct, from: current.place_id, to: null, joinedAt: current.joined_at };
      return changes.log(tag, 'remove', { acct }, move);
    }
    if (!force && current && current.post_id === latest.id && current.place_id === latest.place_id)
      return null;
    const now = iso();
    const joined = current?.joined_at ?? joinedAt(latest.created_at, now);
    stmt.upsertContributor.run({
      tag,
      acct,
      postId: latest.id,
      placeId: latest.place_id,
      now,
      joined,
    });
    const move =
      current?.place_id !== latest.place_id
        ? { tag, acct, from: current?.place_id ?? null, to: latest.place_id, joinedAt: joined }
        : undefined;
    return changes.log(tag, 'contributor', feature(tag, acct)!, move);
  }

  return {
    recompute,

    /** Recompute one account on each of `tags`, collecting the events. */
    recomputeAll(acct: string, tags: string[], events: StoredEvent[]): void {
      for (const tag of tags) {
        const event = recompute(tag, acct, false);
        if (event) events.push(event);
      }
    },

    collection(tag: string): ContributorCollection {
      const rows = stmt.contributors.all(tag) as ContributorRow[];
      return { type: 'FeatureCollection', features: rows.map(toFeature) };
    },

    feature,

    /** The text of the post that placed `acct` on this map, or null when they are not on it. */
    post(tag: string, acct: string): PostExcerpt | null {
      const row = stmt.contributor.get(tag, acct) as ContributorRow | undefined;
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
    admin1: place.admin1,
    country: place.country,
    lat: place.lat,
    lng: place.lng,
  });
}

export type Contributors = ReturnType<typeof createContributors>;
