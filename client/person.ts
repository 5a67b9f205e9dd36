import { css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ContributorProperties } from '../shared/types.js';
import { flagNodes } from './flags.js';
import { fullDate } from './format.js';
import { relativeTime } from './relative-time.js';
import { safeHref, sanitizeExcerpt } from './sanitize-excerpt.js';
import { contentWarningStyles, excerptStyles, flagStyles } from './styles.js';
import './components/fto-avatar.js';
import './components/fto-content-warning.js';
import './components/fto-report.js';

const REL = 'nofollow noopener noreferrer';

// Excerpts rarely change, and lists re-render on every live event; parse each once.
const excerptCache = new Map<string, string>();
/** A post's HTML through the allowlist, its flag emoji drawn as images from `server`. */
export function cleanExcerpt(raw: string, server: string): string {
  const key = `${server}\u0000${raw}`;
  let clean = excerptCache.get(key);
  if (clean === undefined) {
    clean = sanitizeExcerpt(raw, { text: (text, doc) => flagNodes(text, server, doc) });
    if (excerptCache.size > 500) excerptCache.clear();
    excerptCache.set(key, clean);
  }
  return clean;
}

/** The name to show: the display name as text, or the user part of the account when it is blank. */
export const nameOf = (p: ContributorProperties): string =>
  p.displayName.trim() || p.acct.split('@')[0] || p.acct;

const SHORTCODE = /:([A-Za-z0-9_]{1,64}):/g;

/**
 * The name with the account's custom emoji drawn as images, as Mastodon draws them, and flag
 * emoji as our flag images from `server`. Text stays text (Lit escapes it); only a `:shortcode:`
 * the server listed for this account, with an http(s) image, becomes an <img> whose alt is the
 * shortcode, so copying or reading it aloud still works.
 */
export function renderName(p: ContributorProperties, server: string): unknown[] {
  const name = nameOf(p);
  if (!p.emojis?.length) return flagNodes(name, server);
  const urls = new Map<string, string>();
  for (const e of p.emojis) {
    const href = safeHref(e.url);
    if (href) urls.set(e.shortcode, href);
  }
  const parts: unknown[] = [];
  let at = 0;
  for (const m of name.matchAll(SHORTCODE)) {
    const url = urls.get(m[1]!);
    if (!url) continue;
    parts.push(...flagNodes(name.slice(at, m.index), server));
    parts.push(
      html`<img
        class="emoji"
        src=${url}
        alt=${m[0]}
        title=${m[0]}
        draggable="false"
        loading="lazy"
        referrerpolicy="no-referrer"
      />`,
    );
    at = m.index + m[0].length;
  }
  parts.push(...flagNodes(name.slice(at), server));
  return parts;
}

/** Custom emoji and flags sit in the line of text, the height of a letter. */
export const emojiStyles = css`
  img.emoji {
    inline-size: 1.2em;
    block-size: 1.2em;
    margin: 0 0.05em;
    vertical-align: -0.25em;
    object-fit: contain;
  }
  ${flagStyles}
`;

export const personStyles = css`
  ${emojiStyles}
  .people {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .person {
    padding: 0.875rem 1rem;
    border-block-end: 1px solid var(--fto-line);
  }
  .who {
    display: flex;
    gap: 0.75rem;
    align-items: center;
  }
  .names {
    min-inline-size: 0;
    display: flex;
    flex-direction: column;
  }
  .name {
    font-weight: 600;
    color: var(--fto-fg);
    text-decoration: none;
    overflow-wrap: anywhere;
  }
  a.name:hover {
    text-decoration: underline;
  }
  .network {
    margin-inline-start: auto;
    color: var(--fto-muted);
    font-size: 1rem;
  }
  .acct {
    color: var(--fto-muted);
    font-size: 0.8125rem;
    overflow-wrap: anywhere;
  }
  ${excerptStyles}
  ${contentWarningStyles}
  .meta a {
    color: var(--fto-link);
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    color: var(--fto-muted);
    font-size: 0.8125rem;
  }
`;

/**
 * One person: avatar, name, account, their post, when they posted and links out.
 *
 * The display name goes through Lit's text binding, so `<img onerror=…>` shows as those
 * characters; only the custom emoji the server listed for the account become images (renderName).
 * The excerpt is HTML: it goes through a client-side allowlist
 * (sanitizeExcerpt) before unsafeHTML, because paragraphs, line breaks and links are most of what
 * makes a post readable, and the server's sanitiser should not be the only line of defence.
 * A post behind a warning comes without its text: <fto-content-warning> fetches it from `from`
 * when the reader presses "Show post".
 */
/** Where a post behind a warning fetches its text from when the reader asks. */
export interface PostSource {
  server: string;
  campaign: string;
}

export function renderPerson(
  p: ContributorProperties,
  from: PostSource,
  extra?: TemplateResult,
): TemplateResult {
  const profile = safeHref(p.profileUrl);
  const post = safeHref(p.postUrl);
  // The same person's other account (#16): linked from their account line.
  const linked = p.linked && safeHref(p.linked.profileUrl);
  const [icon, label, account, elsewhere] =
    p.network === 'bluesky'
      ? ['🦋', 'On Bluesky', 'on Bluesky', '⁂ fediverse']
      : ['⁂', 'On the fediverse', `@${p.acct}`, '🦋 Bluesky'];
  const other = linked && html` <a href=${linked} rel=${REL} target="_blank">${elsewhere}</a>`;
  const name = renderName(p, from.server);
  return html`<li class="person" part="person">
    <div class="who">
      <fto-avatar
        .src=${safeHref(p.avatar) ?? ''}
        .name=${p.displayName}
        .acct=${p.acct}
      ></fto-avatar>
      <div class="names">
        ${
          profile
            ? html`<a class="name" href=${profile} rel=${REL} target="_blank">${name}</a>`
            : html`<span class="name">${name}</span>`
        }
        <span class="acct">${account}${other}</span>
      </div>
      <span class="network" role="img" title=${label} aria-label=${label}>${icon}</span>
    </div>
    ${
      p.sensitive
        ? html`<fto-content-warning
            .server=${from.server}
            .campaign=${from.campaign}
            .acct=${p.acct}
            .warning=${p.contentWarning ?? ''}
          ></fto-content-warning>`
        : p.excerpt
          ? html`<div class="excerpt">${unsafeHTML(cleanExcerpt(p.excerpt, from.server))}</div>`
          : nothing
    }
    <div class="meta">
      ${extra ?? nothing}
      <time datetime=${p.postedAt} title=${fullDate(p.postedAt)}>${relativeTime(p.postedAt)}</time>
      ${post ? html`<a href=${post} rel=${REL} target="_blank">View post</a>` : nothing}
      ${profile ? html`<a href=${profile} rel=${REL} target="_blank">Profile</a>` : nothing}
      <fto-report .server=${from.server} .campaign=${from.campaign} .acct=${p.acct}></fto-report>
    </div>
  </li>`;
}
