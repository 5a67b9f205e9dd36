// The /embed page: the author's choices become the preview's attributes and the snippet to copy.
// Plain DOM and no imports beyond shared/embed.ts, so this file stays apart from widget.js.
import type { EmbedOptions } from '../shared/embed.js';
import { EMBED_JOIN, EMBED_THEMES, EMBED_VIEWS, embedSnippet, oneOf } from '../shared/embed.js';

const form = document.querySelector<HTMLFormElement>('#embed-options');
const preview = document.querySelector('.preview find-the-others');
const snippet = document.querySelector<HTMLTextAreaElement>('#snippet');
const copy = document.querySelector<HTMLButtonElement>('#copy');
const copied = document.querySelector<HTMLElement>('#copied');

function chosen(): EmbedOptions {
  const data = new FormData(form ?? undefined);
  const text = (name: string) => String(data.get(name) ?? '');
  return {
    campaign: text('campaign'),
    height: text('height').trim() || '480',
    view: oneOf(EMBED_VIEWS, text('view'), 'map'),
    theme: oneOf(EMBED_THEMES, text('theme'), 'auto'),
    join: oneOf(EMBED_JOIN, text('join'), 'button'),
    kind: text('kind') === 'iframe' ? 'iframe' : 'script',
  };
}

function update(): void {
  const options = chosen();
  if (preview) {
    const { campaign, height, view, theme, join } = options;
    for (const [name, value] of Object.entries({ campaign, height, view, theme, join })) {
      if (preview.getAttribute(name) !== value) preview.setAttribute(name, value);
    }
  }
  if (snippet) snippet.value = embedSnippet(options, location.origin);
  if (copied) copied.textContent = '';
}

async function copySnippet(): Promise<void> {
  if (!snippet || !copied) return;
  try {
    await navigator.clipboard.writeText(snippet.value);
    copied.textContent = 'Copied.';
  } catch {
    // Without clipboard permission, select it so Ctrl+C / ⌘C is one keystroke away.
    snippet.focus();
    snippet.select();
    copied.textContent = 'Selected: press Ctrl+C or ⌘C to copy.';
  }
}

form?.addEventListener('input', update);
form?.addEventListener('submit', (e) => e.preventDefault());
copy?.addEventListener('click', () => void copySnippet());
update();
