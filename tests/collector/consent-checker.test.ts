import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kindOfVersion } from '../../server/collector/consent-home-kind.js';
import { readMeta } from '../../server/collector/consent-home-readers.js';
import { createHostResolver, isReservedHost } from '../../server/collector/host-resolver.js';
import type { AccountInput, MastodonInstance } from '../helpers/mastodon-instance.js';
import { collectorFixtures } from '../helpers/collector-harness.js';

const { instance, harness } = collectorFixtures();

type Harness = ReturnType<typeof harness>;

const onMap = (h: Harness) =>
  h.store
    .contributors('yourturn')
    .features.map((f) => f.properties.acct)
    .sort();
const consentOf = (h: Harness, acct: string) =>
  h.db.prepare('SELECT state, reason, failures FROM consent WHERE acct = ?').get(acct) as
    { state: string; reason: string; failures: number } | undefined;
const lookups = (i: MastodonInstance) =>
  i.requestLog.filter((r) => r.path === '/api/v1/accounts/lookup');
const addsFor = (h: Harness, acct: string) =>
  h.published.filter((e) => e.type === 'contributor' && JSON.stringify(e.data).includes(acct));

/** A remote author's post on the followed instance `cw.example`, whose home is `home.example`. */
function remotePost(
  cw: MastodonInstance,
  username: string,
  home: string,
  city = 'Lagos',
  extra: Partial<AccountInput> = {},
) {
  return cw.post({
    account: { username, domain: home, displayName: username, ...extra },
    text: `#YourTurn ${city}`,
  });
}

async function decided(h: Harness, acct: string, timeout = 5_000) {
  return vi.waitFor(
    () => {
      const row = consentOf(h, acct);
      if (!row || row.state === 'unknown') throw new Error(`no answer for ${acct} yet`);
      return row;
    },
    { timeout, interval: 10 },
  );
}

