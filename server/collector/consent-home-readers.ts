import type { ConsentRow } from '../store/consent-store.js';
import { homeOf } from '../store/consent-store.js';
import { accountRefusal, hasOptOutTag, type ConsentRefusal } from './consent.js';
import {
  HomeUnavailable,
  jsonOf,
  safeUrl,
  type HomeGet,
  type HomeState,
} from './consent-home-http.js';
import type { HomeKind } from './consent-home-kind.js';
import { parseAccount } from './normalize.js';
import { htmlToText } from '../text/sanitize.js';

/** Why a home said no: the account's own signals, or the account is gone (404/410). */
export type HomeRefusal = ConsentRefusal | 'gone';

/** What a home said about one author. */
export type Outcome =
  { state: 'known'; reason: string } | { state: 'refused'; reason: HomeRefusal };

export interface HomeReadersOptions {
  get: HomeGet;
  kindOf(h: HomeState, host: string, signal: AbortSignal): Promise<HomeKind>;
  /** Also require `discoverable !== false`, as for the delivered copy. */
  strict: boolean;
}

/**
 * Reads one author's consent from their home, the way its software tells it: WebFinger for a split
 * domain, the accounts lookup API (Mastodon's `noindex`), and the profile page's robots meta
 * (GoToSocial, Pleroma, snac and anything unknown). docs/consent.md.
 */
