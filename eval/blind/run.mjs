#!/usr/bin/env node
// Blind evaluation harness for issue #12 (consent at the home server, content warnings, snac deletes).
// Written from README.md, docs/*.md, `serve --help` and /work/shared/mastodon.md only; no project
// source was read. Plain Node >= 20, built-ins only. Everything listens on 127.0.0.1.
//
//   node eval/blind/run.mjs [--cli PATH] [--out FILE] [--only consent|cw|snac] [--settle MS]
//                           [--later-wait MS] [--ttl-ms MS] [--keep] [--verbose]
import http from 'node:http';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, openSync, closeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// ------------------------------------------------------------------------------------------------
// options
// ------------------------------------------------------------------------------------------------
function parseArgs(argv) {
  const o = {
    cli: resolve(here, '../../bin/find-the-others.js'),
    out: null,
    only: null,
    settle: 45000,
    laterWait: 150000,
    ttlMs: 10000,
    keep: false,
    verbose: false,
    fakesOnly: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--cli') o.cli = resolve(v());
    else if (a === '--out') o.out = resolve(v());
    else if (a === '--only') o.only = v().split(',');
    else if (a === '--settle') o.settle = Number(v());
    else if (a === '--later-wait') o.laterWait = Number(v());
    else if (a === '--ttl-ms') o.ttlMs = Number(v());
    else if (a === '--keep') o.keep = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--fakes-only') o.fakesOnly = Number(v());
    else if (a === '-h' || a === '--help') {
      console.log(
        'node eval/blind/run.mjs [--cli PATH] [--out FILE] [--only consent|cw|snac[,…]] [--settle MS] [--later-wait MS] [--ttl-ms MS] [--keep] [--verbose] [--fakes-only SECONDS]',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  for (const s of o.only ?? []) if (!['consent', 'cw', 'snac'].includes(s)) throw new Error(`--only: ${s}`);
  return o;
}
const opt = parseArgs(process.argv.slice(2));
const sets = new Set(opt.only ?? ['consent', 'cw', 'snac']);
const log = (...a) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(6)}s]`, ...a);
const vlog = (...a) => opt.verbose && log(...a);
const T0 = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const consentFile = JSON.parse(readFileSync(join(here, 'consent-cases.json'), 'utf8'));
const cwFile = JSON.parse(readFileSync(join(here, 'cw-cases.json'), 'utf8'));
const snacFile = JSON.parse(readFileSync(join(here, 'snac-delete-cases.json'), 'utf8'));
const TAG = consentFile.tag;

// ------------------------------------------------------------------------------------------------
// cleanup: every process and socket we start is ended by us
// ------------------------------------------------------------------------------------------------
const servers = [];
const hangSockets = new Set();
let child = null;
let tmp = null;
const sseControllers = new Set();
async function cleanup() {
  for (const c of sseControllers) c.abort();
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const t = Date.now();
    while (child.exitCode === null && child.signalCode === null && Date.now() - t < 5000) await sleep(100);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const s of hangSockets) s.destroy();
  for (const s of servers) {
    s.closeAllConnections?.();
    s.close();
  }
  if (tmp && !opt.keep) rmSync(tmp, { recursive: true, force: true });
}
let cleaning = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    if (cleaning) return;
    cleaning = true;
    console.error(`\n${sig}: stopping`);
    await cleanup();
    process.exit(130);
  });
}

// ------------------------------------------------------------------------------------------------
// the fake fediverse
// ------------------------------------------------------------------------------------------------
const HOSTS = consentFile.hosts;
const hostState = new Map(); // name -> {cfg, port, url, accounts: Map, statuses: [], seq}
const requests = []; // {t, host, method, path, status}
// the followed instances hold their first tag-timeline answers until the harness's live SSE
// client is connected, so it sees every event from the first post on (as if the servers were slow)
let openGate;
const gate = new Promise((r) => (openGate = r));
const START = Date.now();

function mkHost(name, cfg) {
  const h = { name, cfg, port: null, url: null, accounts: new Map(), statuses: [], idSeq: 0, acctSeq: 100 };
  hostState.set(name, h);
  return h;
}
for (const [name, cfg] of Object.entries(HOSTS)) mkHost(name, cfg);

const snowflake = (h, ms) => ((BigInt(ms) << 16n) + BigInt(h.idSeq++ & 0xffff)).toString();
const localDomainOf = (h) => h.cfg.localDomain ?? h.name;
const webHostOf = (domain) => HOSTS[domain]?.webHost ?? domain;
const kindOf = (domain) => HOSTS[webHostOf(domain)]?.kind ?? 'mastodon';
const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const stripTags = (s) => String(s).replace(/<[^>]*>/g, '');
const tagAnchor = (host, name) =>
  `<a href="https://${host}/tags/${name.toLowerCase()}" class="mention hashtag" rel="tag">#<span>${name}</span></a>`;
const md5 = (s) => createHash('md5').update(s).digest('hex');

// An author: one record per (username, account domain); its home host serves it as local.
const authors = new Map(); // key acct -> author
function defineAuthor({ username, displayName, domain, kind, urlHost, home, remoteCopy, caseId }) {
  const key = `${username}@${domain}`;
  if (authors.has(key)) return authors.get(key);
  const webHost = webHostOf(domain);
  kind = kind ?? kindOf(domain);
  const misskeyId = kind === 'misskey' ? '9' + md5(key).slice(0, 9) : null;
  const profHost = urlHost ?? webHost;
  let url, uri;
  if (kind === 'snac') url = uri = `https://${webHost}/${username}`;
  else if (kind === 'pleroma' || kind === 'akkoma') url = uri = `https://${webHost}/users/${username}`;
  else if (kind === 'misskey') {
    url = `https://${webHost}/@${username}`;
    uri = `https://${webHost}/users/${misskeyId}`;
  } else {
    url = `https://${profHost}/@${username}`;
    uri = `https://${webHost}/users/${username}`;
  }
  const a = {
    key,
    caseId,
    username,
    displayName,
    domain,
    webHost,
    kind,
    url,
    uri,
    homeUrl: urlHost ? url.replace(`https://${profHost}/`, `https://${webHost}/`) : url,
    misskeyId,
    home: { answer: 200, noindex: false, note: '<p></p>', fields: [], bot: false, suspended: false, limited: false, discoverable: true, indexable: true, robotsNoindex: false, ...(home ?? {}) },
    remoteCopy: { ...(remoteCopy ?? {}) },
    createdAt: new Date(START - 400 * 86400e3).toISOString(),
    localIds: new Map(), // host -> account id on that host
    homePosts: [],
  };
  authors.set(key, a);
  const hh = hostState.get(webHost);
  if (hh) hh.accounts.set(username.toLowerCase(), a);
  return a;
}
function accountIdOn(h, a) {
  if (!a.localIds.has(h.name)) a.localIds.set(h.name, String(h.acctSeq++) + md5(h.name + a.key).replace(/\D/g, '').slice(0, 6));
  return a.localIds.get(h.name);
}
function isLocal(h, a) {
  return localDomainOf(h) === a.domain && h.accounts.get(a.username.toLowerCase()) === a;
}
// what host h says about author a
function viewOf(h, a) {
  if (isLocal(h, a)) return { ...a.home, local: true };
  const b = a.home;
  return {
    answer: 200,
    noindex: undefined,
    note: b.note,
    fields: b.fields,
    bot: b.bot,
    suspended: false,
    limited: false,
    discoverable: b.discoverable,
    indexable: b.indexable,
    ...a.remoteCopy,
    local: false,
  };
}
function mastoAccount(h, a) {
  const v = viewOf(h, a);
  const id = accountIdOn(h, a);
  const acct = v.local ? a.username : `${a.username}@${a.domain}`;
  const base = {
    id,
    username: a.username,
    acct,
    display_name: a.displayName,
    locked: false,
    bot: !!v.bot,
    discoverable: v.discoverable,
    indexable: v.indexable,
    group: false,
    created_at: a.createdAt,
    note: v.note,
    url: v.local ? a.homeUrl : a.url,
    uri: a.uri,
    avatar: `https://files.${h.name}/accounts/avatars/${id}.png`,
    avatar_static: `https://files.${h.name}/accounts/avatars/${id}.png`,
    header: `https://${h.name}/headers/original/missing.png`,
    header_static: `https://${h.name}/headers/original/missing.png`,
    followers_count: 12,
    following_count: 30,
    statuses_count: 40,
    last_status_at: new Date().toISOString().slice(0, 10),
    hide_collections: false,
    emojis: [],
    fields: v.fields,
  };
  if (v.local && h.cfg.kind === 'mastodon') base.noindex = !!v.noindex;
  if (v.local && h.cfg.kind === 'mastodon') base.roles = [];
  if (v.suspended) {
    Object.assign(base, { display_name: '', note: '', fields: [], emojis: [], bot: false, discoverable: false, suspended: true });
    base.avatar = base.avatar_static = `https://${h.name}/avatars/original/missing.png`;
  }
  if (v.limited) base.limited = true;
  return base;
}

function addStatus(h, s) {
  // s: {author, ms, content, spoiler, sensitive, poll, mediaAlt, card, uri, url, homeId}
  const id = h.cfg.kind === 'snac' ? s.snacId : snowflake(h, s.ms);
  const st = { ...s, id, deleted: false, editedAt: null };
  h.statuses.push(st);
  return st;
}
function mastoStatus(h, st) {
  const a = st.author;
  const json = {
    id: st.id,
    created_at: new Date(st.ms).toISOString(),
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: !!st.sensitive,
    spoiler_text: st.spoiler ?? '',
    visibility: 'public',
    language: 'en',
    uri: st.uri,
    url: st.url,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    edited_at: st.editedAt,
    content: st.content,
    reblog: null,
    account: mastoAccount(h, a),
    media_attachments: st.mediaAlt
      ? [
          {
            id: st.id + '1',
            type: 'image',
            url: `https://files.${a.webHost}/media/${st.id}.png`,
            preview_url: `https://files.${a.webHost}/media/${st.id}_s.png`,
            remote_url: null,
            preview_remote_url: null,
            text_url: null,
            meta: { original: { width: 640, height: 480 } },
            description: st.mediaAlt,
            blurhash: 'UBL_:rOpGG-;~qRjWBay00ay',
          },
        ]
      : [],
    mentions: [],
    tags: [{ name: TAG, url: `https://${h.name}/tags/${TAG}` }],
    emojis: [],
    card: st.card
      ? { url: 'https://news.example/a', title: st.card, description: '', type: 'link', author_name: '', author_url: '', provider_name: 'news', provider_url: '', html: '', width: 0, height: 0, image: null, embed_url: '', blurhash: null }
      : null,
    poll: st.poll
      ? { id: st.id.slice(-6), expires_at: new Date(Date.now() + 86400e3).toISOString(), expired: false, multiple: false, votes_count: 0, voters_count: 0, options: st.poll.map((t) => ({ title: t, votes_count: 0 })), emojis: [] }
      : null,
  };
  if (isLocal(h, a)) json.application = { name: 'Web', website: null };
  return json;
}

// ---- HTTP helpers
function send(req, res, h, status, body, headers = {}) {
  requests.push({ t: Date.now(), host: h.name, method: req.method, path: req.url.split('?')[0], query: req.url.split('?')[1] ?? '', status, ua: req.headers['user-agent'] ?? null });
  res.writeHead(status, headers);
  res.end(body);
}
const JSONH = { 'content-type': 'application/json; charset=utf-8' };
const HTMLH = { 'content-type': 'text/html; charset=utf-8' };
function rateHeaders(h) {
  const win = 300e3;
  const now = Date.now();
  const start = Math.floor(now / win) * win;
  const used = requests.filter((r) => r.host === h.name && r.t >= start).length;
  return {
    'x-ratelimit-limit': '3000',
    'x-ratelimit-remaining': String(Math.max(0, 3000 - used - 1)),
    'x-ratelimit-reset': new Date(start + win).toISOString(),
  };
}
const sendJson = (req, res, h, status, obj, extra = {}) =>
  send(req, res, h, status, JSON.stringify(obj), { ...JSONH, ...(h.cfg.kind === 'mastodon' ? rateHeaders(h) : {}), ...extra });
const html404 = (req, res, h) =>
  send(req, res, h, 404, '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>', HTMLH);
const wantsAP = (req) => /application\/(activity\+json|ld\+json)/.test(req.headers.accept ?? '');

function webfinger(req, res, h, q) {
  const resource = (q.get('resource') ?? '').trim();
  let a = null;
  const m = resource.match(/^(?:acct:)?@?([^@\s]+)@([^@\s]+)$/i);
  if (m) {
    const [, u, d] = m;
    const dom = d.toLowerCase();
    if (h.cfg.kind === 'webfinger-only') {
      if (dom === h.name) a = hostState.get(h.cfg.webHost).accounts.get(u.toLowerCase()) ?? null;
    } else if (dom === localDomainOf(h) || dom === h.name) a = h.accounts.get(u.toLowerCase()) ?? null;
  } else if (/^https?:\/\//.test(resource)) {
    for (const x of (h.cfg.kind === 'webfinger-only' ? hostState.get(h.cfg.webHost) : h).accounts.values())
      if (x.uri === resource || x.homeUrl === resource) a = x;
  }
  if (h.cfg.kind === 'webfinger-only' && h.cfg.webfinger === 'redirect') {
    return send(req, res, h, 301, '', { location: `https://${h.cfg.webHost}/.well-known/webfinger?resource=${encodeURIComponent(resource)}` });
  }
  if (!a || a.home.answer === 404) return send(req, res, h, 404, '', {});
  if (a.home.answer === 410) return send(req, res, h, 410, '', {});
  const links = [
    { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: a.homeUrl },
    { rel: 'self', type: 'application/activity+json', href: a.uri },
  ];
  if (a.kind === 'mastodon') links.push({ rel: 'http://ostatus.org/schema/1.0/subscribe', template: `https://${a.webHost}/authorize_interaction?uri={uri}` });
  sendJson(req, res, h, 200, { subject: `acct:${a.username}@${a.domain}`, aliases: [...new Set([a.homeUrl, a.uri])], links }, { 'content-type': 'application/jrd+json; charset=utf-8' });
}

function nodeinfo(req, res, h, path) {
  const sw = { mastodon: 'mastodon', gotosocial: 'gotosocial', snac: 'snac', pleroma: 'pleroma', akkoma: 'akkoma', misskey: 'misskey' }[h.cfg.kind];
  if (!sw) return html404(req, res, h);
  if (path === '/.well-known/nodeinfo')
    return sendJson(req, res, h, 200, { links: [{ rel: 'http://nodeinfo.diaspora.software/ns/schema/2.0', href: `https://${h.name}/nodeinfo/2.0` }] });
  return sendJson(req, res, h, 200, {
    version: '2.0',
    software: { name: sw, version: h.cfg.version ?? '1.0' },
    protocols: ['activitypub'],
    services: { outbound: [], inbound: [] },
    usage: { users: { total: h.accounts.size, activeMonth: h.accounts.size, activeHalfyear: h.accounts.size }, localPosts: h.statuses.length },
    openRegistrations: false,
    metadata: {},
  });
}

function apActor(a) {
  return {
    '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1', { toot: 'http://joinmastodon.org/ns#', discoverable: 'toot:discoverable', indexable: 'toot:indexable', schema: 'http://schema.org#', PropertyValue: 'schema:PropertyValue', value: 'schema:value' }],
    id: a.uri,
    type: a.home.bot ? 'Service' : 'Person',
    preferredUsername: a.username,
    name: a.displayName,
    summary: a.home.note,
    url: a.url,
    discoverable: a.home.discoverable,
    indexable: a.home.indexable,
    manuallyApprovesFollowers: false,
    inbox: `${a.uri}/inbox`,
    outbox: `${a.uri}/outbox`,
    followers: `${a.uri}/followers`,
    attachment: a.home.fields.map((f) => ({ type: 'PropertyValue', name: f.name, value: f.value })),
    publicKey: { id: `${a.uri}#main-key`, owner: a.uri, publicKeyPem: '-----BEGIN PUBLIC KEY-----\nMIIBIjANBg…\n-----END PUBLIC KEY-----\n' },
  };
}

