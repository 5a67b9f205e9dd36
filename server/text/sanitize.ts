import sanitizeHtml from 'sanitize-html';
import { htmlToText as linesOf } from './html-text.js';

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

// Only what marks lines survives; links are unwrapped (their text stays), scripts and styles go.
const lineOptions: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br'],
  allowedAttributes: {},
  disallowedTagsMode: 'discard',
};

/**
 * Untrusted HTML → plain text with link text kept (bios, profile fields, CSV excerpts): cleaned by
 * sanitize-html down to paragraphs and breaks, then read by the one HTML-to-text (html-text.ts).
 */
export function htmlToText(html: string): string {
  return linesOf(sanitizeHtml(html, lineOptions)).trim();
}
