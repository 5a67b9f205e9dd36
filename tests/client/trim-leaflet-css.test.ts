import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trimLeafletCss } from '../../scripts/trim-leaflet-css.js';

const css = readFileSync('node_modules/leaflet/dist/leaflet.css', 'utf8');

describe("the build's trimmed copy of Leaflet's stylesheet", () => {
  const trimmed = trimLeafletCss(css);

  it('drops popups, tooltips, the layers and scale controls, old IE and print', () => {
    for (const gone of [
      '.leaflet-popup',
      '.leaflet-tooltip',
      '.leaflet-control-layers',
      '.leaflet-control-scale',
      '.leaflet-oldie',
      'lvml',
      '@media print',
    ])
      expect(trimmed, gone).not.toContain(gone);
    expect(trimmed.length).toBeLessThan(css.length * 0.75);
  });

  it('keeps every rule the map uses, whole, with balanced braces', () => {
    for (const kept of [
      '.leaflet-container',
      '.leaflet-pane',
      '.leaflet-control-zoom',
      '.leaflet-control-attribution',
      '.leaflet-zoom-animated',
      '.leaflet-marker-icon',
      '.leaflet-zoom-box',
      '.leaflet-interactive',
    ])
      expect(trimmed, kept).toContain(kept);
    expect(trimmed.split('{').length).toBe(trimmed.split('}').length);
    // A rule listing a used and an unused part keeps the used one.
    expect(trimLeafletCss('.a, .leaflet-popup { color: red }')).toBe('.a{ color: red }');
  });
});
