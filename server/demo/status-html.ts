// Plain text → the HTML Mastodon's TextFormatter produces, so fixtures look like the real thing.

const TOKEN =
  /(https?:\/\/[^\s<>"]+)|(?<![\p{L}\p{N}_&/])#([\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)|(?<![\p{L}\p{N}_/])@([A-Za-z0-9_]+)(?:@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+))?/gu;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Hashtag names as Mastodon compares them (HashtagNormalizer: NFKC, case-folded). */
export function normalizeHashtag(name: string): string {
  return name.replace(/^#/, '').normalize('NFKC').toLowerCase();
}

/** The hashtags in plain text, normalised, first occurrence first, without repeats. */
export function extractHashtags(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(TOKEN)) if (match[2]) names.add(normalizeHashtag(match[2]));
  return [...names];
}

/** The `@user` / `@user@domain` mentions in plain text, as `{ username, domain }`. */
export function extractMentions(text: string, localDomain: string) {
  const mentions: { username: string; domain: string }[] = [];
  for (const match of text.matchAll(TOKEN)) {
    if (match[3]) mentions.push({ username: match[3], domain: match[4] ?? localDomain });
  }
  return mentions;
}

/**
 * Wraps plain text the way Mastodon renders a status: `<p>` per paragraph, `<br />` per line,
 * hashtag, mention and link anchors with Mastodon's classes. `domain` is the author's instance.
 */
export function toStatusHtml(text: string, domain: string): string {
  const paragraphs = text.trim().split(/\n{2,}/);
  return paragraphs
    .map(
      (paragraph) =>
        `<p>${paragraph
          .split('\n')
          .map((line) => linkify(line, domain))
          .join('<br />')}</p>`,
    )
    .join('');
}

function linkify(line: string, domain: string): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(TOKEN)) {
    const index = match.index ?? 0;
    html += escapeHtml(line.slice(last, index));
    last = index + match[0].length;
    const [whole, url, tag, username, mentionDomain] = match;
    if (url) html += linkHtml(url);
    else if (tag) {
      html += `<a href="https://${domain}/tags/${encodeURIComponent(tag)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(tag)}</span></a>`;
    } else if (username) {
      const href = `https://${mentionDomain ?? domain}/@${username}`;
      html += `<span class="h-card" translate="no"><a href="${escapeHtml(href)}" class="u-url mention">@<span>${escapeHtml(username)}</span></a></span>`;
    } else html += escapeHtml(whole);
  }
  return html + escapeHtml(line.slice(last));
}

/** Mastodon hides the scheme and shortens long links with `invisible`/`ellipsis` spans. */
function linkHtml(url: string): string {
  const [, scheme = '', rest = url] = /^(https?:\/\/(?:www\.)?)(.*)$/.exec(url) ?? [];
  const visible = rest.slice(0, 30);
  const hidden = rest.slice(30);
  return (
    `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener" translate="no">` +
    `<span class="invisible">${escapeHtml(scheme)}</span>` +
    `<span class="${hidden ? 'ellipsis' : ''}">${escapeHtml(visible)}</span>` +
    `<span class="invisible">${escapeHtml(hidden)}</span></a>`
  );
}
