import { describe, expect, it } from 'vitest';
import { readGifLayout } from './gif-frames';

const le16 = (v: number) => [v & 255, v >> 8];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

interface Frame {
  left?: number;
  top?: number;
  width: number;
  height: number;
  localTable?: boolean;
}

/** A structurally valid GIF (the LZW data is a token sub-block: only the layout is read). */
function gif(screen: [number, number], frames: Frame[], opts: { globalTable?: boolean; trailer?: boolean; extensions?: boolean } = {}): Uint8Array {
  const out: number[] = [...ascii('GIF89a'), ...le16(screen[0]), ...le16(screen[1]), opts.globalTable ? 0x81 : 0, 0, 0];
  if (opts.globalTable) out.push(...new Array(12).fill(7)); // 4 entries x 3 bytes
  if (opts.extensions) {
    out.push(0x21, 0xff, 11, ...ascii('NETSCAPE2.0'), 3, 1, 0, 0, 0); // looping
    out.push(0x21, 0xfe, 5, ...ascii('hello'), 3, ...ascii('abc'), 0); // comment in 2 sub-blocks
  }
  for (const f of frames) {
    if (opts.extensions) out.push(0x21, 0xf9, 4, 0, 10, 0, 0, 0); // graphic control
    out.push(0x2c, ...le16(f.left ?? 0), ...le16(f.top ?? 0), ...le16(f.width), ...le16(f.height), f.localTable ? 0x82 : 0);
    if (f.localTable) out.push(...new Array(24).fill(0x2c)); // 8 entries; bytes that look like descriptors
    out.push(2, 3, 0x44, 0x01, 0xff, 0); // LZW min code size 2, one sub-block of 3 bytes, end
  }
  if (opts.trailer !== false) out.push(0x3b);
  return new Uint8Array(out);
}

describe('readGifLayout', () => {
  it('reads the classic 1 x 1 GIF', () => {
    const b = new Uint8Array([...ascii('GIF89a'), 1, 0, 1, 0, 0x80, 0, 0, 255, 255, 255, 0, 0, 0, 0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3b]);
    const g = readGifLayout(b)!;
    expect(g).toMatchObject({ screenWidth: 1, screenHeight: 1, width: 1, height: 1, complete: true, largestFramePixels: 1 });
    expect(g.frames).toEqual([{ left: 0, top: 0, width: 1, height: 1 }]);
  });

  it('sees a first frame far larger than the header says (the browser enlarges to it)', () => {
    const g = readGifLayout(gif([1, 1], [{ width: 12000, height: 12000 }]))!;
    expect(g).toMatchObject({ screenWidth: 1, screenHeight: 1, width: 12000, height: 12000, largestFramePixels: 144_000_000, complete: true });
  });

  it('sees a huge later frame and the span of offset frames', () => {
    const g = readGifLayout(gif([100, 80], [{ width: 100, height: 80 }, { left: 50, top: 10, width: 12000, height: 9000 }], { extensions: true, globalTable: true }))!;
    expect(g.frames).toHaveLength(2);
    expect(g.width).toBe(100); // later frames are clipped to the screen by the browser
    expect(g.largestFramePixels).toBe(108_000_000);
    expect([g.spanWidth, g.spanHeight]).toEqual([12050, 9010]);
  });

  it('counts an offset first frame into the shown size', () => {
    const g = readGifLayout(gif([10, 10], [{ left: 30, top: 5, width: 20, height: 20 }]))!;
    expect([g.width, g.height]).toEqual([50, 25]);
  });

  it('skips colour tables and extensions without mistaking their bytes for blocks', () => {
    const g = readGifLayout(gif([64, 48], [{ width: 64, height: 48, localTable: true }, { width: 32, height: 16, localTable: true }], { globalTable: true, extensions: true }))!;
    expect(g.frames.map((f) => [f.width, f.height])).toEqual([
      [64, 48],
      [32, 16],
    ]);
    expect(g.complete).toBe(true);
  });

  it('reports a cut-short or damaged file as incomplete', () => {
    const whole = gif([20, 20], [{ width: 20, height: 20 }, { width: 20, height: 20 }]);
    for (const n of [14, 20, 30, whole.length - 1]) expect(readGifLayout(whole.subarray(0, n))!.complete, `cut at ${n}`).toBe(false);
    const damaged = whole.slice();
    damaged[13] = 0x99; // not an extension, image or trailer
    expect(readGifLayout(damaged)).toMatchObject({ complete: false, frames: [] });
    expect(readGifLayout(gif([20, 20], [{ width: 20, height: 20 }], { trailer: false }))!.complete).toBe(false);
  });

  it('stops listing after maxFrames and says so', () => {
    const many = gif([4, 4], Array.from({ length: 50 }, () => ({ width: 4, height: 4 })));
    const g = readGifLayout(many, 10)!;
    expect(g.frames).toHaveLength(10);
    expect(g.truncatedList).toBe(true);
    expect(readGifLayout(many)!.frames).toHaveLength(50);
  });

  it('is null for anything that is not a GIF', () => {
    expect(readGifLayout(new Uint8Array(ascii('GIF90a.......')))).toBeNull();
    expect(readGifLayout(new Uint8Array([0xff, 0xd8, 0xff]))).toBeNull();
  });
});
