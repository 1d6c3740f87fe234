/**
 * Test-only minimal PNG decoder (Node, node:zlib): 8-bit, non-interlaced, colour types gray,
 * RGB, palette (+tRNS), gray+alpha and RGBA, always returned as RGBA. Enough for the reference
 * `decoded` PNGs; the app itself decodes with the browser.
 */
import { inflateSync } from 'node:zlib';
import type { RgbaImage } from '../../src/core/preprocess';

export function decodePng(buf: Uint8Array): RgbaImage & { colorType: number } {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0, height = 0, depth = 0, colorType = 0, interlace = 0;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (pos < buf.length) {
    const len = dv.getUint32(pos);
    const type = String.fromCharCode(...buf.subarray(pos + 4, pos + 8));
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = dv.getUint32(pos + 8);
      height = dv.getUint32(pos + 12);
      depth = body[8];
      colorType = body[9];
      interlace = body[12];
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') trns = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (depth !== 8 || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, interlace ${interlace}`);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!channels) throw new Error(`unsupported PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const o = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? px[o + i - channels] : 0;
      const b = y > 0 ? px[o - stride + i] : 0;
      const c = y > 0 && i >= channels ? px[o - stride + i - channels] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[o + i] = v & 255;
    }
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const o = i * 4;
    if (colorType === 6) data.set(px.subarray(s, s + 4), o);
    else if (colorType === 2) (data[o] = px[s]), (data[o + 1] = px[s + 1]), (data[o + 2] = px[s + 2]), (data[o + 3] = 255);
    else if (colorType === 0 || colorType === 4) (data[o] = data[o + 1] = data[o + 2] = px[s]), (data[o + 3] = colorType === 4 ? px[s + 1] : 255);
    else {
      const k = px[s];
      (data[o] = palette![k * 3]), (data[o + 1] = palette![k * 3 + 1]), (data[o + 2] = palette![k * 3 + 2]), (data[o + 3] = trns && k < trns.length ? trns[k] : 255);
    }
  }
  return { data, width, height, colorType };
}
