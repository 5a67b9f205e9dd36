import type { Flags } from './args.js';
import { ConfigError, parseIntIn } from './values.js';

const day = 24 * 3600_000;

const defaults = {
  ttlMs: day, // an author's answer is trusted for a day
  unreachableAfterMs: 6 * 3600_000, // a home down this long falls under the unreachable policy
  unreachable: 'wait' as const, // keep its authors waiting: nobody is shown without an answer
  paceMs: 2000, // at most one request every 2 s to one home server
};

/** Consent look-ups on each author's home server (docs/consent.md). */
export interface ConsentConfig {
  /** How long an answer is trusted before the home is asked again (ms). */
  ttlMs: number;
  /** How long a home may fail before the unreachable policy applies (ms). */
  unreachableAfterMs: number;
  /** `wait`: keep waiting (default); `show`: show its authors once that time has passed. */
  unreachable: 'wait' | 'show';
  /** At least this long between two requests to one home (ms). */
  paceMs: number;
}

/** The consent flags, each from its flag, its variable or the config file's `consent` object. */
export function parseConsentConfig(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  file: Record<string, unknown>,
  configPath: string | null,
): ConsentConfig {
  const values = flags as Record<string, unknown>;
  const pick = (flag: string, envName: string, key: string): [string | undefined, string] => {
    if (typeof values[flag] === 'string') return [values[flag], `--${flag}`];
    if (env[envName] !== undefined) return [env[envName], envName];
    if (file[key] !== undefined) return [String(file[key]), `${configPath}: consent.${key}`];
    return [undefined, `--${flag}`];
  };
  const [unreachableRaw, unreachableSource] = pick(
    'consent-unreachable',
    'FTO_CONSENT_UNREACHABLE',
    'unreachable',
  );
  const unreachable = (unreachableRaw ?? defaults.unreachable).trim().toLowerCase();
  if (unreachable !== 'wait' && unreachable !== 'show')
    throw new ConfigError(`${unreachableSource}: "${unreachableRaw}" is not wait or show`);
  return {
    ttlMs: parseIntIn(
      ...pick('consent-ttl', 'FTO_CONSENT_TTL_MS', 'ttlMs'),
      defaults.ttlMs,
      1000,
      30 * day,
    ),
    unreachableAfterMs: parseIntIn(
      ...pick('consent-unreachable-after', 'FTO_CONSENT_UNREACHABLE_MS', 'unreachableAfterMs'),
      defaults.unreachableAfterMs,
      0,
      30 * day,
    ),
    unreachable,
    paceMs: parseIntIn(
      ...pick('consent-pace', 'FTO_CONSENT_PACE_MS', 'paceMs'),
      defaults.paceMs,
      0,
      600_000,
    ),
  };
}
