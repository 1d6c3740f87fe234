import { describe, expect, it } from 'vitest';
import { centreCrop, clampCrop, isCentreCrop, workingCrop } from './crop';

describe('workingCrop', () => {
  it('keeps the centre crop as undefined', () => {
    expect(workingCrop(undefined, 0.5, 100, 100)).toBeUndefined();
  });
  it('scales to whole pixels inside the working image', () => {
    expect(workingCrop({ x: 624, y: 200, size: 1600 }, 1344 / 2000, 2021, 1344)).toEqual({ x: 419, y: 134, size: 1075 });
    expect(workingCrop({ x: 1400, y: 0, size: 2000 }, 1344 / 2000, 2021, 1344)).toEqual({ x: 677, y: 0, size: 1344 });
  });
});

describe('centreCrop and clampCrop', () => {
  it('centres the shortest side', () => {
    expect(centreCrop(3008, 2000)).toEqual({ x: 504, y: 0, size: 2000 });
    expect(centreCrop(10, 31)).toEqual({ x: 0, y: 11, size: 10 });
    expect(isCentreCrop({ x: 504, y: 0, size: 2000 }, 3008, 2000)).toBe(true);
    expect(isCentreCrop({ x: 503, y: 0, size: 2000 }, 3008, 2000)).toBe(false);
  });
  it('keeps the square inside the photo and at least minSize', () => {
    expect(clampCrop({ x: -50, y: 1900, size: 100 }, 3008, 2000, 224)).toEqual({ x: 0, y: 1776, size: 224 });
    expect(clampCrop({ x: 2990.4, y: 0, size: 5000 }, 3008, 2000, 224)).toEqual({ x: 1008, y: 0, size: 2000 });
    expect(clampCrop({ x: 0, y: 0, size: 10 }, 100, 50, 224)).toEqual({ x: 0, y: 0, size: 50 });
  });
});
