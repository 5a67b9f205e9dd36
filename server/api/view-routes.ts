import type { Router } from 'express';
import { z } from 'zod';
import type { FeatureCollection, ViewFeature } from '../../shared/types.js';
import { ACCT_PATTERN } from '../../shared/admin.js';
import { networkKey } from '../map/city-index.js';
import type { CampaignRouteContext } from './campaign-context.js';
import { ApiError } from './errors.js';
import { streamCollection } from './export-routes.js';
import { bbox, int, networkQuery, parseParams } from './params.js';

const limits = {
  oneBodyContributors: 20_000, // about 10 MB of JSON: above this the collection is streamed
};

const contributorsQuery = z.object({
  bbox: bbox.optional(),
  zoom: int(0, 24).optional(),
  network: networkQuery,
});
const acctParam = z.object({
  acct: z
    .string()
    .max(400, 'is longer than 400 characters')
    .regex(ACCT_PATTERN, 'is not an account like user@example.social'),
});

/** What the map draws: the view (cities and clusters), a cluster's cities, one person's post. */
export function viewRoutes(router: Router, { deps, campaignOf }: CampaignRouteContext): void {
  const { store, cities } = deps;
  const q = store.queries;

  router.get('/campaigns/:tag/contributors', async (req, res) => {
    const tag = campaignOf(req);
    const query = parseParams(contributorsQuery, req.query);
    const key = networkKey(tag, query.network);
    if (query.bbox === undefined && query.zoom === undefined) {
      res.set('Cache-Control', 'public, max-age=5');
      if (query.network) {
        res.status(200).type('application/geo+json');
        await streamCollection(res, q, tag, query.network);
        return;
      }
      // Small campaigns get one JSON body (with an ETag); a large one is streamed page by page,
      // since a million features in one string takes 25 s and nears V8's string limit.
      if (
        cities.stats(tag).contributors <=
        (deps.streamContributorsAbove ?? limits.oneBodyContributors)
      ) {
        res.json(store.contributors(tag));
        return;
      }
      res.status(200).type('application/geo+json');
      await streamCollection(res, q, tag);
      return;
    }
    if (query.bbox === undefined || query.zoom === undefined)
      throw new ApiError(
        400,
        `${query.bbox ? 'zoom' : 'bbox'}: missing (bbox and zoom go together)`,
      );
    const body: FeatureCollection<ViewFeature> = {
      type: 'FeatureCollection',
      features: cities.view(key, query.bbox, query.zoom),
    };
    res.set('Cache-Control', 'public, max-age=5').json(body);
  });

  // The text of someone's post, asked for by a reader's "Show post". Only a contributor on this map
  // has one: a hidden, deleted or blocked post has no contributor row, so it is a 404 like elsewhere.
  router.get('/campaigns/:tag/contributors/:acct/post', (req, res) => {
    const tag = campaignOf(req);
    const { acct } = parseParams(acctParam, req.params);
    const post = store.contributorPost(tag, acct);
    if (!post) throw new ApiError(404, `no contributor ${acct} in #${tag}`);
    res.set('Cache-Control', 'public, max-age=5').json(post);
  });

  router.get('/campaigns/:tag/clusters/:clusterId', (req, res) => {
    const tag = campaignOf(req);
    const { clusterId } = parseParams(z.object({ clusterId: int(0, 2 ** 53) }), req.params);
    const { network } = parseParams(z.object({ network: networkQuery }), req.query);
    const found = cities.cluster(networkKey(tag, network), clusterId);
    // Ids change when the index is rebuilt after new posts; the client then asks for the view again.
    if (!found)
      throw new ApiError(404, `no cluster ${clusterId} in #${tag} (the map may have changed)`);
    res.set('Cache-Control', 'public, max-age=5').json(found);
  });
}
