import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../../test/helpers/png';
import { parseManifest } from '../manifest';
import { bicubic, bilinear, FILTERS, precomputeCoeffs, PRECISION_BITS } from './pil-resample';
import { centerCropOffset, keepRatioSize, layout, normalizeCrop, preprocess, pyRound, resizedSize, resizeToCrop, type CropRegion, type ResizeSpec, type RgbaImage } from './index';

// Test inputs only: the app takes all of these from the bundle's manifest.
const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];
const SPEC: ResizeSpec = { size: 224, resize: 'shortest', interpolation: 'bicubic' };

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
  it('fits the longest side with round-half-even (open_clip ResizeKeepRatio)', () => {
    expect(keepRatioSize(640, 480, 224)).toEqual({ width: 224, height: 168 });
    expect(keepRatioSize(480, 720, 224)).toEqual({ width: 149, height: 224 }); // 149.33
    expect(keepRatioSize(20, 15, 224)).toEqual({ width: 224, height: 168 });
    expect(keepRatioSize(448, 5, 224)).toEqual({ width: 224, height: 2 }); // 2.5 -> 2 (half to even)
    expect(keepRatioSize(448, 7, 224)).toEqual({ width: 224, height: 4 }); // 3.5 -> 4
  });
  it('lays out each resize mode', () => {
    expect(layout(640, 480, SPEC)).toEqual({ width: 298, height: 224, left: 37, top: 0 });
    expect(layout(640, 480, { ...SPEC, resize: 'squash' })).toEqual({ width: 224, height: 224, left: 0, top: 0 });
    // 224 x 168, padded 28 above and below
    expect(layout(640, 480, { ...SPEC, resize: 'longest' })).toEqual({ width: 224, height: 168, left: 0, top: -28 });
    // 149 x 224: pad left (224-149)//2 = 37, right 38
    expect(layout(480, 720, { ...SPEC, resize: 'longest' })).toEqual({ width: 149, height: 224, left: -37, top: 0 });
    expect(() => layout(1000, 1, { ...SPEC, resize: 'longest' })).toThrow(/too thin/);
  });
  it('refuses a spec it cannot run', () => {
    const img = solid(30, 30, [0, 0, 0, 255]);
    expect(() => resizeToCrop(img, undefined, { ...SPEC, resize: 'crop' as never })).toThrow(/resize mode "crop"/);
    expect(() => resizeToCrop(img, undefined, { ...SPEC, interpolation: 'nearest' as never })).toThrow(/interpolation "nearest"/);
    expect(() => resizeToCrop(img, undefined, { ...SPEC, fill: 256 })).toThrow(/fill colour/);
    expect(() => resizeToCrop(img, undefined, { ...SPEC, size: 0 })).toThrow(/input size/);
  });
});

