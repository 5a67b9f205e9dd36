// The contract between server and client. Pure types: this file imports nothing.

/** The networks a contributor can come from: `acct` on the fediverse, a DID on Bluesky. */
export type Network = 'fediverse' | 'bluesky';

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

/** A custom emoji as Mastodon's Account.emojis gives it, reduced to what drawing it needs. */
export interface CustomEmoji {
  /** Without colons; letters, digits and `_`. */
  shortcode: string;
  /** A static image (Mastodon's `static_url`, else `url`). */
  url: string;
}

/** What the map knows about one contributor to one campaign. */
export interface ContributorProperties {
  /** The account: `user@domain` on the fediverse, the DID (`did:plc:…`) on Bluesky. */
  acct: string;
  /** Where the account lives (shared/network.ts): drawn as an icon, filterable with `?network=`. Absent from older servers: the fediverse. */
  network?: Network;
  /** Display name as plain text (may contain `<`; never HTML). */
  displayName: string;
  /**
   * The instance's custom emoji that the display name uses as `:shortcode:` (at most 20, static
   * image URLs, http(s) only). A client may draw them; the name reads fine without.
   */
  emojis: CustomEmoji[];
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
  /**
   * The author's content warning (Mastodon `spoiler_text`), plain text (may contain `<`), or null.
   * https://docs.joinmastodon.org/entities/Status/#spoiler_text
   */
  contentWarning: string | null;
  /**
   * True when the post's text is behind a warning: it has a `contentWarning`, or the author marked
   * it sensitive (then show a generic "Sensitive content"). `excerpt` is then '' and the text comes
   * from `GET /api/campaigns/:tag/contributors/:acct/post` when the reader asks for it.
   */
  sensitive: boolean;
  /** Sanitised HTML of the post (allowlisted tags only, links nofollow); '' when `sensitive`. */
  excerpt: string;
  /**
   * The same person's account on the other network, when each profile names the other (one person,
   * shown once, placed by the newer post; `acct` and `network` are then the placing account's).
   * Absent for everyone else. See docs/decisions.md (linked accounts).
   */
  linked?: LinkedAccount;
}

/** A person's other account (`ContributorProperties.linked`). */
export interface LinkedAccount {
  /** `user@domain` on the fediverse, the DID on Bluesky. */
  acct: string;
  network: Network;
  /** Link to that profile page. */
  profileUrl: string;
}

