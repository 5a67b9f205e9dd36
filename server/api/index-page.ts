import type { CampaignIdentity } from '../../shared/types.js';

/** Escape text for an HTML attribute or text node. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * The map page with the campaign's title and Open Graph tags in its head, so a shared link
 * previews as the campaign. Every inserted value is escaped.
 */
export function renderIndex(
  html: string,
  identity: CampaignIdentity,
  urls: { page: string; image: string },
): string {
  const meta = [
    ['og:type', 'website'],
    ['og:title', identity.title],
    ['og:description', identity.description],
    ['og:url', urls.page],
    ['og:image', urls.image],
    ['og:image:width', '1200'],
    ['og:image:height', '630'],
    ['og:image:alt', `Map of the people posting for ${identity.title}`],
  ]
    .map(([p, c]) => `<meta property="${p}" content="${escapeHtml(c!)}" />`)
    .concat([
      '<meta name="twitter:card" content="summary_large_image" />',
      `<meta name="description" content="${escapeHtml(identity.description)}" />`,
    ])
    .join('\n    ');
  const withTitle = html
    .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(identity.title)}</title>`)
    .replace(/<meta\s+name="description"[^>]*>/, '');
  return withTitle.includes('</head>')
    ? withTitle.replace('</head>', () => `    ${meta}\n  </head>`)
    : `${meta}\n${withTitle}`;
}
