/** Raised for bad flags, environment or config file; the message names the bad value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A whole number from a flag or variable, within min..max; `fallback` when not given. */
export function parseIntIn(
  raw: string | undefined,
  source: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${source}: "${raw}" is not a whole number`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${source}: ${raw} is outside ${min}..${max}`);
  return n;
}

/** A comma-separated variable as its trimmed items; undefined when unset or blank. */
export { splitList } from '../../shared/list.js';

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
