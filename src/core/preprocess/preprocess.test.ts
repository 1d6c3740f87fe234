import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../../test/helpers/png';
import { bicubic, precomputeCoeffs, PRECISION_BITS } from './pil-resample';
import { centerCropOffset, normalizeCrop, preprocess, pyRound, resizedSize, resizeToCrop, type RgbaImage } from './index';

const BUNDLE = 'public/models/demo-tiny';
const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];

const maxOf = (a: Uint8Array) => a.reduce((m, v) => Math.max(m, v), 0);
const minOf = (a: Uint8Array) => a.reduce((m, v) => Math.min(m, v), 255);

function solid(width: number, height: number, rgba: number[]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set(rgba, i * 4);
  return { data, width, height };
}

describe('size rules (torchvision)', () => {
  it('resizes the shortest side and truncates the other', () => {
    expect(resizedSize(640, 480, 224)).toEqual({ width: 298, height: 224 });
    expect(resizedSize(333, 501, 224)).toEqual({ width: 224, height: 337 });
    expect(resizedSize(4000, 3000, 224)).toEqual({ width: 298, height: 224 });
    expect(resizedSize(20, 15, 224)).toEqual({ width: 298, height: 224 });
    expect(resizedSize(300, 300, 224)).toEqual({ width: 224, height: 224 });
  });
  it('centre-crops with Python round (half to even)', () => {
    expect(pyRound(0.5)).toBe(0);
    expect(pyRound(1.5)).toBe(2);
    expect(pyRound(2.5)).toBe(2);
    expect(centerCropOffset(225, 224)).toBe(0);
    expect(centerCropOffset(227, 224)).toBe(2);
    expect(centerCropOffset(298, 224)).toBe(37);
  });
});

describe('Pillow bicubic coefficients', () => {
  it('has the a = -0.5 kernel', () => {
    expect(bicubic(0)).toBe(1);
    expect(bicubic(1)).toBeCloseTo(0, 15);
    expect(bicubic(0.5)).toBeCloseTo(0.5625, 12);
    expect(bicubic(1.5)).toBeCloseTo(-0.0625, 12);
    expect(bicubic(2)).toBe(0);
  });
  it('matches hand-computed fixed-point weights for a 2x upscale', () => {
    // 4 -> 8: output 0 has centre 0.25; xmin = int(-1.25) -> 0, xmax = int(2.75) = 2;
    // tap x sits at distance x - 0.25 + 0.5 from the centre: 0.25 and 1.25.
    const c = precomputeCoeffs(4, 8, 0, 8);
    expect(c.ksize).toBe(5);
    expect(c.start[0]).toBe(0);
    expect(c.count[0]).toBe(2);
    const w = [bicubic(0.25), bicubic(1.25)];
    const sum = w[0] + w[1];
    const one = 1 << PRECISION_BITS;
    const fixed = w.map((v) => Math.sign(v) * Math.trunc(0.5 + Math.abs((v / sum) * one)));
    expect(Array.from(c.k.subarray(0, 2))).toEqual(fixed);
    // output 3: centre 1.75, taps 0..3 at 1.75-... distances
    expect(c.start[3]).toBe(0);
    expect(c.count[3]).toBe(4);
  });
  it('widens the support when downscaling (antialias)', () => {
    const c = precomputeCoeffs(1000, 100, 0, 100);
    expect(c.ksize).toBe(41);
    expect(c.count[50]).toBe(40);
    let s = 0;
    for (let i = 0; i < c.count[50]; i++) s += c.k[50 * c.ksize + i];
    expect(Math.abs(s - (1 << PRECISION_BITS))).toBeLessThan(40);
  });
});

