// Generates consent-cases.json, cw-cases.json and snac-delete-cases.json.
// Written from the README, docs/*.md, `serve --help` and /work/shared/mastodon.md only
// (no project source was read). Run: node eval/blind/gen-cases.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Mastodon renders a hashtag in a bio like this (the tag text as the author typed it).
const tagLink = (host, name) =>
  `<a href="https://${host}/tags/${name.toLowerCase()}" class="mention hashtag" rel="tag">#<span>${name}</span></a>`;

const hosts = {
  'follow1.example': { kind: 'mastodon', version: '4.3.2', followed: true, note: 'followed instance A (Mastodon 4.3, batch re-check)' },
  'follow2.example': { kind: 'mastodon', version: '4.4.1', followed: true, note: 'followed instance B (Mastodon 4.4)' },
  'snac1.example': { kind: 'snac', version: '2.68', followed: true, note: 'followed snac2 instance (snac delete cases)' },
  'mhome1.example': { kind: 'mastodon', version: '4.3.1', note: 'Mastodon home, not followed' },
  'mhome2.example': { kind: 'mastodon', version: '4.1.20', note: 'older Mastodon home, not followed' },
  'split.example': { kind: 'webfinger-only', webHost: 'social.split.example', webfinger: 'direct', note: 'account domain of a split-domain Mastodon; serves only WebFinger (answers itself)' },
  'social.split.example': { kind: 'mastodon', version: '4.3.2', localDomain: 'split.example', note: 'web host of split.example' },
  'split2.example': { kind: 'webfinger-only', webHost: 'social.split2.example', webfinger: 'redirect', note: 'account domain; WebFinger is a 301 to the web host (the setup Mastodon documents)' },
  'social.split2.example': { kind: 'mastodon', version: '4.2.10', localDomain: 'split2.example', note: 'web host of split2.example' },
  'real.example': { kind: 'mastodon', version: '4.3.2', note: 'real home of a url-spoof case' },
  'urlspoof.example': { kind: 'mastodon', version: '4.3.2', note: 'a server named by a copy\'s account url, not the acct domain' },
  'gts.example': { kind: 'gotosocial', version: '0.17.3', note: 'GoToSocial home: lookup needs a token, 418 without User-Agent' },
  'snac2.example': { kind: 'snac', version: '2.68', note: 'snac2 home, not followed: HTML 404 for unknown API paths' },
  'pleroma.example': { kind: 'pleroma', version: '2.7.0', note: 'Pleroma home: lookup works, no noindex field; robots meta with content= before name=' },
  'akkoma.example': { kind: 'akkoma', version: '3.13.2', note: 'Akkoma home' },
  'misskey.example': { kind: 'misskey', version: '2024.11.0', note: 'Misskey home: no Mastodon API, POST /api/users/show, robots meta when "reject crawler indexing"' },
  'down-refused.example': { kind: 'unreachable', behaviour: 'refused', note: 'resolves to a closed port' },
  'down-hang.example': { kind: 'unreachable', behaviour: 'hang', note: 'accepts the connection, never answers' },
  'down-503.example': { kind: 'unreachable', behaviour: '503', note: 'always 503 maintenance page' },
  'flaky.example': { kind: 'mastodon', version: '4.3.2', behaviour: 'flaky', flakyMs: 12000, note: '503 for the first 12 s, then fine' },
  'slow.example': { kind: 'mastodon', version: '4.3.2', behaviour: 'slow', delayMs: 3000, note: 'every answer takes 3 s' },
};

const clean = (extra = {}) => ({
  answer: 200,
  noindex: false,
  note: '<p>Working on it.</p>',
  fields: [],
  bot: false,
  suspended: false,
  limited: false,
  discoverable: true,
  indexable: true,
  robotsNoindex: false,
  ...extra,
});

