import { createHash } from 'node:crypto';
import { escapeHtml } from './status-html.js';

/** A square SVG with the initials of `name` on a colour derived from `seed`; no external images. */
export function toAvatarSvg(name: string, seed: string = name): string {
  const words = name
    .replace(/:[\w]+:/g, '')
    .split(/[\s._-]+/u)
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
  const initials = words
    .slice(0, 2)
    .map((word) => [...word.replace(/[^\p{L}\p{N}]/gu, '')][0] ?? '')
    .join('')
    .toUpperCase();
  const hue = createHash('md5').update(seed).digest()[0]! * (360 / 256);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">` +
    `<rect width="120" height="120" fill="hsl(${hue.toFixed(0)} 55% 45%)"/>` +
    `<text x="60" y="60" dy=".35em" text-anchor="middle" font-family="sans-serif" font-size="48" fill="#fff">${escapeHtml(initials || '?')}</text>` +
    `</svg>`
  );
}