function profileHtml(h, a) {
  const s = a.home;
  const title = `${esc(a.displayName)} (@${a.username}@${a.domain})`;
  const desc = esc(stripTags(s.note));
  const k = h.cfg.kind;
  let robots = '';
  if (k === 'mastodon' && (s.noindex || s.robotsNoindex)) robots = '<meta content="noindex, noarchive" name="robots">';
  if (k === 'pleroma' || k === 'akkoma') robots = s.robotsNoindex ? '<meta content="noindex, noarchive" name="robots">' : '';
  if (k === 'gotosocial') robots = s.robotsNoindex ? '<meta name="robots" content="noindex, nofollow">' : '<meta name="robots" content="nofollow">';
  if (k === 'snac' || k === 'misskey') robots = s.robotsNoindex ? '<meta name="robots" content="noindex">' : '';
  const fields = s.fields.map((f) => `<dt>${esc(f.name)}</dt><dd>${f.value}</dd>`).join('');
  let body;
  if (k === 'mastodon') body = `<div id="mastodon" data-props="{&quot;locale&quot;:&quot;en&quot;}"></div><noscript>To use the Mastodon web application, please enable JavaScript.</noscript>`;
  else if (k === 'gotosocial') body = `<main><section class="profile"><h2>${esc(a.displayName)}</h2><div class="bio">${s.note}</div><dl class="fields">${fields}</dl></section></main>`;
  else if (k === 'snac') body = `<div class="snac-top-user"><p class="snac-top-user-name">${esc(a.displayName)}</p><div class="snac-top-user-bio">${s.note}</div><div class="snac-metadata">${fields}</div></div>`;
  else if (k === 'misskey') body = `<div id="misskey_app"></div><noscript><p>JavaScript を有効にしてください</p></noscript>`;
  else body = `<noscript>To use Pleroma, please enable JavaScript.</noscript><div id="app"></div>`;
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta content="width=device-width, initial-scale=1" name="viewport"><title>${title}</title>${robots}<link href="${a.uri}" rel="alternate" type="application/activity+json"><meta content="${title}" property="og:title"><meta content="${desc}" name="description"><meta content="${desc}" property="og:description"><meta content="profile" property="og:type"><meta content="${a.homeUrl}" property="og:url"></head><body>${body}</body></html>`;
}

function sendProfile(req, res, h, a) {
  if (!a || a.home.answer === 404) return html404(req, res, h);
  if (a.home.answer === 410 || a.home.suspended) return send(req, res, h, 410, '<!DOCTYPE html><html><body><h1>This account is not available</h1></body></html>', HTMLH);
  if (wantsAP(req)) {
    if (h.cfg.kind === 'gotosocial') return sendJson(req, res, h, 401, { error: 'Unauthorized: not authorized' });
    return send(req, res, h, 200, JSON.stringify(apActor(a)), { 'content-type': 'application/activity+json; charset=utf-8' });
  }
  send(req, res, h, 200, profileHtml(h, a), HTMLH);
}

function instanceV1(h) {
  const k = h.cfg.kind;
  const version = k === 'snac' ? `4.0.0 (not true; really snac/${h.cfg.version})` : k === 'pleroma' ? `2.7.2 (compatible; Pleroma ${h.cfg.version})` : k === 'akkoma' ? `2.7.2 (compatible; Akkoma ${h.cfg.version})` : k === 'gotosocial' ? `${h.cfg.version} git-ccd2d3f` : h.cfg.version;
  return {
    uri: localDomainOf(h),
    title: h.name,
    short_description: '',
    description: `A test server (${k})`,
    email: `admin@${h.name}`,
    version,
    urls: { streaming_api: `wss://${h.name}` },
    stats: { user_count: h.accounts.size, status_count: h.statuses.length, domain_count: 20 },
    thumbnail: null,
    languages: ['en'],
    registrations: false,
    approval_required: false,
    invites_enabled: false,
    configuration: { statuses: { max_characters: 500, max_media_attachments: 4 } },
    contact_account: null,
    rules: [],
  };
}
function instanceV2(h) {
  return {
    domain: localDomainOf(h),
    title: h.name,
    version: h.cfg.version,
    source_url: 'https://github.com/mastodon/mastodon',
    description: `A test server (${h.cfg.kind})`,
    usage: { users: { active_month: h.accounts.size } },
    thumbnail: { url: `https://${h.name}/thumb.png` },
    languages: ['en'],
    configuration: {
      urls: { streaming: `wss://${h.name}` },
      accounts: { max_featured_tags: 10 },
      statuses: { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 },
      translation: { enabled: false },
    },
    registrations: { enabled: false, approval_required: false, message: null },
    contact: { email: `admin@${h.name}`, account: null },
    rules: [],
  };
}

