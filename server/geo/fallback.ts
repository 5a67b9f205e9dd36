import NodeGeocoder from 'node-geocoder';
import type Database from 'better-sqlite3';
import type { Place } from '../../shared/types.js';
import { LOCATIVE, NOT_HOME } from './cues.js';
import { extract } from './extract.js';
import { foldName } from './fold.js';
import { toPublicPlace, type Gazetteer } from './gazetteer.js';
import type { LocateInput, Located, Locator } from './types.js';

/** Options for createOnlineFallback. */
export interface OnlineFallbackOptions {
  /** Nominatim base URL, e.g. "https://nominatim.openstreetmap.org". */
  serverUrl: string;
  /** Identifies this deployment with a contact (Nominatim's usage policy requires it). */
  userAgent: string;
  /** Holds the answer cache: a database opened by the store's openDb (migration 8 made geocode_cache). */
  db: Database.Database;
  /** At most one request per this many ms (Nominatim allows 1/s). */
  minIntervalMs?: number;
  fetch?: typeof globalThis.fetch;
  /** When given, answers snap to the nearest gazetteer town so ids stay GeoNames ids. */
  gazetteer?: Gazetteer;
  /** Preferred answer language (Nominatim `accept-language`). */
  language?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Geocoding of what the gazetteer could not resolve, through Nominatim. */
export interface OnlineFallback {
  /** The populated place a free-text name refers to, or null (also when rate-limited). Never throws. */
  geocode(text: string): Promise<Place | null>;
  /** Epoch ms before which no request is sent because the server said 429/503. */
  readonly blockedUntil: number;
}

const defaults = {
  minIntervalMs: 1000, // Nominatim usage policy: an absolute maximum of 1 request per second
  backoffMs: 60_000, // after a 429 without Retry-After
  maxBackoffMs: 60 * 60_000, // repeated 429s double the wait up to this
  snapKm: 30, // a Nominatim point this close to a gazetteer town is that town
};

/** Carries the HTTP status through node-geocoder, which keeps only `code` from a thrown error. */
class HttpStatusError extends Error {
  constructor(
    readonly code: number,
    readonly retryAfterMs: number | null,
  ) {
    super(`geocoder answered HTTP ${code}`);
  }
}

interface OsmResult {
  latitude?: number;
  longitude?: number;
  countryCode?: string;
  city?: string;
  state?: string;
}

/** Cache table (made by migration 8): one row per folded query; a miss is cached too, so it is asked once. */
function prepareCache(db: Database.Database) {
  return {
    get: db.prepare('SELECT answer FROM geocode_cache WHERE query = ? AND server = ?'),
    put: db.prepare(
      'INSERT INTO geocode_cache (query, server, answer, fetched_at) VALUES (?, ?, ?, ?) ON CONFLICT(query) DO UPDATE SET server = excluded.server, answer = excluded.answer, fetched_at = excluded.fetched_at',
    ),
  };
}

/** Nominatim through node-geocoder, rate-limited, cached, with our User-Agent and 429 back-off. */
export function createOnlineFallback(opts: OnlineFallbackOptions): OnlineFallback {
  const serverUrl = opts.serverUrl.replace(/\/+$/, '');
  const minIntervalMs = opts.minIntervalMs ?? defaults.minIntervalMs;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const baseFetch = opts.fetch ?? globalThis.fetch;
  const cache = prepareCache(opts.db);
  let blockedUntil = 0;
  let backoffMs = defaults.backoffMs;
  let nextSlot = 0;
  // node-geocoder rewraps thrown errors keeping only message and code, so Retry-After travels here.
  let retryAfterMs: number | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  // node-geocoder 4.4.1 sends a fake Firefox User-Agent and drops the status of non-JSON errors;
  // this fetch replaces the one, and throws the other where its adapter keeps it (`code`).
  const ourFetch = async (
    url: string,
    init: { headers?: Record<string, string> } = {},
  ): Promise<Response> => {
    const res = await baseFetch(url, {
      headers: { ...init.headers, 'user-agent': opts.userAgent, accept: 'application/json' },
    });
    if (res.status === 429 || res.status === 503) {
      const retry = Number(res.headers.get('retry-after'));
      retryAfterMs = Number.isFinite(retry) && retry > 0 ? retry * 1000 : null;
      throw new HttpStatusError(res.status, retryAfterMs);
    }
    if (!res.ok) throw new HttpStatusError(res.status, null);
    return res;
  };
  const geocoder = NodeGeocoder({
    provider: 'openstreetmap',
    osmServer: serverUrl,
    language: opts.language,
    fetch: ourFetch as unknown as NodeGeocoder.Options['fetch'],
  } as NodeGeocoder.Options);
  // node-geocoder 4.4.1 stores the server on the provider's prototype, so the last instance created
  // wins for all of them; an own property on this instance cannot be overwritten by another one.
  const provider = (
    geocoder as unknown as { _geocoder: { _endpoint: string; _endpoint_reverse: string } }
  )._geocoder;
  provider._endpoint = `${serverUrl}/search`;
  provider._endpoint_reverse = `${serverUrl}/reverse`;

  const toPlace = (
    r: OsmResult,
    raw: { place_id?: number | string; name?: string } | undefined,
  ): Place | null => {
    // A country or region answer has no town in its address: not a pin.
    if (r.latitude === undefined || r.longitude === undefined || !r.countryCode || !r.city)
      return null;
    if (opts.gazetteer) {
      const p = opts.gazetteer.nearest(r.latitude, r.longitude, r.countryCode, defaults.snapKm);
      return p ? toPublicPlace(p) : null;
    }
    // Without a gazetteer the id is Nominatim's, negated so it can never be mistaken for a GeoNames id.
    return {
      id: -Number(raw?.place_id ?? 0),
      name: r.city ?? raw?.name ?? '',
      admin1: r.state ?? null,
      country: r.countryCode.toUpperCase(),
      lat: r.latitude,
      lng: r.longitude,
      population: 0,
    };
  };

  const ask = async (text: string, key: string): Promise<Place | null> => {
    const wait = nextSlot - now();
    if (wait > 0) await sleep(wait);
    if (now() < blockedUntil) return null;
    nextSlot = now() + minIntervalMs;
    try {
      const results = (await geocoder.geocode({
        q: text,
        limit: 1,
      } as unknown as string)) as unknown as OsmResult[] & { raw?: unknown };
      const raw = Array.isArray(results.raw)
        ? (results.raw[0] as { place_id?: number; name?: string } | undefined)
        : undefined;
      const place = results[0] ? toPlace(results[0], raw) : null;
      cache.put.run(key, serverUrl, JSON.stringify(place), now());
      backoffMs = defaults.backoffMs;
      return place;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 429 || code === 503) {
        blockedUntil = now() + (retryAfterMs ?? backoffMs);
        retryAfterMs = null;
        backoffMs = Math.min(backoffMs * 2, defaults.maxBackoffMs);
      }
      return null;
    }
  };