describe('resizeToCrop', () => {
  it('keeps a flat colour flat at any scale', () => {
    for (const [w, h] of [[20, 15], [640, 480], [224, 224], [1000, 300]]) {
      const out = resizeToCrop(solid(w, h, [10, 128, 250, 255]));
      expect(out.length).toBe(224 * 224 * 3);
      expect(Array.from(out.subarray(0, 3))).toEqual([10, 128, 250]);
      expect(Array.from(out.subarray(out.length - 3))).toEqual([10, 128, 250]);
    }
  });
  it('passes a 224 x 224 image through untouched, alpha dropped', () => {
    const img = solid(224, 224, [1, 2, 3, 0]);
    img.data[4 * 5] = 99;
    const out = resizeToCrop(img);
    expect(Array.from(out.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(out[15]).toBe(99);
  });
  it('turns fully transparent pixels black when resampling (premultiplied alpha)', () => {
    const out = resizeToCrop(solid(300, 300, [200, 100, 50, 0]));
    expect(maxOf(out)).toBe(0);
    const half = resizeToCrop(solid(300, 300, [200, 100, 50, 128]));
    expect(Array.from(half.subarray(0, 3))).toEqual([199, 99, 49]); // MULDIV255 then 255*v/a, floored
  });
  it('crops the user region first, then resizes', () => {
    const img = solid(400, 300, [0, 0, 0, 255]);
    for (let y = 100; y < 200; y++) for (let x = 200; x < 300; x++) img.data.set([255, 255, 255, 255], (y * 400 + x) * 4);
    const out = resizeToCrop(img, { x: 200, y: 100, size: 100 });
    expect(minOf(out)).toBe(255);
    expect(() => resizeToCrop(img, { x: 350, y: 0, size: 100 })).toThrow(/does not fit/);
    expect(() => resizeToCrop({ data: new Uint8ClampedArray(7), width: 2, height: 2 })).toThrow(/inconsistent/);
  });
  it('is fast enough on a 4000 x 3000 photo', () => {
    const img = solid(4000, 3000, [90, 60, 40, 255]);
    for (let i = 0; i < img.data.length; i += 4 * 97) img.data[i] = i & 255;
    const t0 = performance.now();
    resizeToCrop(img);
    console.log(`resizeToCrop 4000x3000 -> 224: ${(performance.now() - t0).toFixed(0)} ms`);
  });
});

describe('normalizeCrop', () => {
  it('computes (v/255 - mean)/std channels first', () => {
    const crop = new Uint8Array(2 * 2 * 3);
    crop.set([255, 0, 128], 0);
    const t = normalizeCrop(crop, 2, MEAN, STD);
    expect(t.length).toBe(12);
    expect(t[0]).toBeCloseTo((1 - MEAN[0]) / STD[0], 5);
    expect(t[4]).toBeCloseTo((0 - MEAN[1]) / STD[1], 5);
    expect(t[8]).toBeCloseTo((128 / 255 - MEAN[2]) / STD[2], 5);
    expect(t[1]).toBeCloseTo(-MEAN[0] / STD[0], 5);
  });
});

interface RefImage { name: string; decoded: string; crop: string; width: number; height: number }

describe('parity with PIL / open_clip references', () => {
  const refPath = `${BUNDLE}/references/references.json`;
  it('reproduces every reference crop and tensor', (ctx) => {
    if (!existsSync(refPath)) {
      console.warn(`skipped: ${refPath} not built yet (npm run model:fixture)`);
      return ctx.skip();
    }
    const images = JSON.parse(readFileSync(refPath, 'utf8')).images as RefImage[];
    const lines: string[] = [];
    let worstCrop = 0;
    let worstTensor = 0;
    for (const r of images) {
      const img = decodePng(readFileSync(`${BUNDLE}/${r.decoded}`));
      const want = new Uint8Array(readFileSync(`${BUNDLE}/${r.crop}`));
      const t0 = performance.now();
      const got = resizeToCrop(img, undefined, 224);
      const ms = performance.now() - t0;
      let maxCrop = 0;
      let diff = 0;
      for (let i = 0; i < want.length; i++) {
        const d = Math.abs(got[i] - want[i]);
        if (d) diff++;
        maxCrop = Math.max(maxCrop, d);
      }
      const tGot = preprocess(img, undefined, { size: 224, mean: MEAN, std: STD });
      const tWant = normalizeCrop(want, 224, MEAN, STD);
      let maxT = 0;
      for (let i = 0; i < tWant.length; i++) maxT = Math.max(maxT, Math.abs(tGot[i] - tWant[i]));
      worstCrop = Math.max(worstCrop, maxCrop);
      worstTensor = Math.max(worstTensor, maxT);
      lines.push(`${r.name.padEnd(14)} ${img.width}x${img.height} png-type ${img.colorType}: crop max |d| ${maxCrop} (${diff} values differ), tensor max |d| ${maxT.toExponential(2)}, ${ms.toFixed(1)} ms`);
    }
    console.log(`preprocess parity:\n${lines.join('\n')}`);
    expect(worstCrop).toBeLessThanOrEqual(1);
    expect(worstTensor).toBeLessThanOrEqual(0.02);
  });
});
