import { describe, expect, it } from 'vitest';
import { exifTransform, readExifOrientation } from './exif';

function tiff(little: boolean, orientation?: number): DataView {
  const dv = new DataView(new ArrayBuffer(26));
  dv.setUint16(0, little ? 0x4949 : 0x4d4d);
  dv.setUint16(2, 42, little);
  dv.setUint32(4, 8, little);
  dv.setUint16(8, 1, little);
  dv.setUint16(10, orientation === undefined ? 0x0110 : 0x0112, little); // 0x0110: camera model
  dv.setUint16(12, 3, little);
  dv.setUint32(14, 1, little);
  dv.setUint16(18, orientation ?? 5, little);
  return dv;
}

describe('readExifOrientation', () => {
  it('reads the tag in both byte orders', () => {
    expect(readExifOrientation(tiff(true, 6), 0, 26)).toBe(6);
    expect(readExifOrientation(tiff(false, 8), 0, 26)).toBe(8);
  });
  it('is 1 when absent, out of range or out of bounds', () => {
    expect(readExifOrientation(tiff(true), 0, 26)).toBe(1);
    expect(readExifOrientation(tiff(true, 9), 0, 26)).toBe(1);
    expect(readExifOrientation(tiff(true, 6), 0, 20)).toBe(1);
    expect(readExifOrientation(tiff(true, 6), -4, 26)).toBe(1);
  });
});

describe('exifTransform', () => {
  const apply = (m: number[], x: number, y: number) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
  // Where the stored image's top-left and top-right corners land on the oriented canvas
  // (w = 4, h = 2 stored; pixel corners, as the canvas sees them).
  const expected: Record<number, [number[], number[]]> = {
    1: [[0, 0], [4, 0]],
    2: [[4, 0], [0, 0]],
    3: [[4, 2], [0, 2]],
    4: [[0, 2], [4, 2]],
    5: [[0, 0], [0, 4]],
    6: [[2, 0], [2, 4]],
    7: [[2, 4], [2, 0]],
    8: [[0, 4], [0, 0]],
  };
  for (const [o, [tl, tr]] of Object.entries(expected)) {
    it(`orientation ${o} maps the stored corners as exif_transpose does`, () => {
      const m = exifTransform(Number(o), 4, 2);
      expect(apply(m, 0, 0)).toEqual(tl);
      expect(apply(m, 4, 0)).toEqual(tr);
    });
  }
});
