import sanitizeHtml from 'sanitize-html';

// Mastodon's own output vocabulary (docs.joinmastodon.org/spec/activitypub/#sanitization), minus
// anything that could style or script: no style, no class other than Mastodon's display classes.
const options: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'a', 'span'],
  allowedAttributes: { a: ['href', 'rel', 'target'], span: ['class'] },
  allowedClasses: { span: ['invisible', 'ellipsis'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'nofollow noopener noreferrer', target: '_blank' },
    }),
  },
  disallowedTagsMode: 'discard',
};

/** Post HTML from an instance → HTML that is safe to render (allowlist; links nofollow). */
export function sanitizePostHtml(html: string): string {
  return sanitizeHtml(html, options);
}

/** HTML → plain text (for bios and profile fields). */
export function htmlToText(html: string): string {
  const withBreaks = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>\s*<p[^>]*>/gi, '\n\n');
  const text = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} });
  return decodeEntities(text).trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, code: string) => {
    const c = code.toLowerCase();
    if (c === 'amp') return '&';
    if (c === 'lt') return '<';
    if (c === 'gt') return '>';
    if (c === 'quot') return '"';
    if (c === 'apos') return "'";
    if (c === 'nbsp') return '\u00a0';
    const n = c.startsWith('#x') ? parseInt(c.slice(2), 16) : parseInt(c.slice(1), 10);
    return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
  });
}
