import type { Response, Router } from 'express';
import { z } from 'zod';
import { htmlToText } from '../text/sanitize.js';
import type { PageKey } from '../store/campaign-queries.js';
import { toFeature, type ContributorRow } from '../store/contributor-feature.js';
import type { Store } from '../store/store.js';
import type { CampaignRouteContext } from './campaign-context.js';
import { networkQuery, parseParams } from './params.js';
import { networkOf, type Network } from '../../shared/network.js';

// Opt-in: a post's text is not what a map export is for, and a warned one is never exported.
const csvQuery = z.object({
  excerpts: z.enum(['true', 'false'], 'is not true or false').default('false'),
  network: networkQuery,
});

/** Spreadsheets run cells that start with these as formulas (CSV injection): quote them. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvHeader = [
  'acct',
  'network',
  'display_name',
  'profile_url',
  'post_url',
  'posted_at',
  'place_id',
  'city',
  'admin1',
  'country',
  'lat',
  'lng',
  'spoiler_text',
  'sensitive',
];
function csvRow(r: ContributorRow, excerpts: boolean): string {
  const sensitive = r.spoiler_text !== '' || r.sensitive === 1;
  const cells = [
    r.acct,
    networkOf(r.acct),
    r.display_name,
    r.profile_url,
    r.post_url,
    r.posted_at,
    r.place_id,
    r.place_name,
    r.admin1,
    r.country,
    r.lat,
    r.lng,
    r.spoiler_text,
    sensitive ? 'true' : 'false',
  ];
  if (excerpts) cells.push(sensitive ? '' : htmlToText(r.content));
  return cells.map(csvCell).join(',');
}

/** Write pages of rows to the response, waiting for the socket to drain between pages. */
export async function streamRows(
  res: Response,
  pages: (after: PageKey | null) => ContributorRow[],
  render: (row: ContributorRow, first: boolean) => string,
): Promise<void> {
  // One listener for the whole response, not one per wait: compression() moves 'drain' listeners
  // onto its gzip stream and does not forward their removal, so adding and removing one per page
  // left hundreds behind at a million rows.
  let wake: (() => void) | null = null;
  const onDrain = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  res.on('drain', onDrain);
  res.on('close', onDrain);
  try {
    let after: PageKey | null = null;
    let first = true;
    for (;;) {
      const rows = pages(after);
      if (rows.length === 0) return;
      let chunk = '';
      for (const r of rows) {
        chunk += render(r, first);
        first = false;
      }
      const last = rows.at(-1)!;
      after = { joinedAt: last.joined_at!, acct: last.acct };
      if (!res.write(chunk) && !res.destroyed)
        await new Promise<void>((resolve) => (wake = resolve));
      if (res.destroyed) return;
    }
  } finally {
    res.off('drain', onDrain);
    res.off('close', onDrain);
  }
}

/** Every visible contributor as a GeoJSON FeatureCollection, written a page of rows at a time. */
export async function streamCollection(
  res: Response,
  q: Store['queries'],
  tag: string,
  network?: Network,
): Promise<void> {
  res.write('{"type":"FeatureCollection","features":[\n');
  await streamRows(
    res,
    (after) => q.exportPage(tag, after, 5000, network),
    (r, first) => (first ? '' : ',\n') + JSON.stringify(toFeature(r)),
  );
  res.end('\n]}\n');
}

/** The downloads: every visible contributor as GeoJSON or CSV, streamed. */
export function exportRoutes(router: Router, { deps, campaignOf }: CampaignRouteContext): void {
  const q = deps.store.queries;
  router.get('/campaigns/:tag/export.geojson', async (req, res) => {
    const tag = campaignOf(req);
    const { network } = parseParams(z.object({ network: networkQuery }), req.query);
    res
      .status(200)
      .type('application/geo+json')
      .set('Content-Disposition', `attachment; filename="${tag}.geojson"`)
      .set('Cache-Control', 'public, max-age=60');
    await streamCollection(res, q, tag, network);
  });

  router.get('/campaigns/:tag/export.csv', async (req, res) => {
    const tag = campaignOf(req);
    const query = parseParams(csvQuery, req.query);
    const excerpts = query.excerpts === 'true';
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${tag}.csv"`)
      .set('Cache-Control', 'public, max-age=60');
    res.write([...csvHeader, ...(excerpts ? ['excerpt'] : [])].join(',') + '\r\n');
    await streamRows(
      res,
      (after) => q.exportPage(tag, after, 5000, query.network),
      (r) => csvRow(r, excerpts) + '\r\n',
    );
    res.end();
  });
}
