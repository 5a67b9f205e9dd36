/** `baseMs` doubled for each strike in a row, up to `maxMs`: the wait after `strikes` failures. */
export function doubledWait(baseMs: number, maxMs: number, strikes: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(strikes, 20));
}

/** A doubled wait in a jitter band (×0.5 to ×1.5), so instances that recover are not stampeded. */
export function jitteredBackoff(
  tuning: { minBackoffMs: number; maxBackoffMs: number },
  failures: number,
  random: () => number,
): number {
  return Math.round(
    doubledWait(tuning.minBackoffMs, tuning.maxBackoffMs, failures) * (0.5 + random()),
  );
}