// Mastodon tag timeline with max_id/since_id/min_id and Link headers.
function mastoTimeline(req, res, h, q, tag) {
  const limit = Math.min(40, Math.max(1, Number(q.get('limit') ?? 20) || 20));
  const bi = (x) => BigInt(x);
  let list = h.statuses.filter((s) => !s.deleted && tag.toLowerCase() === TAG).sort((a, b) => (bi(b.id) > bi(a.id) ? 1 : -1));
  const num = (k) => (q.get(k) && /^\d+$/.test(q.get(k)) ? bi(q.get(k)) : null);
  const max = num('max_id'), since = num('since_id'), min = num('min_id');
  if (max !== null) list = list.filter((s) => bi(s.id) < max);
  if (since !== null) list = list.filter((s) => bi(s.id) > since);
  let page;
  if (min !== null) page = list.filter((s) => bi(s.id) > min).reverse().slice(0, limit).reverse();
  else page = list.slice(0, limit);
  const headers = {};
  if (page.length) {
    const base = `http://${req.headers.host}/api/v1/timelines/tag/${encodeURIComponent(tag)}`;
    headers.link = `<${base}?limit=${limit}&max_id=${page[page.length - 1].id}>; rel="next", <${base}?limit=${limit}&min_id=${page[0].id}>; rel="prev"`;
  }
  sendJson(req, res, h, 200, page.map((s) => mastoStatus(h, s)), headers);
}
// snac: no Link header, lexical id cursors, ordered by created_at
function snacTimeline(req, res, h, q, tag) {
  const limit = Math.min(40, Math.max(1, Number(q.get('limit') ?? 20) || 20));
  let list = h.statuses.filter((s) => !s.deleted && tag.toLowerCase() === TAG);
  const max = q.get('max_id'), since = q.get('since_id'), min = q.get('min_id');
  if (max) list = list.filter((s) => s.id < max);
  if (since) list = list.filter((s) => s.id > since);
  if (min) list = list.filter((s) => s.id > min);
  list.sort((a, b) => b.ms - a.ms);
  send(req, res, h, 200, JSON.stringify(list.slice(0, limit).map((s) => mastoStatus(h, s))), JSONH);
}

function lookupAcct(h, acct) {
  const m = String(acct ?? '').replace(/^@/, '').match(/^([^@]+)(?:@(.+))?$/);
  if (!m) return null;
  const [, u, d] = m;
  if (!d || d.toLowerCase() === localDomainOf(h) || d.toLowerCase() === h.name) return h.accounts.get(u.toLowerCase()) ?? null;
  // a remote account this server has a copy of (the trap: its copy, never the home's word)
  for (const st of h.statuses) if (st.author.username.toLowerCase() === u.toLowerCase() && st.author.domain === d.toLowerCase()) return st.author;
  return null;
}

function handleMastodon(req, res, h, path, q) {
  let m;
  if (path === '/api/v1/instance') return sendJson(req, res, h, 200, instanceV1(h));
  if (path === '/api/v2/instance') return sendJson(req, res, h, 200, instanceV2(h));
  if ((m = path.match(/^\/api\/v1\/timelines\/tag\/([^/]+)$/))) return mastoTimeline(req, res, h, q, decodeURIComponent(m[1]));
  if (path === '/api/v1/streaming/health') return send(req, res, h, 200, 'OK', { 'content-type': 'text/plain' });
  if (path.startsWith('/api/v1/streaming')) return sendJson(req, res, h, 401, { error: 'Missing access token' });
  if (path === '/api/v1/statuses' && req.method === 'GET') {
    const [maj, min] = h.cfg.version.split('.').map(Number);
    if (maj < 4 || (maj === 4 && min < 3)) return sendJson(req, res, h, 404, { error: 'Record not found' });
    const ids = [...new Set([...q.getAll('id[]'), ...q.getAll('id')])];
    if (ids.length > 20) return sendJson(req, res, h, 422, { error: 'Validation failed: too many ids' });
    const found = h.statuses.filter((s) => ids.includes(s.id) && !s.deleted && !viewOf(h, s.author).limited && !viewOf(h, s.author).suspended);
    found.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    return sendJson(req, res, h, 200, found.map((s) => mastoStatus(h, s)));
  }
  if ((m = path.match(/^\/api\/v1\/statuses\/(\d+)$/))) {
    const st = h.statuses.find((s) => s.id === m[1] && !s.deleted);
    if (!st) return sendJson(req, res, h, 404, { error: 'Record not found' });
    return sendJson(req, res, h, 200, mastoStatus(h, st));
  }
  if (path === '/api/v1/accounts/lookup') {
    const a = lookupAcct(h, q.get('acct'));
    if (!a) return sendJson(req, res, h, 404, { error: 'Record not found' });
    if (isLocal(h, a)) {
      if (a.home.answer === 404) return sendJson(req, res, h, 404, { error: 'Record not found' });
      if (a.home.answer === 410) return sendJson(req, res, h, 410, { error: 'This account has been deleted' });
    }
    return sendJson(req, res, h, 200, mastoAccount(h, a));
  }
  if ((m = path.match(/^\/api\/v1\/accounts\/(\d+)(\/statuses)?$/))) {
    let a = null;
    for (const x of authors.values()) if (x.localIds.get(h.name) === m[1]) a = x;
    if (!a || (isLocal(h, a) && a.home.answer === 404)) return sendJson(req, res, h, 404, { error: 'Record not found' });
    if (isLocal(h, a) && a.home.answer === 410) return sendJson(req, res, h, 410, { error: 'This account has been deleted' });
    if (m[2]) return sendJson(req, res, h, 200, h.statuses.filter((s) => s.author === a && !s.deleted).map((s) => mastoStatus(h, s)));
    return sendJson(req, res, h, 200, mastoAccount(h, a));
  }
  if (path.startsWith('/api/')) return sendJson(req, res, h, 404, { error: 'Record not found' });
  if ((m = path.match(/^\/@([^/]+)$/))) return sendProfile(req, res, h, lookupLocalOnly(h, m[1]));
  if ((m = path.match(/^\/users\/([^/]+)$/))) {
    const a = lookupLocalOnly(h, m[1]);
    if (a && !wantsAP(req)) return send(req, res, h, 302, '', { location: `https://${h.name}/@${a.username}` });
    return sendProfile(req, res, h, a);
  }
  return html404(req, res, h);
}
const lookupLocalOnly = (h, u) => {
  const a = h.accounts.get(decodeURIComponent(u).toLowerCase());
  return a && isLocal(h, a) ? a : null;
};

function handleGts(req, res, h, path, q) {
  let m;
  if (path === '/api/v1/instance') return sendJson(req, res, h, 200, instanceV1(h));
  if (path === '/api/v2/instance') return sendJson(req, res, h, 200, instanceV2(h));
  if (path.startsWith('/api/')) return sendJson(req, res, h, 401, { error: 'Unauthorized: token not supplied' });
  if ((m = path.match(/^\/@([^/]+)$/))) return sendProfile(req, res, h, lookupLocalOnly(h, m[1]));
  if ((m = path.match(/^\/users\/([^/]+)$/))) {
    if (wantsAP(req)) return sendJson(req, res, h, 401, { error: 'Unauthorized: not authorized' });
    return send(req, res, h, 302, '', { location: `https://${h.name}/@${m[1]}` });
  }
  return send(req, res, h, 404, '<!DOCTYPE html><html><body><h1>404: Not Found</h1></body></html>', HTMLH);
}

function handleSnac(req, res, h, path, q) {
  let m;
  if (path === '/api/v1/instance') return send(req, res, h, 200, JSON.stringify(instanceV1(h)), JSONH);
  if ((m = path.match(/^\/api\/v1\/timelines\/tag\/([^/]+)$/))) return snacTimeline(req, res, h, q, decodeURIComponent(m[1]));
  if ((m = path.match(/^\/api\/v1\/statuses\/[^/]+$/))) return send(req, res, h, 401, '', {});
  if (path.startsWith('/api/')) return html404(req, res, h);
  if (path === '/.well-known/nodeinfo') return send(req, res, h, 200, JSON.stringify({ links: [{ rel: 'http://nodeinfo.diaspora.software/ns/schema/2.0', href: `https://${h.name}/nodeinfo_2_0` }] }), JSONH);
  if (path === '/nodeinfo_2_0') return nodeinfo(req, res, h, '/nodeinfo/2.0');
  if ((m = path.match(/^\/([^/.]+)$/))) return sendProfile(req, res, h, lookupLocalOnly(h, m[1]));
  return html404(req, res, h);
}

function handlePleroma(req, res, h, path, q) {
  let m;
  if (path === '/api/v1/instance') return sendJson(req, res, h, 200, instanceV1(h));
  if (path === '/api/v2/instance' && h.cfg.kind === 'akkoma') return sendJson(req, res, h, 200, instanceV2(h));
  if (path === '/api/v1/accounts/lookup') {
    const a = lookupAcct(h, q.get('acct'));
    if (!a || !isLocal(h, a) || a.home.answer !== 200) return sendJson(req, res, h, 404, { error: 'Can\'t find user' });
    const acc = mastoAccount(h, a);
    delete acc.noindex; // Pleroma/Akkoma do not send it
    delete acc.indexable;
    acc.pleroma = { ap_id: a.uri, also_known_as: [], background_image: null, favicon: null, hide_favorites: true, hide_followers: false, hide_follows: false, is_admin: false, is_moderator: false, is_confirmed: true, relationship: {}, skip_thread_containment: false, tags: [] };
    acc.source = { fields: [], note: '', pleroma: { actor_type: 'Person', discoverable: a.home.discoverable }, sensitive: false, privacy: 'public' };
    return sendJson(req, res, h, 200, acc);
  }
  if (path.startsWith('/api/')) return sendJson(req, res, h, 404, { error: 'Not found' });
  if ((m = path.match(/^\/users\/([^/]+)$/))) return sendProfile(req, res, h, lookupLocalOnly(h, m[1]));
  if ((m = path.match(/^\/@([^/]+)$/))) return send(req, res, h, 302, '', { location: `https://${h.name}/users/${m[1]}` });
  return html404(req, res, h);
}