const C = [];
let n = 0;
function add(c) {
  n++;
  const id = c.id ?? `c${String(n).padStart(2, '0')}`;
  const name = c.name;
  const username = c.username ?? `${name.toLowerCase()}_${id}`;
  C.push({
    id,
    category: c.category,
    description: c.description,
    author: {
      username,
      displayName: c.displayName ?? `${name} ${id.toUpperCase()}`,
      domain: c.domain,
      kind: c.kind ?? hosts[hosts[c.domain]?.webHost ?? c.domain]?.kind ?? hosts[c.domain]?.kind,
      ...(c.urlHost ? { urlHost: c.urlHost } : {}),
    },
    seenOn: c.seenOn ?? ['follow1.example'],
    city: c.city,
    home: clean(c.home),
    ...(c.remoteCopy ? { remoteCopy: c.remoteCopy } : {}),
    ...(c.needles ? { needles: c.needles } : {}),
    expected: c.expected,
    ...(c.later ? { later: c.later } : {}),
  });
}

// ---- controls and the home-is-followed baseline ------------------------------------------
add({ name: 'Ana', domain: 'follow1.example', city: 'Portland', category: 'control', expected: 'shown', description: 'clean local account of a followed instance (its home is followed)' });
add({ name: 'Bea', domain: 'mhome1.example', city: 'Lyon', category: 'control', expected: 'shown', description: 'clean remote author, Mastodon home reachable' });
add({ name: 'Cyd', domain: 'follow1.example', city: 'Nairobi', category: 'home-followed', expected: 'hidden', home: { noindex: true }, description: 'local of a followed instance with noindex:true (present in the local copy)' });
add({ name: 'Dov', domain: 'follow1.example', city: 'Osaka', category: 'home-followed', expected: 'hidden', home: { note: `<p>Quiet please ${tagLink('follow1.example', 'nobot')}</p>` }, description: 'local with #nobot in bio' });
// ---- remote copy looks clean, home says no ------------------------------------------------
add({ name: 'Eli', domain: 'mhome1.example', city: 'Curitiba', category: 'remote-clean-home-noindex', expected: 'hidden', home: { noindex: true }, description: 'remote copy has no noindex (Mastodon serialises it for locals only); home says noindex:true' });
add({ name: 'Fia', domain: 'mhome1.example', city: 'Lagos', seenOn: ['follow1.example', 'follow2.example'], category: 'remote-clean-home-noindex', expected: 'hidden', home: { noindex: true }, description: 'same, post seen on both followed instances' });
add({ name: 'Gil', domain: 'mhome2.example', city: 'Berlin', seenOn: ['follow2.example'], category: 'remote-clean-home-noindex', expected: 'hidden', home: { noindex: true }, description: 'older Mastodon home (4.1) says noindex' });
add({ name: 'Hal', domain: 'mhome1.example', city: 'Toronto', category: 'bio-tag', expected: 'hidden', home: { note: `<p>Sysadmin. ${tagLink('mhome1.example', 'NoBot')}</p>` }, description: 'bio "#NoBot" (mixed case), copy federated' });
add({ name: 'Ivo', domain: 'mhome1.example', city: 'Melbourne', category: 'bio-tag', expected: 'hidden', home: { note: `<p>Not here for maps: ${tagLink('mhome1.example', 'nomap')}.</p>` }, remoteCopy: { note: '<p>Not here for maps.</p>' }, description: 'bio "#nomap." with trailing dot on home; remote copy stale (no tag)' });
add({ name: 'Jon', domain: 'mhome2.example', city: 'Lisbon', category: 'bio-tag', expected: 'hidden', home: { note: `<p>${tagLink('mhome2.example', 'NOINDEX')} please</p>` }, description: 'bio "#NOINDEX" upper case' });
add({ name: 'Kai', domain: 'mhome1.example', city: 'Seoul', category: 'bio-tag', expected: 'hidden', home: { note: `<p>Researcher<br>${tagLink('mhome1.example', 'nosearch')}</p>` }, remoteCopy: { note: '<p>Researcher</p>' }, description: 'bio "#nosearch" after <br>, on home only (copy stale)' });
add({ name: 'Lea', domain: 'mhome1.example', city: 'Montreal', category: 'bio-not-a-tag', expected: 'shown', home: { note: `<p>I study ${tagLink('mhome1.example', 'nobotany')} and moss</p>` }, description: 'bio "#nobotany" is not an opt-out tag' });
add({ name: 'Mo', domain: 'mhome2.example', city: 'Dublin', category: 'bio-not-a-tag', expected: 'shown', home: { note: `<p>${tagLink('mhome2.example', 'bots')} are neat, I am a ${tagLink('mhome2.example', 'botmaker')}; nomap fans unite</p>` }, description: '"#bots", "#botmaker" and the bare word nomap are not opt-out tags' });
add({ name: 'Nia', domain: 'mhome1.example', city: 'Oslo', category: 'field-tag', expected: 'hidden', home: { fields: [{ name: 'Maps', value: `${tagLink('mhome1.example', 'nomap')}`, verified_at: null }] }, description: 'opt-out tag only in a profile field value (copy federated)' });
add({ name: 'Oz', domain: 'mhome2.example', city: 'Helsinki', category: 'field-tag', expected: 'hidden', home: { fields: [{ name: 'Pronouns', value: 'they/them', verified_at: null }, { name: 'Bots', value: `no thanks ${tagLink('mhome2.example', 'nobot')}`, verified_at: null }] }, remoteCopy: { fields: [{ name: 'Pronouns', value: 'they/them', verified_at: null }] }, description: 'field value "#nobot" on home only (copy has an older field list)' });
add({ name: 'Pia', domain: 'mhome1.example', city: 'Bogota', category: 'home-suspended', expected: 'hidden', home: { suspended: true }, description: 'home says suspended:true, remote copy clean' });
add({ name: 'Quy', domain: 'mhome2.example', city: 'Lima', category: 'home-gone', expected: 'hidden', home: { answer: 404 }, description: 'home answers 404 Record not found (account deleted), copy still around' });
add({ name: 'Rex', domain: 'mhome1.example', city: 'Kyoto', category: 'home-gone', expected: 'hidden', home: { answer: 410 }, description: 'home answers 410 Gone' });
add({ name: 'Sia', domain: 'mhome1.example', city: 'Hanoi', category: 'home-bot', expected: 'hidden', home: { bot: true }, remoteCopy: { bot: false }, description: 'home says bot:true, copy says bot:false' });
add({ name: 'Tam', domain: 'mhome1.example', city: 'Accra', category: 'limited', expected: 'hidden', remoteCopy: { limited: true }, description: 'silenced (limited:true) by the followed instance' });
add({ name: 'Uri', domain: 'mhome2.example', city: 'Cairo', category: 'policy-default', expected: 'shown', home: { discoverable: false, indexable: false }, description: 'discoverable:false, indexable:false, no noindex: shown by default (strict mode off)' });
add({ name: 'Val', domain: 'follow2.example', city: 'Mumbai', seenOn: ['follow1.example', 'follow2.example'], category: 'home-followed', expected: 'hidden', home: { noindex: true }, description: 'home is followed (follow2) and says noindex; follow1 carries a clean remote copy of the same post' });
add({ name: 'Wim', domain: 'follow2.example', city: 'Manila', seenOn: ['follow1.example', 'follow2.example'], category: 'control', expected: 'shown', description: 'clean local of follow2, also seen on follow1' });
add({ name: 'Xia', domain: 'follow1.example', city: 'Jakarta', category: 'home-followed', expected: 'hidden', home: { fields: [{ name: 'Index', value: `${tagLink('follow1.example', 'NoSearch')}`, verified_at: null }] }, description: 'local with "#NoSearch" in a field value' });
// ---- split domains and url spoofing -------------------------------------------------------
add({ name: 'Yul', domain: 'split.example', city: 'Warsaw', category: 'split-domain', expected: 'shown', description: 'clean account user@split.example on web host social.split.example (WebFinger answered directly)' });
add({ name: 'Zoe', domain: 'split.example', city: 'Prague', category: 'split-domain', expected: 'hidden', home: { noindex: true }, description: 'split domain, noindex on the web host; lookup at the account domain finds nothing' });
add({ name: 'Abe', domain: 'split2.example', city: 'Vienna', category: 'split-domain', expected: 'shown', description: 'clean, split domain whose WebFinger is a 301 to the web host' });
add({ name: 'Bo', domain: 'split.example', city: 'Edinburgh', category: 'split-domain', expected: 'hidden', home: { note: `<p>${tagLink('social.split.example', 'nobot')}</p>` }, remoteCopy: { note: '<p></p>' }, description: 'split domain, #nobot on the home only' });
add({ name: 'Cy', domain: 'real.example', urlHost: 'urlspoof.example', city: 'Glasgow', category: 'url-spoof', expected: 'hidden', home: { noindex: true }, description: 'acct domain real.example says noindex; the copy\'s url points to urlspoof.example, which has a clean account of that name (and WebFinger for real.example points to real.example)' });
// ---- GoToSocial -------------------------------------------------------------------------------
add({ name: 'Dee', domain: 'gts.example', city: 'Seattle', category: 'gotosocial', expected: 'shown', description: 'clean GoToSocial account (lookup 401 without token, profile page without robots meta)' });
add({ name: 'Ed', domain: 'gts.example', city: 'Denver', category: 'gotosocial', expected: 'hidden', home: { robotsNoindex: true }, description: 'GoToSocial profile page has <meta name="robots" content="noindex, nofollow">; API needs a token' });
add({ name: 'Fay', domain: 'gts.example', city: 'Austin', category: 'gotosocial', expected: 'hidden', home: { note: '<p>No maps, no bots. #nobot</p>' }, description: 'GoToSocial bio "#nobot" (copy federated)' });
// ---- snac home ---------------------------------------------------------------------------------
add({ name: 'Gus', domain: 'snac2.example', city: 'Zurich', category: 'snac-home', expected: 'shown', description: 'clean snac2 home (HTML 404 for lookup, profile page fine)' });
add({ name: 'Hu', domain: 'snac2.example', city: 'Madrid', category: 'snac-home', expected: 'hidden', home: { robotsNoindex: true }, description: 'snac2 profile page says robots noindex' });
add({ name: 'Ines', domain: 'snac2.example', city: 'Milan', category: 'snac-home', expected: 'hidden', home: { note: '<p>Writer. #nomap</p>' }, remoteCopy: { note: '<p>Writer.</p>' }, description: 'snac2 bio "#nomap" on the home only (profile page and actor), copy stale' });
// ---- Pleroma / Akkoma -------------------------------------------------------------------------
add({ name: 'Jia', domain: 'pleroma.example', city: 'Naples', category: 'pleroma', expected: 'shown', description: 'clean Pleroma account' });
add({ name: 'Kit', domain: 'pleroma.example', city: 'Istanbul', category: 'pleroma', expected: 'hidden', home: { robotsNoindex: true }, description: 'Pleroma API has no noindex; profile page has <meta content="noindex, noarchive" name="robots">' });
add({ name: 'Lou', domain: 'akkoma.example', city: 'Reykjavik', category: 'pleroma', expected: 'hidden', home: { note: '<p>hi! <a class="hashtag" data-tag="nomap" href="https://akkoma.example/tag/nomap" rel="tag ugc">#NoMap</a></p>' }, description: 'Akkoma bio "#NoMap" (Pleroma-style hashtag link)' });
add({ name: 'Max', domain: 'akkoma.example', city: 'Montevideo', category: 'pleroma', expected: 'shown', description: 'clean Akkoma account' });
// ---- Misskey ----------------------------------------------------------------------------------
add({ name: 'Ned', domain: 'misskey.example', city: 'Quito', category: 'misskey', expected: 'shown', description: 'clean Misskey account' });
add({ name: 'Ola', domain: 'misskey.example', city: 'Dakar', category: 'misskey', expected: 'hidden', home: { robotsNoindex: true }, description: 'Misskey "reject crawler indexing": robots meta on the profile page only' });
add({ name: 'Pat', domain: 'misskey.example', city: 'Kampala', category: 'misskey', expected: 'hidden', home: { note: 'Artist #nobot' }, remoteCopy: { note: '<p>Artist</p>' }, description: 'Misskey description "#nobot" (plain MFM text) on the home only' });
// ---- unreachable and slow homes -------------------------------------------------------------
add({ name: 'Ray', domain: 'down-refused.example', city: 'Auckland', category: 'unreachable', expected: 'hidden', description: 'home refuses connections: consent unknown, default policy keeps waiting' });
add({ name: 'Sue', domain: 'down-hang.example', city: 'Brisbane', category: 'unreachable', expected: 'hidden', description: 'home accepts and never answers' });
add({ name: 'Ty', domain: 'down-503.example', city: 'Marseille', category: 'unreachable', expected: 'hidden', description: 'home answers 503 maintenance (HTML) to everything' });
add({ name: 'Una', domain: 'flaky.example', city: 'Hamburg', category: 'slow-home', expected: 'shown', description: 'home answers 503 for 12 s, then clean' });
add({ name: 'Vic', domain: 'slow.example', city: 'Munich', category: 'slow-home', expected: 'shown', description: 'home answers after 3 s, clean' });
add({ name: 'Wu', domain: 'slow.example', city: 'Krakow', category: 'slow-home', expected: 'hidden', home: { noindex: true }, description: 'home answers after 3 s with noindex:true' });
// ---- same username on two homes ----------------------------------------------------------------
add({ id: 'c49a', name: 'Sam', username: 'sam_c49', displayName: 'Sam Alpha C49', domain: 'mhome1.example', city: 'Budapest', category: 'same-username', expected: 'shown', needles: ['sam_c49@mhome1.example', 'mhome1.example/@sam_c49', 'Sam Alpha C49'], description: 'sam@mhome1 is clean ...' });
add({ id: 'c49b', name: 'Sam', username: 'sam_c49', displayName: 'Sam Beta C49', domain: 'mhome2.example', city: 'Tbilisi', category: 'same-username', expected: 'hidden', home: { noindex: true }, needles: ['sam_c49@mhome2.example', 'mhome2.example/@sam_c49', 'Sam Beta C49'], description: '... while sam@mhome2 (same username) says noindex: consent is per acct, not per username' });

