import { defineConfig } from 'vitest/config';
import { trimLeafletCssPlugin } from './scripts/trim-leaflet-css.js';

// One config for the client build (`vite build` → dist/client) and for Vitest.
export default defineConfig({
  root: 'client',
  publicDir: false,
  plugins: [trimLeafletCssPlugin()],
  // The map page bundles its world outline; the widget (vite.widget.config.ts) fetches it.
  define: { __FTO_WIDGET__: 'false' },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' },
  },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // A poll returns as soon as it holds; the long ceiling is only for a machine busy with other
    // work (CI runs test files side by side on two cores), where 1 s was seen to be too short.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
  },
});
