import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// `npm test` builds first; this covers running `npx vitest` directly on a fresh checkout.
export default async function setup(): Promise<void> {
  if (!existsSync('data/gazetteer.db')) {
    const { buildGazetteer } = await import('../server/geo/build-gazetteer.js');
    await buildGazetteer();
  }
  if (existsSync('client/index.html') && !existsSync('dist/client/index.html')) {
    execFileSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
  }
  // Every map without tiles fetches its labels (and flags) from the widget build's folder.
  if (existsSync('vite.widget.config.ts') && !existsSync('dist/widget/map-labels.json')) {
    execFileSync(
      'node_modules/.bin/vite',
      ['build', '--config', 'vite.widget.config.ts', '--logLevel', 'warn'],
      { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
    );
  }
}
