/**
 * The one HTML-to-text of the project, pure (no dependencies), so the locator may use it too:
 * `server/geo/` reads post text through it, and `sanitize.ts` runs it over HTML that sanitize-html
 * has already cleaned (bios, profile fields, CSV excerpts).
 */

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>/g;

/** `&amp;`, `&#39;`, `&#x1F600;` → the characters; an unknown or out-of-range entity stays as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+[0-9]*);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

// One pattern per attribute name, compiled once (every post's links read `class` and `rel`).
const ATTRS = new Map<string, RegExp>();

function attr(attrs: string, name: string): string {
  let re = ATTRS.get(name);
  if (!re) {
    re = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i');
    ATTRS.set(name, re);
  }
  const m = re.exec(attrs);
  return m ? (m[2] ?? m[3] ?? m[4] ?? '') : '';
}

/** Mastodon HTML to plain text: hashtag links become "#Tag", mentions and other links vanish, blocks become lines. */
export function htmlToText(html: string): string {
  let out = '';
  let last = 0;
  let lower: string | null = null;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    out += html.slice(last, m.index);
    last = TAG.lastIndex;
    const name = m[1]!.toLowerCase();
    const closing = m[0][1] === '/';
    if (name === 'a' && !closing) {
      lower ??= html.toLowerCase();
      const close = lower.indexOf('</a>', last);
      const end = close === -1 ? html.length : close;
      const cls = attr(m[2]!, 'class');
      const isTag = /\bhashtag\b/.test(cls) || /\btag\b/.test(attr(m[2]!, 'rel'));
      // Link text is a URL or a handle, never where someone lives; hashtags are kept for the locator.
      if (isTag) {
        const inner = html.slice(last, end);
        out += ` ${(inner.includes('<') ? inner.replace(/<[^>]*>/g, '') : inner).trim()} `;
      }
      last = close === -1 ? html.length : close + 4;
      TAG.lastIndex = last;
    } else if (
      name === 'br' ||
      name === 'p' ||
      name === 'div' ||
      name === 'li' ||
      /^h[1-6]$/.test(name) ||
      name === 'blockquote'
    ) {
      out += '\n';
    }
  }
  out += html.slice(last);
  return decodeEntities(out);
}
