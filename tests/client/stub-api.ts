import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Request, Response } from 'express';
import express from 'express';
import Supercluster from 'supercluster';
import type {
  CampaignIdentity,
  CampaignSummary,
  CityPage,
  ClientConfig,
  CountryCount,
  ContributorFeature,
  LiveEventMap,
  NearbyFeature,
  NearbyResult,
  PlacePage,
  ServerStatus,
  ViewFeature,
} from '../../shared/types.js';
import { mapAssetRoutes } from '../../server/api/map-assets.js';
import { ensureWidgetBuilt } from '../helpers/built-assets.js';
import { places } from './fixtures.js';

/** The policy the real server is meant to send: no inline script, nothing from elsewhere but images. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** One request for a map view, and whether the client gave up on it before the answer. */
export interface ViewRequest {
  bbox: [number, number, number, number];
  zoom: number;
  aborted: boolean;
  /** Whether the stub has sent its answer (it may be held back by `viewDelayMs`). */
  answered?: boolean;
  /** `?network=`, when the client asked for one network. */
  network?: string;
}

export interface StubApi {
  /** Origin, e.g. "http://127.0.0.1:41234". */
  url: string;
  /** What `/api/config` answers; tests may change it before opening a page. */
  config: ClientConfig;
  /** Everyone on the map, for every tag; `push` keeps it in step with the events it sends. */
  contributors: ContributorFeature[];
  status: ServerStatus;
  identity: CampaignIdentity;
  /** Tags whose view or summary was requested, in order. */
  requestedTags: string[];
  /** Every request for a page of the city list: its query string. */
  cityRequests: string[];
  /** Every bbox/zoom request, in order. */
  viewRequests: ViewRequest[];
  /** Delay before answering a view, to let a test overtake it. */
  viewDelayMs: number;
  /** Sends one SSE event to every open stream, after applying it to `contributors` as the server would. */
  push<K extends keyof LiveEventMap>(type: K, data: LiveEventMap[K]): void;
  /** Resolves once at least `count` event streams are open. */
  waitForStreams(count?: number): Promise<void>;
  /** Ends every open stream, as a restarting server would. */
  dropStreams(): void;
  /** Reports sent by "Report" links: the body's JSON and its Content-Type. */
  reports: { tag: string; body: unknown; type: string }[];
  /** What GET /api/campaigns/:tag/review answers: pre-moderation is off, as on most maps. */
  review: { premoderation: boolean; waiting: number };
  /** Where each event stream asked to resume from: its Last-Event-ID header and `lastEventId` query. */
  streamRequests: { header: string | null; query: string | null }[];
  /** Answer this many of the next stream requests with a 503, which makes EventSource give up. */
  refuseStreams: number;
  close(): Promise<void>;
}

interface CityPoint {
  placeId: number;
  count: number;
  cities: number;
  label: string;
  labelCount: number;
}

type Fixture = (typeof places)[keyof typeof places];

/**
 * Cities weighted by people, clustered the way the contract describes. supercluster measures its
 * radius in a 512-unit tile and Leaflet draws 256 px tiles, so 120 here is 60 CSS pixels.
 */
function clusterIndex(contributors: ContributorFeature[]) {
  const byPlace = new Map<number, { feature: ContributorFeature; count: number }>();
  for (const f of contributors) {
    const entry = byPlace.get(f.properties.place.id);
    if (entry) entry.count += 1;
    else byPlace.set(f.properties.place.id, { feature: f, count: 1 });
  }
  const index = new Supercluster<CityPoint, CityPoint>({
    radius: 120,
    maxZoom: 16,
    map: (p) => ({ ...p }),
    reduce: (acc, p) => {
      acc.count += p.count;
      acc.cities += p.cities;
      if (p.labelCount > acc.labelCount) [acc.label, acc.labelCount] = [p.label, p.labelCount];
    },
  });
  index.load(
    [...byPlace.values()].map(({ feature, count }) => ({
      type: 'Feature' as const,
      geometry: feature.geometry,
      properties: {
        placeId: feature.properties.place.id,
        count,
        cities: 1,
        label: feature.properties.place.name,
        labelCount: count,
      },
    })),
  );
  const toView = (
    f: GeoJSON.Feature<GeoJSON.Point, CityPoint | Supercluster.ClusterProperties>,
  ): ViewFeature => {
    const p = f.properties as CityPoint & Partial<Supercluster.ClusterProperties>;
    const coordinates = f.geometry.coordinates as [number, number];
    if (p.cluster && p.cluster_id !== undefined) {
      return {
        type: 'Feature',
        id: p.cluster_id,
        geometry: { type: 'Point', coordinates },
        properties: {
          cluster: true,
          clusterId: p.cluster_id,
          count: p.count,
          cities: p.cities,
          expansionZoom: index.getClusterExpansionZoom(p.cluster_id),
          label: p.label,
        },
      };
    }
    const place = byPlace.get(p.placeId)!.feature.properties.place;
    return {
      type: 'Feature',
      id: place.id,
      geometry: { type: 'Point', coordinates },
      properties: { cluster: false, place, count: p.count },
    };
  };
  return { index, toView };
}