function handleMisskey(req, res, h, path, q, body) {
  let m;
  if (path === '/api/users/show' || path === '/api/meta') {
    if (req.method !== 'POST') return sendJson(req, res, h, 405, { error: { message: 'Method not allowed', code: 'METHOD_NOT_ALLOWED', kind: 'client' } });
    if (path === '/api/meta') return sendJson(req, res, h, 200, { name: h.name, version: h.cfg.version, uri: `https://${h.name}`, description: 'test' });
    let p = {};
    try {
      p = JSON.parse(body || '{}');
    } catch {}
    let a = null;
    if (p.username && (p.host == null || p.host === h.name)) a = lookupLocalOnly(h, p.username);
    if (p.userId) for (const x of h.accounts.values()) if (x.misskeyId === p.userId) a = x;
    if (!a || a.home.answer !== 200) return sendJson(req, res, h, 400, { error: { message: 'No such user.', code: 'NO_SUCH_USER', id: '4362f8dc-731f-4ad8-a694-be5a88922a24', kind: 'client' } });
    const s = a.home;
    return sendJson(req, res, h, 200, {
      id: a.misskeyId,
      name: a.displayName,
      username: a.username,
      host: null,
      avatarUrl: `https://${h.name}/identicon/${a.misskeyId}`,
      avatarBlurhash: null,
      isBot: !!s.bot,
      isCat: false,
      emojis: {},
      onlineStatus: 'unknown',
      badgeRoles: [],
      url: null,
      uri: null,
      movedTo: null,
      alsoKnownAs: null,
      createdAt: a.createdAt,
      updatedAt: new Date().toISOString(),
      lastFetchedAt: null,
      bannerUrl: null,
      isLocked: false,
      isSilenced: !!s.limited,
      isSuspended: !!s.suspended,
      description: stripTags(s.note),
      location: null,
      birthday: null,
      lang: null,
      fields: s.fields.map((f) => ({ name: f.name, value: stripTags(f.value) })),
      verifiedLinks: [],
      followersCount: 3,
      followingCount: 5,
      notesCount: 40,
      pinnedNoteIds: [],
      pinnedNotes: [],
      publicReactions: true,
      followersVisibility: 'public',
      followingVisibility: 'public',
    });
  }
  if (path.startsWith('/api/')) return sendJson(req, res, h, 404, { error: { message: 'Unknown API endpoint.', code: 'UNKNOWN_API_ENDPOINT', id: '2ca3b769-540a-4f08-9dd5-b5a825b6d0f1', kind: 'client' } });
  if ((m = path.match(/^\/@([^/]+)$/))) return sendProfile(req, res, h, lookupLocalOnly(h, m[1]));
  if ((m = path.match(/^\/users\/([^/]+)$/))) {
    let a = null;
    for (const x of h.accounts.values()) if (x.misskeyId === m[1]) a = x;
    return sendProfile(req, res, h, a);
  }
  return html404(req, res, h);
}

function handle(h, req, res) {
  const u = new URL(req.url, 'http://x');
  const path = u.pathname;
  const q = u.searchParams;
  const b = h.cfg.behaviour;
  if (b === 'hang') {
    requests.push({ t: Date.now(), host: h.name, method: req.method, path, query: u.search.slice(1), status: 'hang', ua: req.headers['user-agent'] ?? null });
    hangSockets.add(req.socket);
    return; // never answer
  }
  if (b === '503' || (b === 'flaky' && Date.now() - START < (h.cfg.flakyMs ?? 10000)))
    return send(req, res, h, 503, '<!DOCTYPE html><html><body><h1>We are down for maintenance</h1></body></html>', { ...HTMLH, 'retry-after': '5' });
  if (h.cfg.kind === 'gotosocial' && !req.headers['user-agent']) return send(req, res, h, 418, 'I\'m a teapot', { 'content-type': 'text/plain' });
  let body = '';
  req.on('data', (c) => {
    if (body.length < 100000) body += c;
  });
  req.on('end', () => {
    const go = () => {
      try {
        if (path === '/.well-known/webfinger') return webfinger(req, res, h, q);
        if (path === '/.well-known/host-meta')
          return send(req, res, h, 200, `<?xml version="1.0" encoding="UTF-8"?><XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0"><Link rel="lrdd" template="https://${h.cfg.webHost ?? h.name}/.well-known/webfinger?resource={uri}"/></XRD>`, { 'content-type': 'application/xrd+xml; charset=utf-8' });
        if ((path === '/.well-known/nodeinfo' || path === '/nodeinfo/2.0') && h.cfg.kind !== 'snac') return nodeinfo(req, res, h, path);
        switch (h.cfg.kind) {
          case 'mastodon':
            return handleMastodon(req, res, h, path, q);
          case 'gotosocial':
            return handleGts(req, res, h, path, q);
          case 'snac':
            return handleSnac(req, res, h, path, q);
          case 'pleroma':
          case 'akkoma':
            return handlePleroma(req, res, h, path, q);
          case 'misskey':
            return handleMisskey(req, res, h, path, q, body);
          default:
            return html404(req, res, h);
        }
      } catch (e) {
        console.error('fake server error', h.name, path, e);
        if (!res.headersSent) send(req, res, h, 500, 'internal error', { 'content-type': 'text/plain' });
      }
    };
    if (b === 'slow') setTimeout(go, h.cfg.delayMs ?? 3000);
    else if (h.cfg.followed && path.startsWith('/api/v1/timelines/tag/')) gate.then(go);
    else go();
  });
}

async function listen(server) {
  return new Promise((r, j) => {
    server.once('error', j);
    server.listen(0, '127.0.0.1', () => r(server.address().port));
  });
}
async function freePort() {
  const s = net.createServer();
  const p = await listen(s);
  await new Promise((r) => s.close(r));
  return p;
}

// ------------------------------------------------------------------------------------------------
// build the world from the case files
// ------------------------------------------------------------------------------------------------
const cityText = (c) => c;
function consentContent(h, a, city) {
  return `<p>${tagAnchor(a.webHost, 'YourTurn')} ${esc(cityText(city))}</p>`;
}
function homeIds(a, ms) {
  const hh = hostState.get(a.webHost);
  const id = hh ? snowflake(hh, ms) : String(ms);
  if (a.kind === 'snac') {
    const sec = Math.floor(ms / 1000);
    return { uri: `https://${a.webHost}/${a.username}/p/${sec}.${md5(a.key + ms).slice(0, 6)}`, url: `https://${a.webHost}/${a.username}/p/${sec}.${md5(a.key + ms).slice(0, 6)}` };
  }
  if (a.kind === 'pleroma' || a.kind === 'akkoma') return { uri: `https://${a.webHost}/objects/${md5(a.key + ms).slice(0, 8)}-${md5(String(ms)).slice(0, 4)}`, url: `https://${a.webHost}/notice/${md5(a.key + ms).slice(0, 18)}` };
  if (a.kind === 'misskey') return { uri: `https://${a.webHost}/notes/${md5(a.key + ms).slice(0, 10)}`, url: `https://${a.webHost}/notes/${md5(a.key + ms).slice(0, 10)}` };
  if (a.kind === 'gotosocial') {
    const ulid = '01J' + md5(a.key + ms).slice(0, 23).toUpperCase();
    return { uri: `https://${a.webHost}/users/${a.username}/statuses/${ulid}`, url: `https://${a.webHost}/@${a.username}/statuses/${ulid}` };
  }
  return { uri: `https://${a.webHost}/users/${a.username}/statuses/${id}`, url: `https://${a.webHost}/@${a.username}/${id}` };
}
function publish(a, seenOn, ms, fields) {
  const ids = homeIds(a, ms);
  const copies = [];
  const hosts = new Set(seenOn);
  // the home (when it is a Mastodon we run) also holds the post
  if (hostState.get(a.webHost)?.cfg.kind === 'mastodon') hosts.add(a.webHost);
  for (const hn of hosts) {
    const h = hostState.get(hn);
    if (!h) throw new Error(`unknown host ${hn}`);
    copies.push(addStatus(h, { author: a, ms, ...ids, ...fields }));
  }
  return copies;
}

const posts = { consent: [], cw: [], snac: [] };
const base = START - 40 * 60e3;
let slot = 0;
if (sets.has('consent')) {
  for (const c of consentFile.cases) {
    const a = defineAuthor({ ...c.author, home: c.home, remoteCopy: c.remoteCopy, caseId: c.id });
    if (c.author.urlHost) {
      // the host the copy's url names has a clean account of the same username
      const spoof = hostState.get(c.author.urlHost);
      const decoy = {
        ...a,
        key: `${a.username}@${c.author.urlHost}`,
        domain: c.author.urlHost,
        webHost: c.author.urlHost,
        url: `https://${c.author.urlHost}/@${a.username}`,
        homeUrl: `https://${c.author.urlHost}/@${a.username}`,
        uri: `https://${c.author.urlHost}/users/${a.username}`,
        home: { ...a.home, noindex: false, note: '<p>Working on it.</p>' },
        remoteCopy: {},
        localIds: new Map(),
      };
      authors.set(decoy.key, decoy);
      spoof.accounts.set(a.username.toLowerCase(), decoy);
    }
    const ms = base + slot++ * 17e3;
    const content = consentContent(null, a, c.city);
    posts.consent.push({ caseId: c.id, copies: publish(a, c.seenOn, ms, { content, spoiler: '', sensitive: false }) });
  }
}
if (sets.has('cw')) {
  const linkify = (body, host) => body.replace('#YourTurn', tagAnchor(host, 'YourTurn'));
  for (const w of cwFile.cases) {
    const a = defineAuthor({ username: w.username, displayName: `${w.username.split('_')[0]} ${w.id.toUpperCase()}`, domain: w.domain, home: { note: '<p>Hello.</p>' }, caseId: w.id });
    if (w.older) {
      publish(a, w.seenOn, base + slot++ * 17e3 - 3600e3, { content: linkify(w.older.body, a.webHost), spoiler: '', sensitive: false });
    }
    const ms = base + slot++ * 17e3;
    const copies = publish(a, w.seenOn, ms, { content: linkify(w.body, a.webHost), spoiler: w.spoiler_text, sensitive: w.sensitive, poll: w.poll, mediaAlt: w.mediaAlt, card: w.card });
    posts.cw.push({ caseId: w.id, copies });
    if (w.newer) publish(a, w.seenOn, ms + 600e3, { content: linkify(w.newer.body, a.webHost), spoiler: '', sensitive: false });
  }
  for (const p of cwFile.controls) {
    if (p.ref) continue;
    const a = defineAuthor({ username: p.username, displayName: `${p.username.split('_')[0]} ${p.id.toUpperCase()}`, domain: p.domain, home: { note: '<p>Hello.</p>' }, caseId: p.id });
    publish(a, p.seenOn, base + slot++ * 17e3, { content: linkify(p.body, a.webHost), spoiler: '', sensitive: false });
  }
}
if (sets.has('snac')) {
  const h = hostState.get(snacFile.host);
  const sec0 = Math.floor((START - 20 * 60e3) / 1000);
  for (const c of snacFile.cases) {
    const a = defineAuthor({ username: c.username, displayName: `${c.username.split('_')[0]} ${c.id.toUpperCase()}`, domain: snacFile.host, kind: 'snac', home: { note: '<p>snac user</p>' }, caseId: c.id });
    for (const p of c.posts) {
      const sec = sec0 + p.second;
      const snacId = `${sec}${md5(c.username + p.key)}`;
      const content = `<p><a href="https://${h.name}/?t=yourturn" class="mention hashtag" rel="tag">#YourTurn</a> ${esc(p.city)}. ${p.token}</p>`;
      const st = addStatus(h, { author: a, ms: sec * 1000 + 500, snacId, uri: `https://${h.name}/${c.username}/p/${sec}.${md5(p.key).slice(0, 6)}`, url: `https://${h.name}/${c.username}/p/${sec}.${md5(p.key).slice(0, 6)}`, content, spoiler: '', sensitive: false });
      posts.snac.push({ caseId: c.id, key: p.key, st, post: p });
    }
  }
}

