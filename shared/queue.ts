// The review queue's contract (docs/moderation.md#the-queue), shared by the server and /admin.
// Pure: imports nothing but types.

import type { Place } from './types.js';

/** One post waiting for a moderator. */
export interface QueueItem {
  /** Paging key: pass the last one as `after`. */
  id: number;
  uri: string;
  url: string;
  acct: string;
  displayName: string;
  /** Server-sanitised HTML (the page sanitises it again). */
  content: string;
  contentWarning: string | null;
  sensitive: boolean;
  createdAt: string;
  /** When we first stored it: the queue's order. */
  arrivedAt: string;
  /** The city it put its author in, or null when it named none. */
  place: Pick<Place, 'name' | 'admin1' | 'country'> | null;
  /**
   * Why it has that city or none, in one line of at most 300 characters: the locator's reason
   * ("‘desde Bilbao’ is where the author is"), "placed by a moderator", or "from the online
   * geocoder (Nominatim), …"; plain text that may quote the post. Null for a post stored before
   * reasons were kept.
   */
  reason: string | null;
  /** Why it is off the map until approved ('pre-moderation', 'word: casino'), or null when it is shown. */
  held: string | null;
  /** Open reports by visitors, and their reasons. */
  reports: number;
  reportReasons: string[];
}

/** Which part of a campaign's queue: every field narrows it. */
export interface QueueSelection {
  /** Posts from this domain or its subdomains. */
  domain?: string;
  /** Accounts we first saw less than this many days ago. */
  newerThanDays?: number;
  /** Posts whose text (or author) contains this, case-insensitively. */
  word?: string;
  heldOnly?: boolean;
  reportedOnly?: boolean;
}

/** `GET /api/admin/campaigns/:tag/queue`. */
export interface QueuePage {
  items: QueueItem[];
  /** Pass as `after` for the next page; null on the last one. */
  nextAfter: number | null;
  premoderation: boolean;
  /** People held off the map until a moderator approves them. */
  waiting: number;
}

/** `POST /api/admin/campaigns/:tag/queue/bulk`: what was done to how many posts. */
export interface BulkResult {
  ok: true;
  action: 'approve' | 'hide';
  posts: number;
  events: number;
}

/** A campaign author's filter: matching posts are hidden at once, or held for the queue. */
export interface CampaignFilter {
  kind: 'word' | 'domain';
  value: string;
  action: 'hide' | 'hold';
  createdBy: string;
  createdAt: string;
}

/** `GET /api/campaigns/:tag/review`: what the public map says about pre-moderation. */
export interface ReviewStatus {
  premoderation: boolean;
  /** People waiting for review (not shown until a moderator approves them). */
  waiting: number;
}
