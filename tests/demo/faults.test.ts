import { afterEach, describe, expect, it } from 'vitest';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';

let instance: MastodonInstance;
afterEach(async () => {
  await instance.close();
});

const TAG_PATH = '/api/v1/timelines/tag';

describe('injected faults', () => {
  it('fails the next n matching requests with nginx HTML, then recovers', async () => {
    instance = await startMastodonInstance();
    instance.failNext(2, { kind: 'status', status: 502 }, TAG_PATH);
    const url = `${instance.url}/api/v1/timelines/tag/yourturn`;
    expect((await fetch(`${instance.url}/api/v2/instance`)).status).toBe(200);
    const first = await fetch(url);
    expect(first.status).toBe(502);
    expect(first.headers.get('content-type')).toBe('text/html');
    expect(await first.text()).toContain('<title>502 Bad Gateway</title>');
    expect((await fetch(url)).status).toBe(502);
    expect((await fetch(url)).status).toBe(200);
    expect(instance.requestLog.map((entry) => entry.status)).toEqual([200, 502, 502, 200]);
  });

  it('serves malformed and truncated JSON that a parser rejects', async () => {
    instance = await startMastodonInstance();
    instance.post({ account: { username: 'a' }, text: '#YourTurn Lagos' });
    const url = `${instance.url}/api/v1/timelines/tag/yourturn`;
    instance.failNext(1, { kind: 'malformed-json' });
    await expect((await fetch(url)).json()).rejects.toThrow();
    instance.failNext(1, { kind: 'truncated-json' });
    await expect(fetch(url).then((res) => res.json())).rejects.toThrow();
    expect((await fetch(url)).status).toBe(200);
  });

  it('answers with any JSON instead of the real answer, for a server that misreads a request', async () => {
    instance = await startMastodonInstance();
    const status = instance.post({ account: { username: 'a' }, text: '#YourTurn Lagos' });
    instance.setFault({ kind: 'json', body: { statuses: [] } }, /^\/api\/v1\/statuses$/);
    const url = `${instance.url}/api/v1/statuses?id[]=${status.id}`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ statuses: [] });
    expect((await fetch(`${instance.url}/api/v1/statuses/${status.id}`)).status).toBe(200);
    instance.setFault(null);
    expect(await (await fetch(url)).json()).toEqual([status]);
  });

  it('resets connections and delays responses', async () => {
    instance = await startMastodonInstance();
    instance.failNext(1, { kind: 'reset' });
    await expect(fetch(`${instance.url}/api/v2/instance`)).rejects.toThrow();
    instance.failNext(1, { kind: 'delay', ms: 60 });
    const started = Date.now();
    expect((await fetch(`${instance.url}/api/v2/instance`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('keeps a standing fault until cleared, and a hung request ends on close', async () => {
    instance = await startMastodonInstance();
    instance.setFault({ kind: 'status', status: 429 });
    const limited = await fetch(`${instance.url}/api/v2/instance`);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ error: 'Too many requests' });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    instance.setFault(null);
    expect((await fetch(`${instance.url}/api/v2/instance`)).status).toBe(200);
    instance.setFault({ kind: 'hang' });
    const hung = fetch(`${instance.url}/api/v2/instance`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await instance.close();
    await expect(hung).rejects.toThrow();
    instance = await startMastodonInstance();
  });

  it('streams an endless JSON body until the client stops reading', async () => {
    instance = await startMastodonInstance();
    instance.failNext(1, { kind: 'endless-body' }, TAG_PATH);
    const res = await fetch(`${instance.url}${TAG_PATH}/yourturn`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let bytes = 0;
    while (bytes < 4 * 1024 * 1024) bytes += (await reader.read()).value!.byteLength;
    await reader.cancel();
    expect(bytes).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    expect((await fetch(`${instance.url}${TAG_PATH}/yourturn`)).status).toBe(200);
  });
});