// ------------------------------------------------------------------------------------------------
// the public surfaces of the server under test
// ------------------------------------------------------------------------------------------------
let SRV = null; // base url of the server under test
async function get(path, { timeout = 15000, raw = false } = {}) {
  const t = Date.now();
  try {
    const r = await fetch(SRV + path, { signal: AbortSignal.timeout(timeout), headers: { accept: '*/*' } });
    const buf = Buffer.from(await r.arrayBuffer());
    const ct = r.headers.get('content-type') ?? '';
    const text = /image|octet/.test(ct) ? buf.toString('latin1') : buf.toString('utf8');
    let json;
    if (/json/.test(ct)) {
      try {
        json = JSON.parse(text);
      } catch {}
    }
    return { path, status: r.status, ct, text, json, ms: Date.now() - t };
  } catch (e) {
    return { path, status: 0, ct: '', text: '', error: String(e?.message ?? e), ms: Date.now() - t };
  }
}

// SSE reader
function openSse(path, { onEvent, onOpen, duration = null } = {}) {
  const ac = new AbortController();
  sseControllers.add(ac);
  const events = [];
  const done = (async () => {
    try {
      const r = await fetch(SRV + path, { signal: ac.signal, headers: { accept: 'text/event-stream' } });
      if (!r.ok) {
        events.push({ t: Date.now(), event: 'http-error', data: String(r.status) });
        return;
      }
      onOpen?.();
      const reader = r.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      let cur = { data: [] };
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).replace(/\r$/, '');
          buf = buf.slice(i + 1);
          if (line === '') {
            if (cur.data.length || cur.event) {
              const ev = { t: Date.now(), id: cur.id ?? null, event: cur.event ?? 'message', data: cur.data.join('\n') };
              events.push(ev);
              onEvent?.(ev);
            }
            cur = { data: [] };
          } else if (line.startsWith(':')) continue;
          else {
            const k = line.indexOf(':');
            const f = k < 0 ? line : line.slice(0, k);
            const v = k < 0 ? '' : line.slice(k + 1).replace(/^ /, '');
            if (f === 'data') cur.data.push(v);
            else if (f === 'event') cur.event = v;
            else if (f === 'id') cur.id = v;
          }
        }
      }
    } catch (e) {
      if (e?.name !== 'AbortError' && e?.name !== 'TimeoutError') events.push({ t: Date.now(), event: 'stream-error', data: String(e?.message ?? e) });
    } finally {
      sseControllers.delete(ac);
    }
  })();
  if (duration) setTimeout(() => ac.abort(), duration);
  return { events, ac, done };
}