// ---- later: shown first, then the home says no --------------------------------------------------
const L = [
  { name: 'Ada', domain: 'mhome1.example', city: 'Yerevan', later: { home: { noindex: true } }, description: 'home turns on noindex (the copy cannot show it)' },
  { name: 'Bix', domain: 'mhome2.example', city: 'Almaty', later: { home: { note: `<p>Gone fishing ${tagLink('mhome2.example', 'nomap')}</p>` }, remoteCopy: { note: `<p>Gone fishing ${tagLink('mhome2.example', 'nomap')}</p>` } }, description: 'bio gains #nomap, federated to the copy as well' },
  { name: 'Cal', domain: 'mhome1.example', city: 'Taipei', later: { home: { note: `<p>${tagLink('mhome1.example', 'NoBot')}</p>` } }, description: 'bio gains "#NoBot" on the home only (copy stale)' },
  { name: 'Dai', domain: 'mhome1.example', city: 'Busan', later: { home: { suspended: true } }, description: 'home suspends the account' },
  { name: 'Eve', domain: 'mhome2.example', city: 'Sapporo', later: { home: { answer: 404 } }, description: 'account deleted on its home (404)' },
  { name: 'Fox', domain: 'follow1.example', city: 'Chennai', later: { home: { noindex: true } }, description: 'local of a followed instance turns on noindex' },
  { name: 'Gia', domain: 'split.example', city: 'Karachi', later: { home: { fields: [{ name: 'Search', value: `${tagLink('social.split.example', 'nosearch')}`, verified_at: null }] } }, description: 'split-domain account adds a "#nosearch" field on its web host' },
  { name: 'Hob', domain: 'pleroma.example', city: 'Lahore', later: { home: { robotsNoindex: true } }, description: 'Pleroma profile page starts saying robots noindex' },
];
let ln = 0;
for (const l of L) {
  ln++;
  add({ ...l, id: `L${String(ln).padStart(2, '0')}`, category: 'later', expected: 'removed-after-ttl' });
}

