import { afterEach, describe, expect, it } from 'vitest';
import { parseLinkHeader } from '../../shared/link-header.js';
import type { MastodonStatus } from '../../server/demo/entities.js';
import { startMastodonInstance, type MastodonInstance } from '../helpers/mastodon-instance.js';

const open: MastodonInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((instance) => instance.close()));
});

async function start(options: Parameters<typeof startMastodonInstance>[0] = {}) {
  const instance = await startMastodonInstance({ rateLimit: false, ...options });
  open.push(instance);
  return instance;
}

async function getJson(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { res, body: (await res.json()) as { id: string; [key: string]: unknown }[] };
}

function seed(instance: MastodonInstance, n: number) {
  return Array.from({ length: n }, (_, i) =>
    instance.post({
      account: { username: `user${i % 7}`, domain: i % 2 ? 'hachyderm.io' : undefined },
      text: `#YourTurn post ${i}`,
    }),
  );
}

describe('the tag timeline', () => {
  it('walks back with max_id and forward with min_id through Link headers without gaps or repeats', async () => {
    const instance = await start({ domain: 'demo.social' });
    const posted = seed(instance, 47).map((s) => s.id);
    const newestFirst = [...posted].reverse();

    const seen: string[] = [];
    let url: string | undefined = `${instance.url}/api/v1/timelines/tag/YourTurn?limit=10`;
    let lastPrev = '';
    while (url) {
      const { res, body } = await getJson(url);
      if (body.length === 0) break;
      seen.push(...body.map((s) => s.id));
      const links = parseLinkHeader(res.headers.get('link'));
      if (!lastPrev) lastPrev = links.prev!;
      url = links.next;
    }
    expect(seen).toEqual(newestFirst);

    const forward: string[] = [];
    let cursor = `${instance.url}/api/v1/timelines/tag/yourturn?limit=10&min_id=${posted[0]}`;
    for (;;) {
      const { res, body } = await getJson(cursor);
      if (body.length === 0) break;
      expect(body.map((s) => s.id)).toEqual([...body.map((s) => s.id)].sort().reverse());
      forward.unshift(...body.map((s) => s.id));
      cursor = parseLinkHeader(res.headers.get('link')).prev!;
    }
    expect(forward).toEqual(newestFirst.slice(0, -1));
  });

  it('returns the items immediately newer than min_id but the newest ones for since_id', async () => {
    const instance = await start();
    const ids = seed(instance, 10).map((s) => s.id);
    const min = await getJson(
      `${instance.url}/api/v1/timelines/tag/yourturn?limit=3&min_id=${ids[2]}`,
    );
    expect(min.body.map((s) => s.id)).toEqual([ids[5], ids[4], ids[3]]);
    const since = await getJson(
      `${instance.url}/api/v1/timelines/tag/yourturn?limit=3&since_id=${ids[2]}`,
    );
    expect(since.body.map((s) => s.id)).toEqual([ids[9], ids[8], ids[7]]);
    const between = await getJson(
      `${instance.url}/api/v1/timelines/tag/yourturn?max_id=${ids[6]}&since_id=${ids[3]}`,
    );
    expect(between.body.map((s) => s.id)).toEqual([ids[5], ids[4]]);
  });

  it('defaults to 20 items, caps limit at 40 and formats Link as Mastodon does, keeping only local, limit and only_media', async () => {
    const instance = await start();
    const ids = seed(instance, 45).map((s) => s.id);
    expect((await getJson(`${instance.url}/api/v1/timelines/tag/yourturn`)).body).toHaveLength(20);
    const { res, body } = await getJson(
      `${instance.url}/api/v1/timelines/tag/YourTurn?limit=400&remote=true&any[]=foo&only_media=false`,
    );
    expect(body).toHaveLength(22);
    const page = await getJson(
      `${instance.url}/api/v1/timelines/tag/YourTurn?limit=400&only_media=false`,
    );
    expect(page.body).toHaveLength(40);
    expect(page.res.headers.get('link')).toBe(
      `<${instance.url}/api/v1/timelines/tag/YourTurn?limit=400&max_id=${ids[5]}&only_media=false>; rel="next", ` +
        `<${instance.url}/api/v1/timelines/tag/YourTurn?limit=400&min_id=${ids[44]}&only_media=false>; rel="prev"`,
    );
    expect(res.headers.get('link')).not.toContain('remote');
  });

  it('matches tags case-insensitively and filters local, remote, any, all and none', async () => {
    const instance = await start({ domain: 'demo.social' });
    const local = instance.post({ account: { username: 'ana' }, text: '#YOURTURN #Berlin' });
    const remote = instance.post({
      account: { username: 'bo', domain: 'chaos.social' },
      text: '#yourturn #Paris',
    });
    const other = instance.post({
      account: { username: 'cy', domain: 'chaos.social' },
      text: '#Berlin only',
    });
    const ids = async (query: string) =>
      (await getJson(`${instance.url}/api/v1/timelines/tag/YourTurn?${query}`)).body.map(
        (s) => s.id,
      );
    expect(await ids('')).toEqual([remote.id, local.id]);
    expect(await ids('local=true')).toEqual([local.id]);
    expect(await ids('remote=true')).toEqual([remote.id]);
    expect(await ids('any[]=berlin')).toEqual([other.id, remote.id, local.id]);
    expect(await ids('all[]=berlin')).toEqual([local.id]);
    expect(await ids('none[]=berlin')).toEqual([remote.id]);
  });

  it('shows only public statuses', async () => {
    const instance = await start();
    const visible = instance.post({ account: { username: 'a' }, text: '#YourTurn Lyon' });
    instance.post({ account: { username: 'b' }, text: '#YourTurn Oslo', visibility: 'unlisted' });
    instance.post({ account: { username: 'c' }, text: '#YourTurn Rome', visibility: 'private' });
    const { body } = await getJson(`${instance.url}/api/v1/timelines/tag/yourturn`);
    expect(body.map((s) => s.id)).toEqual([visible.id]);
  });

  it('answers an unknown tag with [] as Mastodon does, or 404 Record not found when asked to', async () => {
    const empty = await start();
    const res = await fetch(`${empty.url}/api/v1/timelines/tag/nothing`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
    expect(res.headers.get('link')).toBeNull();
    const strict = await start({ unknownTag: 'not-found' });
    const missing = await fetch(`${strict.url}/api/v1/timelines/tag/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Record not found' });
  });
});

describe('entities', () => {
  it('serves a full Status and Account, acct local for its users and user@domain for others', async () => {
    const instance = await start({ domain: 'demo.social' });
    const mine = instance.post({
      account: {
        username: 'mia',
        displayName: 'Mia :blobcat:',
        emojis: ['blobcat'],
        fields: [{ name: 'Location', value: 'Lyon, France' }],
      },
      text: 'Hi from Lyon, France 🇫🇷 #YourTurn',
    });
    const theirs = instance.post({
      account: { username: 'kai', domain: 'mstdn.jp', noindex: true },
      text: '#YourTurn 東京から',
    });
    const status = (await (
      await fetch(`${instance.url}/api/v1/statuses/${mine.id}`)
    ).json()) as MastodonStatus;
    expect(Object.keys(status).sort()).toEqual(
      [
        'id',
        'created_at',
        'in_reply_to_id',
        'in_reply_to_account_id',
        'sensitive',
        'spoiler_text',
        'visibility',
        'language',
        'uri',
        'url',
        'replies_count',
        'reblogs_count',
        'favourites_count',
        'edited_at',
        'content',
        'reblog',
        'application',
        'account',
        'media_attachments',
        'mentions',
        'tags',
        'emojis',
        'card',
        'poll',
      ].sort(),
    );
    expect(status.content).toBe(
      '<p>Hi from Lyon, France 🇫🇷 <a href="https://demo.social/tags/YourTurn" class="mention hashtag" rel="tag">#<span>YourTurn</span></a></p>',
    );
    expect(status.tags).toEqual([{ name: 'yourturn', url: 'https://demo.social/tags/yourturn' }]);
    expect(status.uri).toBe(`https://demo.social/users/mia/statuses/${mine.id}`);
    expect(status.url).toBe(`https://demo.social/@mia/${mine.id}`);
    expect(status.account).toMatchObject({
      acct: 'mia',
      noindex: false,
      emojis: [{ shortcode: 'blobcat' }],
      fields: [{ name: 'Location', value: 'Lyon, France', verified_at: null }],
    });
    expect(status.account).not.toHaveProperty('suspended');
    expect(status.account.avatar).toBe(`${instance.url}/avatars/mia%40demo.social.svg`);
    const avatar = await fetch(status.account.avatar);
    expect(avatar.headers.get('content-type')).toBe('image/svg+xml');
    expect(await avatar.text()).toContain('>M<');

    expect(theirs.account.acct).toBe('kai@mstdn.jp');
    expect(theirs.account).not.toHaveProperty('noindex');
    expect(theirs).not.toHaveProperty('application');
    const account = await (
      await fetch(`${instance.url}/api/v1/accounts/${theirs.account.id}`)
    ).json();
    expect(account).toMatchObject({
      acct: 'kai@mstdn.jp',
      url: 'https://mstdn.jp/@kai',
      statuses_count: 1,
    });
  });

  it('gives the same post a different id but the same uri on each instance', async () => {
    const a = await start({ domain: 'one.test' });
    const b = await start({ domain: 'two.test' });
    const input = {
      account: { username: 'zoe', domain: 'fosstodon.org' },
      text: '#YourTurn Porto',
      uri: 'https://fosstodon.org/users/zoe/statuses/1',
    };
    const onA = a.post(input);
    const onB = b.post(input);
    expect(onA.uri).toBe(onB.uri);
    expect(onA.id).not.toBe(onB.id);
    expect(onA.account.id).not.toBe(onB.account.id);
    expect(a.post(input).id).toBe(onA.id);
  });

  it('mints snowflake ids that grow in length-then-lexical order', async () => {
    const instance = await start();
    const ids = seed(instance, 50).map((s) => s.id);
    expect(ids.every((id) => /^\d{17,19}$/.test(id))).toBe(true);
    expect([...ids].sort((x, y) => x.length - y.length || (x < y ? -1 : 1))).toEqual(ids);
  });

  it('answers 404 Record not found for a deleted status and keeps it out of the timeline', async () => {
    const instance = await start();
    const [first, second] = seed(instance, 2);
    instance.delete(first!.id);
    const res = await fetch(`${instance.url}/api/v1/statuses/${first!.id}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Record not found' });
    const { body } = await getJson(`${instance.url}/api/v1/timelines/tag/yourturn`);
    expect(body.map((s) => s.id)).toEqual([second!.id]);
  });

  it('sets edited_at and new content on edit', async () => {
    const instance = await start({ now: () => Date.UTC(2025, 5, 1) });
    const status = instance.post({ account: { username: 'a' }, text: '#YourTurn Portland' });
    const edited = instance.edit(status.id, { text: '#YourTurn Oakland' });
    expect(edited.edited_at).toBe('2025-06-01T00:00:00.000Z');
    expect(edited.content).toContain('Oakland');
  });

  it('reports itself on /api/v2/instance and /api/v1/instance with its streaming URL and feed access', async () => {
    const instance = await start({
      domain: 'demo.social',
      title: 'Demo',
      hashtagFeedsAccess: 'authenticated',
    });
    const v2 = await (await fetch(`${instance.url}/api/v2/instance`)).json();
    expect(v2).toMatchObject({
      domain: 'demo.social',
      title: 'Demo',
      configuration: {
        urls: { streaming: instance.url.replace('http', 'ws') },
        statuses: { max_characters: 500 },
        timelines_access: { hashtag_feeds: { local: 'authenticated', remote: 'authenticated' } },
      },
    });
    const v1 = await (await fetch(`${instance.url}/api/v1/instance`)).json();
    expect(v1).toMatchObject({
      uri: 'demo.social',
      urls: { streaming_api: instance.url.replace('http', 'ws') },
    });
  });

  it('logs every request with its user agent, authorization and status', async () => {
    const instance = await start();
    await fetch(`${instance.url}/api/v1/timelines/tag/x?limit=5`, {
      headers: { 'User-Agent': 'test/1', Authorization: 'Bearer t' },
    });
    expect(instance.requestLog).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/api/v1/timelines/tag/x',
        query: { limit: '5' },
        userAgent: 'test/1',
        authorized: true,
        status: 200,
      }),
    ]);
  });
});

describe('several statuses at once (GET /api/v1/statuses?id[]=)', () => {
  const query = (ids: string[]) => ids.map((id) => `id[]=${encodeURIComponent(id)}`).join('&');

  it('answers the statuses asked for, newest first, leaving out deleted and unknown ids', async () => {
    const instance = await start();
    const [a, b, c] = seed(instance, 3);
    instance.delete(b!.id);
    const { res, body } = await getJson(
      `${instance.url}/api/v1/statuses?${query([a!.id, b!.id, '123', c!.id, a!.id])}`,
    );
    expect(res.status).toBe(200);
    expect(body.map((s) => s.id)).toEqual([c!.id, a!.id]);
    expect(body[0]).toEqual(instance.status(c!.id));
  });

  it('takes at most 20 distinct ids and answers more with 422, as check_statuses_limit does', async () => {
    const instance = await start();
    const ids = seed(instance, 21).map((s) => s.id);
    const twenty = await getJson(`${instance.url}/api/v1/statuses?${query(ids.slice(0, 20))}`);
    expect(twenty.body).toHaveLength(20);
    const repeated = await getJson(
      `${instance.url}/api/v1/statuses?${query([...ids.slice(0, 20), ids[0]!])}`,
    );
    expect(repeated.body).toHaveLength(20);
    const over = await fetch(`${instance.url}/api/v1/statuses?${query(ids)}`);
    expect(over.status).toBe(422);
    expect(await over.json()).toEqual({ error: 'Mastodon::ValidationError' });
  });

  it('leaves out a limited account’s status that GET /api/v1/statuses/:id still shows', async () => {
    const instance = await start();
    const status = instance.post({
      account: { username: 'quiet', limited: true },
      text: '#YourTurn Lima',
    });
    const { body } = await getJson(`${instance.url}/api/v1/statuses?${query([status.id])}`);
    expect(body).toEqual([]);
    expect((await fetch(`${instance.url}/api/v1/statuses/${status.id}`)).status).toBe(200);
  });

  it('counts in the non-paging API bucket and sends the rate-limit headers', async () => {
    const instance = await startMastodonInstance({ rateLimit: { limit: 5, windowMs: 60_000 } });
    open.push(instance);
    const [a] = seed(instance, 1);
    const res = await fetch(`${instance.url}/api/v1/statuses?${query([a!.id])}`);
    expect(res.headers.get('x-ratelimit-limit')).toBe('5');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4');
  });

  it('is a 404 like any unknown route on Mastodon before 4.3, snac and GoToSocial', async () => {
    for (const options of [
      { version: '4.2.10' },
      { multipleStatuses: false },
      { software: 'snac' as const },
      { software: 'gotosocial' as const },
    ]) {
      const instance = await start(options);
      const [a] = seed(instance, 1);
      const res = await fetch(`${instance.url}/api/v1/statuses?${query([a!.id])}`, {
        headers: { 'User-Agent': 'test' },
      });
      expect(res.status, JSON.stringify(options)).toBe(404);
      // snac's httpd answers with its HTML page (docs/collector.md, the real snac2 check).
      if (options.software === 'snac')
        expect(await res.text()).toBe('<h1>404 Not Found (snac/2.94)</h1>');
      else expect(await res.json()).toEqual({ error: 'Record not found' });
    }
  });
});

describe('the home server side (consent look-ups)', () => {
  it('answers the account lookup as Mastodon does: noindex for local accounts only, a JSON 404 when unknown', async () => {
    const a = await start({ domain: 'a.example', homeFor: ['home.example'] });
    a.putAccount({ username: 'loc', noindex: true });
    a.putAccount({ username: 'far', domain: 'far.example', noindex: true });
    a.putAccount({ username: 'hom', domain: 'home.example', noindex: true });
    const lookup = async (acct: string) => {
      const res = await fetch(`${a.url}/api/v1/accounts/lookup?acct=${acct}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect((await lookup('loc')).body).toMatchObject({ acct: 'loc', noindex: true });
    const far = await lookup('far@far.example');
    expect(far.body.acct).toBe('far@far.example');
    expect(far.body).not.toHaveProperty('noindex');
    expect((await lookup('hom@home.example')).body).toMatchObject({ acct: 'hom', noindex: true });
    expect(await lookup('nobody')).toEqual({ status: 404, body: { error: 'Record not found' } });
  });

  it('serves WebFinger, NodeInfo and profile pages with the robots meta for the accounts it is home of', async () => {
    const a = await start({ domain: 'a.example', software: 'snac' });
    a.putAccount({ username: 'nix', noindex: true, note: 'Hi #nomap' });
    a.putAccount({ username: 'ok' });
    const wf = await fetch(`${a.url}/.well-known/webfinger?resource=acct:nix@a.example`);
    expect(wf.headers.get('content-type')).toMatch(/jrd\+json/);
    expect(await wf.json()).toMatchObject({
      subject: 'acct:nix@a.example',
      links: expect.arrayContaining([
        expect.objectContaining({ rel: 'self', href: 'https://a.example/users/nix' }),
      ]),
    });
    expect((await fetch(`${a.url}/.well-known/webfinger?resource=acct:x@a.example`)).status).toBe(
      404,
    );
    const info = (await (await fetch(`${a.url}/nodeinfo/2.0`)).json()) as {
      software: { name: string };
    };
    expect(info.software.name).toBe('snac');
    const nix = await (await fetch(`${a.url}/@nix`)).text();
    expect(nix).toContain('<meta name="robots" content="noindex, noarchive">');
    expect(nix).toContain('Hi #nomap');
    expect(await (await fetch(`${a.url}/@ok`)).text()).not.toContain('robots');
    expect((await fetch(`${a.url}/api/v1/accounts/lookup?acct=ok`)).status).toBe(404);
  });
});