const newestFirst = (a: ContributorFeature, b: ContributorFeature) =>
  b.properties.postedAt.localeCompare(a.properties.postedAt) ||
  a.properties.acct.localeCompare(b.properties.acct);

function distanceKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(a));
}

const fail = (res: Response, status: number, error: string) => res.status(status).json({ error });

/**
 * Serves the built client the way the real server does (index at / and /c/:tag, assets under
 * /assets, the CSP) with a stub of the API that follows shared/types.ts on 127.0.0.1 and a
 * random port. `/components` is the bundle without an app on the page, for component tests.
 */
export async function startStubApi(
  distDir: string,
  initial: { contributors: ContributorFeature[]; status: ServerStatus },
): Promise<StubApi> {
  const app = express();
  const streams = new Set<Response>();
  const waiters: (() => void)[] = [];
  let nextId = 1;

  const stub: StubApi = {
    url: '',
    config: {
      campaigns: ['yourturn', 'othertag'],
      tileUrl: null,
      tileAttribution: '© OpenStreetMap contributors',
    },
    contributors: [...initial.contributors],
    status: initial.status,
    identity: {
      title: 'Your Turn',
      description: 'People doing the work, near you. Say where you are and find the others.',
      callToAction: 'Post #YourTurn and your city',
      examplePost: '#YourTurn Portland',
      link: { url: 'https://book.example/your-turn', label: 'The book' },
      accentColor: '#0f766e',
    },
    requestedTags: [],
    cityRequests: [],
    viewRequests: [],
    streamRequests: [],
    reports: [],
    review: { premoderation: false, waiting: 0 },
    refuseStreams: 0,
    viewDelayMs: 0,
    push(type, data) {
      if (type === 'contributor') {
        const f = data as ContributorFeature;
        stub.contributors = [
          ...stub.contributors.filter((c) => c.properties.acct !== f.properties.acct),
          f,
        ];
      } else if (type === 'remove') {
        const { acct } = data as { acct: string };
        stub.contributors = stub.contributors.filter((c) => c.properties.acct !== acct);
      }
      const frame = `id: ${nextId++}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const res of streams) res.write(frame);
    },
    async waitForStreams(count = 1) {
      while (streams.size < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    dropStreams() {
      for (const res of streams) res.end();
      streams.clear();
    },
    close: () =>
      new Promise((resolve, reject) => {
        stub.dropStreams();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };

  const index = path.join(distDir, 'index.html');
  const sendIndex = (_req: Request, res: Response) => {
    res.set('Content-Security-Policy', CSP).sendFile(index);
  };
  app.get('/', sendIndex);
  app.get('/c/:tag', sendIndex);
  app.get('/components', (_req, res) => {
    const page = readFileSync(index, 'utf8').replace(
      /<find-the-others><\/find-the-others>/,
      '<main id="fixture"></main>',
    );
    res.set('Content-Security-Policy', CSP).type('html').send(page);
  });
  app.use(
    '/assets',
    express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '1y' }),
  );
  // The map's labels and flag images, from the widget build, as the real server serves them.
  app.use(mapAssetRoutes({ widgetDir: ensureWidgetBuilt() }));
  app.get('/avatars/ok.svg', (_req, res) => {
    res
      .type('image/svg+xml')
      .send(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" fill="#4f7cac"/><circle cx="20" cy="16" r="7" fill="#dbe7f0"/><ellipse cx="20" cy="36" rx="13" ry="10" fill="#dbe7f0"/></svg>',
      );
  });
  app.get('/tiles/:z/:x/:y', (_req, res) => {
    res.status(404).end();
  });

  app.get('/api/config', (_req, res) => {
    res.json(stub.config);
  });
  app.get('/api/status', (_req, res) => {
    res.json(stub.status);
  });

  app.get('/api/campaigns/:tag', (req, res) => {
    stub.requestedTags.push(req.params.tag);
    const all = stub.contributors;
    const cityCounts = new Map<
      number,
      { place: ContributorFeature['properties']['place']; count: number }
    >();
    const countryCounts = new Map<string, number>();
    const days = new Map<string, number>();
    const hours = new Map<string, number>();
    for (const f of all) {
      const { place, postedAt } = f.properties;
      const c = cityCounts.get(place.id) ?? { place, count: 0 };
      c.count += 1;
      cityCounts.set(place.id, c);
      countryCounts.set(place.country, (countryCounts.get(place.country) ?? 0) + 1);
      const day = postedAt.slice(0, 10);
      days.set(day, (days.get(day) ?? 0) + 1);
      hours.set(postedAt.slice(0, 13), (hours.get(postedAt.slice(0, 13)) ?? 0) + 1);
    }
    const summary: CampaignSummary = {
      tag: req.params.tag,
      identity: stub.identity,
      contributors: all.length,
      cities: cityCounts.size,
      countries: countryCounts.size,
      networks: {
        fediverse: all.filter((f) => (f.properties.network ?? 'fediverse') === 'fediverse').length,
        bluesky: all.filter((f) => f.properties.network === 'bluesky').length,
      },
      unlocatedPosts: 2,
      topCities: [...cityCounts.values()].sort((a, b) => b.count - a.count).slice(0, 10),
      topCountries: [...countryCounts]
        .map(([country, count]) => ({ country, count }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 10),
      joinsPerDay: [...days]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([date, count]) => ({ date, count })),
      // As the server: hours only while the joins span under three days.
      joinsPerHour:
        days.size <= 3
          ? [...hours]
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([hour, count]) => ({ hour, count }))
          : null,
    };
    res.json(summary);
  });

  app.get('/api/campaigns/:tag/contributors', async (req, res) => {
    if (req.query.bbox === undefined) {
      res.json({ type: 'FeatureCollection', features: stub.contributors });
      return;
    }
    const bbox = String(req.query.bbox).split(',').map(Number);
    const zoom = Number(req.query.zoom);
    if (bbox.length !== 4 || bbox.some((n) => !Number.isFinite(n))) {
      return fail(res, 400, `bbox: ${JSON.stringify(req.query.bbox)} is not w,s,e,n`);
    }
    if (!Number.isInteger(zoom) || zoom < 0 || zoom > 24) {
      return fail(res, 400, `zoom: ${JSON.stringify(req.query.zoom)} is not a whole number 0–24`);
    }
    stub.requestedTags.push(req.params.tag);
    const record: ViewRequest = { bbox: bbox as ViewRequest['bbox'], zoom, aborted: false };
    if (typeof req.query.network === 'string') record.network = req.query.network;
    stub.viewRequests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    if (stub.viewDelayMs) await new Promise((r) => setTimeout(r, stub.viewDelayMs));
    if (record.aborted) return;
    const { index, toView } = clusterIndex(stub.contributors);
    const features = index
      .getClusters(bbox as [number, number, number, number], zoom)
      .map((f) => toView(f));
    res.json({ type: 'FeatureCollection', features });
    record.answered = true;
  });

  app.get('/api/campaigns/:tag/clusters/:clusterId', (req, res) => {
    const { index, toView } = clusterIndex(stub.contributors);
    const id = Number(req.params.clusterId);
    try {
      res.json({
        expansionZoom: index.getClusterExpansionZoom(id),
        children: index.getChildren(id).map((f) => toView(f)),
      });
    } catch {
      fail(res, 404, `no cluster ${JSON.stringify(req.params.clusterId)}`);
    }
  });

  app.get('/api/campaigns/:tag/places/:placeId/contributors', (req, res) => {
    const placeId = Number(req.params.placeId);
    const limit = req.query.limit === undefined ? 20 : Number(req.query.limit);
    const offset = req.query.cursor === undefined ? 0 : Number(req.query.cursor);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return fail(res, 400, `limit: ${JSON.stringify(req.query.limit)} is not 1–100`);
    }
    const here = stub.contributors
      .filter((f) => f.properties.place.id === placeId)
      .sort(newestFirst);
    const first = here[0];
    if (!first) return fail(res, 404, `no one in place ${placeId}`);
    const [lng, lat] = first.geometry.coordinates;
    const page: PlacePage = {
      place: { ...first.properties.place, lat, lng },
      total: here.length,
      contributors: here.slice(offset, offset + limit).map((f) => f.properties),
      nextCursor: offset + limit < here.length ? String(offset + limit) : null,
    };
    res.json(page);
  });

  /** Every city with its people, most first, as the real list endpoints sort them. */
  const cityCounts = () => {
    const byPlace = new Map<number, CityPage['features'][number]>();
    for (const f of stub.contributors) {
      const { place } = f.properties;
      const city = byPlace.get(place.id);
      if (city) city.properties.count += 1;
      else
        byPlace.set(place.id, {
          type: 'Feature',
          id: place.id,
          geometry: f.geometry,
          properties: { cluster: false, place, count: 1 },
        });
    }
    return [...byPlace.values()].sort(
      (a, b) =>
        b.properties.count - a.properties.count ||
        a.properties.place.name.localeCompare(b.properties.place.name),
    );
  };

  app.post('/api/campaigns/:tag/report', express.text({ type: '*/*' }), (req, res) => {
    stub.reports.push({
      tag: String(req.params.tag),
      body: JSON.parse(String(req.body)),
      type: req.get('content-type') ?? '',
    });
    res.status(202).json({ ok: true });
  });
  // Pre-moderation (docs/moderation.md): `stub.review`.
  app.get('/api/campaigns/:tag/review', (_req, res) => {
    res.json(stub.review);
  });
  app.get('/api/campaigns/:tag/countries', (_req, res) => {
    const countries = new Map<string, CountryCount>();
    for (const city of cityCounts()) {
      const { country } = city.properties.place;
      const c = countries.get(country) ?? { country, count: 0, cities: 0 };
      c.count += city.properties.count;
      c.cities += 1;
      countries.set(country, c);
    }
    res.json({
      countries: [...countries.values()].sort(
        (a, b) => b.count - a.count || a.country.localeCompare(b.country),
      ),
    });
  });

  app.get('/api/campaigns/:tag/cities', (req, res) => {
    stub.cityRequests.push(new URLSearchParams(req.query as Record<string, string>).toString());
    const { country, q } = req.query as { country?: string; q?: string };
    const limit = Number(req.query.limit ?? 50);
    const offset = Number(req.query.cursor ?? 0);
    const matching = cityCounts().filter(
      (c) =>
        (!country || c.properties.place.country === country) &&
        (!q || c.properties.place.name.toLowerCase().includes(q.toLowerCase())),
    );
    res.json({
      total: matching.length,
      features: matching.slice(offset, offset + limit),
      nextCursor: offset + limit < matching.length ? String(offset + limit) : null,
    } satisfies CityPage);
  });

  app.get('/api/campaigns/:tag/nearby', (req, res) => {
    let origin: NearbyResult['origin'];
    if (typeof req.query.near === 'string') {
      const q = req.query.near.trim().toLowerCase().split(',')[0]!;
      const found = Object.values(places).find((p: Fixture) => p.name.toLowerCase() === q);
      if (!found) return fail(res, 404, `no place found for ${JSON.stringify(req.query.near)}`);
      const { lat, lng, ...place } = found;
      origin = { lat, lng, place };
    } else {
      const lat = Number(req.query.lat);
      const lng = Number(req.query.lng);
      if (!Number.isFinite(lat) || !Number.isFinite(lng)) {
        return fail(res, 400, `lat/lng: ${JSON.stringify(req.query)} is not a position`);
      }
      origin = { lat, lng, place: null };
    }
    const limit = Number(req.query.limit ?? 20);
    const features: NearbyFeature[] = stub.contributors
      .map((f) => {
        const [lng, lat] = f.geometry.coordinates;
        const distance = distanceKm(origin.lat, origin.lng, lat, lng);
        return {
          ...f,
          properties: { ...f.properties, distanceKm: Math.round(distance * 10) / 10 },
        };
      })
      .sort((a, b) => a.properties.distanceKm - b.properties.distanceKm)
      .slice(0, limit);
    res.json({ type: 'FeatureCollection', origin, features } satisfies NearbyResult);
  });

  app.get('/api/campaigns/:tag/events', (req, res) => {
    stub.streamRequests.push({
      header: req.get('last-event-id') ?? null,
      query: typeof req.query.lastEventId === 'string' ? req.query.lastEventId : null,
    });
    if (stub.refuseStreams > 0) {
      stub.refuseStreams -= 1;
      return fail(res, 503, 'restarting');
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1500\n: connected\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
    for (const wake of waiters.splice(0)) wake();
  });

  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
