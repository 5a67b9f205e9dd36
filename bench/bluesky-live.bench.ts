// Bluesky: post on the Jetstream double → the person's pin at a map client (the SSE `contributor`
// event of /api/campaigns/:tag/events, the stream the map reads), and delete → the `remove` event,
// then whether the city's people, the campaign figures, nearby and the export still show them.
// Bluesky authors are split into those whose profile the server has read already (their first post
// was read and deleted again, so they are off the map but cached) and new ones (a getProfiles call
// at the AppView double first, one call a second at most). Baseline in the same run, on the same
// server: the fediverse path, a Mastodon test instance streamed with a token. Posts are interleaved
// at random over about two minutes (a post every 0.2–0.6 s), deletes one at a time afterwards.
// Run alone with `npx tsx bench/bluesky-live.bench.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { readEventStream } from '../server/collector/event-stream.js';
import { parseConfig } from '../server/config/index.js';
import { startAppViewDouble } from '../server/demo/bluesky/appview-double.js';
import { startJetstreamDouble } from '../server/demo/bluesky/jetstream-double.js';
import { startMastodonInstance } from '../server/demo/mastodon/index.js';
import { createPrng } from '../server/demo/prng.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { createLocator } from '../server/geo/locator.js';
import { startServer } from '../server/main.js';
import type { BenchResult } from './run.js';

export const liveDefaults = {
  knownAuthors: 100, // Bluesky posts by authors whose profile is cached
  newAuthors: 100, // Bluesky posts by authors never seen
  fediverse: 100, // baseline: posts on the streamed Mastodon instance
  minGapMs: 200, // between two posts, at random in [min, max]
  maxGapMs: 600,
  deletes: { bluesky: 30, fediverse: 15 }, // one at a time, each polled until the cached summary turns too (≤ 5 s)
  timeoutMs: 15_000, // an event not seen by then counts as lost
};

const candidates = [
  'Lagos', 'Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco', 'Nairobi', 'Kampala',
  'Montevideo', 'Reykjavik', 'Helsinki', 'Tallinn', 'Riga', 'Vilnius', 'Tbilisi', 'Yerevan',
  'Almaty', 'Tashkent', 'Kathmandu', 'Dhaka', 'Colombo', 'Bangkok', 'Manila', 'Jakarta', 'Seoul',
  'Taipei', 'Auckland', 'Wellington', 'Hobart', 'Havana', 'Caracas', 'Asunción', 'Managua',
  'Lusaka', 'Harare', 'Maputo', 'Windhoek', 'Addis Ababa',
]; // prettier-ignore

const pct = (xs: number[], p: number) =>
  xs.length
    ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
    : NaN;
