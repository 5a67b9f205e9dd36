import { afterEach, describe, expect, it } from 'vitest';
import { parseLinkHeader } from '../../shared/link-header.js';
import {
  connectWebSocket,
  startMastodonInstance,
  type MastodonInstance,
} from '../helpers/mastodon-instance.js';

const open: MastodonInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((instance) => instance.close()));
});

async function start(options: Parameters<typeof startMastodonInstance>[0]) {
  const instance = await startMastodonInstance(options);
  open.push(instance);
  return instance;
}

describe('snac', () => {
  it('sends no Link and no rate-limit headers and mints <seconds><md5> ids', async () => {
    const instance = await start({ software: 'snac', now: () => 1_718_000_000_500 });
    const status = instance.post({ account: { username: 'a' }, text: '#YourTurn Graz' });
    expect(status.id).toMatch(/^1718000000[0-9a-f]{32}$/);
    const res = await fetch(`${instance.url}/api/v1/timelines/tag/yourturn`);
    expect(res.headers.get('link')).toBeNull();
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    expect((await fetch(`${instance.url}/api/v1/streaming/health`)).status).toBe(404);
  });

  it('can skip posts made within one second when a client walks forward by id alone', async () => {
    const instance = await start({ software: 'snac', now: () => 1_718_000_000_000 });
    const ids = Array.from(
      { length: 12 },
      (_, i) => instance.post({ account: { username: 'a' }, text: `#YourTurn ${i}` }).id,
    );
    const first = ids[0]!;
    const res = await fetch(
      `${instance.url}/api/v1/timelines/tag/yourturn?min_id=${first}&limit=40`,
    );
    const seen = ((await res.json()) as { id: string }[]).map((s) => s.id);
    const lexicallyNewer = ids.slice(1).filter((id) => id > first);
    // snac stops at the first id that is not greater, so it returns at most the lexically newer ones.
    expect(seen.length).toBeLessThanOrEqual(lexicallyNewer.length);
    expect(seen.every((id) => id > first)).toBe(true);
  });

  it('answers unknown API paths, id[]= included, with its HTML 404 page and has no /api/v2/instance', async () => {
    const instance = await start({ software: 'snac' });
    const status = instance.post({ account: { username: 'a' }, text: '#YourTurn Graz' });
    for (const path of [
      `/api/v1/statuses?id[]=${status.id}`,
      '/api/v2/instance',
      '/api/v1/nothing',
    ]) {
      const res = await fetch(`${instance.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      expect(await res.text(), path).toBe('<h1>404 Not Found (snac/2.94)</h1>');
    }
    const v1 = (await (await fetch(`${instance.url}/api/v1/instance`)).json()) as {
      urls: { streaming_api: string };
    };
    expect(v1.urls.streaming_api).toBe(instance.streamingUrl);
  });

  it('shows a status only with a token: 401 without, the HTML 404 page once it is deleted', async () => {
    const instance = await start({ software: 'snac' });
    const status = instance.post({ account: { username: 'a' }, text: '#YourTurn Graz' });
    const url = `${instance.url}/api/v1/statuses/${status.id}`;
    const auth = { headers: { Authorization: 'Bearer any' } };
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toBe('');
    expect(((await (await fetch(url, auth)).json()) as { id: string }).id).toBe(status.id);
    instance.delete(status.id);
    const gone = await fetch(url, auth);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toContain('text/html');
    // The tag page simply leaves it out, as snac's index walk skips objects that are gone.
    const page = (await (
      await fetch(`${instance.url}/api/v1/timelines/tag/yourturn`)
    ).json()) as [];
    expect(page).toEqual([]);
  });

  it('resets a connection to its advertised streaming URL (or answers 404 when told to)', async () => {
    const reset = await start({ software: 'snac' });
    await expect(
      connectWebSocket(`${reset.url}/api/v1/streaming`, { Authorization: 'Bearer x' }),
    ).rejects.toThrow(/ECONNRESET|socket hang up/);
    const notFound = await start({ software: 'snac', noStreaming: 'not-found' });
    await expect(
      connectWebSocket(`${notFound.url}/api/v1/streaming`, { Authorization: 'Bearer x' }),
    ).rejects.toThrow('HTTP 404');
  });
});

describe('GoToSocial', () => {
  it('shows a status only with a token, and a deleted one is a JSON 404', async () => {
    const instance = await start({ software: 'gotosocial' });
    const status = instance.post({ account: { username: 'a' }, text: '#YourTurn Graz' });
    const url = `${instance.url}/api/v1/statuses/${status.id}`;
    const auth = { headers: { Authorization: 'Bearer any' } };
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, auth)).status).toBe(200);
    instance.delete(status.id);
    const gone = await fetch(url, auth);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: 'Not Found: status not found' });
  });

  it('sends deletes to its status timelines only, never to a hashtag stream', async () => {
    const instance = await start({ software: 'gotosocial', silentHashtagStreams: false });
    const url = `${instance.url}/api/v1/streaming?access_token=tok`;
    const ws = await connectWebSocket(url, { 'User-Agent': 'test' });
    ws.send({ type: 'subscribe', stream: 'hashtag', tag: 'yourturn' });
    ws.send({ type: 'subscribe', stream: 'public' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const status = instance.post({ account: { username: 'a' }, text: '#YourTurn Oslo' });
    instance.delete(status.id);
    await ws.waitFor(
      () => (ws.frames.some((f) => f.event === 'delete') ? true : undefined),
      'a delete',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    ws.close();
    const deletes = ws.frames.filter((f) => f.event === 'delete').map((f) => f.stream);
    expect(deletes).toEqual([['public']]);
  });

  it('answers 418 to requests without a User-Agent', async () => {
    const instance = await start({ software: 'gotosocial' });
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) =>
      request(`${instance.url}/api/v2/instance`, (res) => resolve(res.statusCode ?? 0)).end(),
    );
    expect(status).toBe(418);
    expect((await fetch(`${instance.url}/api/v2/instance`)).status).toBe(200);
  });

  it('needs a token for the tag timeline, 404s unknown tags, and pages ULIDs with Link headers', async () => {
    const instance = await start({ software: 'gotosocial', tokens: ['gts'] });
    const ids = Array.from(
      { length: 3 },
      (_, i) => instance.post({ account: { username: 'a' }, text: `#YourTurn ${i}` }).id,
    );
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    const anonymous = await fetch(`${instance.url}/api/v1/timelines/tag/yourturn`);
    expect(anonymous.status).toBe(401);
    const auth = { headers: { Authorization: 'Bearer gts' } };
    expect((await fetch(`${instance.url}/api/v1/timelines/tag/nothing`, auth)).status).toBe(404);
    const page = await fetch(`${instance.url}/api/v1/timelines/tag/yourturn?limit=2`, auth);
    expect(((await page.json()) as { id: string }[]).map((s) => s.id)).toEqual([ids[2], ids[1]]);
    expect(parseLinkHeader(page.headers.get('link')).next).toContain(`max_id=${ids[1]}`);
  });
});

describe('Mastodon access settings', () => {
  it('needs a token when timeline preview is off, and accepts only listed tokens', async () => {
    const instance = await start({ requireToken: true, tokens: ['good'] });
    instance.post({ account: { username: 'a' }, text: '#YourTurn Kyiv' });
    const url = `${instance.url}/api/v1/timelines/tag/yourturn`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'The access token is invalid' });
    expect((await fetch(url, { headers: { Authorization: 'Bearer bad' } })).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer good' } })).status).toBe(200);
    expect((await fetch(`${url}?access_token=good`)).status).toBe(200);
  });

  it('enforces hashtag_feeds access: authenticated needs a token, disabled hides that side', async () => {
    const instance = await start({
      hashtagFeedsAccess: { local: 'public', remote: 'disabled' },
      domain: 'x.test',
    });
    const local = instance.post({ account: { username: 'a' }, text: '#YourTurn Lima' });
    instance.post({ account: { username: 'b', domain: 'y.test' }, text: '#YourTurn Quito' });
    const body = (await (await fetch(`${instance.url}/api/v1/timelines/tag/yourturn`)).json()) as {
      id: string;
    }[];
    expect(body.map((s) => s.id)).toEqual([local.id]);
    const strict = await start({ hashtagFeedsAccess: 'authenticated' });
    strict.post({ account: { username: 'a' }, text: '#YourTurn Lima' });
    expect((await fetch(`${strict.url}/api/v1/timelines/tag/yourturn`)).status).toBe(401);
    expect(
      (
        await fetch(`${strict.url}/api/v1/timelines/tag/yourturn`, {
          headers: { Authorization: 'Bearer x' },
        })
      ).status,
    ).toBe(200);
  });
});