const consent = {
  about: 'Blind consent cases for issue #12. Each author posts "#YourTurn <City>" once; the post is seen on the followed instances in seenOn. "home" is the account as its home server serves it; "remoteCopy" overrides what the followed instances\' copy says (by default: the home\'s bio/fields/bot/discoverable, never noindex, never suspended). Expected: shown | hidden | removed-after-ttl (shown first, then "later" is applied on the home and the author must leave every surface after the TTL).',
  tag: 'yourturn',
  hosts,
  cases: C,
};

// ---- content warnings --------------------------------------------------------------------------
const W = [];
const wc = (o) => W.push(o);
wc({ id: 'w01', username: 'ash_w01', domain: 'follow2.example', seenOn: ['follow2.example'], city: 'Lyon', spoiler_text: 'grief', sensitive: true, body: '<p>#YourTurn Lyon. This year was hard. SECRETBODY-01</p>', description: 'plain CW, local' });
wc({ id: 'w02', username: 'bex_w02', domain: 'mhome1.example', seenOn: ['follow2.example'], city: 'Nairobi', spoiler_text: 'politics', sensitive: true, body: '<p>#YourTurn Nairobi. SECRETBODY-02 and a long rant</p>', description: 'CW, remote author with a clean Mastodon home' });
wc({ id: 'w03', username: 'cor_w03', domain: 'follow2.example', seenOn: ['follow2.example'], city: 'Osaka', spoiler_text: '', sensitive: true, body: '<p>#YourTurn Osaka. SECRETBODY-03</p>', description: 'sensitive:true with no spoiler_text' });
wc({ id: 'w04', username: 'dex_w04', domain: 'follow1.example', seenOn: ['follow1.example'], city: 'Curitiba', spoiler_text: 'long covid', sensitive: false, body: '<p>#YourTurn Curitiba. SECRETBODY-04</p>', description: 'spoiler_text with sensitive:false (as some non-Mastodon servers send)' });
wc({ id: 'w05', username: 'eon_w05', domain: 'follow2.example', seenOn: ['follow2.example'], city: 'Lagos', spoiler_text: '<b>food</b> & "drink"', sensitive: true, body: '<p>#YourTurn Lagos. SECRETBODY-05 recipes</p>', description: 'warning text with markup characters' });
wc({ id: 'w06', username: 'fen_w06', domain: 'follow2.example', seenOn: ['follow2.example'], city: 'Berlin', spoiler_text: 'link', sensitive: true, body: '<p>#YourTurn Berlin. <a href="https://blog.example/SECRETBODY-06" rel="nofollow noopener" target="_blank">my SECRETBODY-06 post</a></p>', description: 'token in a link href and text' });
wc({ id: 'w07', username: 'gem_w07', domain: 'follow2.example', seenOn: ['follow2.example'], city: 'Toronto', spoiler_text: 'poll', sensitive: true, body: '<p>#YourTurn Toronto. SECRETBODY-07 vote below</p>', poll: ['SECRETBODY-07 yes', 'no'], description: 'token in body and poll option' });
wc({ id: 'w08', username: 'hex_w08', domain: 'follow2.example', seenOn: ['follow2.example'], city: 'Melbourne', spoiler_text: 'eye contact', sensitive: true, body: '<p>#YourTurn Melbourne. SECRETBODY-08</p>', mediaAlt: 'selfie SECRETBODY-08', description: 'token in body and media alt text' });
wc({ id: 'w09', username: 'ila_w09', domain: 'follow2.example', seenOn: ['follow2.example'], city: 'Lisbon', spoiler_text: 'split token', sensitive: true, body: '<p>#YourTurn Lisbon. SECRET<span>BODY-09</span></p>', description: 'token split by a tag: only a text extraction would show it whole' });
wc({ id: 'w10', username: 'jax_w10', domain: 'mhome1.example', seenOn: ['follow1.example', 'follow2.example'], city: 'Seoul', spoiler_text: '우울 🌧', sensitive: true, body: '<p>#YourTurn Seoul. SECRETBODY-10</p>', description: 'non-Latin warning, seen on both instances' });
wc({ id: 'w11', username: 'kim_w11', domain: 'follow2.example', seenOn: ['follow2.example'], city: 'Oslo', spoiler_text: 'old news', sensitive: true, body: '<p>#YourTurn Helsinki. SECRETBODY-11</p>', newer: { city: 'Oslo', body: '<p>#YourTurn Oslo. PUBLICBODY-03</p>' }, expectPlace: 'Oslo', description: 'older post warned, newer one public: the newer is shown, the old text nowhere' });
wc({ id: 'w12', username: 'lux_w12', domain: 'follow2.example', seenOn: ['follow2.example'], city: 'Warsaw', spoiler_text: 'moving', sensitive: true, body: '<p>#YourTurn Warsaw. SECRETBODY-12</p>', older: { city: 'Montreal', body: '<p>#YourTurn Montreal. OLDPUBLIC-12</p>' }, expectPlace: 'Warsaw', description: 'older public post, newer warned: the warned one places the pin' });
wc({ id: 'w13', username: 'mir_w13', domain: 'mhome2.example', seenOn: ['follow1.example'], city: 'Bogota', spoiler_text: 'health', sensitive: true, body: '<p>#YourTurn Bogota. SECRETBODY-13</p>', description: 'remote author from an older Mastodon home' });
wc({ id: 'w14', username: 'nox_w14', domain: 'follow1.example', seenOn: ['follow1.example'], city: 'Bangkok', spoiler_text: 'long', sensitive: true, body: '<p>#YourTurn Bangkok.</p><p>More later: SECRETBODY-14</p>', description: 'token in a second paragraph' });
wc({ id: 'w15', username: 'oak_w15', domain: 'follow1.example', seenOn: ['follow1.example'], city: 'Nairobi', spoiler_text: 'CW: Paris, 2015', sensitive: true, body: '<p>#YourTurn Nairobi. SECRETBODY-15</p>', expectPlace: 'Nairobi', description: 'a city in the warning is not where the author is' });
wc({ id: 'w16', username: 'pip_w16', domain: 'follow1.example', seenOn: ['follow1.example'], city: 'Kyoto', spoiler_text: 'link card', sensitive: true, body: '<p>#YourTurn Kyoto. SECRETBODY-16 https://news.example/a</p>', card: 'SECRETBODY-16 headline', description: 'token also in the preview card title' });
wc({ id: 'w17', username: 'quo_w17', domain: 'follow1.example', seenOn: ['follow1.example'], city: 'Hanoi', spoiler_text: '', sensitive: false, body: '<p>#YourTurn Hanoi. LATERCW-17</p>', laterEdit: { spoiler_text: 'added later', sensitive: true }, token: 'LATERCW-17', description: 'public at first (token visible), then edited to add a warning: the text must leave every public answer' });
const cw = {
  about: 'Content-warning cases. Every warned body carries a unique SECRETBODY-NN token that must appear in no public answer, export, page or SSE event (checked on the raw text and on a tag-stripped copy), only in GET /api/campaigns/:tag/contributors/:acct/post. Controls carry PUBLICBODY-NN and must be visible. Authors are clean (followed-instance locals or clean Mastodon homes).',
  tag: 'yourturn',
  cases: W.map((w) => ({ ...w, token: w.token ?? w.body.match(/SECRET(?:<span>)?BODY-\d+/)[0].replace('<span>', ''), expected: 'text-hidden' })),
  controls: [
    { id: 'p01', username: 'ren_p01', domain: 'follow1.example', seenOn: ['follow1.example'], city: 'Dakar', spoiler_text: '', sensitive: false, body: '<p>#YourTurn Dakar. PUBLICBODY-01</p>', token: 'PUBLICBODY-01', expected: 'text-visible', description: 'no warning, local' },
    { id: 'p02', username: 'sol_p02', domain: 'mhome1.example', seenOn: ['follow2.example'], city: 'Accra', spoiler_text: '', sensitive: false, body: '<p>#YourTurn Accra. PUBLICBODY-02</p>', token: 'PUBLICBODY-02', expected: 'text-visible', description: 'no warning, remote' },
    { id: 'p03', ref: 'w11', username: 'kim_w11', domain: 'follow2.example', token: 'PUBLICBODY-03', expected: 'text-visible', description: 'the newer public post of w11' },
  ],
};

