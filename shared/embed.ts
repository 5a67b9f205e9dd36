// The options of an embedded map, read by the widget from its attributes and by the server from
// the query of /embed/:tag, so both accept exactly the same values.

/** What the embed shows: the map, the list of everyone by country, or both side by side. */
export const EMBED_VIEWS = ['map', 'list', 'both'] as const;
export type EmbedView = (typeof EMBED_VIEWS)[number];

/** `auto` follows the reader's colour-scheme preference. */
export const EMBED_THEMES = ['auto', 'light', 'dark'] as const;
export type EmbedTheme = (typeof EMBED_THEMES)[number];

/** The "Add yourself" panel: a button in the header, open from the start, or not offered. */
export const EMBED_JOIN = ['button', 'open', 'none'] as const;
export type EmbedJoin = (typeof EMBED_JOIN)[number];

/** Returns `value` when it is one of `allowed`, else `fallback`. */
export function oneOf<T extends string>(allowed: readonly T[], value: unknown, fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** "lat,lng" in degrees, e.g. "45.52,-122.68", as [lat, lng]; null when malformed or out of range. */
export function parseCenter(value: string | null | undefined): [number, number] | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value ?? '');
  if (!m) return null;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? [lat, lng] : null;
}

/** A zoom level 0–18 (quarter steps allowed); null when malformed or out of range. */
export function parseZoom(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 18 ? n : null;
}

/**
 * A CSS height from an attribute: a bare number is pixels ("480" → "480px"); lengths in px, em,
 * rem, vh, dvh, svh, lvh or % pass through. Anything else is null, so no other CSS gets in.
 */
export function parseHeight(value: string | null | undefined): string | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(px|em|rem|vh|dvh|svh|lvh|%)?\s*$/.exec(value ?? '');
  if (!m || Number(m[1]) === 0) return null;
  return `${m[1]}${m[2] ?? 'px'}`;
}

/** What an author chose on the embed page. */
export interface EmbedOptions {
  campaign: string;
  /** Height as written in the attribute, e.g. "480". */
  height: string;
  view: EmbedView;
  theme: EmbedTheme;
  join: EmbedJoin;
  /** Where the map opens, "lat,lng" (with `zoom`); empty for the inhabited world. */
  center?: string;
  /** The zoom it opens at, 0–18; empty for the default. */
  zoom?: string;
  /** `script`: the widget; `iframe`: the framed page, for sites whose CSP forbids foreign scripts (its height in px only). */
  kind: 'script' | 'iframe';
}

const escapeAttr = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The HTML an author pastes, for the map served at `origin`. Defaults are left out. */
export function embedSnippet(options: EmbedOptions, origin: string): string {
  const { campaign, view, theme, join } = options;
  const height = parseHeight(options.height);
  const extra: Array<[string, string]> = [];
  if (view !== 'map') extra.push(['view', view]);
  if (theme !== 'auto') extra.push(['theme', theme]);
  if (join !== 'button') extra.push(['join', join]);
  // Only values the widget and /embed/:tag accept; anything else is left out, not written.
  if (parseCenter(options.center)) extra.push(['center', options.center!.replace(/\s+/g, '')]);
  if (parseZoom(options.zoom) !== null) extra.push(['zoom', options.zoom!.trim()]);
  if (options.kind === 'iframe') {
    const query = new URLSearchParams(extra).toString();
    const src = `${origin}/embed/${encodeURIComponent(campaign)}${query ? `?${query}` : ''}`;
    return (
      `<iframe src="${escapeAttr(src)}" title="Map of #${escapeAttr(campaign)}" ` +
      `width="100%" height="${/^(\d+(?:\.\d+)?)px$/.exec(height ?? '')?.[1] ?? '480'}" ` +
      `loading="lazy" allow="geolocation"></iframe>`
    );
  }
  const attrs = [
    ['campaign', campaign],
    ...(height ? [['height', options.height.trim()]] : []),
    ...extra,
  ]
    .map(([k, v]) => ` ${k}="${escapeAttr(v!)}"`)
    .join('');
  return (
    `<script type="module" src="${escapeAttr(origin)}/widget.js"></script>\n` +
    `<find-the-others${attrs}></find-the-others>`
  );
}
