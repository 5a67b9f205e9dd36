// The contract between server and client. Pure types: this file imports nothing.

/** A GeoJSON position: always [longitude, latitude] (RFC 7946 §3.1.1). */
export type LngLat = [lng: number, lat: number];

/** A GeoJSON Point geometry. */
export interface PointGeometry {
  type: 'Point';
  /** [lng, lat] of the city, never of a person. */
  coordinates: LngLat;
}

/** A GeoJSON Feature with a Point geometry. */
export interface PointFeature<P> {
  type: 'Feature';
  /** Stable id of the feature (a contributor's acct, a cluster's id). */
  id?: string | number;
  geometry: PointGeometry;
  properties: P;
}

/** A GeoJSON FeatureCollection. */
export interface FeatureCollection<F> {
  type: 'FeatureCollection';
  features: F[];
}

/** A populated place from the gazetteer (GeoNames). */
export interface Place {
  /** GeoNames id (https://www.geonames.org/). */
  id: number;
  /** Primary name as GeoNames spells it, e.g. "Portland". */
  name: string;
  /** First-level administrative division, e.g. "Oregon"; null when unknown. */
  admin1: string | null;
  /** ISO 3166-1 alpha-2 country code, upper case, e.g. "US". */
  country: string;
  /** Latitude of the city centre, WGS 84. */
  lat: number;
  /** Longitude of the city centre, WGS 84. */
  lng: number;
  /** Population as GeoNames records it (0 when unknown). */
  population: number;
}

/** The place as shown on a pin: enough to label it, nothing more. */
export interface PlaceLabel {
  /** GeoNames id of the city. */
  id: number;
  /** City name. */
  name: string;
  /** Region name, or null. */
  admin1: string | null;
  /** ISO 3166-1 alpha-2 country code. */
  country: string;
}

/** What the map knows about one contributor to one campaign. */
export interface ContributorProperties {
  /** The account, always `user@domain`. */
  acct: string;
  /** Display name as plain text (may contain `<`; never HTML). */
  displayName: string;
  /** Link to the person's profile page. */
  profileUrl: string;
  /** Avatar image URL (may be empty). */
  avatar: string;
  /** Link to the post that placed them (the latest located one). */
  postUrl: string;
  /** When that post was written, ISO 8601. */
  postedAt: string;
  /** The city they named. */
  place: PlaceLabel;
  /** Sanitised HTML of the post (allowlisted tags only, links nofollow). */
  excerpt: string;
}

/** One contributor as a GeoJSON point at their city. */
export type ContributorFeature = PointFeature<ContributorProperties>;

/** `GET /api/campaigns/:tag/contributors` without a view. */
export type ContributorCollection = FeatureCollection<ContributorFeature>;

/** Events on `GET /api/campaigns/:tag/events` (SSE `event:` name → `data:` JSON). */
export interface LiveEventMap {
  /** A contributor appeared or moved: the full feature. */
  contributor: ContributorFeature;
  /** A contributor left the map (post deleted, hidden, or opted out). */
  remove: { acct: string };
}

/** A live event as published inside the server. */
export type LiveEvent = {
  [K in keyof LiveEventMap]: { type: K; tag: string; data: LiveEventMap[K] };
}[keyof LiveEventMap];

/** `GET /api/config`: what the map needs before it can draw anything. */
export interface ClientConfig {
  /** Campaign tags the server follows, lower case, without `#`; the first is the default. */
  campaigns: string[];
  /** Leaflet tile URL template, or null to draw only the bundled world outline. */
  tileUrl: string | null;
  /** Plain-text credit for the tiles, e.g. "© OpenStreetMap contributors". */
  tileAttribution: string;
}

/** The state of one collector source (one instance × one tag). */
export type SourceState =
  'starting' | 'polling' | 'streaming' | 'backing-off' | 'needs-token' | 'error';

/** `GET /api/status` → `sources[]`. */
export interface SourceStatus {
  /** Instance origin, e.g. "https://mastodon.social". */
  instance: string;
  /** Campaign tag, lower case, without `#`. */
  tag: string;
  state: SourceState;
  /** ISO time of the last successful request, or null. */
  lastSuccessAt: string | null;
  /** The last error, readable by a person, or null. */
  lastError: string | null;
  /** ISO time of the last error, or null. */
  lastErrorAt: string | null;
  /** Statuses received from this source since start. */
  postsSeen: number;
  /** `X-RateLimit-Remaining` from the last response, when the instance sends it. */
  rateLimitRemaining: number | null;
}

/** `GET /api/status`. */
export interface ServerStatus {
  /** Campaign tags followed, lower case. */
  campaigns: string[];
  sources: SourceStatus[];
}
