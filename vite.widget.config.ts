import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { trimLeafletCssPlugin } from './scripts/trim-leaflet-css.js';
import { flagFiles, mapLabelsJson } from './scripts/map-assets.js';
import { squeezeLitCssPlugin } from './scripts/squeeze-lit-css.js';

// The widget: the map's components as one self-contained file, in two builds.
//   vite build --config vite.widget.config.ts                 → dist/widget/widget.js (ES module)
//                                                                and the map's assets: world-outline.json,
//                                                                map-labels.json, flags/<cc>.svg
//   vite build --config vite.widget.config.ts --mode classic  → dist/widget/widget.classic.js (IIFE)
//   vite build --config vite.widget.config.ts --mode embed    → dist/widget/embed-page.js (/embed)
// It has its own folder so the map page's build, which empties dist/client, never deletes it.

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Lit keeps version lists and its decorator metadata on globalThis (`litHtmlVersions`,
 * `litPropertyMetadata`…). The widget promises the page no globals, so inside the bundle those
 * names live on a private object and reads of anything else fall through to the real global.
 */
function litPrivateGlobals(): Plugin {
  const id = '\0fto-lit-global';
  return {
    name: 'fto-lit-private-globals',
    resolveId: (source) => (source === id ? id : null),
    load: (source) =>
      source === id
        ? `const own = Object.create(null);
           export default new Proxy(globalThis, {
             get: (t, k) => (k in own ? own[k] : Reflect.get(t, k)),
             set: (_t, k, v) => ((own[k] = v), true),
           });`
        : null,
    transform(code, source) {
      if (
        !/[\\/]node_modules[\\/](lit-html|lit-element|@lit[\\/]reactive-element)[\\/]/.test(source)
      )
        return null;
      if (!/\bglobalThis\b|\blitPropertyMetadata\b/.test(code)) return null;
      const rewritten = code
        .replace(/\bglobalThis\b/g, '__ftoLitGlobal')
        .replace(/(?<![.\w$])litPropertyMetadata\b/g, '__ftoLitGlobal.litPropertyMetadata');
      return { code: `import __ftoLitGlobal from ${JSON.stringify(id)};\n${rewritten}`, map: null };
    },
  };
}

/**
 * What the map fetches from its server rather than carrying in widget.js (see fto-map.ts): the
 * outline's TopoJSON, the city labels of the outline-only map, and flag images.
 */
function mapAssets(): Plugin {
  return {
    name: 'fto-map-assets',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'world-outline.json',
        source: readFileSync(here('node_modules/world-atlas/countries-110m.json')),
      });
      this.emitFile({
        type: 'asset',
        fileName: 'map-labels.json',
        source: mapLabelsJson(here('.')),
      });
      for (const [code, svg] of flagFiles(here('.')))
        this.emitFile({ type: 'asset', fileName: `flags/${code}.svg`, source: svg });
    },
  };
}

export default defineConfig(({ mode }) => {
  const classic = mode === 'classic';
  const embed = mode === 'embed';
  return {
    root: here('client'),
    publicDir: false,
    define: {
      __FTO_WIDGET__: 'true',
      // A classic script has no import.meta; widget.ts reads document.currentScript there instead.
      ...(classic ? { 'import.meta.url': 'undefined' } : {}),
    },
    // Leaflet's package main is a UMD file that always sets window.L; its ES build sets nothing.
    resolve: {
      alias: [
        { find: /^leaflet$/, replacement: here('node_modules/leaflet/dist/leaflet-src.esm.js') },
      ],
    },
    plugins: [
      trimLeafletCssPlugin(),
      squeezeLitCssPlugin(),
      litPrivateGlobals(),
      ...(classic || embed ? [] : [mapAssets()]),
    ],
    build: {
      outDir: here('dist/widget'),
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      reportCompressedSize: false,
      lib: classic
        ? {
            entry: here('client/widget.ts'),
            formats: ['iife'],
            name: 'FindTheOthersWidget',
            fileName: () => 'widget.classic.js',
          }
        : embed
          ? {
              entry: here('client/embed-page.ts'),
              formats: ['es'],
              fileName: () => 'embed-page.js',
            }
          : { entry: here('client/widget.ts'), formats: ['es'], fileName: () => 'widget.js' },
      // Vite leaves library ES output unminified (for the app that bundles it); ours is served as is.
      rolldownOptions: { output: { codeSplitting: false, minify: true } },
    },
  };
});
