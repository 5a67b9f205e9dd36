import { z } from 'zod';
import { NETWORKS } from '../../shared/network.js';
import { ApiError, echo } from './errors.js';

/** A finite number from a query string, within [min, max]. */
export const num = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'is not a number')
    .transform(Number)
    .pipe(z.number().min(min, `is below ${min}`).max(max, `is above ${max}`));

/** A whole number from a query string, within [min, max]. */
export const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'is not a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `is below ${min}`).max(max, `is above ${max}`));

/** `w,s,e,n` in degrees; w may exceed e across the antimeridian, and span several worlds at low zoom. */
export const bbox = z.string().transform((s, ctx) => {
  const parts = s.split(',').map((p) => p.trim());
  const nums = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n))) {
    ctx.addIssue({ code: 'custom', message: 'is not four numbers w,s,e,n' });
    return z.NEVER;
  }
  const [w, s2, e, n] = nums as [number, number, number, number];
  if (Math.abs(w) > 540 || Math.abs(e) > 540) {
    ctx.addIssue({ code: 'custom', message: 'has a longitude outside -540..540' });
    return z.NEVER;
  }
  if (s2 < -90 || n > 90 || s2 > n) {
    ctx.addIssue({ code: 'custom', message: 'needs -90 ≤ s ≤ n ≤ 90' });
    return z.NEVER;
  }
  return [w, s2, e, n] as [number, number, number, number];
});

/** Parse req.query (or params) with a zod object; a bad value becomes a 400 that quotes it. */
export function parseParams<T extends z.ZodType>(
  schema: T,
  input: Record<string, unknown>,
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.join('.');
  const value = issue.path.reduce<unknown>(
    (v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey],
    input,
  );
  const shown = value === undefined ? 'missing' : echo(value);
  const message = issue.code === 'unrecognized_keys' ? issue.message : `${shown} ${issue.message}`;
  throw new ApiError(400, `${key || 'query'}: ${message}`);
}

/** `?network=fediverse|bluesky`: one network's contributors only (shared/network.ts). */
export const networkQuery = z.enum(NETWORKS as ['fediverse', 'bluesky']).optional();