  return {
    get blockedUntil() {
      return blockedUntil;
    },
    async geocode(text) {
      const key = foldName(text);
      if (key === '') return null;
      try {
        const row = cache.get.get(key, serverUrl) as { answer: string | null } | undefined;
        if (row) return JSON.parse(row.answer ?? 'null') as Place | null;
        if (now() < blockedUntil) return null;
        // One request at a time, so the interval holds across concurrent callers.
        const result = queue.then(() => ask(text, key));
        queue = result.catch(() => null);
        return await result;
      } catch {
        return null;
      }
    },
  };
}

/** The words after "from"/"in"/... that the gazetteer does not know at all, as a query for the fallback. */
export function unresolvedPlacePhrase(gazetteer: Gazetteer, input: LocateInput): string | null {
  const ext = extract({ html: input.html, text: input.text, campaignTags: input.campaignTags });
  const known = (key: string): boolean =>
    gazetteer.lookup(key).length > 0 || gazetteer.regions(key).length > 0;
  // The locator abstained on purpose when the post is about a trip, or names a place it knows.
  if (ext.segments.some((s) => s.tokens.some((t) => NOT_HOME.has(t.key)))) return null;
  for (const seg of ext.segments) {
    const toks = seg.tokens;
    for (let i = 0; i < toks.length - 1; i++) {
      if (toks[i]!.kind !== 'word' || !LOCATIVE.has(toks[i]!.key) || toks[i]!.key.length < 2)
        continue;
      let j = i + 1;
      while (j < toks.length && j - i <= 3 && toks[j]!.kind === 'word' && toks[j]!.capital) j++;
      if (j === i + 1) continue;
      const words = toks.slice(i + 1, j);
      if (words.some((t) => known(t.key)) || known(words.map((t) => t.key).join(' '))) return null;
      return ext.text.slice(words[0]!.start, words[words.length - 1]!.end);
    }
  }
  return null;
}

/** Locate offline first; only when that abstains and the post says "from X", ask the fallback about X. */
export async function locateWithFallback(
  locator: Locator,
  gazetteer: Gazetteer,
  fallback: OnlineFallback,
  input: LocateInput,
): Promise<Located | null> {
  const offline = locator.locate(input);
  if (offline) return offline;
  const phrase = unresolvedPlacePhrase(gazetteer, input);
  if (!phrase) return null;
  const place = await fallback.geocode(phrase);
  return place ? { place, confidence: 0.6, matched: phrase } : null;
}
