import { createRequire } from 'node:module';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

// The layer rules of .dependency-cruiser.cjs, run over the source tree in CI as well as in
// `npm run lint`: a breach of a "never" (docs/architecture.md) fails the build.
const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as IConfiguration;

describe('the layers', () => {
  it('names every rule docs/architecture.md promises', () => {
    expect(config.forbidden?.map((r) => r.name).sort()).toEqual([
      'api-not-collector',
      'client-not-server',
      'collector-not-api',
      'demo-only-for-demo',
      'geo-is-pure',
      'map-knows-no-http',
      'no-cycles',
      'server-not-client',
      'shared-is-shared',
      'store-knows-no-http',
    ]);
  });

  it('holds: no import crosses a layer it must not, and there are no cycles', async () => {
    const { output } = await cruise(['server', 'client', 'shared'], {
      ruleSet: { forbidden: config.forbidden },
      ...config.options,
      validate: true,
    } as never);
    const result = output as ICruiseResult;
    expect(result.summary.totalCruised).toBeGreaterThan(100);
    const breaches = result.summary.violations.map(
      (v) =>
        `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`,
    );
    expect(breaches).toEqual([]);
  }, 60_000);

  it('catches the API reaching collector code through another module, and only then', async () => {
    // tests/fixtures/layers: server/api/routes.ts imports config/campaigns.ts (nothing behind it)
    // and config/sources.ts (which imports collector/worker.ts).
    const { output } = await cruise(['server'], {
      ruleSet: { forbidden: config.forbidden },
      ...config.options,
      baseDir: 'tests/fixtures/layers',
      tsConfig: undefined,
      validate: true,
    } as never);
    const result = output as ICruiseResult;
    const breaches = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(breaches).toEqual([
      'api-not-collector: server/api/routes.ts → server/collector/worker.ts',
    ]);
  });
});
