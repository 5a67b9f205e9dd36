/**
 * The layers and their "nevers" (docs/architecture.md), checked by `npm run lint` and by
 * tests/architecture.test.ts (so CI fails on a breach). Paths are the source tree's.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'No import cycles, type-only ones included: each module can be read after what it uses.',
      from: { path: '^(server|client|shared)/' },
      to: { circular: true },
    },
    {
      name: 'shared-is-shared',
      severity: 'error',
      comment: 'shared/ is pure code for both sides: it imports neither the server nor the client.',
      from: { path: '^shared/' },
      to: { path: '^(server|client)/' },
    },
    {
      name: 'client-not-server',
      severity: 'error',
      comment: 'The browser bundle never pulls in server code.',
      from: { path: '^client/' },
      to: { path: '^server/' },
    },
    {
      name: 'server-not-client',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^client/' },
    },
    {
      name: 'store-knows-no-http',
      severity: 'error',
      comment:
        'The store is SQLite and events: no Express, no HTTP, no API or collector code, and not the map model that follows its changes.',
      from: { path: '^server/store/' },
      to: {
        path: [
          '^server/(api|collector|map)/',
          '^node_modules/(express|undici)/',
          '^(node:)?https?$',
        ],
      },
    },
    {
      name: 'map-knows-no-http',
      severity: 'error',
      comment:
        'The map model is memory fed by the store: no Express, no HTTP, no API or collector code, no SQL of its own.',
      from: { path: '^server/map/' },
      to: {
        path: [
          '^server/(api|collector)/',
          '^server/store/db\\.ts$',
          '^node_modules/(express|undici|better-sqlite3)/',
          '^(node:)?https?$',
        ],
      },
    },
    {
      name: 'api-not-collector',
      severity: 'error',
      comment:
        'Loading the API never loads collector code, directly or through anything it imports (server/config/ included): the check follows every import chain.',
      from: { path: '^server/api/' },
      to: { path: '^server/collector/', reachable: true },
    },
    {
      name: 'collector-not-api',
      severity: 'error',
      from: { path: '^server/collector/' },
      to: { path: '^server/api/' },
    },
    {
      name: 'geo-is-pure',
      severity: 'error',
      comment:
        'The locator and gazetteer read no sources and serve no HTTP (the online fallback, which does fetch, is the one named exception). server/text/html-text.ts is allowed: it is pure, and the one HTML-to-text the collector uses too.',
      from: { path: '^server/geo/', pathNot: '^server/geo/fallback(-queue|-server)?\\.ts$' },
      to: { path: ['^server/(api|collector|store)/', '^node_modules/express/'] },
    },
    {
      name: 'demo-only-for-demo',
      severity: 'error',
      comment:
        'The demo fediverse is for the demo command, tests and benchmarks, never production code.',
      from: {
        path: '^(server|client|shared)/',
        pathNot: ['^server/demo/', '^server/demo-command\\.ts$', '^server/cli\\.ts$'],
      },
      to: { path: '^server/demo/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|tests/artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
