import type { Flags } from './args.js';
import { ConfigError } from './values.js';

const defaults = {
  geocoder: null, // offline only: no post text leaves the machine unless asked
  geocoderUrl: 'https://nominatim.openstreetmap.org', // used only when a geocoder is named
};

/** The online fallback for posts the gazetteer cannot place. */
export interface GeocoderConfig {
  /** "nominatim", or null (the default: offline only). */
  geocoder: 'nominatim' | null;
  /** Nominatim base URL; used only when `geocoder` is set. */
  geocoderUrl: string;
}

export function parseGeocoderConfig(flags: Flags, env: NodeJS.ProcessEnv): GeocoderConfig {
  return {
    geocoder: parseGeocoder(
      flags.geocoder ?? env.FTO_GEOCODER,
      flags.geocoder ? '--geocoder' : 'FTO_GEOCODER',
    ),
    geocoderUrl: parseGeocoderUrl(
      flags['geocoder-url'] ?? env.FTO_GEOCODER_URL,
      flags['geocoder-url'] ? '--geocoder-url' : 'FTO_GEOCODER_URL',
    ),
  };
}

/** "nominatim" turns the online fallback on; empty or "none" keeps it off. */
function parseGeocoder(raw: string | undefined, source: string): GeocoderConfig['geocoder'] {
  const v = raw?.trim().toLowerCase();
  if (v === undefined || v === '' || v === 'none' || v === 'off') return defaults.geocoder;
  if (v === 'nominatim') return 'nominatim';
  throw new ConfigError(`${source} "${raw}" is not a geocoder (expected nominatim or none)`);
}

function parseGeocoderUrl(raw: string | undefined, source: string): string {
  if (raw === undefined || raw.trim() === '') return defaults.geocoderUrl;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${source} "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`${source} "${raw}" must be an http(s) URL`);
  return url.href.replace(/\/+$/, '');
}
