import { apiUrl } from './api.js';
import { countryName } from './format.js';

// Two regional indicator symbols make a flag: 🇳🇬 is N and G.
const FLAG = /[\u{1F1E6}-\u{1F1FF}]{2}/gu;
const A = 0x1f1e6;

/** "ng" for 🇳🇬, or null when the pair names no country the browser knows ("AA"). */
export function flagCode(pair: string): string | null {
  const [a, b] = [...pair].map((c) => c.codePointAt(0)! - A);
  if (a === undefined || b === undefined) return null;
  const code = String.fromCharCode(65 + a, 65 + b);
  return countryName(code) === code ? null : code.toLowerCase();
}

/** Where a country's flag image is: the map's server serves flag-icons' 4:3 SVGs. */
export const flagSrc = (server: string, code: string): string =>
  apiUrl(server, `/flags/${code}.svg`);

/**
 * Text cut where flag emoji are, each flag as `{ code, emoji }`: a reader without an emoji font
 * (many Linux desktops, this project's test browser) sees two boxed letters for a flag emoji, so
 * the map draws flags as small images instead. Other emoji stay text.
 */
export function splitFlags(text: string): (string | { code: string; emoji: string })[] {
  const parts: (string | { code: string; emoji: string })[] = [];
  let at = 0;
  for (const m of text.matchAll(FLAG)) {
    const code = flagCode(m[0]);
    if (!code) continue;
    if (m.index > at) parts.push(text.slice(at, m.index));
    parts.push({ code, emoji: m[0] });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/**
 * Text as DOM nodes with its flag emoji as images (the alt is the emoji, so copying keeps it),
 * for Lit to render (names) or for HTML built node by node (post excerpts).
 */
export function flagNodes(text: string, server: string, doc: Document = document): Node[] {
  return splitFlags(text).map((part) => {
    if (typeof part === 'string') return doc.createTextNode(part);
    const img = doc.createElement('img');
    img.className = 'flag';
    img.setAttribute('src', flagSrc(server, part.code));
    img.setAttribute('alt', part.emoji);
    img.setAttribute('title', countryName(part.code.toUpperCase()));
    img.setAttribute('draggable', 'false');
    return img;
  });
}
