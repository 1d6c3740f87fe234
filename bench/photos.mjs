/**
 * Distinct synthetic "skin photos" for soak tests: a skin-toned gradient, a darker blotch with a
 * ragged edge, and noise, all from a seed, encoded as RGB PNG (zlib). Photo i is never equal to
 * photo j, so nothing downstream can reuse an earlier result by hash.
 */
import { deflateSync } from 'node:zlib';

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(buf) {
  let c = ~0;
  for (let i = 0; i < buf.length; i++) c = CRC[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function syntheticPhoto(seed, width, height) {
  const rand = mulberry32(seed * 2654435761);
  const skin = [180 + rand() * 60, 130 + rand() * 50, 100 + rand() * 50];
  const spot = [60 + rand() * 70, 35 + rand() * 40, 25 + rand() * 35];
  const cx = width * (0.3 + rand() * 0.4);
  const cy = height * (0.3 + rand() * 0.4);
  const r0 = Math.min(width, height) * (0.08 + rand() * 0.15);
  const lobes = Array.from({ length: 6 }, () => [1 + Math.floor(rand() * 5), rand() * 0.25, rand() * Math.PI * 2]);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const a = Math.atan2(y - cy, x - cx);
      const edge = r0 * (1 + lobes.reduce((s, [k, amp, ph]) => s + amp * Math.sin(k * a + ph), 0));
      const d = Math.hypot(x - cx, y - cy) / edge;
      const w = d < 1 ? 1 : Math.max(0, 1 - (d - 1) * 4);
      const shade = 0.9 + 0.2 * (x / width) - 0.1 * (y / height);
      const noise = (rand() - 0.5) * 18;
      for (let c = 0; c < 3; c++) raw[row + 1 + x * 3 + c] = Math.max(0, Math.min(255, (skin[c] * (1 - w) + spot[c] * w) * shade + noise));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}
