import type { Logger } from 'pino';
import type { ConsentStatus } from '../../shared/types.js';
import type { Clock } from '../clock.js';
import { homeOf, type ConsentRow, type ConsentStore } from '../store/consent-store.js';
import { accountRefusal, hasOptOutTag, type ConsentRefusal } from './consent.js';
import type { HostResolver } from './host-resolver.js';
import { parseAccount } from './normalize.js';
import { htmlToText } from '../text/sanitize.js';

/** What to do with an author whose home stays unreachable past `unreachableMs`. */
export type UnreachablePolicy = 'wait' | 'show';

/** Why a home said no: the account's own signals, or the account is gone (404/410). */
export type HomeRefusal = ConsentRefusal | 'gone';

/** The server software of a home, told by `/api/v1/instance` or NodeInfo (docs/consent.md). */
export type HomeKind = 'mastodon' | 'gotosocial' | 'pleroma' | 'snac' | 'misskey' | 'unknown';

export interface ConsentTuning {
  ttlMs: number;
  unreachableMs: number;
  unreachablePolicy: UnreachablePolicy;
  paceMs: number;
  concurrency: number;
  timeoutMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  scanLimit: number;
}

export const consentDefaults: ConsentTuning = {
  ttlMs: 24 * 3600_000, // an answer is trusted a day: a later noindex or #nomap leaves within 24 h
  unreachableMs: 6 * 3600_000, // a home down this long is "unreachable" (status, and the show policy)
  unreachablePolicy: 'wait', // nobody is shown before their home says yes (docs/decisions.md)
  paceMs: 2_000, // at least 2 s between two requests to one home: ≤ 1,800 an hour, far inside 300 / 5 min
  concurrency: 4, // at most 4 requests in flight over all homes
  timeoutMs: 15_000, // the same deadline as an instance request
  minBackoffMs: 60_000, // a failing home is tried again after 1 min, 2, 4…
  maxBackoffMs: 3600_000, // …at most every hour
  scanLimit: 1000, // due rows looked at per scheduling pass
};

export interface ConsentCheckerOptions {
  consent: ConsentStore;
  resolver: HostResolver;
  userAgent: string;
  log: Logger;
  clock: Clock;
  random?: () => number;
  fetch?: typeof fetch;
  /** Also require `discoverable !== false`, as for the delivered copy. */
  strict: boolean;
  tuning?: Partial<ConsentTuning>;
  /** The home said yes (or the show policy applies): publish what waits. */
  onKnown(acct: string): void;
  /** The home said no: forget the account everywhere. */
  onRefused(acct: string, reason: HomeRefusal): void;
}

