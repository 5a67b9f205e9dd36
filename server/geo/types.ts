import type { Place } from '../../shared/types.js';

/** What the locator reads from one post. All text fields are untrusted. */
export interface LocateInput {
  /** Post content as Mastodon serves it (HTML). */
  html?: string;
  /** Plain text, when there is no HTML (CLI `{"id","text"}` lines). */
  text?: string;
  /** Hashtag names on the post (`status.tags[].name`), without `#`. */
  tags?: string[];
  /** ISO 639 language of the post, when known. */
  language?: string | null;
  /** The profile's location, taken from `account.fields` ("Location", "Ort", ...), plain text. */
  profileLocation?: string | null;
  /** Campaign hashtags to ignore (lower case, without `#`). */
  campaignTags?: string[];
  /** ISO 3166-1 alpha-2 country of the instance, a weak hint. */
  instanceCountry?: string | null;
}

/** A city found in a post, with why. */
export interface Located {
  place: Place;
  /** 0..1; the store keeps only results at or above the locator's threshold. */
  confidence: number;
  /** The text span that matched, as written in the post (or in the profile's location field). */
  matched: string;
  /**
   * Why, in one line: which name is the author's and what the others are ("‘desde Bilbao’ is
   * where the author is; ‘Donostia’ is where someone else is"), or "from the profile's location
   * field (…)".
   */
  reason?: string;
}

/** A locator's answer with one line saying why, placed or not. */
export interface Explained {
  /** What `locate` returns for the same input. */
  located: Located | null;
  /**
   * The result's reason when there is a pin; otherwise why there is none ("the post names no
   * place", "‘Lisbon’ is a trip, not home", "‘Portland’ and ‘Seattle’ are both named as home").
   */
  reason: string;
}

export interface Locator {
  /**
   * The one city the post names, or null when there is none or it is ambiguous. Throws only on
   * a bug (the property tests hold it to never throwing); callers that must go on catch.
   */
  locate(input: LocateInput): Located | null;
  /**
   * The same answer as `locate`, with a reason even when there is no pin. Slower than `locate`
   * when it abstains (it reads the post again to say why). Optional: a fake locator may lack it.
   */
  explain?(input: LocateInput): Explained;
  /** Look up a gazetteer place by GeoNames id. */
  placeById(id: number): Place | null;
  /**
   * Candidate places for a typed name ("Portland", "Portland, Maine", a GeoNames id), most
   * populous first, for moderators placing a post by hand. Optional: a fake locator may lack it.
   */
  searchPlaces?(text: string, limit?: number): Place[];
}