/** `GET /api/campaigns/:tag/contributors/:acct/post`: the text of the post that placed someone. */
export interface PostExcerpt {
  /** The account, `user@domain`. */
  acct: string;
  /** Link to the post. */
  postUrl: string;
  /** The warning it is behind, or null. */
  contentWarning: string | null;
  /** True when it is behind a warning (see ContributorProperties.sensitive). */
  sensitive: boolean;
  /** Sanitised HTML of the post, also when `sensitive`: the reader asked for it. */
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
  /** Counters changed. */
  stats: LiveStats;
  /**
   * Sent instead of a replay when the events since the client's `Last-Event-ID` are no longer
   * all kept (pruned, too many, or from another database): reload what you show. Its `id` is
   * where the client stands afterwards.
   */
  reset: Record<string, never>;
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

// What /api/status says of the collector's sources, reach and consent: its own file, one contract.
export type * from './status.js';

/** A map view feature at a given zoom: a cluster of cities, or one city. Built server-side (supercluster). */
export interface ClusterProperties {
  cluster: true;
  /** supercluster's id; pass to `GET .../clusters/:id` to get its expansion zoom and children. */
  clusterId: number;
  /** People in the cluster. */
  count: number;
  /** Cities in the cluster. */
  cities: number;
  /** Zoom level at which this cluster splits. */
  expansionZoom: number;
  /** Name of its most populous city, for labels ("Lagos and 12 more"). */
  label: string;
}

/** One city in a map view. */
export interface CityProperties {
  cluster: false;
  place: PlaceLabel;
  /** People in this city. */
  count: number;
}

/** `GET /api/campaigns/:tag/contributors?bbox=w,s,e,n&zoom=z` → a FeatureCollection of these. */
export type ViewFeature = PointFeature<ClusterProperties> | PointFeature<CityProperties>;

/** `GET /api/campaigns/:tag/places/:placeId/contributors?cursor=&limit=`: one city's people, paged. */
export interface PlacePage {
  place: PlaceLabel & { lat: number; lng: number };
  /** People in this city in total. */
  total: number;
  /** Newest first. */
  contributors: ContributorProperties[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** One country in `GET /api/campaigns/:tag/countries`. */
export interface CountryCount {
  /** ISO 3166-1 alpha-2 code, upper case. */
  country: string;
  /** People in the country. */
  count: number;
  /** Cities with at least one person. */
  cities: number;
}

/** `GET /api/campaigns/:tag/countries`: every country with people on the map, most people first. */
export interface CountryList {
  countries: CountryCount[];
}

/** `GET /api/campaigns/:tag/cities?country=&q=&cursor=&limit=`: cities, most people first, paged. */
export interface CityPage {
  /** Cities matching `country` and `q`, in all pages. */
  total: number;
  /** This page's cities, as in a map view at a zoom where every city stands alone. */
  features: PointFeature<CityProperties>[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A contributor with their great-circle distance from the query point. */
export type NearbyFeature = PointFeature<ContributorProperties & { distanceKm: number }>;

/** `GET /api/places?q=`: gazetteer places for a typed name, most likely first (autocomplete). */
export interface PlaceSuggestions {
  places: Place[];
}

/**
 * `409` from `nearby?near=` when the name is several places ("Springfield"): choose one and ask
 * again with `placeId=`.
 */
export interface NearbyAmbiguous {
  error: string;
  candidates: Place[];
}

/**
 * `GET /api/campaigns/:tag/nearby?lat=&lng=&limit=&radiusKm=`, `?near=<place text>` or
 * `?placeId=<GeoNames id>`.
 */
export interface NearbyResult {
  type: 'FeatureCollection';
  /** The query point; `place` is set when it came from `near=` text. */
  origin: { lat: number; lng: number; place: PlaceLabel | null };
  /** Closest first. */
  features: NearbyFeature[];
}

/** The author's identity for a campaign, from the config file. */
export interface CampaignIdentity {
  /** Heading, e.g. "Your Turn". */
  title: string;
  /** One or two sentences. */
  description: string;
  /** The call to action ("Post #YourTurn and your city"). */
  callToAction: string;
  /** The exact example post, e.g. "#YourTurn Portland". */
  examplePost: string;
  /** The author's book, site or event. */
  link: { url: string; label: string } | null;
  /** CSS colour, e.g. "#c2410c". */
  accentColor: string | null;
}

/** `GET /api/campaigns/:tag` (and each item of `GET /api/campaigns`). */
export interface CampaignSummary {
  tag: string;
  /** Contributors per network (the whole campaign, whatever `?network=` asked). */
  networks?: Record<Network, number>;
  identity: CampaignIdentity;
  contributors: number;
  cities: number;
  countries: number;
  /** Posts with the tag that named no city we could place. */
  unlocatedPosts: number;
  topCities: { place: PlaceLabel; count: number }[];
  topCountries: { country: string; count: number }[];
  /** New contributors per UTC day, oldest first. */
  joinsPerDay: { date: string; count: number }[];
  /**
   * New contributors per UTC hour (`hour` is `YYYY-MM-DDTHH`), while the joins span less than
   * three days; null after that (the per-day figures say enough).
   */
  joinsPerHour: { hour: string; count: number }[] | null;
}

/** SSE `stats` event data: the counters, sent after changes (throttled). */
export interface LiveStats {
  contributors: number;
  cities: number;
  countries: number;
  /**
   * How long a client should spread its refetch after a change over, in ms: 0 with few viewers,
   * more with many, so thousands of open maps do not all ask for their view in the same second.
   * A client waits its usual delay plus a random share of this.
   */
  refreshSpreadMs?: number;
}