function collectStrings(x, out) {
  if (typeof x === 'string') out.push(x);
  else if (Array.isArray(x)) for (const y of x) collectStrings(y, out);
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) (out.push(k), collectStrings(v, out));
  return out;
}
const decodeEntities = (s) =>
  s.replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(+d)).replace(/&#x([0-9a-f]+);/gi, (_, d) => String.fromCodePoint(parseInt(d, 16))).replace(/&(amp|lt|gt|quot|apos|#39);/g, (m) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&#39;': "'" })[m]);
// A searchable form of a surface: raw text, the strings inside JSON (so \u003c escapes are undone)
// and tag-stripped, entity-decoded copies of both (so SECRET<span>BODY-09</span> is found whole).
function searchable(text, json) {
  const parts = [text];
  if (json !== undefined) parts.push(collectStrings(json, []).join('\n'));
  const more = parts.map((p) => decodeEntities(stripTags(decodeEntities(p))));
  return [...parts, ...more].join('\n\u0000\n').toLowerCase();
}
function sseSearchable(events) {
  return events.map((e) => {
    let j;
    try {
      j = JSON.parse(e.data);
    } catch {}
    return searchable(e.data, j);
  });
}

async function crawl(label, cities) {
  const S = [];
  const add = (name, r) => {
    S.push({ name, path: r.path, status: r.status, error: r.error, bytes: r.text.length, text: searchable(r.text, r.json), json: r.json });
    return r;
  };
  const C = `/api/campaigns/${TAG}`;
  add('campaigns', await get('/api/campaigns'));
  add('campaign', await get(C));
  const contributors = add('contributors', await get(`${C}/contributors`));
  const placeIds = new Set();
  for (const f of contributors.json?.features ?? []) if (f?.properties?.place?.id != null) placeIds.add(f.properties.place.id);
  for (const z of [0, 3, 8, 14]) {
    const v = add(`view-z${z}`, await get(`${C}/contributors?bbox=-180,-85,180,85&zoom=${z}`));
    let n = 0;
    for (const f of v.json?.features ?? []) {
      if (f?.properties?.cluster && f.properties.clusterId != null && n++ < 40) add(`cluster`, await get(`${C}/clusters/${f.properties.clusterId}`));
      if (f?.properties?.place?.id != null) placeIds.add(f.properties.place.id);
    }
  }
  add('countries', await get(`${C}/countries`));
  let cursor = null;
  for (let i = 0; i < 10; i++) {
    const r = add('cities', await get(`${C}/cities?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
    for (const f of r.json?.features ?? []) if (f?.properties?.place?.id != null) placeIds.add(f.properties.place.id);
    cursor = r.json?.nextCursor;
    if (!cursor) break;
  }
  for (const city of cities) {
    const r = add('nearby', await get(`${C}/nearby?near=${encodeURIComponent(city)}&limit=100`));
    if (r.json?.origin?.place?.id != null) placeIds.add(r.json.origin.place.id);
  }
  add('nearby', await get(`${C}/nearby?lat=0&lng=0&limit=100`));
  for (const id of placeIds) {
    let cur = null;
    for (let i = 0; i < 5; i++) {
      const r = add('place', await get(`${C}/places/${id}/contributors?limit=200${cur ? `&cursor=${encodeURIComponent(cur)}` : ''}`));
      cur = r.json?.nextCursor;
      if (!cur) break;
    }
  }
  add('export.geojson', await get(`${C}/export.geojson`));
  add('export.csv', await get(`${C}/export.csv`));
  add('export.csv?excerpts', await get(`${C}/export.csv?excerpts=true`));
  add('status', await get('/api/status'));
  add('config', await get('/api/config'));
  add('healthz', await get('/healthz'));
  add('metrics', await get('/metrics'));
  for (const p of ['/', `/c/${TAG}`, '/embed', `/embed/${TAG}`, `/embed/${TAG}?view=both`, `/oembed?url=${encodeURIComponent(SRV + '/c/' + TAG)}`, `/og/${TAG}.png`]) add(`page ${p.split('?')[0]}`, await get(p));
  // the event log replayed from the start, and a fresh connection
  const rep = openSse(`${C}/events?lastEventId=0`, { duration: 3000 });
  const fresh = openSse(`${C}/events`, { duration: 2000 });
  await Promise.all([rep.done, fresh.done]);
  S.push({ name: 'sse-replay', path: `${C}/events?lastEventId=0`, status: 200, bytes: 0, text: sseSearchable(rep.events).join('\n'), events: rep.events });
  S.push({ name: 'sse-fresh', path: `${C}/events`, status: 200, bytes: 0, text: sseSearchable(fresh.events).join('\n'), events: fresh.events });
  const failed = S.filter((s) => s.status === 0 || s.status >= 500);
  log(`crawl ${label}: ${S.length} answers, ${placeIds.size} places${failed.length ? `, ${failed.length} failed (${failed.slice(0, 3).map((f) => `${f.path}: ${f.status} ${f.error ?? ''}`).join('; ')})` : ''}`);
  return { label, at: Date.now(), surfaces: S, contributors: contributors.json };
}
const where = (snap, needles, { exclude = [] } = {}) => {
  const out = new Set();
  for (const s of snap.surfaces) {
    if (exclude.includes(s.name)) continue;
    for (const n of needles) if (s.text.includes(n.toLowerCase())) out.add(s.name);
  }
  return [...out];
};
const inContributors = (snap, needles) => {
  const feats = snap.contributors?.features ?? [];
  return feats.filter((f) => needles.some((n) => searchable(JSON.stringify(f), f).includes(n.toLowerCase())));
};

// ------------------------------------------------------------------------------------------------
// main
// ------------------------------------------------------------------------------------------------
async function main() {
  if (!existsSync(opt.cli)) throw new Error(`--cli ${opt.cli} does not exist`);
  // flags, the way a user learns them
  const helpRun = spawnSync(process.execPath, [opt.cli, 'serve', '--help'], { encoding: 'utf8', timeout: 20000 });
  const help = `${helpRun.stdout}\n${helpRun.stderr}`;
  if (/not built/.test(help)) throw new Error(`the CLI says: ${help.trim()} (run npm run build)`);
  const has = (f) => new RegExp(`(^|\\s)${f.replace(/[-]/g, '\\-')}(\\s|=|,|$)`, 'm').test(help);
  const flags = { resolve: has('--resolve'), pollInterval: has('--poll-interval'), backfillDays: has('--backfill-days'), tiles: has('--tiles'), host: has('--host'), logLevel: has('--log-level') };
  const ttlLine = help.split('\n').find((l) => /--[a-z-]*ttl[a-z-]*/i.test(l));
  flags.ttl = ttlLine ? ttlLine.match(/--[a-z-]*ttl[a-z-]*/i)[0] : null;
  let ttlValue = null;
  if (flags.ttl) {
    const ph = (ttlLine.match(/--[a-z-]*ttl[a-z-]*[ =]+([A-Za-z|]+)/i) ?? [])[1] ?? '';
    if (/^ms|millis/i.test(ph) || /\bms\b/i.test(ttlLine)) ttlValue = String(opt.ttlMs);
    else if (/^s$|sec/i.test(ph)) ttlValue = String(Math.ceil(opt.ttlMs / 1000));
    else if (/min/i.test(ph)) ttlValue = '1';
    else if (/dur|time/i.test(ph) || /\d+(s|m|h)\b/.test(ttlLine)) ttlValue = `${Math.ceil(opt.ttlMs / 1000)}s`;
    else ttlValue = String(opt.ttlMs);
  }
  log(`CLI ${opt.cli}; flags found in serve --help: ${Object.entries(flags).filter(([, v]) => v).map(([k, v]) => (v === true ? k : `${k}=${v}`)).join(', ')}`);
  if (!flags.resolve) log('serve --help lists no --resolve: made-up home hosts cannot be reached (FTO_RESOLVE is still set in the environment)');
  if (!flags.ttl) log('serve --help lists no consent TTL flag: later opt-outs rely on whatever re-check exists');

  // fake servers
  const refusedPort = await freePort();
  for (const h of hostState.values()) {
    if (h.cfg.behaviour === 'refused') {
      h.port = refusedPort;
    } else {
      const s = http.createServer((req, res) => handle(h, req, res));
      s.keepAliveTimeout = 2000;
      servers.push(s);
      h.port = await listen(s);
    }
    h.url = `http://127.0.0.1:${h.port}`;
  }
  log(`${hostState.size} fake hosts on 127.0.0.1 (${[...hostState.values()].map((h) => `${h.name}:${h.port}`).join(' ')})`);
  if (opt.fakesOnly) {
    // debugging aid: only the fake servers, for probing them by hand
    writeFileSync(join(tmpdir(), 'fto-blind-fakes.json'), JSON.stringify(Object.fromEntries([...hostState.values()].map((h) => [h.name, h.url]))));
    log(`fakes only, for ${opt.fakesOnly} s; map in ${join(tmpdir(), 'fto-blind-fakes.json')}`);
    await sleep(opt.fakesOnly * 1000);
    return { validity: { valid: true } };
  }

  tmp = mkdtempSync(join(tmpdir(), 'fto-blind-'));
  // safety net: the server under test may resolve no name except localhost
  const guard = join(tmp, 'dns-guard.cjs');
  const guardLog = join(tmp, 'dns-guard.log');
  writeFileSync(
    guard,
    `const dns=require('node:dns'),fs=require('node:fs');const ok=h=>/^(localhost|127\\.\\d+\\.\\d+\\.\\d+|::1|\\[::1\\])$/i.test(String(h));
const note=h=>{try{fs.appendFileSync(${JSON.stringify(guardLog)},h+'\\n')}catch{}};
const L=dns.lookup;dns.lookup=function(h,o,cb){if(typeof o==='function'){cb=o;o={}}if(ok(h)||require('node:net').isIP(h)&&/^(127\\.|::1)/.test(h))return L.call(dns,h,o,cb);note(h);const e=new Error('getaddrinfo ENOTFOUND '+h+' (blocked by the blind harness)');e.code='ENOTFOUND';e.hostname=h;process.nextTick(cb,e)};
const P=dns.promises.lookup;dns.promises.lookup=async function(h,o){if(ok(h))return P.call(dns.promises,h,o);note(h);const e=new Error('getaddrinfo ENOTFOUND '+h+' (blocked by the blind harness)');e.code='ENOTFOUND';e.hostname=h;throw e};
for(const k of ['resolve','resolve4','resolve6','resolveAny']){const f=dns[k];dns[k]=function(h,...a){const cb=a.pop();if(ok(h))return f.call(dns,h,...a,cb);note(h);const e=new Error('blocked');e.code='ENOTFOUND';process.nextTick(cb,e)}}
`,
  );
  const port = await freePort();
  SRV = `http://127.0.0.1:${port}`;
  const resolveList = [...hostState.values()].map((h) => `${h.name}=${h.url}`);
  const followed = [...hostState.values()].filter((h) => h.cfg.followed && (h.cfg.kind !== 'snac' || sets.has('snac')));
  const baseArgs = ['serve', '--tag', TAG, ...followed.flatMap((h) => ['--instance', h.url]), '--db', join(tmp, 'fto.db'), '--port', String(port), '--no-bluesky'];
  const optional = [];
  if (flags.host) optional.push(['host', ['--host', '127.0.0.1']]);
  if (flags.pollInterval) optional.push(['poll', ['--poll-interval', '1000']]);
  if (flags.backfillDays) optional.push(['backfill', ['--backfill-days', '7']]);
  if (flags.tiles) optional.push(['tiles', ['--tiles', 'none']]);
  if (flags.logLevel) optional.push(['log', ['--log-level', 'info']]);
  if (flags.resolve) optional.push(['resolve', resolveList.flatMap((r) => ['--resolve', r])]);
  if (flags.ttl) optional.push(['ttl', [flags.ttl, ttlValue]]);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FTO_') && k !== 'PORT'));
  Object.assign(env, { FTO_RATE_LIMIT: '0', FTO_TILE_URL: 'none', FTO_RESOLVE: resolveList.join(','), FTO_USER_AGENT: 'FindTheOthers-blind-eval/1.0 (+http://127.0.0.1)' });
  const logFile = join(tmp, 'serve.log');
  let rejected = [];
  let args;
  for (let attempt = 0; attempt < 3; attempt++) {
    args = [...baseArgs, ...optional.filter(([k]) => !rejected.includes(k)).flatMap(([, a]) => a)];
    const fd = openSync(logFile, 'a');
    child = spawn(process.execPath, ['--require', guard, opt.cli, ...args], { env, stdio: ['ignore', fd, fd], cwd: tmp });
    closeSync(fd);
    let up = false;
    for (let t = Date.now(); Date.now() - t < 30000; ) {
      if (child.exitCode !== null) break;
      const r = await get('/healthz', { timeout: 1000 });
      if (r.status === 200) {
        up = true;
        break;
      }
      await sleep(100);
    }
    if (up) break;
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
    if (child.exitCode === null) child.kill('SIGKILL');
    const bad = optional.find(([k, a]) => !rejected.includes(k) && a.some((x) => x.startsWith('--') && tail.includes(x)));
    if (bad && bad[0] === 'ttl' && !bad.retried && attempt < 2) {
      // a TTL below the tool's minimum: try a minute before giving the flag up
      bad.retried = true;
      bad[1] = [flags.ttl, /^\d+$/.test(ttlValue) && Number(ttlValue) >= 1000 ? '60000' : /s$/.test(ttlValue) ? '60s' : '60'];
      log(`the server refused ${flags.ttl} ${ttlValue}; retrying with ${bad[1][1]}`);
      continue;
    }
    if (bad && attempt < 2) {
      log(`the server refused ${bad[0]} (${tail.split('\n').filter(Boolean).pop()}); retrying without it`);
      rejected.push(bad[0]);
      continue;
    }
    throw new Error(`the server did not come up:\n${tail}`);
  }
  log(`serve up at ${SRV} (pid ${child.pid}); args: ${args.join(' ').replace(/--resolve \S+ ?/g, '').trim()}${flags.resolve && !rejected.includes('resolve') ? ` + ${resolveList.length} --resolve` : ''}`);

  // live SSE for the whole run
  const C = `/api/campaigns/${TAG}`;
  const live = openSse(`${C}/events`, { onOpen: () => openGate() });
  setTimeout(() => openGate(), 15000).unref();

  // phase 1: settle
  const tStart = Date.now();
  const followedPolled = () => followed.every((h) => requests.some((r) => r.host === h.name && r.path.startsWith('/api/v1/timelines/tag/')));
  while (Date.now() - tStart < opt.settle) {
    await sleep(1000);
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) during the settle`);
  }
  if (!followedPolled()) log('WARNING: not every followed instance was polled during the settle');
  const cities = [...new Set([...consentFile.cases.map((c) => c.city), ...cwFile.cases.map((c) => c.city), ...snacFile.cases.flatMap((c) => c.posts.map((p) => p.city)), 'Helsinki', 'Montreal'])];
  const snapA = await crawl('A (after settle)', cities);

  // phase 2: mutations
  const tMut = Date.now();
  const pending = [];
  if (sets.has('consent'))
    for (const c of consentFile.cases.filter((c) => c.later)) {
      const a = authors.get(`${c.author.username}@${c.author.domain}`);
      // copies on other servers change only where later.remoteCopy says so (a noindex, a suspension
      // or a home-only bio edit does not reach them); everything else keeps its old value there
      for (const k of Object.keys(c.later.home ?? {})) if (!(k in (c.later.remoteCopy ?? {})) && !(k in a.remoteCopy)) a.remoteCopy[k] = a.home[k];
      Object.assign(a.home, c.later.home ?? {});
      Object.assign(a.remoteCopy, c.later.remoteCopy ?? {});
      pending.push({ set: 'consent', id: c.id, needles: c.needles ?? [c.author.username, c.author.displayName], gone: null });
    }
  if (sets.has('snac'))
    for (const p of posts.snac.filter((p) => p.post.deleteLater)) {
      p.st.deleted = true;
      pending.push({ set: 'snac', id: `${p.caseId}${p.key}`, needles: [p.post.token], gone: null });
    }
  if (sets.has('cw'))
    for (const w of cwFile.cases.filter((w) => w.laterEdit)) {
      for (const st of posts.cw.find((p) => p.caseId === w.id).copies) {
        st.spoiler = w.laterEdit.spoiler_text;
        st.sensitive = w.laterEdit.sensitive;
        st.editedAt = new Date().toISOString();
      }
      pending.push({ set: 'cw', id: w.id, needles: [w.token], gone: null });
    }
  log(`mutations applied: ${pending.length} (later opt-outs, snac deletes, a warning added by edit); watching for up to ${opt.laterWait / 1000} s`);
  while (Date.now() - tMut < opt.laterWait && pending.some((p) => p.gone === null)) {
    await sleep(3000);
    const [c, g] = await Promise.all([get(`${C}/contributors`), get(`${C}/export.geojson`)]);
    const t = searchable(c.text, c.json) + searchable(g.text, g.json);
    for (const p of pending) if (p.gone === null && c.status === 200 && !p.needles.some((n) => t.includes(n.toLowerCase()))) p.gone = Date.now() - tMut;
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) during phase 2`);
  }
  const snapB = await crawl('B (after mutations)', cities);
  await sleep(500);
  live.ac.abort();
  await live.done;
  const liveText = sseSearchable(live.events);

  // --------------------------------------------------------------------------------------------
  // judging
  // --------------------------------------------------------------------------------------------
  const results = [];
  const REPLAY = ['sse-replay'];
  const liveHits = (needles, after = 0) =>
    live.events.map((e, i) => ({ e, s: liveText[i] })).filter(({ e, s }) => e.t >= after && needles.some((n) => s.includes(n.toLowerCase())));
  const revealProbe = async (accts) => {
    const hits = [];
    for (const acct of accts) {
      const r = await get(`${C}/contributors/${encodeURIComponent(acct)}/post`);
      if (r.status === 200) hits.push(acct);
    }
    return hits;
  };

  if (sets.has('consent')) {
    for (const c of consentFile.cases) {
      const needles = c.needles ?? [c.author.username, c.author.displayName];
      const inA = where(snapA, needles);
      const inB = where(snapB, needles);
      const inBnoReplay = where(snapB, needles, { exclude: REPLAY });
      const featA = inContributors(snapA, needles);
      const featB = inContributors(snapB, needles);
      const lh = liveHits(needles);
      const r = { set: 'consent', id: c.id, category: c.category, expected: c.expected, description: c.description, author: `${c.author.username}@${c.author.domain}`, kind: c.author.kind, city: c.city, needles };
      r.placeA = featA[0]?.properties?.place?.name ?? null;
      if (c.expected === 'hidden') {
        const reveal = await revealProbe([...new Set([`${c.author.username}@${c.author.domain}`, `${c.author.username}@${webHostOf(c.author.domain)}`])]);
        r.foundIn = [...new Set([...inA.map((x) => `A:${x}`), ...inB.map((x) => `B:${x}`), ...(lh.length ? [`live-sse:${[...new Set(lh.map((h) => h.e.event))].join('+')}`] : []), ...reveal.map((x) => `reveal:${x}`)])];
        r.correct = r.foundIn.length === 0;
        r.privacyFailure = !r.correct;
        r.wronglyHidden = false;
        r.outcome = r.correct ? 'hidden' : featA.length || featB.length ? 'shown' : `named in ${r.foundIn.slice(0, 4).join(', ')}`;
      } else if (c.expected === 'shown') {
        r.foundIn = [...new Set([...inA.map((x) => `A:${x}`), ...inB.map((x) => `B:${x}`)])];
        r.correct = featA.length > 0 && featB.length > 0;
        r.wronglyHidden = !r.correct;
        r.privacyFailure = false;
        r.outcome = featA.length && featB.length ? 'shown' : featA.length || featB.length ? 'shown-intermittently' : 'hidden';
        r.inExports = ['export.geojson', 'export.csv'].every((s) => inB.includes(s));
      } else {
        // removed-after-ttl
        const p = pending.find((p) => p.id === c.id);
        const removes = live.events.filter((e) => e.event === 'remove' && e.t >= tMut && needles.some((n) => e.data.toLowerCase().includes(n.toLowerCase())));
        const lastAbout = liveHits(needles).pop();
        r.shownFirst = featA.length > 0;
        r.stillInB = inBnoReplay;
        r.sseRemove = removes.length > 0;
        r.removedAfterMs = p?.gone ?? null;
        r.replayStillHas = where(snapB, needles).includes('sse-replay');
        const removedEverywhere = inBnoReplay.length === 0;
        r.correct = r.shownFirst && removedEverywhere && r.sseRemove && (!lastAbout || lastAbout.e.event === 'remove');
        r.privacyFailure = r.shownFirst && (!removedEverywhere || !r.sseRemove);
        r.wronglyHidden = !r.shownFirst;
        r.outcome = !r.shownFirst ? 'never shown' : removedEverywhere ? (r.sseRemove ? 'removed' : 'removed, no SSE remove') : `still shown (${inBnoReplay.join(', ')})`;
      }
      results.push(r);
    }
  }

  if (sets.has('cw')) {
    const acctOf = (snap, username) => inContributors(snap, [username])[0]?.properties?.acct ?? null;
    for (const w of cwFile.cases) {
      const r = { set: 'cw', id: w.id, category: w.laterEdit ? 'cw-added-by-edit' : 'cw', expected: w.laterEdit ? 'text hidden after the edit' : 'text hidden', description: w.description, author: `${w.username}@${w.domain}`, token: w.token, city: w.city };
      const featA = inContributors(snapA, [w.username]);
      const featB = inContributors(snapB, [w.username]);
      r.onMapA = featA.length > 0;
      r.onMapB = featB.length > 0;
      r.placeA = featA[0]?.properties?.place?.name ?? null;
      r.contentWarningA = featA[0]?.properties?.contentWarning ?? null;
      r.sensitiveA = featA[0]?.properties?.sensitive ?? null;
      const acct = acctOf(snapB, w.username) ?? acctOf(snapA, w.username);
      const rv = acct ? await get(`${C}/contributors/${encodeURIComponent(acct)}/post`) : null;
      r.revealStatus = rv?.status ?? null;
      const revealToken = w.newer ? w.newer.body.match(/PUBLICBODY-\d+/)[0] : w.token;
      r.revealExpects = revealToken;
      r.revealHasText = !!rv && rv.status === 200 && searchable(rv.text, rv.json).includes(revealToken.toLowerCase());
      if (w.laterEdit) {
        r.visibleBeforeEdit = where(snapA, [w.token]).includes('contributors');
        const leakB = where(snapB, [w.token], { exclude: REPLAY });
        const leakLive = liveHits([w.token], tMut + 0).filter((h) => p2done(h.e.t));
        r.foundIn = [...leakB.map((x) => `B:${x}`), ...(leakLive.length ? ['live-sse after edit'] : [])];
        r.replayStillHas = where(snapB, [w.token]).includes('sse-replay');
        r.hiddenAfterMs = pending.find((p) => p.id === w.id)?.gone ?? null;
        r.leak = r.foundIn.length > 0;
      } else {
        const leak = [...where(snapA, [w.token]).map((x) => `A:${x}`), ...where(snapB, [w.token]).map((x) => `B:${x}`), ...(liveHits([w.token]).length ? ['live-sse'] : [])];
        r.foundIn = [...new Set(leak)];
        r.leak = r.foundIn.length > 0;
      }
      r.placeOk = w.expectPlace ? r.placeA === w.expectPlace : null;
      r.correct = !r.leak && r.onMapA && r.onMapB && r.revealHasText && (w.laterEdit ? r.visibleBeforeEdit : true) && r.placeOk !== false;
      r.privacyFailure = r.leak;
      r.wronglyHidden = !r.onMapA || !r.onMapB;
      r.outcome = r.leak ? `text leaked (${r.foundIn.slice(0, 4).join(', ')})` : !r.onMapA || !r.onMapB ? 'not on the map' : !r.revealHasText ? `hidden, but reveal ${r.revealStatus ?? 'not tried'} lacks the text` : r.placeOk === false ? `hidden, placed at ${r.placeA}` : 'hidden, reveal works';
      results.push(r);
    }
    for (const p of cwFile.controls) {
      const r = { set: 'cw', id: p.id, category: 'cw-control', expected: 'text visible', description: p.description, author: `${p.username}@${p.domain}`, token: p.token };
      const inA = where(snapA, [p.token]);
      const inB = where(snapB, [p.token]);
      r.foundIn = [...new Set([...inA.map((x) => `A:${x}`), ...inB.map((x) => `B:${x}`)])];
      r.correct = inA.includes('contributors') && inB.includes('contributors');
      r.privacyFailure = false;
      r.wronglyHidden = !r.correct;
      r.outcome = r.correct ? 'visible' : 'not visible';
      results.push(r);
    }
  }
  function p2done(t) {
    // live events about the edited post after the edit was seen by the server are leaks; before it they are not
    const p = pending.find((x) => x.set === 'cw');
    return p?.gone != null ? t >= tMut + p.gone : t >= tMut + opt.laterWait;
  }

  if (sets.has('snac')) {
    for (const c of snacFile.cases) {
      const r = { set: 'snac', id: c.id, category: 'snac-delete', expected: c.expected, description: c.description ?? null, author: `${c.username}@${snacFile.host}` };
      const featA = inContributors(snapA, [c.username]);
      const featB = inContributors(snapB, [c.username]);
      r.shownA = featA.length > 0;
      r.shownB = featB.length > 0;
      r.placeA = featA[0]?.properties?.place?.name ?? null;
      r.placeB = featB[0]?.properties?.place?.name ?? null;
      const del = c.posts.filter((p) => p.deleteLater);
      const keep = c.posts.filter((p) => !p.deleteLater);
      r.deletedTokensVisibleA = del.every((p) => where(snapA, [p.token]).length > 0);
      r.deletedStillIn = del.flatMap((p) => where(snapB, [p.token], { exclude: REPLAY }).map((s) => `${p.token}:${s}`));
      r.removedAfterMs = del.map((p) => pending.find((x) => x.id === `${c.id}${p.key}`)?.gone ?? null);
      if (c.expected === 'stays') {
        r.correct = r.shownA && r.shownB && keep.every((p) => where(snapB, [p.token]).includes('contributors'));
        r.wronglyHidden = !r.correct;
        r.privacyFailure = false;
        r.outcome = r.correct ? 'stays' : 'missing';
      } else if (c.expected === 'removed') {
        const removes = live.events.some((e) => e.event === 'remove' && e.t >= tMut && e.data.toLowerCase().includes(c.username));
        r.sseRemove = removes;
        r.correct = r.shownA && !r.shownB && r.deletedStillIn.length === 0 && removes;
        r.wronglyHidden = !r.shownA;
        r.privacyFailure = r.shownA && (r.shownB || r.deletedStillIn.length > 0);
        r.outcome = !r.shownA ? 'never shown' : r.privacyFailure ? 'deleted post still shown' : removes ? 'removed' : 'removed, no SSE remove';
      } else {
        r.correct = r.shownA && r.shownB && r.deletedStillIn.length === 0 && r.placeB === c.expectPlaceAfter;
        r.wronglyHidden = !r.shownA || !r.shownB;
        r.privacyFailure = r.shownA && r.deletedStillIn.length > 0;
        r.outcome = !r.shownA ? 'never shown' : r.privacyFailure ? 'deleted post still shown' : !r.shownB ? 'person gone (expected to fall back)' : `falls back to ${r.placeB}`;
      }
      results.push(r);
    }
  }

  // --------------------------------------------------------------------------------------------
  // diagnostics: did the server really talk to us?
  // --------------------------------------------------------------------------------------------
  const perHost = {};
  for (const q of requests) {
    const k = q.host;
    perHost[k] ??= { total: 0, timeline: 0, lookup: 0, webfinger: 0, profile: 0, batch: 0, single: 0, other: 0, noUA: 0, afterMutation: 0 };
    const p = perHost[k];
    p.total++;
    if (!q.ua) p.noUA++;
    if (q.t >= tMut) p.afterMutation++;
    if (q.path.startsWith('/api/v1/timelines/tag/')) p.timeline++;
    else if (q.path === '/api/v1/accounts/lookup' || q.path === '/api/users/show') p.lookup++;
    else if (q.path === '/.well-known/webfinger') p.webfinger++;
    else if (q.path === '/api/v1/statuses') p.batch++;
    else if (/^\/api\/v1\/statuses\//.test(q.path)) p.single++;
    else if (!q.path.startsWith('/api/') && !q.path.startsWith('/.well-known') && !q.path.startsWith('/nodeinfo')) p.profile++;
    else p.other++;
  }
  const guarded = existsSync(guardLog) ? readFileSync(guardLog, 'utf8').split('\n').filter(Boolean) : [];
  const statusA = snapA.surfaces.find((s) => s.name === 'status');
  const statusB = snapB.surfaces.find((s) => s.name === 'status');
  const unreachableHosts = Object.entries(HOSTS).filter(([, c]) => c.kind === 'unreachable').map(([n]) => n);
  const diag = {
    followedPolled: Object.fromEntries(followed.map((h) => [h.name, perHost[h.name]?.timeline ?? 0])),
    homeRequests: perHost,
    guardedDnsLookups: [...new Set(guarded)],
    guardedDnsLookupCount: guarded.length,
    statusMentionsUnreachable: Object.fromEntries(unreachableHosts.map((n) => [n, !!statusB?.text.includes(n)])),
    statusMentionsConsent: !!statusB?.text.includes('consent'),
    liveSse: { events: live.events.length, byType: live.events.reduce((m, e) => ((m[e.event] = (m[e.event] ?? 0) + 1), m), {}) },
    sseReplay: Object.fromEntries([snapA, snapB].map((sn) => [sn.label[0], sn.surfaces.find((x) => x.name === 'sse-replay').events.reduce((m, e) => ((m[e.event] = (m[e.event] ?? 0) + 1), m), {})])),
    contributorsA: snapA.contributors?.features?.length ?? null,
    contributorsB: snapB.contributors?.features?.length ?? null,
    surfaceErrors: [...snapA.surfaces, ...snapB.surfaces].filter((s) => s.status === 0 || s.status >= 500).map((s) => `${s.path}: ${s.status} ${s.error ?? ''}`),
    serverLogTail: readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'),
  };
  const controls = results.filter((r) => r.category === 'control' || r.category === 'cw-control');
  const validity = {
    controlsShown: controls.every((r) => r.correct),
    controls: controls.map((r) => `${r.id}:${r.correct ? 'ok' : 'FAIL'}`),
    everyFollowedPolled: followed.every((h) => (perHost[h.name]?.timeline ?? 0) > 0),
  };
  validity.valid = validity.controlsShown && validity.everyFollowedPolled;

  // --------------------------------------------------------------------------------------------
  // table
  // --------------------------------------------------------------------------------------------
  const groups = new Map();
  for (const r of results) {
    const k = `${r.set}|${r.category}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  const sum = (rs) => ({ total: rs.length, correct: rs.filter((r) => r.correct).length, privacy: rs.filter((r) => r.privacyFailure).length, wronglyHidden: rs.filter((r) => r.wronglyHidden).length });
  const rows = [...groups.entries()].map(([k, rs]) => ({ set: k.split('|')[0], category: k.split('|')[1], ...sum(rs) }));
  const perSet = {};
  for (const s of sets) perSet[s] = sum(results.filter((r) => r.set === s));
  const total = sum(results);
  const pad = (s, n) => String(s).padEnd(n);
  const lines = [];
  lines.push(`| set         | category                   | correct / total | privacy failures | wrongly hidden |`);
  lines.push(`| ----------- | -------------------------- | --------------- | ---------------- | -------------- |`);
  for (const r of rows) lines.push(`| ${pad(r.set, 11)} | ${pad(r.category, 26)} | ${pad(`${r.correct} / ${r.total}`, 15)} | ${pad(r.privacy, 16)} | ${pad(r.wronglyHidden, 14)} |`);
  for (const [s, v] of Object.entries(perSet)) lines.push(`| ${pad(`**${s}**`, 11)} | ${pad('all', 26)} | ${pad(`${v.correct} / ${v.total}`, 15)} | ${pad(v.privacy, 16)} | ${pad(v.wronglyHidden, 14)} |`);
  lines.push(`| ${pad('**all**', 11)} | ${pad('', 26)} | ${pad(`${total.correct} / ${total.total}`, 15)} | ${pad(total.privacy, 16)} | ${pad(total.wronglyHidden, 14)} |`);
  const table = lines.join('\n');
  console.log('\n' + table + '\n');
  console.log('per case:');
  for (const r of results) console.log(`  ${r.correct ? 'ok  ' : r.privacyFailure ? 'PRIV' : 'FAIL'} ${pad(r.id, 5)} ${pad(r.category, 26)} expected ${pad(r.expected, 18)} → ${r.outcome}`);
  const timed = results.filter((r) => r.category === 'later' || (r.set === 'snac' && r.expected !== 'stays') || r.category === 'cw-added-by-edit');
  console.log(`\ntime from the change to gone from /contributors and export.geojson (s): ${timed.map((r) => `${r.id}=${[].concat(r.removedAfterMs ?? r.hiddenAfterMs ?? '-').map((x) => (typeof x === 'number' ? (x / 1000).toFixed(0) : x === null ? 'never' : x)).join('/')}`).join(' ')}`);
  console.log(`followed instances polled (tag timeline requests): ${JSON.stringify(diag.followedPolled)}`);
  console.log(`home lookups (accounts/lookup, users/show) per host: ${JSON.stringify(Object.fromEntries(Object.entries(perHost).filter(([, v]) => v.lookup || v.webfinger || v.profile).map(([k, v]) => [k, `${v.lookup} lookup, ${v.webfinger} webfinger, ${v.profile} page`])))}`);
  console.log(`DNS lookups blocked by the harness guard: ${diag.guardedDnsLookupCount}${diag.guardedDnsLookups.length ? ` (${diag.guardedDnsLookups.slice(0, 8).join(', ')})` : ''}`);
  console.log(`event log replayed with lastEventId=0: ${JSON.stringify(diag.sseReplay)}`);
  console.log(`live SSE events: ${JSON.stringify(diag.liveSse.byType)}; contributors after settle ${diag.contributorsA}, at the end ${diag.contributorsB}`);
  console.log(`/api/status names unreachable homes: ${JSON.stringify(diag.statusMentionsUnreachable)}`);
  const unsupported = [!flags.resolve && '--resolve', !flags.ttl && 'a consent TTL flag', ...rejected.map((k) => `${k} (refused by the server)`)].filter(Boolean);
  if (unsupported.length) console.log(`unsupported by this checkout: ${unsupported.join(', ')} → the cases that need them are counted as failed, not skipped`);
  console.log(`validity: controls ${validity.controls.join(' ')}; every followed instance polled: ${validity.everyFollowedPolled} → ${validity.valid ? 'VALID RUN' : 'RUN NOT VALID (harness or setup problem: read the log)'}`);

  const out = {
    date: new Date().toISOString(),
    cli: opt.cli,
    commit: (() => {
      try {
        return spawnSync('git', ['-C', dirname(dirname(opt.cli)), 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
      } catch {
        return null;
      }
    })(),
    options: { ...opt, sets: [...sets] },
    flags,
    rejectedFlags: rejected,
    unsupported: [!flags.resolve && '--resolve', !flags.ttl && 'consent TTL flag'].filter(Boolean),
    serveArgs: args,
    timings: { settleMs: opt.settle, laterWaitMs: opt.laterWait, phase2Ms: snapB.at - tMut, totalMs: Date.now() - T0 },
    table: rows,
    perSet,
    total,
    tableMarkdown: table,
    validity,
    diagnostics: diag,
    cases: results,
  };
  if (opt.out) {
    writeFileSync(opt.out, JSON.stringify(out, null, 2) + '\n');
    log(`figures written to ${opt.out}`);
  }
  if (opt.keep) log(`kept ${tmp} (serve.log, fto.db)`);
  return out;
}

let code = 0;
try {
  const out = await main();
  code = out.validity.valid ? 0 : 3;
} catch (e) {
  console.error(`harness error: ${e?.stack ?? e}`);
  code = 2;
} finally {
  if (!cleaning) await cleanup();
}
process.exit(code);
