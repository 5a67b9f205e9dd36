// A second allowlist pass over post HTML the server already sanitised. The widget runs on other
// people's pages, so one bug in the server's sanitiser must not become script on theirs.
// The output is rebuilt node by node from the allowlist rather than stripped in place, so
// nothing the parser produced survives unless it was explicitly copied.

const HTML_NS = 'http://www.w3.org/1999/xhtml';

/** Elements whose content is never text a reader should see. */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'object',
  'embed',
  'noscript',
  'textarea',
  'select',
  'title',
  'head',
  'svg',
  'math',
  'video',
  'audio',
  'canvas',
  'img',
  'picture',
  'form',
  'button',
]);

/** Mastodon's link-shortening classes (https://docs.joinmastodon.org/spec/microformats/). */
const SPAN_CLASSES = new Set(['invisible', 'ellipsis']);

interface Context {
  inParagraph: boolean;
  inLink: boolean;
  /** Turns a text into the nodes to show for it (e.g. flag emoji as images); default one text node. */
  text: (text: string, doc: Document) => Node[];
}

/** Options of `sanitizeExcerpt`. */
export interface SanitizeOptions {
  /**
   * Turns each text into the nodes to show for it, e.g. flag emoji into our own flag images. Only
   * the caller's nodes are added; nothing of the post's markup passes through here.
   */
  text?: (text: string, doc: Document) => Node[];
}

/**
 * The URL, made absolute against the page, when it is http(s); else null: a `javascript:` or
 * `data:` href must never reach the page.
 */
export function safeHref(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw, document.baseURI);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A clean copy of `el` without children, or null to unwrap it (keep its text, drop the tag). */
function copyOf(el: Element, doc: Document, ctx: Context): Element | null {
  switch (el.localName) {
    case 'br':
      return doc.createElement('br');
    // Nested <p> or <a> would be re-parsed differently from how they serialise: flatten them.
    case 'p':
      return ctx.inParagraph ? null : doc.createElement('p');
    case 'a': {
      const href = safeHref(el.getAttribute('href'));
      if (!href || ctx.inLink) return null;
      const a = doc.createElement('a');
      a.setAttribute('href', href);
      a.setAttribute('rel', 'nofollow noopener noreferrer');
      a.setAttribute('target', '_blank');
      return a;
    }
    case 'span': {
      const span = doc.createElement('span');
      const classes = [...el.classList].filter((c) => SPAN_CLASSES.has(c));
      if (classes.length) span.className = classes.join(' ');
      return span;
    }
    default:
      return null;
  }
}

function copyChildren(from: Node, to: Element, doc: Document, ctx: Context, depth: number): void {
  if (depth > 64) return;
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.append(...ctx.text(node.textContent ?? '', doc));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const el = node as Element;
    if (el.namespaceURI !== HTML_NS || DROP_WITH_CONTENT.has(el.localName)) continue;
    const copy = copyOf(el, doc, ctx);
    if (copy) {
      to.append(copy);
      const inner = {
        ...ctx,
        inParagraph: ctx.inParagraph || copy.localName === 'p',
        inLink: ctx.inLink || copy.localName === 'a',
      };
      copyChildren(el, copy, doc, inner, depth + 1);
    } else {
      copyChildren(el, to, doc, ctx, depth + 1);
    }
  }
}

/**
 * Post HTML reduced to p, br, span and http(s) links (which open in a new tab with
 * rel="nofollow noopener noreferrer"); everything else is unwrapped to its text or, for
 * scripts, media and the like, dropped.
 */
export function sanitizeExcerpt(html: string, options: SanitizeOptions = {}): string {
  // DOMParser documents are inert: no script runs and no image loads while we read them.
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const out = doc.createElement('div');
  const text = options.text ?? ((t: string, d: Document) => [d.createTextNode(t)]);
  copyChildren(doc.body, out, doc, { inParagraph: false, inLink: false, text }, 0);
  return out.innerHTML;
}
