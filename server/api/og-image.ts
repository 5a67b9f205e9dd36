import { crc32, deflateSync } from 'node:zlib';

/** A city to draw: where, and how many people. */
export interface Dot {
  lat: number;
  lng: number;
  count: number;
}

const width = 1200; // the size Open Graph consumers crop to (1.91:1)
const height = 630;

function hexToRgb(hex: string | null): [number, number, number] {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex ?? '');
  if (!m) return [23, 37, 84]; // a deep blue that reads as "night map"
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/**
 * The social-preview card: the campaign's cities as light dots on its accent colour, in an
 * equirectangular projection. PNG, because link previews on Mastodon and elsewhere do not render SVG.
 */
export function ogImagePng(dots: Dot[], accentColor: string | null): Buffer {
  const [r, g, b] = hexToRgb(accentColor);
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const mapH = height - 30;
  const mapW = mapH * 2;
  const left = (width - mapW) / 2;
  for (const d of dots) {
    const cx = left + ((d.lng + 180) / 360) * mapW;
    const cy = 15 + ((90 - d.lat) / 180) * mapH;
    const rad = Math.min(14, 1.5 + Math.log2(1 + d.count));
    for (let y = Math.floor(cy - rad); y <= Math.ceil(cy + rad); y++) {
      if (y < 0 || y >= height) continue;
      for (let x = Math.floor(cx - rad); x <= Math.ceil(cx + rad); x++) {
        if (x < 0 || x >= width || (x - cx) ** 2 + (y - cy) ** 2 > rad * rad) continue;
        const o = y * stride + 1 + x * 3;
        raw[o] = raw[o + 1] = raw[o + 2] = 250;
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
