import { css, html, nothing, type TemplateResult } from 'lit';

/**
 * Why a post is where the map puts it, or has no pin: one line under the post on the admin page
 * ("Why here: ‘desde Bilbao’ is where the author is", "Why no pin: …"), from the post's `reason`
 * (issue #14). Always text, never HTML: Lit escapes it. The reason may quote the post, so under a
 * content warning it stays folded until the moderator opens it, as the text does.
 */
export function whyLine(
  reason: string | null,
  placed: boolean,
  sensitive: boolean,
): TemplateResult | typeof nothing {
  if (!reason) return nothing;
  const label = placed ? 'Why here' : 'Why no pin';
  return sensitive
    ? html`<details class="why">
        <summary>${label} (may quote the post behind its warning)</summary>
        ${reason}
      </details>`
    : html`<p class="why"><span class="why-label">${label}:</span> ${reason}</p>`;
}

/** The line's look, for the components that show it. */
export const whyStyles = css`
  .why {
    margin: 0.375rem 0 0;
    font-size: 0.8125rem;
    color: var(--fto-muted);
    overflow-wrap: anywhere;
  }
  .why-label,
  .why summary {
    font-weight: 600;
  }
  .why summary {
    cursor: pointer;
  }
`;
