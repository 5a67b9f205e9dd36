// The /embed page: the author's choices become the preview's attributes and the snippet to copy.
// Plain DOM and no imports beyond shared/embed.ts, so this file stays apart from widget.js.
import type { EmbedOptions } from '../shared/embed.js';
import {
  EMBED_JOIN,
  EMBED_THEMES,
  EMBED_VIEWS,
  embedSnippet,
  oneOf,
  parseCenter,
  parseZoom,
} from '../shared/embed.js';

const form = document.querySelector<HTMLFormElement>('#embed-options');
const preview = document.querySelector('.preview find-the-others');
const snippet = document.querySelector<HTMLTextAreaElement>('#snippet');
const copy = document.querySelector<HTMLButtonElement>('#copy');
const copied = document.querySelector<HTMLElement>('#copied');
const useView = document.querySelector<HTMLButtonElement>('#use-view');
const opensNote = document.querySelector<HTMLElement>('#opens-note');
const centerInput = form?.querySelector<HTMLInputElement>('input[name=center]');
const zoomInput = form?.querySelector<HTMLInputElement>('input[name=zoom]');

/** The preview map's view as it last settled (`fto-view-change`), for "Use the preview’s view". */
let previewView: { bbox: [number, number, number, number]; zoom: number } | null = null;

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
    center: text('center').trim(),
    zoom: text('zoom').trim(),
  };
}

/** Marks a centre or zoom the widget would not accept, and says so; true when both are usable. */
function checkOpensAt(options: EmbedOptions): boolean {
  const badCenter = Boolean(options.center) && parseCenter(options.center) === null;
  const badZoom = Boolean(options.zoom) && parseZoom(options.zoom) === null;
  centerInput?.setAttribute('aria-invalid', String(badCenter));
  zoomInput?.setAttribute('aria-invalid', String(badZoom));
  if (opensNote) {
    opensNote.textContent = badCenter
      ? 'The centre is latitude,longitude in degrees, e.g. 45.52,-122.68.'
      : badZoom
        ? 'The zoom is a number from 0 (the world) to 18 (streets).'
        : '';
  }
  return !badCenter && !badZoom;
}

function update(): void {
  const options = chosen();
  // A centre or zoom being typed is left out of the preview and the snippet until it is valid.
  if (!checkOpensAt(options)) {
    if (parseCenter(options.center) === null) options.center = '';
    if (parseZoom(options.zoom) === null) options.zoom = '';
  }
  if (preview) {
    const { campaign, height, view, theme, join, center = '', zoom = '' } = options;
    for (const [name, value] of Object.entries({
      campaign,
      height,
      view,
      theme,
      join,
      center,
      zoom,
    })) {
      if (!value && (name === 'center' || name === 'zoom')) preview.removeAttribute(name);
      else if (preview.getAttribute(name) !== value) preview.setAttribute(name, value);
    }
  }
  if (snippet) {
    snippet.value = embedSnippet(options, location.origin);
    fitToContent(snippet);
  }
  if (copied) copied.textContent = '';
}

/** Tall enough to show the whole snippet however it wraps (a phone wraps it onto many lines). */
function fitToContent(area: HTMLTextAreaElement): void {
  area.style.blockSize = 'auto';
  area.style.blockSize = `${area.scrollHeight + 2}px`;
}

addEventListener('resize', () => {
  if (snippet) fitToContent(snippet);
});

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

/** Where the preview is looking: the middle of its view (in Mercator, as drawn), and its zoom. */
function centreOf(view: { bbox: [number, number, number, number]; zoom: number }): string {
  const [w, s, e, n] = view.bbox;
  const y = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  const lat = (Math.atan(Math.sinh((y(s) + y(n)) / 2)) * 180) / Math.PI;
  const lng = (((((w + e) / 2 + 180) % 360) + 360) % 360) - 180;
  return `${lat.toFixed(2)},${lng.toFixed(2)}`;
}

preview?.addEventListener('fto-view-change', (e) => {
  previewView = (e as CustomEvent<typeof previewView>).detail;
});
useView?.addEventListener('click', () => {
  if (!previewView || !centerInput || !zoomInput) return;
  centerInput.value = centreOf(previewView);
  zoomInput.value = String(Math.round(previewView.zoom * 4) / 4);
  update();
});
form?.addEventListener('input', update);
form?.addEventListener('submit', (e) => e.preventDefault());
copy?.addEventListener('click', () => void copySnippet());
update();
