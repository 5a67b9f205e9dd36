import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ContributorCollection,
  NearbyResult,
  PlacePage,
  PostExcerpt,
} from '../../shared/types.js';
import type { UnlocatedPage } from '../../shared/admin.js';
import { account, located, places, post } from '../helpers/posts.js';
import { apiFixture } from './fixture.js';

const secret = 'the text behind the warning';
const token = 'cw-test-token';

describe('posts behind a content warning', () => {
  let f: ReturnType<typeof apiFixture>;
  beforeAll(() => {
    f = apiFixture({ adminToken: token });
    f.join('cw@a.example', places.lyon, {
      spoilerText: 'grief',
      sensitive: true,
      content: `<p>#YourTurn Lyon, ${secret}</p>`,
    });
    f.join('flag@a.example', places.lyon, {
      sensitive: true,
      content: `<p>#YourTurn Lyon, flagged ${secret}</p>`,
    });
    f.join('open@a.example', places.lyon, { content: '<p>#YourTurn Lyon, "hello", all</p>' });
    f.store.ingest([
      {
        post: post({
          uri: 'https://a.example/users/nowhere/statuses/1',
          account: account({ acct: 'nowhere@a.example' }),
          spoilerText: 'politics',
          content: `<p>#YourTurn somewhere ${secret}</p>`,
        }),
        located: null,
        source: 'https://a.example',
        campaignTags: ['yourturn'],
      },
    ]);
  });
  afterAll(() => f.close());

  it('leaves the text out of every public answer and carries the warning instead', async () => {
    const bodies = await Promise.all(
      [
        '/api/campaigns/yourturn/contributors',
        `/api/campaigns/yourturn/places/${places.lyon.id}/contributors`,
        `/api/campaigns/yourturn/nearby?lat=${places.lyon.lat}&lng=${places.lyon.lng}`,
        '/api/campaigns/yourturn/export.geojson',
        '/api/campaigns/yourturn/export.csv',
        '/api/campaigns/yourturn/export.csv?excerpts=true',
        '/api/campaigns/yourturn/events',
      ].map(async (path) => {
        const req = request(f.app).get(path);
        // The SSE stream never ends: read what the replay sends, then stop.
        if (path.endsWith('/events')) return replayOf(path);
        return (await req.expect(200)).text;
      }),
    );
    for (const body of bodies) {
      expect(body).not.toContain(secret);
    }
    const all = JSON.parse(bodies[0]!) as ContributorCollection;
    const byAcct = new Map(all.features.map((x) => [x.properties.acct, x.properties]));
    expect(byAcct.get('cw@a.example')).toMatchObject({
      contentWarning: 'grief',
      sensitive: true,
      excerpt: '',
    });
    expect(byAcct.get('flag@a.example')).toMatchObject({
      contentWarning: null,
      sensitive: true,
      excerpt: '',
    });
    expect(byAcct.get('open@a.example')).toMatchObject({
      contentWarning: null,
      sensitive: false,
      excerpt: '<p>#YourTurn Lyon, "hello", all</p>',
    });
    const page = JSON.parse(bodies[1]!) as PlacePage;
    expect(page.contributors.find((p) => p.acct === 'cw@a.example')?.contentWarning).toBe('grief');
    const near = JSON.parse(bodies[2]!) as NearbyResult;
    expect(near.features.find((x) => x.id === 'cw@a.example')?.properties.sensitive).toBe(true);
    expect(bodies[6]).toContain('"contentWarning":"grief"');
  });

  it('exports the warning in CSV, and excerpts only when asked and only of posts without one', async () => {
    const plain = await request(f.app).get('/api/campaigns/yourturn/export.csv').expect(200);
    const [header, ...rows] = plain.text.trim().split('\r\n');
    expect(header!.split(',').slice(-2)).toEqual(['spoiler_text', 'sensitive']);
    expect(rows.find((r) => r.startsWith('cw@'))!.endsWith(',grief,true')).toBe(true);
    expect(rows.find((r) => r.startsWith('flag@'))!.endsWith(',,true')).toBe(true);
    expect(rows.find((r) => r.startsWith('open@'))!.endsWith(',,false')).toBe(true);
    expect(plain.text).not.toContain('hello');

    const opted = await request(f.app)
      .get('/api/campaigns/yourturn/export.csv?excerpts=true')
      .expect(200);
    const [header2, ...rows2] = opted.text.trim().split('\r\n');
    expect(header2!.endsWith(',spoiler_text,sensitive,excerpt')).toBe(true);
    expect(rows2.find((r) => r.startsWith('open@'))).toMatch(
      /,,false,"#YourTurn Lyon, ""hello"", all"$/,
    );
    expect(rows2.find((r) => r.startsWith('cw@'))!.endsWith(',grief,true,')).toBe(true);
    await request(f.app).get('/api/campaigns/yourturn/export.csv?excerpts=yes').expect(400);
  });

  it('serves the text on request, with the warning, cacheable', async () => {
    const res = await request(f.app)
      .get('/api/campaigns/yourturn/contributors/cw@a.example/post')
      .expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=5');
    expect(res.body as PostExcerpt).toEqual({
      acct: 'cw@a.example',
      postUrl: expect.stringMatching(/^https:\/\//),
      contentWarning: 'grief',
      sensitive: true,
      excerpt: `<p>#YourTurn Lyon, ${secret}</p>`,
    });
  });

  it('answers 400 for a bad account and 404 for someone not on the map', async () => {
    const bad = await request(f.app)
      .get('/api/campaigns/yourturn/contributors/not-an-acct/post')
      .expect(400);
    expect(bad.body).toEqual({
      error: 'acct: "not-an-acct" is not an account like user@example.social',
    });
    // An unknown parameter is ignored, as everywhere: the text is still served only on this path.
    await request(f.app)
      .get('/api/campaigns/yourturn/contributors/cw@a.example/post?x=1')
      .expect(200);
    await request(f.app)
      .get('/api/campaigns/yourturn/contributors/nobody@a.example/post')
      .expect(404);
    await request(f.app).get('/api/campaigns/other/contributors/cw@a.example/post').expect(404);
    // A post that named no city placed no one: its text is not served either.
    await request(f.app)
      .get('/api/campaigns/yourturn/contributors/nowhere@a.example/post')
      .expect(404);
  });

  it('stops serving the text once the post is hidden, deleted or its account blocked', async () => {
    const g = apiFixture({ adminToken: token });
    try {
      const uriOf = (acct: string) =>
        `https://a.example/users/${acct.split('@')[0]}/statuses/${acct}`;
      for (const acct of ['h@a.example', 'd@a.example', 'b@a.example', 'dom@b.example']) {
        g.store.ingest([
          {
            post: post({
              uri: uriOf(acct),
              account: account({ acct }),
              spoilerText: 'cw',
              content: `<p>${secret}</p>`,
            }),
            located: located(places.lyon),
            source: 'https://a.example',
            campaignTags: ['yourturn'],
          },
        ]);
        await request(g.app).get(`/api/campaigns/yourturn/contributors/${acct}/post`).expect(200);
      }
      g.store.hidePost(uriOf('h@a.example'));
      g.store.deleteByUri(uriOf('d@a.example'));
      g.store.hideAccount('b@a.example', { block: true });
      g.store.blockDomain('b.example');
      for (const acct of ['h@a.example', 'd@a.example', 'b@a.example', 'dom@b.example'])
        await request(g.app).get(`/api/campaigns/yourturn/contributors/${acct}/post`).expect(404);
    } finally {
      g.close();
    }
  });

  it('gives moderators the warning beside the text of posts that named no city', async () => {
    const res = await request(f.app)
      .get('/api/admin/campaigns/yourturn/unlocated')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    const page = res.body as UnlocatedPage;
    expect(page.posts[0]).toMatchObject({
      acct: 'nowhere@a.example',
      contentWarning: 'politics',
      sensitive: true,
      content: `<p>#YourTurn somewhere ${secret}</p>`,
    });
  });

  async function replayOf(path: string): Promise<string> {
    const server = f.app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        headers: { 'Last-Event-ID': '0' },
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('cw@a.example')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      abort.abort();
      return text;
    } finally {
      server.close();
      server.closeAllConnections();
    }
  }
});
