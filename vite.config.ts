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
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // A poll returns as soon as it holds; the long ceiling is only for a machine busy with other
    // work (CI runs test files side by side on two cores), where 1 s was seen to be too short.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // One suite, two engines: everything on SQLite, and the suites that touch the store again on
    // PostgreSQL (tests/helpers/test-db.ts opens each test's database on the engine named here).
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['tests/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [
            'tests/store/**/*.test.ts',
            'tests/api/**/*.test.ts',
            'tests/collector/**/*.test.ts',
            'tests/lease-keeper.test.ts',
            'tests/multi/several-servers.test.ts',
            'tests/multi/start-together.test.ts',
            'tests/multi/balancer.test.ts',
            'tests/multi/map.test.ts',
          ],
          exclude: [
            // SQLite's own: file backups, user_version, and the engine tests that already cover both
            'tests/store/backup.test.ts',
            'tests/store/migrations.test.ts',
            'tests/store/pg-*.test.ts',
            'tests/store/postgres-cluster.test.ts',
          ],
          env: { FTO_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
