// SSE fan-out over several serving processes on one SQLite file (issue #18): one `--role collect`
// process follows a Mastodon test double; K `--role serve` processes each follow the events table
// and hold a share of C raw SSE clients (child processes, bench/fixtures/sse-crowd.ts). A post is
// published on the double; per client we take the time from the event's logged time (the
// collecting process's `created_at`, the same clock) until that client has it, and report p50, p95
// and max ("the last client") per (K, C): the median of several posts. The time from publishing
// adds the collector's poll (every 200 ms) and is reported beside it. One more row goes through
// nginx. Run alone with `npm run bench fanout`; FTO_FANOUT_* (below) narrow it.
import { startBalancer, type Balancer } from '../tests/helpers/balancer.js';
import { cpuMs, rssMiB, startWorld, type World } from './fixtures/fanout-world.js';
import type { BenchResult } from './run.js';

const list = (raw: string | undefined, fallback: number[]) =>
  raw === undefined
    ? fallback
    : raw
        .split(',')
        .filter(Boolean)
        .map((s) => Number(s.trim()));

const defaults = {
  servers: list(process.env.FTO_FANOUT_SERVERS, [1, 2, 3]), // K serving processes, one world each
  clients: list(process.env.FTO_FANOUT_CLIENTS, [1_000, 5_000, 10_000]), // C, grown in one world
  posts: Number(process.env.FTO_FANOUT_POSTS ?? 5), // measurements per (K, C); medians reported
  crowds: Number(process.env.FTO_FANOUT_CROWDS ?? 2), // client processes: one per core
  arrivalTimeoutMs: 30_000, // a client without the event by then counts as missed
  gapMs: 500, // between two posts, so one fan-out does not overlap the next
  balancerServers: 2, // the nginx row: K…
  balancerClients: Number(process.env.FTO_FANOUT_BALANCER_CLIENTS ?? 5_000), // …and C (0 = no row)
};

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const r1 = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

interface Measured {
  servers: number;
  clients: number;
  via: 'direct' | 'nginx';
  /** Medians over the posts, ms from the event's logged time. */
  p50: number;
  p95: number;
  max: number;
  /** Median over the posts of the last client's time from publishing on the double, ms. */
  maxFromPublish: number;
  /** Clients without the event after arrivalTimeoutMs, worst post. */
  missed: number;
  /** Each serving process's RSS with its share of the clients, MiB. */
  rss: number[];
  /** Median CPU per post, ms: all serving processes together, all client processes together. */
  serverCpuMs: number;
  clientCpuMs: number;
}

let sequence = 0;

/** Publishes `posts` posts and times each one's arrival at every open client. */
async function timePosts(world: World, clients: number, via: Measured['via']): Promise<Measured> {
  const rows: { p50: number; p95: number; max: number; fromPublish: number; missed: number }[] = [];
  const cpu: { server: number; client: number }[] = [];
  const pids = world.servers.map((s) => s.child.pid!);
  for (let p = 0; p < defaults.posts; p++) {
    const username = `fanout${++sequence}x`;
    const marker = `${username}@fanout.example`;
    const before = { server: pids.map(cpuMs) };
    const watches = world.crowds.map((c) => c.watch(marker, defaults.arrivalTimeoutMs));
    await Promise.all(watches.map((w) => w.armed)); // every crowd looks before the post exists
    const watching = Promise.all(watches.map((w) => w.arrived));
    const publishedAt = now();
    world.instance.post({ account: { username }, text: '#YourTurn Lagos' });
    const arrived = await watching;
    const loggedAt = world.loggedAt(marker);
    if (loggedAt === null) throw new Error(`no contributor event logged for ${marker}`);
    const at = arrived.flatMap((a) => a.at);
    const got = at.filter((t) => t >= 0).map((t) => t - loggedAt);
    got.sort((a, b) => a - b);
    if (got.length === 0) throw new Error(`no client received ${marker}`);
    rows.push({
      p50: quantile(got, 0.5),
      p95: quantile(got, 0.95),
      max: got.at(-1)!,
      fromPublish: got.at(-1)! + loggedAt - publishedAt,
      missed: at.length - got.length,
    });
    const after = pids.map(cpuMs);
    cpu.push({
      server: after.reduce((sum, t, i) => sum + t - before.server[i]!, 0),
      client: arrived.reduce((sum, a) => sum + a.cpuMs, 0),
    });
    await sleep(defaults.gapMs);
  }
  return {
    servers: world.servers.length,
    clients,
    via,
    p50: r1(median(rows.map((r) => r.p50))),
    p95: r1(median(rows.map((r) => r.p95))),
    max: r1(median(rows.map((r) => r.max))),
    maxFromPublish: r1(median(rows.map((r) => r.fromPublish))),
    missed: Math.max(...rows.map((r) => r.missed)),
    rss: pids.map(rssMiB),
    serverCpuMs: r1(median(cpu.map((c) => c.server))),
    clientCpuMs: r1(median(cpu.map((c) => c.client))),
  };
}