export function createHomeReaders(options: HomeReadersOptions) {
  const { get, kindOf, strict } = options;

  /** Split domain: the account domain's WebFinger names the host that serves the account. */
  async function webHostOf(
    h: HomeState,
    user: string,
    domain: string,
    signal: AbortSignal,
  ): Promise<{ host: string; profile: string | null }> {
    const resource = encodeURIComponent(`acct:${user}@${domain}`);
    const res = await get(
      h,
      domain,
      `/.well-known/webfinger?resource=${resource}`,
      'application/jrd+json, application/json',
      signal,
    );
    if (res.status === 404 || res.status === 410) return { host: '', profile: null };
    const jrd = jsonOf(res.body) as {
      links?: { rel?: unknown; type?: unknown; href?: unknown }[];
    } | null;
    if (res.status !== 200 || !jrd || !Array.isArray(jrd.links))
      throw new HomeUnavailable(
        `${domain}: WebFinger for ${user}@${domain} answered HTTP ${res.status} without links`,
      );
    const self = jrd.links.find((l) => l?.rel === 'self' && typeof l.href === 'string');
    const page = jrd.links.find(
      (l) => l?.rel === 'http://webfinger.net/rel/profile-page' && typeof l.href === 'string',
    );
    if (!self)
      throw new HomeUnavailable(`${domain}: WebFinger for ${user}@${domain} names no actor`);
    return {
      host: new URL(self.href as string).host.toLowerCase(),
      profile: (page?.href as string | undefined) ?? null,
    };
  }

  /** `GET /api/v1/accounts/lookup` on the home; null when the home has no such endpoint for us. */
  async function lookup(
    h: HomeState,
    host: string,
    user: string,
    domain: string,
    signal: AbortSignal,
  ): Promise<Outcome | null> {
    const res = await get(
      h,
      host,
      `/api/v1/accounts/lookup?acct=${encodeURIComponent(`${user}@${domain}`)}`,
      'application/json',
      signal,
    );
    const json = jsonOf(res.body);
    if ((res.status === 404 || res.status === 410) && json)
      return { state: 'refused', reason: 'gone' };
    if (res.status !== 200) return null; // an HTML 404, 401/403 (a token wanted), 405, 501: read the page instead
    const raw = json as { acct?: unknown; username?: unknown } | null;
    // Only the home's own copy counts: a copy of a remote account (acct with a domain) has no noindex.
    if (!raw || typeof raw.acct !== 'string' || raw.acct.includes('@'))
      throw new HomeUnavailable(
        `${host} answered for ${user}@${domain} with a copy from elsewhere: it is not the account's home`,
      );
    if (typeof raw.username === 'string' && raw.username.toLowerCase() !== user.toLowerCase())
      throw new HomeUnavailable(`${host} answered for ${user}@${domain} with another account`);
    const account = parseAccount(json, { domain });
    if (!account)
      throw new HomeUnavailable(`${host}: the lookup of ${user}@${domain} is not an Account`);
    const refusal = accountRefusal(account, { strict: strict });
    return refusal ? { state: 'refused', reason: refusal } : { state: 'known', reason: 'lookup' };
  }

  /** The profile page: `<meta name="robots" content="noindex">` and opt-out tags in its description. */
  async function profilePage(
    h: HomeState,
    host: string,
    pageUrl: string | null,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const url = pageUrl ? safeUrl(pageUrl) : null;
    if (!url || url.host.toLowerCase() !== host)
      throw new HomeUnavailable(`${host}: no profile page of the account on its home to read`);
    const res = await get(h, host, url.pathname + url.search, 'text/html', signal);
    if (res.status === 404 || res.status === 410) return { state: 'refused', reason: 'gone' };
    if (res.status !== 200 || !/html/i.test(res.contentType))
      throw new HomeUnavailable(
        `${host}: the profile page answered HTTP ${res.status} ${res.contentType}`,
      );
    const meta = readMeta(res.body);
    if (meta.robots.some((c) => /(^|[\s,])(noindex|none)([\s,]|$)/i.test(c)))
      return { state: 'refused', reason: 'noindex' };
    if (meta.descriptions.some(hasOptOutTag)) return { state: 'refused', reason: 'opt-out-tag' };
    return { state: 'known', reason: 'profile-page' };
  }

  async function askHome(row: ConsentRow, h: HomeState, signal: AbortSignal): Promise<Outcome> {
    const at = row.acct.lastIndexOf('@');
    const user = row.acct.slice(0, at);
    const domain = homeOf(row.acct);
    let host = domain;
    let page: string | null = row.profileUrl || null;
    const urlHost = page ? (safeUrl(page)?.host.toLowerCase() ?? '') : '';
    if (urlHost && urlHost !== domain) {
      const found = await webHostOf(h, user, domain, signal);
      if (!found.host) return { state: 'refused', reason: 'gone' };
      host = found.host;
      if (found.profile && safeUrl(found.profile)?.host.toLowerCase() === host)
        page = found.profile;
    }
    const kind = await kindOf(h, host, signal);
    if (kind === 'mastodon' || kind === 'gotosocial' || kind === 'pleroma' || kind === 'unknown') {
      const answer = await lookup(h, host, user, domain, signal);
      if (answer?.state === 'refused' || (answer && kind === 'mastodon')) return answer;
      // GoToSocial and Pleroma carry no noindex in the API: their page's robots meta says it.
      if (answer && page && safeUrl(page)?.host.toLowerCase() === host) {
        try {
          return await profilePage(h, host, page, signal);
        } catch {
          return answer;
        }
      }
      if (answer) return answer;
    }
    return profilePage(h, host, page, signal);
  }

  return askHome;
}

/** `content` of every robots meta and of the description metas (the bio on Mastodon, snac, GoToSocial). */
export function readMeta(html: string): { robots: string[]; descriptions: string[] } {
  const robots: string[] = [];
  const descriptions: string[] = [];
  const head = html.slice(0, 256 * 1024);
  for (const [tag] of head.matchAll(/<meta\b[^>]*>/gi)) {
    const attr = (name: string) => {
      const m = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(tag);
      return m ? (m[2] ?? m[3] ?? m[4] ?? '') : null;
    };
    const key = (attr('name') ?? attr('property') ?? '').toLowerCase();
    const content = attr('content');
    if (content === null) continue;
    if (key === 'robots') robots.push(content);
    else if (key === 'description' || key === 'og:description')
      descriptions.push(htmlToText(`<p>${content}</p>`));
  }
  return { robots, descriptions };
}
