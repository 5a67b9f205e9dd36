import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/main.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';
import { readSse } from '../helpers/sse.js';
import { startTestServer } from '../helpers/test-server.js';

const people = 150;
const sseClients = 50;
const loadLoops = 8;
const cities = ['Lagos', 'Lima', 'Osaka', 'Quito', 'Accra', 'Hanoi', 'Dakar', 'Cusco', 'Nairobi'];

describe('deletes under load', () => {
  let dir: string;
  let instance: MastodonInstance;
  let server: RunningServer;
  const ids = new Map<string, string>(); // acct → local id of their one post

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fto-deletes-'));
    instance = await startMastodonInstance({ domain: 'del.example', rateLimit: false });
    for (let n = 0; n < people; n++) {
      const status = instance.post({
        account: { username: `p${n}` },
        text: `#YourTurn ${cities[n % cities.length]}`,
      });
      ids.set(`p${n}@del.example`, status.id);
    }
    // A token turns on streaming: deletes then arrive live instead of by the slow re-check.
    server = await startTestServer({
      instances: [instance.url],
      dir,
      name: 'deletes',
      env: { FTO_RATE_LIMIT: '0' },
      tokens: { [instance.url]: 'test-token' },
    });
  });

  afterAll(async () => {
    await server?.close();
    await instance?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes a deleted post out of the API, the export and every connected client within 1 s', async () => {
    await expect
      .poll(() => server.store.contributors('yourturn').features.length, { timeout: 15_000 })
      .toBe(people);
    await expect
      .poll(() => server.collection.status()[0]?.state, { timeout: 15_000 })
      .toBe('streaming');
    const clients = await Promise.all(
      Array.from({ length: sseClients }, () =>
        readSse(`${server.url}/api/campaigns/yourturn/events`),
      ),
    );
    let loading = true;
    let requests = 0;
    const failures: string[] = [];
    const paths = [
      '/api/campaigns/yourturn',
      '/api/campaigns/yourturn/contributors?bbox=-180,-85,180,85&zoom=2',
      '/api/campaigns/yourturn/places/2332459/contributors',
      '/api/campaigns/yourturn/nearby?lat=6.5&lng=3.4&limit=50',
      '/api/campaigns/yourturn/export.geojson',
    ];
    const load = Array.from({ length: loadLoops }, async (_, loop) => {
      for (let i = loop; loading; i++) {
        const res = await fetch(server.url + paths[i % paths.length]);
        await res.arrayBuffer();
        requests++;
        if (res.status !== 200) failures.push(`${paths[i % paths.length]}: ${res.status}`);
      }
    });

    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the load is up to speed first
    const listed = async (acct: string) => {
      const [all, csv] = await Promise.all([
        fetch(`${server.url}/api/campaigns/yourturn/contributors`).then((r) => r.text()),
        fetch(`${server.url}/api/campaigns/yourturn/export.csv`).then((r) => r.text()),
      ]);
      return all.includes(`"${acct}"`) || csv.includes(`\n${acct},`);
    };
    const gone: number[] = [];
    for (const n of [3, 40, 77, 101, 149]) {
      const acct = `p${n}@del.example`;
      expect(await listed(acct)).toBe(true);
      const started = performance.now();
      instance.delete(ids.get(acct)!);
      const isRemove = (e: { event: string; data: string }) =>
        e.event === 'remove' && JSON.parse(e.data).acct === acct;
      for (;;) {
        const everywhere = clients.every((c) => c.events.some(isRemove)) && !(await listed(acct));
        if (everywhere) break;
        if (performance.now() - started > 5_000) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      gone.push(performance.now() - started);
    }
    loading = false;
    await Promise.all(load);
    for (const c of clients) c.close();

    console.log(
      `deletes under load (${sseClients} SSE clients, ${loadLoops} request loops, ${requests} requests): gone everywhere after ${gone.map((ms) => Math.round(ms)).join(', ')} ms`,
    );
    expect(failures).toEqual([]);
    // The bound: a deleted post leaves the API, the export and every client within 1 s.
    for (const ms of gone) expect(ms).toBeLessThan(1_000);
    expect(server.store.contributors('yourturn').features).toHaveLength(people - 5);
  });
});