describe('consent: asked of the author’s home server', () => {
  it('looks the author up on their home and shows them once it says yes', async () => {
    const cw = await instance({ domain: 'cw.example' });
    const home = await instance({ domain: 'home.example' });
    home.putAccount({ username: 'ada', displayName: 'Ada' });
    remotePost(cw, 'ada', 'home.example');
    const h = harness({ instances: [cw.url] });
    h.collector.start();
    await vi.waitFor(() => expect(onMap(h)).toEqual(['ada@home.example']), { timeout: 5_000 });
    expect(lookups(home).map((r) => r.query.acct)).toContain('ada@home.example');
    expect(consentOf(h, 'ada@home.example')).toMatchObject({ state: 'known', reason: 'lookup' });
    expect(addsFor(h, 'ada@home.example')).toHaveLength(1);
    // The followed instance's own account needs no look-up: its copy carries noindex.
    expect(lookups(cw)).toHaveLength(0);
  });

  it('never shows an author whose remote copy is clean but whose home says noindex', async () => {
    const cw = await instance({ domain: 'cw.example' });
    const home = await instance({ domain: 'home.example' });
    home.putAccount({ username: 'ada', noindex: true });
    const status = remotePost(cw, 'ada', 'home.example');
    expect(status.account.noindex).toBeUndefined(); // Mastodon serialises noindex for local accounts only
    cw.post({ account: { username: 'bo' }, text: '#YourTurn Lima' });
    const h = harness({ instances: [cw.url] });
    h.collector.start();
    expect(await decided(h, 'ada@home.example')).toMatchObject({
      state: 'refused',
      reason: 'noindex',
    });
    await vi.waitFor(() => expect(onMap(h)).toEqual(['bo@cw.example']));
    expect(addsFor(h, 'ada@home.example')).toHaveLength(0);
    expect(
      h.db.prepare("SELECT count(*) AS n FROM posts WHERE acct = 'ada@home.example'").get(),
    ).toEqual({ n: 0 });
    expect(h.db.prepare('SELECT count(*) AS n FROM consent_pending').get()).toEqual({ n: 0 });
  });

  it('refuses an opt-out tag that is only in a profile field on the home', async () => {
    const cw = await instance({ domain: 'cw.example' });
    const home = await instance({ domain: 'home.example' });
    home.putAccount({ username: 'ada', fields: [{ name: 'Privacy', value: 'please #nomap' }] });
    remotePost(cw, 'ada', 'home.example');
    const h = harness({ instances: [cw.url] });
    h.collector.start();
    expect(await decided(h, 'ada@home.example')).toMatchObject({
      state: 'refused',
      reason: 'opt-out-tag',
    });
    expect(onMap(h)).toEqual([]);
  });

  it('refuses an author suspended on their home, and one the home does not know (404)', async () => {
    const cw = await instance({ domain: 'cw.example' });
    const home = await instance({ domain: 'home.example' });
    home.putAccount({ username: 'sus', suspended: true });
    remotePost(cw, 'sus', 'home.example');
    remotePost(cw, 'gone', 'home.example', 'Lima');
    const h = harness({ instances: [cw.url] });
    h.collector.start();
    expect(await decided(h, 'sus@home.example')).toMatchObject({
      state: 'refused',
      reason: 'suspended',
    });
    // The home double knows only accounts it was told of: `gone` is a JSON 404 there.
    expect(await decided(h, 'gone@home.example')).toMatchObject({
      state: 'refused',
      reason: 'gone',
    });
    expect(onMap(h)).toEqual([]);
  });

  it('finds the home of a split-domain account through WebFinger', async () => {
    const cw = await instance({ domain: 'cw.example' });
    const web = await instance({ domain: 'social.split.example', homeFor: ['split.example'] });
    const url = 'https://social.split.example/@ada';
    web.putAccount({ username: 'ada', domain: 'split.example', url, noindex: true });
    remotePost(cw, 'ada', 'split.example', 'Lagos', { url });
    const h = harness({ instances: [cw.url], resolve: { 'split.example': web.url } });
    h.collector.start();
    expect(await decided(h, 'ada@split.example')).toMatchObject({
      state: 'refused',
      reason: 'noindex',
    });
    const paths = web.requestLog.map((r) => r.path);
    expect(paths).toContain('/.well-known/webfinger');
    expect(paths).toContain('/api/v1/accounts/lookup');
  });

  it('asks GoToSocial-like and Pleroma-like homes through the account lookup', async () => {
    const cw = await instance({ domain: 'cw.example' });
    const gts = await instance({ domain: 'gts.example', software: 'gotosocial' });
    const pleroma = await instance({
      domain: 'pl.example',
      version: '2.7.2 (compatible; Pleroma 2.5.0)',
    });
    gts.putAccount({ username: 'gus', note: 'Hi #nobot' });
    pleroma.putAccount({ username: 'pia' });
    remotePost(cw, 'gus', 'gts.example');
    remotePost(cw, 'pia', 'pl.example', 'Lima');
    const h = harness({ instances: [cw.url] });
    h.collector.start();
    expect(await decided(h, 'gus@gts.example')).toMatchObject({
      state: 'refused',
      reason: 'opt-out-tag',
    });
    await vi.waitFor(() => expect(onMap(h)).toEqual(['pia@pl.example']), { timeout: 5_000 });
    expect(lookups(gts)).toHaveLength(1);
    expect(lookups(pleroma)).toHaveLength(1);
  });

  it('reads the robots meta of a snac-like home, which has no account lookup', async () => {
    const cw = await instance({ domain: 'cw.example' });
    const snac = await instance({ domain: 'snac.example', software: 'snac' });
    snac.putAccount({ username: 'sam', noindex: true });
    snac.putAccount({ username: 'sol' });
    remotePost(cw, 'sam', 'snac.example');
    remotePost(cw, 'sol', 'snac.example', 'Lima');
    const h = harness({ instances: [cw.url] });
    h.collector.start();
    expect(await decided(h, 'sam@snac.example')).toMatchObject({
      state: 'refused',
      reason: 'noindex',
    });
    await vi.waitFor(() => expect(onMap(h)).toEqual(['sol@snac.example']), { timeout: 5_000 });
    expect(consentOf(h, 'sol@snac.example')).toMatchObject({ reason: 'profile-page' });
    expect(lookups(snac)).toHaveLength(0);
    expect(snac.requestLog.map((r) => r.path)).toContain('/@sam');
  });

  it('keeps an author of an unreachable home waiting and says so in the status', async () => {
    const cw = await instance({ domain: 'cw.example' });
    remotePost(cw, 'ada', 'nowhere.example'); // a reserved name with no --resolve: never looked up
    const h = harness({ instances: [cw.url], consentTuning: { unreachableMs: 100 } });
    h.collector.start();
    await vi.waitFor(() =>
      expect(consentOf(h, 'ada@nowhere.example')?.failures).toBeGreaterThan(0),
    );
    await new Promise((r) => setTimeout(r, 400));
    const status = h.collector.consentStatus();
    expect(status).toMatchObject({
      unreachablePolicy: 'wait',
      waiting: 1,
      unreachable: 1,
      waitingPosts: 1,
    });
    expect(status.homes[0]).toMatchObject({ home: 'nowhere.example', waiting: 1 });
    expect(status.homes[0]!.lastError).toMatch(/reserved name/);
    expect(onMap(h)).toEqual([]);
    expect(h.published).toHaveLength(0);
  });

  it('shows the author of an unreachable home after the window with the show policy', async () => {
    const cw = await instance({ domain: 'cw.example' });
    remotePost(cw, 'ada', 'nowhere.example');
    const h = harness({
      instances: [cw.url],
      consentTuning: {
        unreachableMs: 300,
        unreachablePolicy: 'show',
        minBackoffMs: 50,
        maxBackoffMs: 100,
      },
    });
    h.collector.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(onMap(h)).toEqual([]);
    await vi.waitFor(() => expect(onMap(h)).toEqual(['ada@nowhere.example']), { timeout: 3_000 });
    expect(consentOf(h, 'ada@nowhere.example')).toMatchObject({
      state: 'known',
      reason: 'unreachable',
    });
  });

  it('backs off a failing home without delaying another home’s answer', async () => {
    const cw = await instance({ domain: 'cw.example' });
    const down = await instance({ domain: 'down.example' });
    const up = await instance({ domain: 'up.example' });
    down.setFault({ kind: 'status', status: 503 });
    up.putAccount({ username: 'una' });
    for (let i = 0; i < 5; i++) remotePost(cw, `d${i}`, 'down.example');
    remotePost(cw, 'una', 'up.example', 'Lima');
    const h = harness({
      instances: [cw.url],
      consentTuning: { paceMs: 300, minBackoffMs: 5_000 },
    });
    const started = Date.now();
    h.collector.start();
    await vi.waitFor(() => expect(onMap(h)).toEqual(['una@up.example']), { timeout: 3_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    await new Promise((r) => setTimeout(r, 700));
    // One failed request, then the home's backoff (5 s): not one request per waiting author.
    expect(down.requestLog.length).toBe(1);
  });

  it('keeps at most 4 look-ups in flight and one per home', async () => {
    const cw = await instance({ domain: 'cw.example' });
    const homes: MastodonInstance[] = [];
    for (let i = 0; i < 8; i++) {
      const home = await instance({ domain: `h${i}.example` });
      home.setFault({ kind: 'delay', ms: 60 });
      for (let j = 0; j < 2; j++) {
        home.putAccount({ username: `u${j}` });
        remotePost(cw, `u${j}`, `h${i}.example`, j ? 'Lima' : 'Lagos');
      }
      homes.push(home);
    }
    let inFlight = 0;
    let most = 0;
    const perHost = new Map<string, number>();
    let mostPerHost = 0;
    const counting: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      const isHome = homes.some((home) => home.url === url.origin);
      if (!isHome) return fetch(input, init);
      inFlight++;
      perHost.set(url.origin, (perHost.get(url.origin) ?? 0) + 1);
      most = Math.max(most, inFlight);
      mostPerHost = Math.max(mostPerHost, perHost.get(url.origin)!);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
        perHost.set(url.origin, perHost.get(url.origin)! - 1);
      }
    };
    const h = harness({ instances: [cw.url], fetch: counting });
    h.collector.start();
    await vi.waitFor(() => expect(onMap(h)).toHaveLength(16), { timeout: 10_000 });
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
    expect(mostPerHost).toBe(1);
  });

  it('takes someone off the map within one TTL when they opt out later', async () => {
    const cw = await instance({ domain: 'cw.example' });
    const home = await instance({ domain: 'home.example' });
    home.putAccount({ username: 'ada' });
    remotePost(cw, 'ada', 'home.example');
    const h = harness({ instances: [cw.url], consentTuning: { ttlMs: 300 } });
    h.collector.start();
    await vi.waitFor(() => expect(onMap(h)).toEqual(['ada@home.example']), { timeout: 5_000 });
    home.putAccount({ username: 'ada', note: 'No maps please #nomap' });
    await vi.waitFor(() => expect(onMap(h)).toEqual([]), { timeout: 3_000 });
    expect(h.published.some((e) => e.type === 'remove')).toBe(true);
    expect(consentOf(h, 'ada@home.example')).toMatchObject({
      state: 'refused',
      reason: 'opt-out-tag',
    });
  });

  it('keeps its decisions across a restart: no one asked again, no one shown early', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fto-consent-'));
    const db = join(dir, 'consent.db');
    const cw = await instance({ domain: 'cw.example' });
    const home = await instance({ domain: 'home.example' });
    home.putAccount({ username: 'ada' });
    home.putAccount({ username: 'nix', noindex: true });
    remotePost(cw, 'ada', 'home.example');
    remotePost(cw, 'nix', 'home.example', 'Lima');
    remotePost(cw, 'wai', 'nowhere.example', 'Quito');
    const first = harness({ instances: [cw.url] }, db);
    first.collector.start();
    await decided(first, 'nix@home.example');
    await vi.waitFor(() => expect(onMap(first)).toEqual(['ada@home.example']), { timeout: 5_000 });
    await first.close();
    const asked = lookups(home).length;
    const second = harness({ instances: [cw.url] }, db);
    second.collector.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(onMap(second)).toEqual(['ada@home.example']);
    expect(lookups(home).length).toBe(asked);
    expect(consentOf(second, 'wai@nowhere.example')?.state).toBe('unknown');
    expect(second.collector.consentStatus().waitingPosts).toBe(1);
  });
});

