const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const regions = new Intl.DisplayNames(['en'], { type: 'region' });

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
];

/** "3 hours ago"; an unparseable date gives "". */
export function timeAgo(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  let amount = (then - now) / 1000;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return '';
}

/** "22 Nov 2025, 14:05" for a tooltip; "" when unparseable. */
export function fullDate(iso: string): string {
  const then = Date.parse(iso);
  return Number.isNaN(then) ? '' : absolute.format(then);
}

/** "Nigeria" for "NG"; the code itself when the browser doesn't know it. */
export function countryName(code: string): string {
  try {
    return regions.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Up to two letters for an avatar placeholder, from the display name or else the account. */
export function initials(displayName: string, acct: string): string {
  const words = (displayName.trim() || acct.split('@')[0] || '?')
    .split(/[\s._-]+/u)
    .map((w) => [...w.replace(/[^\p{L}\p{N}]/gu, '')][0])
    .filter((c): c is string => Boolean(c));
  return (words.slice(0, 2).join('') || '?').toUpperCase();
}

/** "mastodon.social" from "https://mastodon.social"; the input when it isn't a URL. */
export function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}

/** Black or white, whichever reads better on a `#rgb`/`#rrggbb` colour; null for other syntaxes. */
export function readableOn(color: string): string | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return null;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast against white is 1.05/(L+0.05), against black (L+0.05)/0.05; pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#111111';
}