/** No answer from a home this time: network, timeout, 429, 5xx, no address. */
class HomeUnavailable extends Error {
  override name = 'HomeUnavailable';
  constructor(
    message: string,
    /** The home asked us to wait this long (429 Retry-After / X-RateLimit-Reset). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

interface HomeState {
  busy: boolean;
  /** No request to this home before (ms): the pace, or a backoff. */
  nextAt: number;
  lastRequestAt: number;
  backoffMs: number;
  failures: number;
  lastError: string | null;
}

type Outcome = { state: 'known'; reason: string } | { state: 'refused'; reason: HomeRefusal };

const MAX_JSON = 512 * 1024;
const MAX_HTML = 1024 * 1024;

export type ConsentChecker = ReturnType<typeof createConsentChecker>;

/**
 * Asks each author's home server whether they may be shown, and asks again every TTL. One queue per
 * home (its own pace and backoff), a few requests in flight overall. docs/consent.md.
 */
export function createConsentChecker(options: ConsentCheckerOptions) {
  const tuning = { ...consentDefaults, ...options.tuning };
  const { consent, resolver, clock, log } = options;
  const random = options.random ?? Math.random;
  const doFetch = options.fetch ?? fetch;
  const homes = new Map<string, HomeState>();
  const kinds = new Map<string, { kind: HomeKind; at: number }>();
  const inFlight = new Set<Promise<void>>();
  let wakeUp: AbortController | null = null;
  const saidUnreachable = new Set<string>();

  const homeState = (home: string): HomeState => {
    let h = homes.get(home);
    if (!h) {
      h = {
        busy: false,
        nextAt: 0,
        lastRequestAt: -Infinity,
        backoffMs: 0,
        failures: 0,
        lastError: null,
      };
      homes.set(home, h);
    }
    return h;
  };

  function wake(): void {
    wakeUp?.abort();
  }

  /** One GET to `host` at this home's pace, following redirects through the resolver. */
  async function get(
    h: HomeState,
    host: string,
    path: string,
    accept: string,
    signal: AbortSignal,
  ): Promise<{ status: number; contentType: string; body: string; host: string }> {
    for (let hop = 0; hop < 4; hop++) {
      const origin = resolver.resolve(host);
      if (!origin)
        throw new HomeUnavailable(
          `${host} is a reserved name with no --resolve entry: never looked up on the network`,
        );
      const wait = h.lastRequestAt + tuning.paceMs - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
      if (signal.aborted) throw new HomeUnavailable('stopped');
      h.lastRequestAt = clock.now();
      let res: Response;
      try {
        res = await doFetch(origin + path, {
          headers: { 'User-Agent': options.userAgent, Accept: accept },
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(tuning.timeoutMs)]),
        });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        throw new HomeUnavailable(
          e.name === 'TimeoutError'
            ? `${host}: no answer in ${tuning.timeoutMs / 1000} s`
            : `${host}: ${e.cause?.code ?? e.message}`,
        );
      }
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel();
        const next = new URL(res.headers.get('location')!, `https://${host}${path}`);
        host = next.host;
        path = next.pathname + next.search;
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel();
        throw new HomeUnavailable(
          `${host}${path.split('?')[0]}: HTTP ${res.status}`,
          retryAfter(res),
        );
      }
      const body = await readCapped(res, accept.includes('html') ? MAX_HTML : MAX_JSON);
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, host };
    }
    throw new HomeUnavailable(`${host}${path}: too many redirects`);
  }

  function retryAfter(res: Response): number | null {
    const seconds = Number(res.headers.get('retry-after'));
    if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
    const reset = Date.parse(res.headers.get('x-ratelimit-reset') ?? '');
    return Number.isNaN(reset) ? null : Math.max(0, reset - clock.now());
  }

  /** The home's software, from /api/v1/instance or else NodeInfo; kept for a TTL. */
  async function kindOf(h: HomeState, host: string, signal: AbortSignal): Promise<HomeKind> {
    const cached = kinds.get(host);
    if (cached && clock.now() - cached.at < tuning.ttlMs) return cached.kind;
    let kind: HomeKind = 'unknown';
    const instance = await get(h, host, '/api/v1/instance', 'application/json', signal);
    const version =
      instance.status === 200 ? (jsonOf(instance.body) as { version?: unknown })?.version : null;
    if (typeof version === 'string') kind = kindOfVersion(version);
    if (kind === 'unknown') {
      const index = await get(h, host, '/.well-known/nodeinfo', 'application/json', signal);
      const links = (jsonOf(index.body) as { links?: { href?: unknown }[] } | null)?.links;
      const href = Array.isArray(links)
        ? links
            .map((l) => l?.href)
            .filter((x) => typeof x === 'string')
            .pop()
        : null;
      if (index.status === 200 && typeof href === 'string') {
        const url = new URL(href, `https://${host}`);
        // Only the home itself is asked: a link elsewhere is read on the home's host.
        const doc = await get(h, host, url.pathname + url.search, 'application/json', signal);
        const name = (jsonOf(doc.body) as { software?: { name?: unknown } } | null)?.software?.name;
        if (typeof name === 'string') kind = kindOfSoftware(name);
      }
    }
    kinds.set(host, { kind, at: clock.now() });
    return kind;
  }

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
    const refusal = accountRefusal(account, { strict: options.strict });
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

  function backoff(h: HomeState, err: HomeUnavailable): number {
    h.failures++;
    h.backoffMs = Math.min(
      tuning.maxBackoffMs,
      h.backoffMs ? h.backoffMs * 2 : tuning.minBackoffMs,
    );
    const wait = Math.max(err.retryAfterMs ?? 0, h.backoffMs * (0.5 + random()));
    return wait;
  }

  async function check(row: ConsentRow, h: HomeState, signal: AbortSignal): Promise<void> {
    const home = homeOf(row.acct);
    let outcome: Outcome;
    try {
      outcome = await askHome(row, h, signal);
    } catch (err) {
      if (signal.aborted) return;
      const e = err instanceof HomeUnavailable ? err : new HomeUnavailable((err as Error).message);
      const now = clock.now();
      const until = now + backoff(h, e);
      h.nextAt = until;
      h.lastError = e.message;
      consent.fail(row.acct, e.message, until);
      consent.deferHome(home, until);
      if (h.failures === 1)
        log.warn(
          `cannot ask ${home} about consent: ${e.message}; its authors wait (retrying in ${Math.round((until - now) / 1000)} s)`,
        );
      const waited = now - row.firstSeenAt;
      if (row.state === 'unknown' && waited >= tuning.unreachableMs) {
        if (!saidUnreachable.has(home)) {
          saidUnreachable.add(home);
          log.warn(
            tuning.unreachablePolicy === 'show'
              ? `${home} has not answered for ${Math.round(waited / 60_000)} min: showing its authors (--consent-unreachable show)`
              : `${home} has not answered for ${Math.round(waited / 60_000)} min: its authors stay off the map until it does`,
          );
        }
        if (tuning.unreachablePolicy === 'show') {
          consent.decide(row.acct, 'known', 'unreachable', now, until);
          options.onKnown(row.acct);
        }
      }
      return;
    }
    const now = clock.now();
    if (h.failures > 0) log.info(`${home} answers consent look-ups again`);
    h.failures = 0;
    h.backoffMs = 0;
    h.lastError = null;
    saidUnreachable.delete(home);
    consent.decide(row.acct, outcome.state, outcome.reason, now, now + tuning.ttlMs);
    if (outcome.state === 'known') {
      if (row.state !== 'known' || consent.hasPending(row.acct)) options.onKnown(row.acct);
    } else {
      if (row.state !== 'refused')
        log.info(`${row.acct} is kept off the map: their home says ${outcome.reason}`);
      options.onRefused(row.acct, outcome.reason);
    }
  }

  return {
    /** Answer from the home's own copy (a followed instance's local account): no look-up needed. */
    recordHomeCopy(acct: string, refusal: ConsentRefusal | null, profileUrl: string): void {
      const now = clock.now();
      consent.decide(
        acct,
        refusal ? 'refused' : 'known',
        refusal ?? 'home-copy',
        now,
        now + tuning.ttlMs,
        profileUrl,
      );
    },

    /** Make sure an author will be asked; wakes the scheduler for a new one. */
    ask(acct: string, profileUrl: string): void {
      const before = consent.state(acct);
      consent.ask(acct, profileUrl, clock.now());
      if (before === null) wake();
    },

    /** Run until `signal` aborts: ask due authors, at most `concurrency` at a time, one per home. */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        // Made before the scan, so a task that ends during it still wakes the sleep below.
        const controller = new AbortController();
        wakeUp = controller;
        const now = clock.now();
        let soonest = now + 1000;
        if (inFlight.size < tuning.concurrency) {
          for (const row of consent.due(now, tuning.scanLimit)) {
            if (inFlight.size >= tuning.concurrency) break;
            const h = homeState(homeOf(row.acct));
            if (h.busy) continue;
            if (h.nextAt > now) {
              soonest = Math.min(soonest, h.nextAt);
              continue;
            }
            h.busy = true;
            const task: Promise<void> = check(row, h, signal)
              .catch((err: unknown) =>
                log.error(
                  { err },
                  `consent check of ${row.acct} failed: ${(err as Error).message}`,
                ),
              )
              .finally(() => {
                h.busy = false;
                h.nextAt = Math.max(h.nextAt, h.lastRequestAt + tuning.paceMs);
                inFlight.delete(task);
                wake();
              });
            inFlight.add(task);
          }
        }
        const nextDue = consent.nextDue();
        if (nextDue !== null && nextDue > now) soonest = Math.min(soonest, nextDue);
        const onAbort = () => controller.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        await clock.sleep(Math.max(1, soonest - clock.now()), controller.signal);
        signal.removeEventListener('abort', onAbort);
      }
      await Promise.allSettled([...inFlight]);
    },

    status(): ConsentStatus {
      const counts = consent.counts();
      const now = clock.now();
      const waiting = consent.waitingByHome();
      return {
        unreachablePolicy: tuning.unreachablePolicy,
        ttlMs: tuning.ttlMs,
        unreachableAfterMs: tuning.unreachableMs,
        known: counts.known,
        refused: counts.refused,
        waiting: counts.unknown,
        unreachable: consent.waitingSince(now - tuning.unreachableMs),
        waitingPosts: consent.pendingCount(),
        homes: waiting.map((w) => {
          const h = homes.get(w.home);
          return {
            home: w.home,
            waiting: w.authors,
            since: new Date(w.since).toISOString(),
            failures: Math.max(w.failures, h?.failures ?? 0),
            lastError: h?.lastError ?? w.lastError,
            nextAttemptAt: h && h.nextAt > now ? new Date(h.nextAt).toISOString() : null,
          };
        }),
      };
    },
  };
}