describe('consent: the pure parts', () => {
  it('tells the server kind from the version string', () => {
    expect(kindOfVersion('4.3.0')).toBe('mastodon');
    expect(kindOfVersion('4.3.0+glitch')).toBe('mastodon');
    expect(kindOfVersion('0.17.0 git-ccd5b34')).toBe('gotosocial');
    expect(kindOfVersion('2.7.2 (compatible; Pleroma 2.5.0)')).toBe('pleroma');
    expect(kindOfVersion('2.7.2 (compatible; Akkoma 3.13.2)')).toBe('pleroma');
    expect(kindOfVersion('4.0.0 (not true; really snac 2.78)')).toBe('snac');
  });

  it('reads the robots meta and the description, whatever the attribute order and quotes', () => {
    const meta = readMeta(
      `<head><meta content='noindex, noarchive' name='robots'><meta property="og:description" content="Hi &#35;nomap"></head>`,
    );
    expect(meta.robots).toEqual(['noindex, noarchive']);
    expect(meta.descriptions).toEqual(['Hi #nomap']);
  });

  it('never resolves a reserved name without an entry, and prefers explicit entries to learned ones', () => {
    expect(isReservedHost('cw.example')).toBe(true);
    expect(isReservedHost('a.b.test')).toBe(true);
    expect(isReservedHost('mastodon.social')).toBe(false);
    const r = createHostResolver({ 'cw.example': 'http://127.0.0.1:9/' });
    expect(r.resolve('nowhere.invalid')).toBeNull();
    expect(r.resolve('mastodon.social')).toBe('https://mastodon.social');
    r.learn('cw.example', 'http://127.0.0.1:1');
    r.learn('gts.test', 'http://127.0.0.1:2');
    expect(r.resolve('cw.example')).toBe('http://127.0.0.1:9');
    expect(r.resolve('GTS.test')).toBe('http://127.0.0.1:2');
  });
});
