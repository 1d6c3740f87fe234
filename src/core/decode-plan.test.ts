import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { FULL_DECODE_BUDGET, decodeSize, jpegEighths, planDecode } from './decode-plan';
import type { GifLayout } from './gif-frames';
import type { ImageKind, SniffResult } from './image-sniff';

const sniff = (kind: ImageKind, width: number, height: number, extra: Partial<SniffResult> = {}): SniffResult => ({ kind, width, height, orientation: 1, complete: true, ...extra });
const opts = { workingShortSide: 1344, scaledJpeg: true };

function refusal(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

describe('decodeSize', () => {
  it('keeps photos whose shortest side is small enough', () => {
    expect(decodeSize(1600, 1200, 1344)).toEqual({ width: 1600, height: 1200, scale: 1 });
  });
  it('scales a 48 MP photo so its shortest side is the working size', () => {
    expect(decodeSize(8000, 6000, 1344)).toMatchObject({ width: 1792, height: 1344 });
  });
});

describe('jpegEighths', () => {
  it('picks the smallest n/8 that keeps the shortest side at least the working size', () => {
    expect(jpegEighths(16320, 12240, 1344)).toBe(1); // 200 MP -> 2040 x 1530
    expect(jpegEighths(4000, 3000, 1344)).toBe(4); // 12 MP -> 2000 x 1500
    expect(jpegEighths(3008, 2000, 1344)).toBe(6); // 2256 x 1500
    expect(jpegEighths(1600, 1200, 1344)).toBe(8); // small: no reduction
    expect(jpegEighths(100, 100000, 1344)).toBe(8);
  });
});

describe('planDecode', () => {
  it('decodes phone JPEGs of any size at a reduced scale: 50, 108 and 200 MP', () => {
    const p200 = planDecode(sniff('jpeg', 16320, 12240), 'p.jpg', opts);
    expect(p200).toMatchObject({ method: 'jpeg-scaled', width: 16320, height: 12240, decodeWidth: 2040, decodeHeight: 1530, eighths: 1, workingWidth: 2040, workingHeight: 1530 });
    expect(planDecode(sniff('jpeg', 12000, 9000), 'p.jpg', opts)).toMatchObject({ method: 'jpeg-scaled', eighths: 2, decodeWidth: 3000, decodeHeight: 2250 });
    expect(planDecode(sniff('jpeg', 8160, 6120), 'p.jpg', opts)).toMatchObject({ method: 'jpeg-scaled', eighths: 2, decodeWidth: 2040, decodeHeight: 1530 });
  });
  it('rounds a scaled JPEG side up as libjpeg does, and swaps it for EXIF orientations 5..8', () => {
    const p = planDecode(sniff('jpeg', 4001, 3001, { orientation: 6 }), 'p.jpg', opts);
    expect(p).toMatchObject({ width: 3001, height: 4001, decodeWidth: 2001, decodeHeight: 1501, workingWidth: 1501, workingHeight: 2001 });
  });
  it('decodes small JPEGs and every other format in full, downscaled to the working size', () => {
    expect(planDecode(sniff('jpeg', 1600, 1200), 'p.jpg', opts)).toMatchObject({ method: 'bitmap', workingWidth: 1600, workingHeight: 1200 });
    expect(planDecode(sniff('png', 8000, 6000), 'p.png', opts)).toMatchObject({ method: 'bitmap', workingWidth: 1792, workingHeight: 1344 });
    expect(planDecode(sniff('heic', 4032, 3024), 'p.heic', opts)).toMatchObject({ method: 'heic', workingWidth: 1792, workingHeight: 1344 });
  });
  it('opens a PNG up to the budget and refuses one above it, saying the budget and how to shrink it', () => {
    expect(planDecode(sniff('png', 10000, 10000), 'ok.png', opts).method).toBe('bitmap');
    const e = refusal(() => planDecode(sniff('png', 12000, 12000), 'huge.png', opts));
    expect(e.code).toBe('image-too-large');
    expect(e.message).toBe('"huge.png" is 12000 × 12000 pixels (144 MP). A PNG image is decoded in full, and the largest this app decodes in full is 100 MP (400 MB of memory).');
    expect(e.hint).toContain('Save it as a JPEG (a JPEG of any size opens)');
    expect(e.hint).toContain('10000 × 10000');
    expect(refusal(() => planDecode(sniff('webp', 16383, 16383), 'big.webp', opts)).message).toContain('A WebP image is decoded in full');
    expect(refusal(() => planDecode(sniff('heic', 12000, 12000), 'big.heic', opts)).hint).toContain('Export it as a JPEG');
  });
  it('uses the budget it is given', () => {
    expect(refusal(() => planDecode(sniff('png', 3000, 3000), 'x.png', { ...opts, budget: 4_000_000 })).message).toContain('4 MP (16 MB of memory)');
  });
  it('refuses a big JPEG in full when the browser cannot decode at a reduced scale', () => {
    const e = refusal(() => planDecode(sniff('jpeg', 16320, 12240), 'p.jpg', { ...opts, scaledJpeg: false }));
    expect(e.message).toContain('this browser cannot decode a JPEG at a reduced size');
    expect(planDecode(sniff('jpeg', 8000, 6000), 'p.jpg', { ...opts, scaledJpeg: false })).toMatchObject({ method: 'bitmap', workingHeight: 1344 });
  });
  it('refuses a photo whose header gives no size', () => {
    expect(refusal(() => planDecode(sniff('heic', 0, 0), 'x.heic', opts)).message).toBe('"x.heic" could not be opened: its HEIC/HEIF header does not give its size in pixels (the file is damaged).');
  });
  it('names the codec of a HEIF variant the HEIC decoder cannot decode', () => {
    const heif = (primaryType: string) => ({ majorBrand: 'heic', brands: [], primaryType, width: 600, height: 400, rotation: 0, mirrored: false, exifOrientation: 1 });
    const e = refusal(() => planDecode(sniff('heic', 600, 400, { heif: heif('vvc1') }), 'x.heic', opts));
    expect(e.code).toBe('image-unsupported');
    expect(e.message).toBe('"x.heic" is a HEIF image coded with VVC (H.266), a HEIC/HEIF variant this app cannot decode (it decodes HEVC, as iPhones and most phones write it).');
    expect(refusal(() => planDecode(sniff('heic', 600, 400, { heif: heif('zz<9') }), 'y.heic', opts)).message).toContain("coded with 'zz<9'");
    for (const t of ['hvc1', 'grid']) expect(planDecode(sniff('heic', 600, 400, { heif: heif(t) }), 'ok.heic', opts).method).toBe('heic');
  });
  it('checks every GIF frame, not the header', () => {
    const layout = (frames: GifLayout['frames'], w = 1, h = 1): GifLayout => {
      const spanWidth = Math.max(w, ...frames.map((f) => f.left + f.width));
      const spanHeight = Math.max(h, ...frames.map((f) => f.top + f.height));
      return { screenWidth: w, screenHeight: h, frames, truncatedList: false, width: spanWidth, height: spanHeight, largestFramePixels: 0, spanWidth, spanHeight, complete: true };
    };
    const bomb = layout([{ left: 0, top: 0, width: 12000, height: 12000 }]);
    const e = refusal(() => planDecode(sniff('gif', 12000, 12000, { gif: bomb }), 'bomb.gif', opts));
    expect(e.message).toBe('"bomb.gif" holds a frame of 12000 × 12000 pixels (144 MP) although its header says 1 × 1; the largest image this app decodes in full is 100 MP (400 MB of memory).');
    // A small first frame and a huge later one: the shown size is small, the frame is still refused.
    const later = layout([{ left: 0, top: 0, width: 100, height: 100 }, { left: 0, top: 0, width: 11000, height: 11000 }], 100, 100);
    expect(refusal(() => planDecode(sniff('gif', 100, 100, { gif: later }), 'later.gif', opts)).message).toContain('holds a frame of 11000 × 11000 pixels');
    // Frames that fit one by one but together span more than the budget.
    const spread = layout([{ left: 0, top: 0, width: 9000, height: 9000 }, { left: 8000, top: 8000, width: 3000, height: 3000 }], 10, 10);
    expect(refusal(() => planDecode(sniff('gif', 9000, 9000, { gif: spread }), 'spread.gif', opts)).message).toContain('has frames spanning 11000 × 11000 pixels');
    const fine = layout([{ left: 0, top: 0, width: 5000, height: 4000 }]);
    expect(planDecode(sniff('gif', 5000, 4000, { gif: fine }), 'fine.gif', opts)).toMatchObject({ method: 'bitmap', width: 5000, height: 4000 });
  });
  it('states the budget as 100 MP', () => {
    expect(FULL_DECODE_BUDGET).toBe(100_000_000);
  });
});
