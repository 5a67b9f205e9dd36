import { afterEach, describe, expect, it } from 'vitest';
import {
  connectWebSocket,
  openSse,
  startMastodonInstance,
  type MastodonInstance,
} from '../helpers/mastodon-instance.js';

const open: MastodonInstance[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  await Promise.all(open.splice(0).map((instance) => instance.close()));
});

async function start(options: Parameters<typeof startMastodonInstance>[0] = {}) {
  const instance = await startMastodonInstance({ tokens: ['tok'], ...options });
  open.push(instance);
  return instance;
}

async function sse(url: string, headers?: Record<string, string>) {
  const stream = await openSse(url, headers);
  cleanups.push(stream.close);
  return stream;
}

describe('SSE streaming', () => {
  it('answers the health check with OK', async () => {
    const instance = await start();
    const res = await fetch(`${instance.url}/api/v1/streaming/health`);
    expect(await res.text()).toBe('OK');
  });

  it('delivers update, status.update and delete on the hashtag stream, and nothing for other tags', async () => {
    const instance = await start();
    const stream = await sse(`${instance.url}/api/v1/streaming/hashtag?tag=YourTurn`, {
      Authorization: 'Bearer tok',
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    instance.post({ account: { username: 'a' }, text: '#SomethingElse Paris' });
    const status = instance.post({
      account: { username: 'b', domain: 'chaos.social' },
      text: '#yourturn Berlin',
    });
    instance.edit(status.id, { text: '#yourturn Hamburg' });
    instance.delete(status.id);
    await stream.waitFor(() => (stream.events.length >= 3 ? true : undefined), 'three events');
    expect(stream.events.map((e) => e.event)).toEqual(['update', 'status.update', 'delete']);
    expect(JSON.parse(stream.events[0]!.data)).toMatchObject({
      id: status.id,
      account: { acct: 'b@chaos.social' },
    });
    expect(JSON.parse(stream.events[1]!.data).content).toContain('Hamburg');
    expect(stream.events[2]!.data).toBe(status.id);
  });

  it('sends every public post on the public firehose, with :thump heartbeats', async () => {
    const instance = await start({ heartbeatMs: 20 });
    const stream = await sse(`${instance.url}/api/v1/streaming/public?access_token=tok`);
    instance.post({ account: { username: 'a' }, text: 'no tag here' });
    instance.post({ account: { username: 'a' }, text: 'quiet', visibility: 'unlisted' });
    await stream.waitFor(
      () => (stream.comments.includes('thump') ? true : undefined),
      'a heartbeat',
    );
    expect(stream.events.map((e) => JSON.parse(e.data).content)).toEqual(['<p>no tag here</p>']);
  });

  it('refuses streams without a token since 4.2, and allows them when configured', async () => {
    const instance = await start();
    const refused = await sse(`${instance.url}/api/v1/streaming/hashtag?tag=yourturn`);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ error: 'Missing access token' });
    const invalid = await sse(
      `${instance.url}/api/v1/streaming/hashtag?tag=yourturn&access_token=nope`,
    );
    expect(invalid.status).toBe(401);
    const openInstance = await start({ streamingRequiresToken: false });
    const allowed = await sse(`${openInstance.url}/api/v1/streaming/hashtag?tag=yourturn`);
    expect(allowed.status).toBe(200);
  });

  it('ends open streams on close()', async () => {
    const instance = await startMastodonInstance({ streamingRequiresToken: false });
    const stream = await sse(`${instance.url}/api/v1/streaming/public`);
    expect(instance.openStreams()).toBe(1);
    await instance.close();
    await stream.waitFor(() => (stream.ended() ? true : undefined), 'the stream to end');
  });
});

describe('WebSocket streaming', () => {
  it('sends Mastodon frames with the payload as a JSON string, via query or subscribe message', async () => {
    const instance = await start();
    const ws = await connectWebSocket(
      `${instance.url}/api/v1/streaming?stream=hashtag&tag=YourTurn&access_token=tok`,
      { 'User-Agent': 'test' },
    );
    cleanups.push(ws.close);
    ws.send({ type: 'subscribe', stream: 'public:local' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const status = instance.post({ account: { username: 'a' }, text: '#YourTurn Oslo' });
    await ws.waitFor(() => (ws.frames.length >= 2 ? true : undefined), 'two frames');
    expect(ws.frames.map((f) => f.stream)).toEqual(
      expect.arrayContaining([['hashtag', 'yourturn'], ['public:local']]),
    );
    expect(JSON.parse(ws.frames[0]!.payload!)).toMatchObject({ id: status.id });
  });

  it('refuses a WebSocket without a token with 401', async () => {
    const instance = await start();
    await expect(
      connectWebSocket(`${instance.url}/api/v1/streaming?stream=public`),
    ).rejects.toThrow('HTTP 401');
  });

  it('on GoToSocial accepts hashtag streams but delivers nothing on them', async () => {
    const instance = await start({ software: 'gotosocial' });
    const ws = await connectWebSocket(
      `${instance.url}/api/v1/streaming?stream=hashtag&tag=yourturn&access_token=tok`,
      {
        'User-Agent': 'test',
      },
    );
    cleanups.push(ws.close);
    ws.send({ type: 'subscribe', stream: 'public' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    instance.post({ account: { username: 'a' }, text: '#YourTurn Oslo' });
    await ws.waitFor(() => (ws.frames.length >= 1 ? true : undefined), 'a frame');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ws.frames.map((f) => f.stream)).toEqual([['public']]);
    expect(
      (await fetch(`${instance.url}/api/v1/streaming/hashtag?tag=yourturn&access_token=tok`))
        .status,
    ).toBe(404);
  });

  it('delivers on hashtag subscriptions made after GoToSocial is told to stop being silent', async () => {
    const instance = await start({ software: 'gotosocial' });
    const url = `${instance.url}/api/v1/streaming?stream=hashtag&tag=yourturn&access_token=tok`;
    const silent = await connectWebSocket(url, { 'User-Agent': 'test' });
    cleanups.push(silent.close);
    instance.setSilentHashtagStreams(false);
    const delivering = await connectWebSocket(url, { 'User-Agent': 'test' });
    cleanups.push(delivering.close);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const status = instance.post({ account: { username: 'a' }, text: '#YourTurn Oslo' });
    await delivering.waitFor(() => delivering.frames[0], 'a frame');
    expect(JSON.parse(delivering.frames[0]!.payload!)).toMatchObject({ id: status.id });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(silent.frames).toEqual([]);
  });
});
