import { describe, expect, it } from 'vitest';
import { releaseCanvas } from './canvas';

describe('releaseCanvas', () => {
  it('shrinks each canvas to 0 x 0 (its pixel buffer is freed at once) and skips missing ones', () => {
    const a = { width: 2000, height: 1500 } as OffscreenCanvas;
    const b = { width: 1600, height: 1200 } as OffscreenCanvas;
    releaseCanvas(a, null, undefined, b);
    expect([a.width, a.height, b.width, b.height]).toEqual([0, 0, 0, 0]);
  });
});