/** Opens clients `from`…`to - 1`: client i on crowd i mod crowds, at `urlOf(i)`. */
async function grow(world: World, from: number, to: number, urlOf: (i: number) => string) {
  const shares: string[][] = world.crowds.map(() => []);
  for (let i = from; i < to; i++) shares[i % shares.length]!.push(urlOf(i));
  const opened = await Promise.all(world.crowds.map((c, n) => c.open(shares[n]!)));
  const open = opened.reduce((sum, o) => sum + o.open, 0);
  const failed = opened.reduce((sum, o) => sum + o.failed, 0);
  const firstError = opened.find((o) => o.firstError)?.firstError ?? null;
  return { open, failed, firstError };
}

const events = (base: string) => `${base}/api/campaigns/yourturn/events`;

export async function run(): Promise<BenchResult> {
  const log = (line: string) => process.stdout.write(`  ${line}\n`);
  const results: Measured[] = [];
  const idleRss: Record<number, number> = {};
  const limits: string[] = [];

  for (const k of defaults.servers) {
    const world = await startWorld(k, defaults.crowds);
    try {
      idleRss[k] = r1(median(world.servers.map((s) => rssMiB(s.child.pid!))));
      let open = 0;
      for (const c of defaults.clients) {
        const started = Date.now();
        const grown = await grow(world, open, c, (i) => events(world.servers[i % k]!.url));
        open = grown.open;
        log(
          `K=${k}: ${grown.open} clients open (${grown.failed} failed) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        if (grown.failed > 0) {
          limits.push(
            `K=${k}: ${grown.failed} of ${c} clients failed to open: ${grown.firstError}`,
          );
          break;
        }
        const m = await timePosts(world, c, 'direct');
        log(`K=${k} C=${c}: ${JSON.stringify(m)}`);
        results.push(m);
      }
    } finally {
      await world.stop();
    }
  }

  if (defaults.balancerClients > 0) {
    const c = defaults.balancerClients;
    const world = await startWorld(defaults.balancerServers, defaults.crowds);
    let balancer: Balancer | undefined;
    try {
      // Each client holds two connections in nginx: its own and the upstream's. With fewer than
      // 1/16 of its connections free, nginx closes "reusable" ones, which include clients just
      // accepted and still sending their request (measured: 169 of 5,000 reset with 2C + 256).
      balancer = await startBalancer({
        upstreams: world.servers.map((s) => Number(new URL(s.url).port)),
        workerConnections: Math.ceil(2.5 * c) + 256,
      });
      const grown = await grow(world, 0, c, () => events(balancer!.url));
      log(`nginx: ${grown.open} clients open (${grown.failed} failed)`);
      if (grown.failed > 0)
        limits.push(`nginx: ${grown.failed} of ${c} clients failed to open: ${grown.firstError}`);
      else {
        const m = await timePosts(world, c, 'nginx');
        log(`nginx K=${m.servers} C=${c}: ${JSON.stringify(m)}`);
        results.push(m);
      }
    } finally {
      await balancer?.stop();
      await world.stop();
    }
  }

  const baseline = (c: number) =>
    results.find((r) => r.servers === 1 && r.clients === c && r.via === 'direct');
  const ratio = (r: Measured) => {
    const b = baseline(r.clients);
    return b ? `${(r.max / b.max).toFixed(2)}×` : '';
  };
  const figures: Record<string, number> = { fanoutPosts: defaults.posts };
  for (const r of results) {
    const key = `fanout${r.via === 'nginx' ? 'Nginx' : ''}K${r.servers}C${r.clients}`;
    figures[`${key}P50Ms`] = r.p50;
    figures[`${key}P95Ms`] = r.p95;
    figures[`${key}MaxMs`] = r.max;
    figures[`${key}MaxFromPublishMs`] = r.maxFromPublish;
    figures[`${key}Missed`] = r.missed;
    figures[`${key}RssPerServerMiB`] = r1(median(r.rss));
    figures[`${key}ServerCpuMsPerPost`] = r.serverCpuMs;
    figures[`${key}ClientCpuMsPerPost`] = r.clientCpuMs;
  }
  for (const [k, rss] of Object.entries(idleRss)) figures[`fanoutK${k}IdleRssPerServerMiB`] = rss;

  return {
    name: 'fanout',
    table: [
      ...results.map((r) => ({
        what: `${r.via === 'nginx' ? 'through nginx, ' : ''}K=${r.servers} serving, C=${r.clients} clients`,
        'p50 ms': r.p50,
        'p95 ms': r.p95,
        'max ms': r.max,
        'max vs K=1': r.via === 'direct' ? ratio(r) : '',
        'max from publish ms': r.maxFromPublish,
        missed: r.missed,
        'RSS MiB per server': r.rss.join(' / '),
        'CPU ms/post servers, clients': `${r.serverCpuMs}, ${r.clientCpuMs}`,
      })),
      {
        what: `times from the event's logged time, median of ${defaults.posts} posts; RSS with no clients: ${Object.entries(
          idleRss,
        )
          .map(([k, v]) => `K=${k} ${v}`)
          .join(', ')} MiB`,
      },
      ...limits.map((l) => ({ what: `limit: ${l}` })),
    ],
    figures,
  };
}
