/**
 * Linked accounts: someone on both networks who says so on both sides (a Mastodon profile naming
 * their Bluesky account, and their Bluesky description naming their fediverse address) is one
 * person on the map. Pure: the collector computes each account's names at its boundary, the store
 * keeps them as keys and pairs accounts whose keys meet both ways, exactly as `accountsLinked` does.
 *
 * A key names one account: `b:<handle>` and `b:<did>` a Bluesky account, `f:<user@domain>` and
 * `f:<host/path>` (a profile URL without its scheme) a fediverse one, all lower case. An account's
 * `self` keys are the ways it can be named; its `claims` are the keys its own profile text names
 * as its own (a name written as someone else's, "my partner @bob…", is not a claim).
 *
 * Bridges (Bridgy Fed) mirror one account onto the other network: `user.instance.ap.brid.gy` on
 * Bluesky for `user@instance`, `handle@bsky.brid.gy` on the fediverse for a Bluesky handle. A mirror
 * and the account it mirrors are linked without any text (the bridge assigns the mirror's handle
 * under its own domain, so it cannot be forged, and it bridges only people who opted in: the mirror
 * is their own statement on both sides); a mirror is never linked with anyone else, whatever its
 * copied bio says (its text is the mirrored person's, not a second person's).
 */

import { claimsInClause, isOwnField, OTHER, TARGET } from './claim-context.js';

/** A Mastodon Account entity, as far as linking reads it (note and field values are HTML). */
export interface FediverseProfile {
  /** `user@domain`. */
  acct: string;
  /** The profile page. */
  url: string;
  /** The bio, HTML. */
  note: string;
  /** Profile fields; values are HTML. */
  fields: { name: string; value: string }[];
}

/** A Bluesky profile (`app.bsky.actor.getProfiles`), as far as linking reads it. */
export interface BlueskyProfile {
  did: string;
  handle: string;
  /** The description, plain text. */
  description: string;
}

/** The ways an account can be named, and what its own profile names. */
export interface LinkNames {
  self: string[];
  claims: string[];
}

export const linkDefaults = {
  maxText: 20_000, // characters of a bio read at most (Mastodon allows 500, Bluesky 256 graphemes)
  maxClaims: 32, // keys kept per account: a bio listing more links is not saying "this is me"
  maxJudged: 64, // names judged in their clause per text, each costing a pass over the clause
};

/** Bridgy Fed's Bluesky mirrors of fediverse accounts: `user.instance.ap.brid.gy`. */
const AP_BRIDGE = '.ap.brid.gy';
/** Bridgy Fed's fediverse mirrors of Bluesky accounts: `handle@bsky.brid.gy`. */
const BSKY_BRIDGE = 'bsky.brid.gy';
const isBridgeHost = (host: string) => host === 'brid.gy' || host.endsWith('.brid.gy');

