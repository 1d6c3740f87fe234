import { describe, expect, it } from 'vitest';
import { workingCrop } from './diagnosis';

describe('workingCrop', () => {
  it('keeps the centre crop as undefined', () => {
    expect(workingCrop(undefined, 0.5, 100, 100)).toBeUndefined();
  });
  it('scales to whole pixels inside the working image', () => {
    expect(workingCrop({ x: 624, y: 200, size: 1600 }, 1344 / 2000, 2021, 1344)).toEqual({ x: 419, y: 134, size: 1075 });
    expect(workingCrop({ x: 1400, y: 0, size: 2000 }, 1344 / 2000, 2021, 1344)).toEqual({ x: 677, y: 0, size: 1344 });
  });
});
