import { existsSync } from 'node:fs';
import { buildGazetteer } from '../../server/geo/build-gazetteer.js';
import { openGazetteer } from '../../server/geo/gazetteer.js';
import type { Gazetteer } from '../../server/geo/gazetteer.js';
import { defaultGazetteerPath } from '../../server/paths.js';

/** Open data/gazetteer.db, building it first on a fresh checkout. */
export async function ensureGazetteer(): Promise<Gazetteer> {
  const path = defaultGazetteerPath();
  if (!existsSync(path)) await buildGazetteer();
  try {
    return openGazetteer(path);
  } catch (err) {
    // An older build (schema change) is rebuilt rather than failing every test.
    if (!/schema/.test(String(err))) throw err;
    await buildGazetteer();
    return openGazetteer(path);
  }
}