const summarise = (xs: number[]) => ({
  p50: Math.round(pct(xs, 0.5)),
  p95: Math.round(pct(xs, 0.95)),
  max: Math.round(Math.max(...xs)),
  n: xs.length,
});
const say = (line: string) => process.stderr.write(`bluesky-live: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Kind = 'known' | 'new' | 'fediverse';
const row = (measure: string, s: ReturnType<typeof summarise>, extra = '') => ({
  measure,
  'p50 / p95 / max': `${s.p50} / ${s.p95} / ${s.max} ms`,
  n: s.n,
  note: extra,
});

export async function run(): Promise<BenchResult> {
  const locator = createLocator(openGazetteer());
  const cities = candidates
    .map((name) => ({
      name,
      found: locator.locate({ html: `#YourTurn ${name}`, campaignTags: ['yourturn'] }),
    }))
    .filter((c) => c.found !== null)
    .map((c) => ({
      name: c.name,
      id: c.found!.place.id,
      lat: c.found!.place.lat,
      lng: c.found!.place.lng,
    }));
  const rnd = createPrng(16);
  say(`${cities.length} cities located`);

  const jetstream = await startJetstreamDouble();
  const appView = await startAppViewDouble();
  const mastodon = await startMastodonInstance({
    domain: 'live.example',
    rateLimit: false,
    tokens: ['t'],
  });
  mastodon.post({ account: { username: 'seed' }, text: '#YourTurn Lima' });
  const dir = mkdtempSync(join(tmpdir(), 'fto-bench-live-'));
  const config = parseConfig({ FTO_RATE_LIMIT: '0' }, [
    'node',
    'fto',
    'serve',
    ...[
      '--instance',
      mastodon.url,
      '--db',
      join(dir, 'live.db'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
    ],
    ...['--jetstream', jetstream.url, '--bsky-appview', appView.url],
    ...['--poll-interval', '30000', '--tiles', 'none'],
  ]);
  const server = await startServer(config, {
    log: pino({ level: 'silent' }),
    locator,
    tokens: { [mastodon.url]: 't' },
  });
  while (
    server.collection.status().length === 0 || // the collection lease is not taken yet
    !server.collection.status().every((s) => s.state === 'streaming') ||
    jetstream.connections() === 0
  )
    await sleep(10);

  say('server streaming from both networks');
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/campaigns/yourturn/events`, {
    signal: controller.signal,
  });
  const pinned = new Map<string, number>();
  const stats: { at: number; contributors: number }[] = [];
  const removed = new Map<string, number>();
  void readEventStream(res.body!, {
    onEvent(e) {
      const at = performance.now();
      if (e.event === 'contributor') pinned.set((JSON.parse(e.data) as { id: string }).id, at);
      if (e.event === 'remove') removed.set((JSON.parse(e.data) as { acct: string }).acct, at);
      if (e.event === 'stats')
        stats.push({
          at,
          contributors: (JSON.parse(e.data) as { contributors: number }).contributors,
        });
    },
  }).catch(() => {});
  const until = async (done: () => boolean, ms = liveDefaults.timeoutMs) => {
    const end = performance.now() + ms;
    while (!done() && performance.now() < end) await sleep(2);
    return done();
  };

  // Known authors: a first post read (profile cached, consent known), then deleted again.
  const did = (kind: 'known' | 'new', i: number) => `did:plc:${kind}${String(i).padStart(20, '0')}`;
  for (const kind of ['known', 'new'] as const)
    for (let i = 0; i < liveDefaults[`${kind}Authors`]; i++)
      appView.setProfile({
        did: did(kind, i),
        handle: `${kind}${i}.bsky.social`,
        displayName: `${kind} ${i}`,
      });
  const warm = Array.from({ length: liveDefaults.knownAuthors }, (_, i) => ({
    did: did('known', i),
    rkey: jetstream.post({
      did: did('known', i),
      text: `#YourTurn ${cities[i % cities.length]!.name}`,
    }).rkey,
  }));
  if (!(await until(() => warm.every((w) => pinned.has(w.did)), 60_000)))
    throw new Error('the known authors never reached the map');
  for (const w of warm) jetstream.deletePost(w.did, w.rkey);
  if (!(await until(() => warm.every((w) => removed.has(w.did)), 30_000)))
    throw new Error('the known authors never left the map');
  say('known authors read, shown and deleted again');
  pinned.clear();
  removed.clear();
  const callsBefore = appView.calls.length;

  // Posts, interleaved at random.
  const plan: Kind[] = rnd.shuffle([
    ...Array<Kind>(liveDefaults.knownAuthors).fill('known'),
    ...Array<Kind>(liveDefaults.newAuthors).fill('new'),
    ...Array<Kind>(liveDefaults.fediverse).fill('fediverse'),
  ]);
  const counters = { known: 0, new: 0, fediverse: 0 };
  const sent: {
    kind: Kind;
    acct: string;
    at: number;
    city: (typeof cities)[number];
    del: () => void;
  }[] = [];
  const startedAt = performance.now();
  for (const kind of plan) {
    const i = counters[kind]++;
    const city = rnd.pick(cities);
    const text = `#YourTurn ${city.name}`;
    if (kind === 'fediverse') {
      const at = performance.now();
      const status = mastodon.post({ account: { username: `p${i}` }, text });
      sent.push({
        kind,
        acct: `p${i}@live.example`,
        at,
        city,
        del: () => mastodon.delete(status.id),
      });
    } else {
      const d = did(kind, i);
      const at = performance.now();
      const { rkey } = jetstream.post({ did: d, text });
      sent.push({ kind, acct: d, at, city, del: () => jetstream.deletePost(d, rkey) });
    }
    await sleep(
      liveDefaults.minGapMs + rnd.next() * (liveDefaults.maxGapMs - liveDefaults.minGapMs),
    );
  }
  const postSeconds = (performance.now() - startedAt) / 1000;
  await until(() => sent.every((s) => pinned.has(s.acct)));
  const calls = appView.calls.slice(callsBefore);
  const pin = (kind: Kind) =>
    sent
      .filter((s) => s.kind === kind && pinned.has(s.acct))
      .map((s) => pinned.get(s.acct)! - s.at);
  const lost = (kind: Kind) => sent.filter((s) => s.kind === kind && !pinned.has(s.acct)).length;

  say(
    `${sent.length} posts sent over ${postSeconds.toFixed(0)} s; ${sent.filter((x) => pinned.has(x.acct)).length} pinned`,
  );
  // Deletes, one at a time: the remove event, then every surface polled until it no longer shows them.
  const shows = async (s: (typeof sent)[number]) => {
    const base = `${server.url}/api/campaigns/yourturn`;
    const [city, summary, nearby, csv] = await Promise.all([
      fetch(`${base}/places/${s.city.id}/contributors?limit=100`).then((r) => r.text()),
      fetch(base).then((r) => r.json() as Promise<{ contributors: number }>),
      fetch(`${base}/nearby?lat=${s.city.lat}&lng=${s.city.lng}&limit=100`).then((r) => r.text()),
      fetch(`${base}/export.csv`).then((r) => r.text()),
    ]);
    return {
      city: city.includes(`"${s.acct}"`),
      nearby: nearby.includes(`"${s.acct}"`),
      export: csv.includes(`\n${s.acct},`),
      liveFigures: !stats.some((e) => e.at >= deletedAt && e.contributors === expected),
      summary: summary.contributors !== expected,
    };
  };
  type Surface = keyof Awaited<ReturnType<typeof shows>>;
  let expected = server.store.contributors('yourturn').features.length;
  let deletedAt = Infinity;
  const victims = [
    ...rnd
      .shuffle(sent.filter((s) => s.kind !== 'fediverse' && pinned.has(s.acct)))
      .slice(0, liveDefaults.deletes.bluesky),
    ...rnd
      .shuffle(sent.filter((s) => s.kind === 'fediverse' && pinned.has(s.acct)))
      .slice(0, liveDefaults.deletes.fediverse),
  ];
  const surfaces: Surface[] = ['city', 'nearby', 'export', 'liveFigures', 'summary'];
  const fresh = () => ({
    event: [] as number[],
    everywhere: [] as number[],
    staleAtEvent: 0,
    surface: Object.fromEntries(surfaces.map((k) => [k, [] as number[]])) as Record<
      Surface,
      number[]
    >,
  });
  const gone = { bluesky: fresh(), fediverse: fresh() };
  for (const s of rnd.shuffle(victims)) {
    const g = gone[s.kind === 'fediverse' ? 'fediverse' : 'bluesky'];
    const before = await shows(s);
    if (!before.city || !before.export || !before.nearby)
      throw new Error(`${s.acct} is not listed before its delete`);
    expected--;
    deletedAt = performance.now();
    s.del();
    if (!(await until(() => removed.has(s.acct)))) throw new Error(`no remove event for ${s.acct}`);
    g.event.push(removed.get(s.acct)! - deletedAt);
    const cleanAt: Partial<Record<Surface, number>> = {};
    let first = true;
    for (;;) {
      const now = await shows(s);
      const t = performance.now() - deletedAt;
      if (first && (now.city || now.nearby || now.export)) g.staleAtEvent++;
      first = false;
      for (const k of surfaces) if (!now[k] && cleanAt[k] === undefined) cleanAt[k] = t;
      if (surfaces.every((k) => cleanAt[k] !== undefined)) break;
      if (t > liveDefaults.timeoutMs)
        throw new Error(`${s.acct} is still shown: ${JSON.stringify(now)}`);
      await sleep(20);
    }
    for (const k of surfaces) g.surface[k].push(cleanAt[k]!);
    // Every surface the map reads live: the event, the lists, the export and the live figures.
    g.everywhere.push(
      Math.max(
        g.event.at(-1)!,
        cleanAt.city!,
        cleanAt.nearby!,
        cleanAt.export!,
        cleanAt.liveFigures!,
      ),
    );
    await sleep(100 + rnd.next() * 200);
  }
  say('deletes done');

  controller.abort();
  await server.close();
  await Promise.all([jetstream.close(), appView.close(), mastodon.close()]);
  rmSync(dir, { recursive: true, force: true });

  const known = summarise(pin('known'));
  const newcomers = summarise(pin('new'));
  const fedi = summarise(pin('fediverse'));
  const actors = calls.reduce((n, c) => n + c.length, 0);
  const figures: Record<string, number> = {
    postSeconds: +postSeconds.toFixed(1),
    pinLost: lost('known') + lost('new') + lost('fediverse'),
    getProfilesCalls: calls.length,
    actorsPerCall: +(actors / Math.max(1, calls.length)).toFixed(2),
  };
  const put = (name: string, s: ReturnType<typeof summarise>) => {
    figures[`${name}P50Ms`] = s.p50;
    figures[`${name}P95Ms`] = s.p95;
    figures[`${name}MaxMs`] = s.max;
  };
  put('pinKnown', known);
  put('pinNew', newcomers);
  put('pinFediverse', fedi);
  const deleteRows = (['bluesky', 'fediverse'] as const).flatMap((network) => {
    const g = gone[network];
    const label = network === 'bluesky' ? 'Bluesky' : 'baseline: fediverse';
    put(`remove_${network}`, summarise(g.event));
    put(`goneEverywhere_${network}`, summarise(g.everywhere));
    for (const k of surfaces) put(`gone_${k}_${network}`, summarise(g.surface[k]));
    figures[`staleAtEvent_${network}`] = g.staleAtEvent;
    return [
      row(`${label} delete → remove event`, summarise(g.event)),
      row(
        `${label} delete → gone from the event, city list, nearby, export and live figures`,
        summarise(g.everywhere),
        `a list still showed them when the event came: ${g.staleAtEvent} of ${g.event.length}`,
      ),
      row(
        `${label} delete → campaign summary API counts it`,
        summarise(g.surface.summary),
        'cached 5 s (summaryTtlMs), read afresh once anyone left',
      ),
    ];
  });
  return {
    name: 'bluesky-live',
    figures,
    table: [
      row('Bluesky post → pin, profile already read', known, `lost ${lost('known')}`),
      row(
        'Bluesky post → pin, new author (getProfiles first)',
        newcomers,
        `lost ${lost('new')}; ${calls.length} calls, ${figures.actorsPerCall} actors/call`,
      ),
      row('baseline: fediverse post → pin (streamed instance)', fedi, `lost ${lost('fediverse')}`),
      ...deleteRows,
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.table((await run()).table);
