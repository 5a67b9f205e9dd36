import type { Network } from '../../shared/network.js';
import type { ContributorProperties, Place } from '../../shared/types.js';
import { contributorSelect, toProperties, type ContributorRow } from './contributor-feature.js';
import type { Db } from './db.js';

/** A city with the number of a campaign's contributors in it. */
export interface CityCount {
  place: Place;
  count: number;
}

/** Where a page of one city's people ends: the last row's join time and acct. */
export interface PageKey {
  joinedAt: string;
  acct: string;
}

/** The read side of the campaign endpoints: city counts, city pages, summaries, export. */
export function createCampaignQueries(db: Db) {
  const stmt = {
    cityCounts: db.prepare(`
      SELECT pl.*, c.n FROM (SELECT place_id, count(*) AS n FROM contributors WHERE tag = ? GROUP BY place_id) c
      JOIN places pl ON pl.id = c.place_id`),
    // One network's share (a Bluesky contributor's acct is a DID; a linked pair is in both): the map model's per-network counts.
    cityCountsOf: {
      bluesky: db.prepare(`
        SELECT pl.*, c.n FROM (SELECT place_id, count(*) AS n FROM contributors WHERE tag = ? AND (acct LIKE 'did:%' OR linked_acct IS NOT NULL) GROUP BY place_id) c
        JOIN places pl ON pl.id = c.place_id`),
      fediverse: db.prepare(`
        SELECT pl.*, c.n FROM (SELECT place_id, count(*) AS n FROM contributors WHERE tag = ? AND (acct NOT LIKE 'did:%' OR linked_acct IS NOT NULL) GROUP BY place_id) c
        JOIN places pl ON pl.id = c.place_id`),
    },
    joinsPerHourOf: {
      bluesky: db.prepare(`
        SELECT substr(joined_at, 1, 13) AS hour, count(*) AS n FROM contributors WHERE tag = ? AND (acct LIKE 'did:%' OR linked_acct IS NOT NULL)
        GROUP BY hour ORDER BY hour`),
      fediverse: db.prepare(`
        SELECT substr(joined_at, 1, 13) AS hour, count(*) AS n FROM contributors WHERE tag = ? AND (acct NOT LIKE 'did:%' OR linked_acct IS NOT NULL)
        GROUP BY hour ORDER BY hour`),
    },
    place: db.prepare('SELECT * FROM places WHERE id = ?'),
    firstPage: db.prepare(`${contributorSelect}
      WHERE c.tag = ? AND c.place_id = ? ORDER BY c.joined_at DESC, c.acct DESC LIMIT ?`),
    nextPage: db.prepare(`${contributorSelect}
      WHERE c.tag = ? AND c.place_id = ? AND (c.joined_at, c.acct) < (?, ?)
      ORDER BY c.joined_at DESC, c.acct DESC LIMIT ?`),
    joinsPerHour: db.prepare(`
      SELECT substr(joined_at, 1, 13) AS hour, count(*) AS n FROM contributors WHERE tag = ?
      GROUP BY hour ORDER BY hour`),
    unlocatedCount: db.prepare(`
      SELECT count(*) AS n FROM posts p JOIN post_tags t ON t.tag = ? AND t.post_id = p.id
      WHERE p.place_id IS NULL AND p.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM hidden_posts h WHERE h.post_id = p.id)`),
    // One network's people of a city (`?network=`): a DID is Bluesky.
    firstPageOf: {
      bluesky: db.prepare(`${contributorSelect}
        WHERE c.tag = ? AND c.place_id = ? AND (c.acct LIKE 'did:%' OR c.linked_acct IS NOT NULL) ORDER BY c.joined_at DESC, c.acct DESC LIMIT ?`),
      fediverse: db.prepare(`${contributorSelect}
        WHERE c.tag = ? AND c.place_id = ? AND (c.acct NOT LIKE 'did:%' OR c.linked_acct IS NOT NULL) ORDER BY c.joined_at DESC, c.acct DESC LIMIT ?`),
    },
    nextPageOf: {
      bluesky: db.prepare(`${contributorSelect}
        WHERE c.tag = ? AND c.place_id = ? AND (c.joined_at, c.acct) < (?, ?) AND (c.acct LIKE 'did:%' OR c.linked_acct IS NOT NULL)
        ORDER BY c.joined_at DESC, c.acct DESC LIMIT ?`),
      fediverse: db.prepare(`${contributorSelect}
        WHERE c.tag = ? AND c.place_id = ? AND (c.joined_at, c.acct) < (?, ?) AND (c.acct NOT LIKE 'did:%' OR c.linked_acct IS NOT NULL)
        ORDER BY c.joined_at DESC, c.acct DESC LIMIT ?`),
    },
    exportFirst: db.prepare(
      `${contributorSelect} WHERE c.tag = ? ORDER BY c.joined_at, c.acct LIMIT ?`,
    ),
    exportNext: db.prepare(`${contributorSelect}
      WHERE c.tag = ? AND (c.joined_at, c.acct) > (?, ?) ORDER BY c.joined_at, c.acct LIMIT ?`),
    exportFirstOf: {
      bluesky: db.prepare(
        `${contributorSelect} WHERE c.tag = ? AND (c.acct LIKE 'did:%' OR c.linked_acct IS NOT NULL) ORDER BY c.joined_at, c.acct LIMIT ?`,
      ),
      fediverse: db.prepare(
        `${contributorSelect} WHERE c.tag = ? AND (c.acct NOT LIKE 'did:%' OR c.linked_acct IS NOT NULL) ORDER BY c.joined_at, c.acct LIMIT ?`,
      ),
    },
    exportNextOf: {
      bluesky: db.prepare(`${contributorSelect}
        WHERE c.tag = ? AND (c.joined_at, c.acct) > (?, ?) AND (c.acct LIKE 'did:%' OR c.linked_acct IS NOT NULL) ORDER BY c.joined_at, c.acct LIMIT ?`),
      fediverse: db.prepare(`${contributorSelect}
        WHERE c.tag = ? AND (c.joined_at, c.acct) > (?, ?) AND (c.acct NOT LIKE 'did:%' OR c.linked_acct IS NOT NULL) ORDER BY c.joined_at, c.acct LIMIT ?`),
    },
    postCount: db.prepare('SELECT count(*) AS n FROM posts WHERE deleted_at IS NULL'),
  };

  return {
    /** Every city with at least one contributor (of one network, when given), with its count. */
    cityCounts(tag: string, network?: Network): CityCount[] {
      const query = network ? stmt.cityCountsOf[network] : stmt.cityCounts;
      return (query.all(tag) as (Place & { n: number })[]).map(({ n, ...place }) => ({
        place,
        count: n,
      }));
    },

    place(id: number): Place | null {
      return (stmt.place.get(id) as Place | undefined) ?? null;
    },

    /** One city's people, newest first, after `after` (exclusive). */
    placePage(
      tag: string,
      placeId: number,
      limit: number,
      after: PageKey | null,
      network?: Network,
    ): { contributors: ContributorProperties[]; last: PageKey | null } {
      const next = network ? stmt.nextPageOf[network] : stmt.nextPage;
      const first = network ? stmt.firstPageOf[network] : stmt.firstPage;
      const rows = (
        after
          ? next.all(tag, placeId, after.joinedAt, after.acct, limit)
          : first.all(tag, placeId, limit)
      ) as ContributorRow[];
      const lastRow = rows.at(-1);
      return {
        contributors: rows.map(toProperties),
        last: lastRow ? { joinedAt: lastRow.joined_at!, acct: lastRow.acct } : null,
      };
    },

    /** New contributors per UTC hour (`YYYY-MM-DDTHH`), oldest first. */
    joinsPerHour(tag: string, network?: Network): { hour: string; count: number }[] {
      const query = network ? stmt.joinsPerHourOf[network] : stmt.joinsPerHour;
      return (query.all(tag) as { hour: string; n: number }[]).map((r) => ({
        hour: r.hour,
        count: r.n,
      }));
    },

    /** Posts with the tag that named no city (hidden ones not counted). */
    unlocatedCount(tag: string): number {
      return (stmt.unlocatedCount.get(tag) as { n: number }).n;
    },

    /**
     * Contributors in join order, one page after `after`: exports walk pages so a million people never
     * sit in memory, and no statement stays open while the response drains.
     */
    exportPage(
      tag: string,
      after: PageKey | null,
      limit: number,
      network?: Network,
    ): ContributorRow[] {
      const next = network ? stmt.exportNextOf[network] : stmt.exportNext;
      const first = network ? stmt.exportFirstOf[network] : stmt.exportFirst;
      return (
        after ? next.all(tag, after.joinedAt, after.acct, limit) : first.all(tag, limit)
      ) as ContributorRow[];
    },

    /** Stored posts that are not deleted. */
    postCount(): number {
      return (stmt.postCount.get() as { n: number }).n;
    },
  };
}

export type CampaignQueries = ReturnType<typeof createCampaignQueries>;
