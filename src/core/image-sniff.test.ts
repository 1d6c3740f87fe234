import { describe, expect, it } from 'vitest';
import { orientedSize, sniffImage } from './image-sniff';

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));
const u16 = (v: number) => [v >> 8, v & 255];
const u32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

function jpeg(width: number, height: number, orientation?: number, complete = true): Uint8Array {
  const exif = orientation
    ? [0xff, 0xe1, ...u16(2 + 6 + 8 + 2 + 12 + 4), ...bytes('Exif', [0, 0], 'MM', [0, 42], u32(8)), ...u16(1), ...u16(0x0112), ...u16(3), ...u32(1), ...u16(orientation), 0, 0, ...u32(0)]
    : [];
  const sof = [0xff, 0xc0, ...u16(17), 8, ...u16(height), ...u16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return new Uint8Array([0xff, 0xd8, ...exif, ...sof, 0xff, 0xda, 0, 2, 1, 2, 3, ...(complete ? [0xff, 0xd9] : [])]);
}

function png(width: number, height: number, complete = true): Uint8Array {
  const iend = [0, 0, 0, 0, ...bytes('IEND'), 0xae, 0x42, 0x60, 0x82];
  return bytes([0x89], 'PNG', [13, 10, 26, 10], u32(13), 'IHDR', u32(width), u32(height), [8, 6, 0, 0, 0], u32(0), complete ? iend : [0, 0]);
}

describe('sniffImage', () => {
  it('reads JPEG size and EXIF orientation', () => {
    expect(sniffImage(jpeg(3008, 2000))).toMatchObject({ kind: 'jpeg', width: 3008, height: 2000, orientation: 1, complete: true });
    const rotated = sniffImage(jpeg(640, 480, 6));
    expect(rotated.orientation).toBe(6);
    expect(orientedSize(rotated)).toEqual({ width: 480, height: 640 });
  });
  it('spots a truncated JPEG or PNG', () => {
    expect(sniffImage(jpeg(10, 10, undefined, false)).complete).toBe(false);
    expect(sniffImage(png(10, 10, false)).complete).toBe(false);
  });
  it('reads PNG size', () => {
    expect(sniffImage(png(10000, 10000))).toMatchObject({ kind: 'png', width: 10000, height: 10000, complete: true });
  });
  it('recognises non-images by their bytes, not their names', () => {
    expect(sniffImage(bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3 obj')).kind).toBe('pdf');
    expect(sniffImage(bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0], 'mif1heic')).kind).toBe('heic');
    expect(sniffImage(bytes('this is not a photo at all')).kind).toBe('unknown');
    expect(sniffImage(new Uint8Array(0)).kind).toBe('unknown');
  });
  it('reads GIF, BMP and WebP sizes', () => {
    expect(sniffImage(bytes('GIF89a', [0x40, 1, 0xf0, 0], [0, 0, 0, 0])).width).toBe(320);
    const bmp = new Uint8Array(30);
    bmp.set(bytes('BM'));
    new DataView(bmp.buffer).setInt32(18, 64, true);
    new DataView(bmp.buffer).setInt32(22, -48, true);
    expect(sniffImage(bmp)).toMatchObject({ kind: 'bmp', width: 64, height: 48 });
    const webp = bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8X', [10, 0, 0, 0], [0, 0, 0, 0], [99, 0, 0], [49, 0, 0]);
    expect(sniffImage(webp)).toMatchObject({ kind: 'webp', width: 100, height: 50 });
  });
});