const DID = /^did:[a-z]+:[a-z0-9._:%-]+$/;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HANDLE = new RegExp(`^(?:${LABEL}\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$`);
const ADDRESS = /^@?([a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?)@([^@/]+)$/;
/** A word starting with a label and a colon, not a scheme's `://` nor a DID's `did:`. */
const LABELLED = /^(?!did:)[^/:@.]+:(?!\/\/)(.+)$/;
const URLISH = /^(?:https?:\/\/)?([a-z0-9.-]+)(?::\d+)?(\/[^?#]*)?(?:[?#].*)?$/;

/** The Bluesky handle Bridgy Fed gives a fediverse account (handles have no underscores). */
const mirrorHandle = (user: string, domain: string) => `${user.replace(/_/g, '-')}.${domain}`;

/**
 * Text of profile HTML with every link's target beside its text: Mastodon shortens a link's text
 * with `invisible` and `ellipsis` spans, so the spans are joined back and the href kept too.
 */
function htmlWithLinks(html: string): string {
  return decode(
    html
      .slice(0, linkDefaults.maxText)
      .replace(
        /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a>/gi,
        (_, d?: string, s?: string, b?: string, inner = '') =>
          ` ${d ?? s ?? b ?? ''} ${inner.replace(/<[^>]*>/g, '')} `,
      )
      .replace(/<br\s*\/?>|<\/(?:p|li|div|h[1-6])>/gi, '\n')
      .replace(/<[^>]*>/g, ' '),
  );
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? ' ';
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });

/** The key of a profile URL: host (no `www.`) and path, lower case, without scheme, query, fragment or trailing slash. */
function urlKey(host: string, path: string | undefined): string {
  // `www.` is the same server: a profile link written with it names the same page.
  return `f:${host.replace(/^www\./, '')}${(path ?? '').replace(/\/+$/, '')}`;
}

/** The keys one word of a bio names: nothing unless the whole word is one account's name. */
function keysOf(raw: string, out: Set<string>): void {
  // Leading and trailing punctuation (brackets, a full stop, an emoji) is not part of a name.
  let word = raw.replace(/^[^a-z0-9@]+/, '').replace(/[^a-z0-9/]+$/, '');
  word = word.replace(/^at:\/\//, ''); // an at:// URI names its DID or handle
  // A label before a colon ("bsky:alice.bsky.social", "bluesky:did:plc:…") is not part of the name.
  for (let label = LABELLED.exec(word); label; label = LABELLED.exec(word)) word = label[1]!;
  const scheme = /^https?:\/\//.test(word);
  if (!scheme && /^[^/]+\/+$/.test(word)) word = word.replace(/\/+$/, ''); // "alice.bsky.social/"
  if (!word) return;
  if (DID.test(word)) {
    out.add(`b:${word}`);
    return;
  }
  const address = ADDRESS.exec(word);
  if (address) {
    const [, user, domain] = address as unknown as [string, string, string];
    if (!HANDLE.test(domain)) return;
    out.add(`f:${user}@${domain}`);
    // Naming a Bluesky account by its bridge address names that account.
    if (domain === BSKY_BRIDGE && HANDLE.test(user)) out.add(`b:${user}`);
    return;
  }
  if (scheme || word.includes('/')) {
    const url = URLISH.exec(word);
    if (!url) return;
    const host = url[1]!.replace(/\.$/, '');
    const path = url[2];
    if (!HANDLE.test(host) && host !== 'localhost') return;
    const profile = /^\/profile\/([^/]+)\/*$/.exec(path ?? '');
    if ((host === 'bsky.app' || host === 'www.bsky.app') && profile) {
      let id = profile[1]!;
      try {
        id = decodeURIComponent(id).toLowerCase();
      } catch {
        return;
      }
      id = id.replace(/^@/, '');
      if (DID.test(id) || HANDLE.test(id)) out.add(`b:${id}`);
      return;
    }
    // Another client's `/profile/<did>`, a bridge's `/ap/<did>`: a whole DID segment names it.
    for (const segment of (path ?? '').split('/')) if (DID.test(segment)) out.add(`b:${segment}`);
    if (path && path !== '/') out.add(urlKey(host, path));
    return;
  }
  const handle = word.replace(/^@/, '');
  if (!HANDLE.test(handle)) return;
  out.add(`b:${handle}`);
  // Naming a fediverse account's Bluesky mirror names that account.
  if (handle.endsWith(AP_BRIDGE)) out.add(`f~mirror:${handle.slice(0, -AP_BRIDGE.length)}`);
}

/** Handles a Bluesky host hands out: bare, they cannot be a website of the author's. */
const HOSTED = /\.(?:bsky\.social|bsky\.team|brid\.gy)$/;
/** Words that say the next name is a Bluesky account. */
export const BLUESKY_MARKER =
  /bluesky|bsky|🦋|butterfly|atproto|at\s+protocol|ブルスカ|ブルースカイ/iu;

/** What separates words: spaces, brackets, quotes, general and CJK punctuation, full-width `：（），`. */
const SEPARATORS =
  '\\s,;()[\\]{}<>"\'`|\\\\\\u00a0\\u00b7\\u2000-\\u206f\\u3000-\\u303f\\uff01\\uff08\\uff09\\uff0c\\uff1a\\uff1b\\uff1f';
const WORD = new RegExp(`[^${SEPARATORS}]+`, 'g');

/** Every key a text names, each at most once, in order of appearance, whoever's account it is. */
export function namesIn(text: string): string[] {
  const out = new Set<string>();
  for (const [word] of text.slice(0, linkDefaults.maxText).toLowerCase().matchAll(WORD)) {
    keysOf(word, out);
    if (out.size >= linkDefaults.maxClaims) break;
  }
  return [...out].slice(0, linkDefaults.maxClaims);
}

/**
 * A bio's clauses: its lines, cut at sentence ends and at `|` `•` `·` `;`, never at commas (so
 * "my partner, @bob" stays one clause). A `.` inside a name (`alice.bsky.social`) is not an end;
 * a line ending in `:` labels the next one ("My partner:⏎@bob"), so they are one clause.
 */
const clausesOf = (text: string) =>
  text.replace(/[:：→]\s*\n/g, ': ').split(/\n|[.!?…](?=\s|$)|[;|•·。！？；]/u);

/**
 * The keys a text *claims*: the names it writes as the author's own account or neutrally, not those
 * it writes as someone else's (see `claim-context.ts`). In each clause every name and link is
 * masked, and each name judged in its clause. A bare custom domain (`sam.wtf`, no `@`, no
 * bsky.app link) is most often a website, so it names a Bluesky handle only after a Bluesky marker
 * in its clause ("🦋 sam.wtf", "bsky: sam.wtf") or in a field labelled so (`labelled`).
 */
export function claimsIn(text: string, labelled = false): string[] {
  const out = new Set<string>();
  let judged = 0;
  const lower = text
    .slice(0, linkDefaults.maxText)
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'");
  for (const clause of clausesOf(lower)) {
    const words = [...clause.matchAll(WORD)].map((m) => {
      const keys = new Set<string>();
      keysOf(m[0], keys);
      // Any name or link is masked, so words inside it ("by" in a path) are not read as cues.
      const masked = keys.size > 0 || /[\p{L}\p{N}][./@:][\p{L}\p{N}]{2}/u.test(m[0]);
      return { at: m.index, end: m.index + m[0].length, keys, masked };
    });
    const mask = (target: number) => {
      let s = '';
      let from = 0;
      words.forEach((w, i) => {
        if (!w.masked) return;
        s += clause.slice(from, w.at) + (i === target ? TARGET : OTHER);
        from = w.end;
      });
      return s + clause.slice(from);
    };
    words.forEach((w, i) => {
      if (w.keys.size === 0 || judged++ >= linkDefaults.maxJudged) return;
      const masked = mask(i);
      if (!claimsInClause(masked)) return;
      const word = clause.slice(w.at, w.end);
      for (const k of w.keys) {
        const handle = k.slice(2);
        const website =
          k.startsWith('b:') &&
          !handle.startsWith('did:') &&
          !HOSTED.test(handle) &&
          !/[@/]/.test(word);
        const marked =
          labelled ||
          BLUESKY_MARKER.test(masked.slice(0, masked.indexOf(TARGET)) + word.replace(handle, ' '));
        if (!website || marked) out.add(k);
      }
    });
    if (out.size >= linkDefaults.maxClaims || judged >= linkDefaults.maxJudged) break;
  }
  return [...out].slice(0, linkDefaults.maxClaims);
}

/** A fediverse account's names: how it is named (address, profile URLs) and what its bio and fields name. */
export function fediverseNames(f: FediverseProfile): LinkNames {
  let acct = f.acct.toLowerCase().replace(/^@/, '');
  // A bare username (an instance's own user, as its API writes it) lives on the profile's host.
  if (!acct.includes('@')) acct += `@${URLISH.exec(f.url.toLowerCase())?.[1] ?? ''}`;
  const at = acct.lastIndexOf('@');
  const user = acct.slice(0, at);
  const domain = acct.slice(at + 1);
  // The address, and the profile page in every server's URL shape (Mastodon and Misskey `/@u`,
  // Pixelfed `/u`, the ActivityPub id `/users/u`, Friendica `/profile/u`), on the address's domain
  // and on the profile's web host when it differs (`sam@example.com` at `social.example.com`).
  const self = new Set<string>([`f:${acct}`]);
  const pages = (host: string, name: string) => {
    for (const shape of ['@', '', 'users/', 'profile/']) self.add(urlKey(host, `/${shape}${name}`));
  };
  pages(domain, user);
  self.add(`f~mirror:${mirrorHandle(user, domain)}`);
  const url = URLISH.exec(f.url.toLowerCase());
  if (url?.[2] && /^https?:\/\//i.test(f.url)) {
    self.add(urlKey(url[1]!, url[2]));
    const local = /^\/(?:@|users\/|profile\/|u\/)?([^/@]+)\/*$/.exec(url[2]);
    if (local && (local[1] === user || url[2].startsWith('/@'))) {
      self.add(`f:${local[1]}@${url[1]}`);
      pages(url[1]!, local[1]!);
    }
  }
  // A mirror names only the Bluesky account it mirrors.
  if (isBridgeHost(domain))
    return { self: [...self], claims: domain === BSKY_BRIDGE ? [`b:${user}`] : [] };
  // The note, and the values of the fields the author names as their own links (not "Partner").
  const claims = claimsIn(htmlWithLinks(f.note));
  for (const field of f.fields) {
    const name = htmlWithLinks(field.name);
    if (isOwnField(name))
      claims.push(...claimsIn(htmlWithLinks(field.value), BLUESKY_MARKER.test(name)));
  }
  const bluesky = [...new Set(claims)].filter((k) => k.startsWith('b:'));
  bluesky.splice(linkDefaults.maxClaims);
  bluesky.push(`b:${mirrorHandle(user, domain)}${AP_BRIDGE}`);
  return { self: [...self], claims: bluesky };
}

/** A Bluesky account's names: its handle and DID, and the fediverse accounts its description names. */
export function blueskyNames(b: BlueskyProfile): LinkNames {
  const handle = b.handle.toLowerCase();
  const self = [`b:${b.did.toLowerCase()}`];
  // The AppView serves `handle.invalid` for a handle that no longer verifies: only the DID names them.
  const valid = HANDLE.test(handle) && handle !== 'handle.invalid';
  if (valid) self.push(`b:${handle}`);
  if (valid && handle.endsWith('.brid.gy'))
    return {
      self,
      claims: handle.endsWith(AP_BRIDGE) ? [`f~mirror:${handle.slice(0, -AP_BRIDGE.length)}`] : [],
    };
  const claims = claimsIn(b.description).filter((k) => k.startsWith('f'));
  if (valid) claims.push(`f:${handle}@${BSKY_BRIDGE}`);
  return { self, claims };
}

/** Does `claims` name any of `self`? */
const names = (claims: string[], self: string[]) => claims.some((k) => self.includes(k));

/** Are two accounts' names linked both ways? What the store checks, from the keys it keeps. */
export function namesLinked(fediverse: LinkNames, bluesky: LinkNames): boolean {
  return names(fediverse.claims, bluesky.self) && names(bluesky.claims, fediverse.self);
}

/**
 * True only when both sides say so: the fediverse profile (a field value or the note) names this
 * Bluesky account (handle with or without @, a `bsky.app/profile/<handle or did>` link, the DID),
 * and the Bluesky description names this fediverse account (`@user@domain`, `user@domain`, the
 * profile URL, `https://domain/@user`). Whole names only, case-insensitive; trailing punctuation,
 * slashes, queries and fragments are ignored. A bridge mirror is linked with what it mirrors only.
 * A name counts only when written as the author's own account, not as someone else's ("my partner
 * @bob…", "avatar by…", "NOT me", a field named Partner): see `claimsIn` and `claim-context.ts`.
 */
export function accountsLinked(
  fediverse: { acct: string; url: string; note: string; fields: { name: string; value: string }[] },
  bluesky: { did: string; handle: string; description: string },
): boolean {
  return namesLinked(fediverseNames(fediverse), blueskyNames(bluesky));
}