// ---- snac deletes ------------------------------------------------------------------------------
const snac = {
  about: 'Posts on a followed snac2-like server (no Link header, ids <unix-seconds><md5> not ordered within a second, HTML 404 for GET /api/v1/statuses?id[]=, 401 for GET /api/v1/statuses/:id without a token, no streaming). Posts with deleteLater vanish from the tag timeline after the first settle; they must leave the map within one re-check round. Each body is "#YourTurn <City>. SNACPOST-NN".',
  host: 'snac1.example',
  tag: 'yourturn',
  cases: [
    { id: 's01', username: 'tam_s01', posts: [{ key: 'a', city: 'Recife', token: 'SNACPOST-01', second: 0 }], expected: 'stays' },
    { id: 's02', username: 'uli_s02', posts: [{ key: 'a', city: 'Rosario', token: 'SNACPOST-02', second: 10, deleteLater: true }], expected: 'removed' },
    { id: 's03', username: 'vic_s03', posts: [{ key: 'a', city: 'Havana', token: 'SNACPOST-03', second: 20 }], expected: 'stays' },
    { id: 's04', username: 'wes_s04', posts: [{ key: 'a', city: 'Winnipeg', token: 'SNACPOST-04', second: 30, deleteLater: true }], expected: 'removed', description: 'same second as s05' },
    { id: 's05', username: 'xan_s05', posts: [{ key: 'a', city: 'Anchorage', token: 'SNACPOST-05', second: 30 }], expected: 'stays' },
    { id: 's06', username: 'yara_s06', posts: [{ key: 'a', city: 'Medellin', token: 'SNACPOST-06A', second: 5 }, { key: 'b', city: 'Quito', token: 'SNACPOST-06B', second: 40, deleteLater: true }], expected: 'falls-back', expectPlaceAfter: 'Medellín', description: 'newest post deleted: the person stays, back at the older post\'s city' },
    { id: 's07', username: 'zed_s07', posts: [{ key: 'a', city: 'Honolulu', token: 'SNACPOST-07', second: 40, deleteLater: true }], expected: 'removed', description: 'same second as s06b' },
  ],
};

writeFileSync(join(here, 'consent-cases.json'), JSON.stringify(consent, null, 2) + '\n');
writeFileSync(join(here, 'cw-cases.json'), JSON.stringify(cw, null, 2) + '\n');
writeFileSync(join(here, 'snac-delete-cases.json'), JSON.stringify(snac, null, 2) + '\n');
console.log(`consent: ${C.length} cases (${C.filter((c) => c.later).length} later), cw: ${cw.cases.length} + ${cw.controls.length} controls, snac: ${snac.cases.length}`);