describe('Pillow filters and coefficients', () => {
  it('has the triangle bilinear kernel with support 1', () => {
    expect(bilinear(0)).toBe(1);
    expect(bilinear(-0.25)).toBe(0.75);
    expect(bilinear(1)).toBe(0);
    expect(FILTERS.bilinear.support).toBe(1);
    expect(FILTERS.bicubic.support).toBe(2);
    const c = precomputeCoeffs(1000, 100, 0, 100, FILTERS.bilinear);
    expect(c.ksize).toBe(21); // ceil(1 * 10) * 2 + 1
    expect(c.count[50]).toBe(20);
  });
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
    const c = precomputeCoeffs(4, 8, 0, 8, FILTERS.bicubic);
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
    const c = precomputeCoeffs(1000, 100, 0, 100, FILTERS.bicubic);
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
      const out = resizeToCrop(solid(w, h, [10, 128, 250, 255]), undefined, SPEC);
      expect(out.length).toBe(224 * 224 * 3);
      expect(Array.from(out.subarray(0, 3))).toEqual([10, 128, 250]);
      expect(Array.from(out.subarray(out.length - 3))).toEqual([10, 128, 250]);
    }
  });
  it('passes a 224 x 224 image through untouched, alpha dropped', () => {
    const img = solid(224, 224, [1, 2, 3, 0]);
    img.data[4 * 5] = 99;
    const out = resizeToCrop(img, undefined, SPEC);
    expect(Array.from(out.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(out[15]).toBe(99);
  });
  it('turns fully transparent pixels black when resampling (premultiplied alpha)', () => {
    const out = resizeToCrop(solid(300, 300, [200, 100, 50, 0]), undefined, SPEC);
    expect(maxOf(out)).toBe(0);
    const half = resizeToCrop(solid(300, 300, [200, 100, 50, 128]), undefined, SPEC);
    expect(Array.from(half.subarray(0, 3))).toEqual([199, 99, 49]); // MULDIV255 then 255*v/a, floored
  });
  it('crops the user region first, then resizes', () => {
    const img = solid(400, 300, [0, 0, 0, 255]);
    for (let y = 100; y < 200; y++) for (let x = 200; x < 300; x++) img.data.set([255, 255, 255, 255], (y * 400 + x) * 4);
    const out = resizeToCrop(img, { x: 200, y: 100, size: 100 }, SPEC);
    expect(minOf(out)).toBe(255);
    expect(() => resizeToCrop(img, { x: 350, y: 0, size: 100 }, SPEC)).toThrow(/does not fit/);
    expect(() => resizeToCrop({ data: new Uint8ClampedArray(7), width: 2, height: 2 }, undefined, SPEC)).toThrow(/inconsistent/);
  });
  it('pads with the fill colour in longest mode, alpha dropped', () => {
    const out = resizeToCrop(solid(448, 224, [9, 8, 7, 0]), undefined, { size: 224, resize: 'longest', interpolation: 'bilinear', fill: 77 });
    expect(Array.from(out.subarray(0, 3))).toEqual([77, 77, 77]); // top padding row
    expect(Array.from(out.subarray(112 * 224 * 3, 112 * 224 * 3 + 3))).toEqual([0, 0, 0]); // transparent -> black
  });
  it('is fast enough on a 4000 x 3000 photo', () => {
    const img = solid(4000, 3000, [90, 60, 40, 255]);
    for (let i = 0; i < img.data.length; i += 4 * 97) img.data[i] = i & 255;
    const t0 = performance.now();
    resizeToCrop(img, undefined, SPEC);
    const t1 = performance.now();
    resizeToCrop(img, undefined, { ...SPEC, resize: 'longest', interpolation: 'bilinear' });
    console.log(`resizeToCrop 4000x3000 -> 224: shortest bicubic ${(t1 - t0).toFixed(0)} ms, longest bilinear ${(performance.now() - t1).toFixed(0)} ms`);
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

interface PilCase extends ResizeSpec { image: string; crop: CropRegion | null; offset: number }

describe('parity with PIL: every resize mode x filter (tools/model/preprocess_cases.py)', () => {
  const dir = 'src/core/preprocess/testdata';
  const { cases } = JSON.parse(readFileSync(`${dir}/cases.json`, 'utf8')) as { cases: PilCase[] };
  const expected = new Uint8Array(readFileSync(`${dir}/expected.bin`));
  const images = new Map<string, RgbaImage>();
  const image = (f: string) => images.get(f) ?? images.set(f, decodePng(readFileSync(`${dir}/${f}`))).get(f)!;

  it('covers every mode, filter, fill and a user crop', () => {
    const kinds = new Set(cases.map((c) => `${c.resize}/${c.interpolation}`));
    expect(kinds.size).toBe(6);
    expect(cases.some((c) => c.fill !== 0) && cases.some((c) => c.crop)).toBe(true);
  });

  it.each(cases.map((c) => [`${c.image} ${c.crop ? `crop ${c.crop.size}@${c.crop.x},${c.crop.y} ` : ''}-> ${c.size} ${c.resize} ${c.interpolation} fill ${c.fill}`, c] as const))('%s', (_, c) => {
    const got = resizeToCrop(image(c.image), c.crop ?? undefined, c);
    const want = expected.subarray(c.offset, c.offset + c.size * c.size * 3);
    let diff = 0;
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) diff++;
    expect(diff, 'values differing from PIL').toBe(0);
  });
});

interface RefImage { name: string; decoded: string; crop: string; width: number; height: number }

describe.each(['demo-tiny', 'demo-tiny-gelu'])('parity with the PIL / open_clip references of %s', (bundle) => {
  const dir = `public/models/${bundle}`;
  const manifest = parseManifest(JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')));
  it('reproduces every reference crop and tensor with the manifest\'s preprocessing', () => {
    const images = JSON.parse(readFileSync(`${dir}/${manifest.references}`, 'utf8')).images as RefImage[];
    const spec = manifest.image;
    const lines: string[] = [];
    let worstCrop = 0;
    for (const r of images) {
      const img = decodePng(readFileSync(`${dir}/${r.decoded}`));
      const want = new Uint8Array(readFileSync(`${dir}/${r.crop}`));
      const t0 = performance.now();
      const got = resizeToCrop(img, undefined, spec);
      const ms = performance.now() - t0;
      let maxCrop = 0;
      let diff = 0;
      for (let i = 0; i < want.length; i++) {
        const d = Math.abs(got[i] - want[i]);
        if (d) diff++;
        maxCrop = Math.max(maxCrop, d);
      }
      const tGot = preprocess(img, undefined, spec);
      const tWant = normalizeCrop(want, spec.size, spec.mean, spec.std);
      expect(tGot).toEqual(tWant);
      worstCrop = Math.max(worstCrop, maxCrop);
      lines.push(`${r.name.padEnd(14)} ${img.width}x${img.height} png-type ${img.colorType}: crop max |d| ${maxCrop} (${diff} values differ), ${ms.toFixed(1)} ms`);
    }
    console.log(`preprocess parity, ${bundle} (${spec.resize} ${spec.interpolation} fill ${spec.fill}):\n${lines.join('\n')}`);
    expect(worstCrop).toBe(0);
  });
});
