import type { Request } from 'express';
import type { CampaignIdentity } from '../../shared/types.js';
import type { Locator } from '../geo/types.js';
import type { CityIndex } from '../map/city-index.js';
import type { Store } from '../store/store.js';

export interface CampaignRouteDeps {
  store: Store;
  cities: CityIndex;
  identities: Record<string, CampaignIdentity>;
  locator?: Locator;
  /** A summary (joins per day scans every contributor) is reused for this long after a change (ms). */
  summaryTtlMs?: number;
  /** Above this many contributors the unclustered collection is streamed rather than sent as one body. */
  streamContributorsAbove?: number;
}

/** What every group of campaign routes is given: its dependencies and the `:tag` check. */
export interface CampaignRouteContext {
  deps: CampaignRouteDeps;
  /** The `:tag` of a request as a stored tag; a 400 when it is no hashtag, a 404 when not followed. */
  campaignOf: (req: Request) => string;
}
