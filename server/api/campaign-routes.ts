import { Router, type Request } from 'express';
import type { CampaignSummary } from '../../shared/types.js';
import { NETWORKS, type Network } from '../../shared/network.js';
import { normalizeTag, notATag } from '../../shared/tag.js';
import { z } from 'zod';
import { networkKey } from '../map/city-index.js';
import { defaultIdentity } from '../config/campaigns.js';
import type { CampaignRouteContext, CampaignRouteDeps } from './campaign-context.js';
import { cityRoutes } from './city-routes.js';
import { ApiError } from './errors.js';
import { exportRoutes } from './export-routes.js';
import { nearbyRoutes } from './nearby-routes.js';
import { networkQuery, parseParams } from './params.js';
import { viewRoutes } from './view-routes.js';

export type { CampaignRouteDeps } from './campaign-context.js';

/**
 * Public campaign endpoints: summaries here; map views (`view-routes.ts`), city pages
 * (`city-routes.ts`), nearby (`nearby-routes.ts`) and exports (`export-routes.ts`) beside it.
 */
export function campaignRoutes(deps: CampaignRouteDeps): {
  router: Router;
  campaignOf: (req: Request) => string;
} {
  const { store, cities } = deps;
  const q = store.queries;
  const router = Router();
  const summaryTtlMs = deps.summaryTtlMs ?? 5000;
  // At most summaryTtlMs old. Not keyed on map changes: a post naming no city changes the
  // unlocated count without changing the map, and would otherwise never show.
  const summaries = new Map<string, { at: number; value: CampaignSummary }>();
  // Someone leaving (a delete, a block, an opt-out; or one side of a linked pair, which splits)
  // is in the next answer, not 5 s later: a campaign's figures are read afresh once anyone has
  // left its map. Arrivals keep the cache.
  store.onChange(({ contributors, reload }) => {
    if (reload !== undefined) summaries.clear(); // changes were lost: read every campaign afresh
    for (const c of contributors)
      if (c.to === null || (c.paired?.from && !c.paired.to))
        for (const key of summaries.keys())
          if (key === c.tag || key.startsWith(`${c.tag}~`)) summaries.delete(key);
  });

  const campaignOf = (req: Request): string => {
    const raw = String(req.params.tag);
    const tag = normalizeTag(raw);
    if (tag === null) throw new ApiError(400, notATag('campaign', raw));
    if (!store.hasCampaign(tag)) throw new ApiError(404, `no campaign #${tag} on this server`);
    return tag;
  };

  /** The campaign's figures; with a network, that network's contributors only (`networks` counts all). */
  function summary(tag: string, network?: Network): CampaignSummary {
    const key = networkKey(tag, network);
    const cached = summaries.get(key);
    if (cached && Date.now() - cached.at < summaryTtlMs) return cached.value;
    const stats = cities.stats(key);
    const top = cities.top(key, 10);
    const value: CampaignSummary = {
      tag,
      identity: deps.identities[tag] ?? defaultIdentity(tag),
      networks: Object.fromEntries(
        NETWORKS.map((n) => [n, cities.stats(networkKey(tag, n)).contributors]),
      ) as Record<Network, number>,
      ...stats,
      unlocatedPosts: q.unlocatedCount(tag),
      topCities: top.cities,
      topCountries: top.countries,
      joinsPerDay: cities.joinsPerDay(key),
      joinsPerHour: cities.joinsPerHour(key),
    };
    summaries.set(key, { at: Date.now(), value });
    return value;
  }

  router.get('/campaigns', (req, res) => {
    res.set('Cache-Control', 'public, max-age=10').json(store.campaigns().map((t) => summary(t)));
  });

  router.get('/campaigns/:tag', (req, res) => {
    const { network } = parseParams(z.object({ network: networkQuery }), req.query);
    res.set('Cache-Control', 'public, max-age=10').json(summary(campaignOf(req), network));
  });

  const context: CampaignRouteContext = { deps, campaignOf };
  viewRoutes(router, context);
  cityRoutes(router, context);
  nearbyRoutes(router, context);
  exportRoutes(router, context);

  return { router, campaignOf };
}
