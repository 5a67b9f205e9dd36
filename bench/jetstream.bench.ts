// Bluesky: how many Jetstream events one core filters per second, through the real source (tag
// match, delete look-ups, account events, locating and saving the campaign posts with their cursor),
// against JSON.parse of every frame alone as the baseline. A synthetic firehose in Jetstream's wire
// format: 1% of posts carry the campaign tag, 10% of events are deletes, 0.5% identity/account.
// Run alone with `npx tsx bench/jetstream.bench.ts`; the issue asks for >= 20,000 events/s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { systemClock } from '../server/clock.js';
import { createBluesky } from '../server/collector/bluesky/index.js';
import { createHostResolver } from '../server/collector/host-resolver.js';
import { tagFacets } from '../server/demo/bluesky/jetstream-double.js';
import { createPrng } from '../server/demo/prng.js';
import { openGazetteer } from '../server/geo/gazetteer.js';
import { createLocator } from '../server/geo/locator.js';
import { openDb } from '../server/store/db.js';
import { createStore } from '../server/store/store.js';
import type { BenchResult } from './run.js';

const cities = ['Lagos', 'Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco', 'Nairobi'];
const words =
  'the a of morning coffee train rain light book walk music friends city river new today'.split(
    ' ',
  );
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `n` frames as Jetstream sends them for `wantedCollections=app.bsky.feed.post`. */
function firehose(n: number): string[] {
  const rnd = createPrng(16).next;
  const frames: string[] = [];
  let us = Date.now() * 1000 - n * 50;
  const created: { did: string; rkey: string }[] = [];
  for (let i = 0; i < n; i++) {
    us += 50;
    const did = `did:plc:${(Math.floor(rnd() * 2e6) + 1e6).toString(36).padStart(24, 'a')}`;
    const r = rnd();
    if (r < 0.1 && created.length) {
      const victim = created[Math.floor(rnd() * created.length)]!;
      frames.push(
        JSON.stringify({
          did: victim.did,
          time_us: us,
          kind: 'commit',
          commit: {
            rev: `3l${i}`,
            operation: 'delete',
            collection: 'app.bsky.feed.post',
            rkey: victim.rkey,
          },
        }),
      );
    } else if (r < 0.105) {
      frames.push(
        JSON.stringify(
          r < 0.1025
            ? {
                did,
                time_us: us,
                kind: 'identity',
                identity: {
                  did,
                  handle: `h${i}.bsky.social`,
                  seq: i,
                  time: new Date().toISOString(),
                },
              }
            : {
                did,
                time_us: us,
                kind: 'account',
                account: {
                  active: false,
                  did,
                  seq: i,
                  time: new Date().toISOString(),
                  status: 'deactivated',
                },
              },
        ),
      );
    } else {
      const tagged = rnd() < 0.01;
      const length = 5 + Math.floor(rnd() * 30);
      let text = Array.from({ length }, () => words[Math.floor(rnd() * words.length)]).join(' ');
      if (tagged) text = `#YourTurn ${cities[i % cities.length]} — ${text}`;
      const rkey = `3l${i.toString(36).padStart(11, '2')}`;
      created.push({ did, rkey });
      frames.push(
        JSON.stringify({
          did,
          time_us: us,
          kind: 'commit',
          commit: {
            rev: `3l${i}`,
            operation: 'create',
            collection: 'app.bsky.feed.post',
            rkey,
            record: {
              $type: 'app.bsky.feed.post',
              createdAt: new Date(us / 1000).toISOString(),
              langs: ['en'],
              text,
              ...(tagged && { facets: tagFacets(text) }),
            },
            cid: `bafyreig${i.toString(36).padStart(50, 'a')}`,
          },
        }),
      );
    }
  }
  return frames;
}

export async function run(): Promise<BenchResult> {
  const frames = firehose(200_000);
  const bytes = frames.reduce((s, f) => s + f.length, 0);
  const locator = createLocator(openGazetteer());
  const rates: number[] = [];
  const parseRates: number[] = [];
  let saved = 0;
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    for (const f of frames) JSON.parse(f);
    parseRates.push(frames.length / ((performance.now() - t) / 1000));

    const dir = mkdtempSync(join(tmpdir(), 'fto-bench-bsky-'));
    const db = openDb(join(dir, 'bench.db'));
    const store = createStore(db);
    store.ensureCampaigns(['yourturn']);
    const bluesky = createBluesky({
      jetstreams: ['ws://127.0.0.1:9/subscribe'],
      appViews: ['http://127.0.0.1:9'], // never asked: the look-ups are not run here
      tags: ['yourturn'],
      userAgent: 'bench',
      store,
      consentStore: store.consent,
      resolver: createHostResolver(),
      locator,
      log: pino({ level: 'silent' }),
      clock: systemClock,
    });
    t = performance.now();
    for (const f of frames) bluesky.source.onFrame(f);
    bluesky.source.flush();
    rates.push(frames.length / ((performance.now() - t) / 1000));
    saved = store.consent.pendingCount();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const figures = {
    jetstreamEventsPerSec: Math.round(median(rates)),
    jsonParseOnlyEventsPerSec: Math.round(median(parseRates)),
    campaignPostsSaved: saved,
    meanFrameBytes: Math.round(bytes / frames.length),
  };
  return {
    name: 'jetstream',
    figures,
    table: [
      {
        measure: 'Jetstream events filtered and saved, one core',
        value: `${figures.jetstreamEventsPerSec}/s`,
      },
      {
        measure: 'baseline: JSON.parse of every frame alone',
        value: `${figures.jsonParseOnlyEventsPerSec}/s`,
      },
      {
        measure: 'campaign posts saved (waiting for the AppView)',
        value: figures.campaignPostsSaved,
      },
      { measure: 'mean frame size', value: `${figures.meanFrameBytes} B` },
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.table((await run()).table);
