import type { Plugin } from 'vite';

// Leaflet's stylesheet carries rules for parts the map never uses: popups, tooltips, the layers
// and scale controls, old-IE VML and print. The widget must stay within 80 KB gzipped, so the
// build drops those rules from the inlined copy (the file in node_modules is untouched).
const UNUSED =
  /leaflet-popup|leaflet-tooltip|leaflet-control-layers|leaflet-control-scale|leaflet-oldie|leaflet-vml-shape|\blvml\b/;

/** `css` without the rules whose every selector names an unused part, and without `@media print`. */
export function trimLeafletCss(css: string): string {
  let out = '';
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf('{', i);
    if (open < 0) {
      out += css.slice(i);
      break;
    }
    const prelude = css.slice(i, open);
    // The block's end, nested blocks (an @media) included.
    let depth = 1;
    let j = open + 1;
    for (; j < css.length && depth > 0; j++) {
      if (css[j] === '{') depth++;
      else if (css[j] === '}') depth--;
    }
    const body = css.slice(open + 1, j - 1);
    const head = prelude.replace(/\/\*[\s\S]*?\*\//g, '').trim();
    if (/^@media\s+print/.test(head)) {
      // dropped whole
    } else if (head.startsWith('@')) {
      out += `${head}{${trimLeafletCss(body)}}`;
    } else {
      const kept = head.split(',').filter((sel) => !UNUSED.test(sel));
      if (kept.length) out += `${kept.join(',')}{${body}}`;
    }
    i = j;
  }
  return out;
}

/** Vite plugin: applies trimLeafletCss to leaflet/dist/leaflet.css wherever it is imported. */
export function trimLeafletCssPlugin(): Plugin {
  return {
    name: 'fto-trim-leaflet-css',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]leaflet[\\/]dist[\\/]leaflet\.css(\?|$)/.test(id)) return null;
      return { code: trimLeafletCss(code), map: null };
    },
  };
}