/** "4.3.0", "0.17.0 git-…", "2.7.2 (compatible; Pleroma 2.5.0)", "4.0.0 (not true; really snac 2.78)". */
export function kindOfVersion(version: string): HomeKind {
  if (/pleroma|akkoma/i.test(version)) return 'pleroma';
  if (/snac/i.test(version)) return 'snac';
  if (/gotosocial|\bgit-/i.test(version) || /^0\.\d+\.\d+/.test(version)) return 'gotosocial';
  if (/misskey|sharkey|firefish|iceshrimp|calckey|foundkey|catodon/i.test(version))
    return 'misskey';
  if (/^\d+\.\d+\.\d+/.test(version)) return 'mastodon';
  return 'unknown';
}

/** NodeInfo `software.name` → kind. */
export function kindOfSoftware(name: string): HomeKind {
  const n = name.toLowerCase();
  if (n === 'mastodon' || n === 'hometown' || n === 'glitch-soc') return 'mastodon';
  if (n === 'gotosocial') return 'gotosocial';
  if (n === 'pleroma' || n === 'akkoma') return 'pleroma';
  if (n === 'snac' || n === 'snac2') return 'snac';
  if (/misskey|sharkey|firefish|iceshrimp|calckey|foundkey|catodon|cherrypick/.test(n))
    return 'misskey';
  return 'unknown';
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

function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

function safeUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
