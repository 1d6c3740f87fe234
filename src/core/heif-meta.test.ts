import { describe, expect, it } from 'vitest';
import { readHeifMeta } from './heif-meta';
import { sniffImage } from './image-sniff';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const u16 = (v: number) => [v >> 8, v & 255];
const u32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const box = (type: string, ...payload: number[][]) => {
  const body = payload.flat();
  return [...u32(8 + body.length), ...ascii(type), ...body];
};
const full = (type: string, version: number, flags: number, ...payload: number[][]) => box(type, [version, (flags >> 16) & 255, (flags >> 8) & 255, flags & 255], ...payload);

interface Options {
  brand?: string;
  primaryType?: string;
  width?: number;
  height?: number;
  irot?: number;
  imir?: boolean;
  exif?: number;
  /** ipma version 1 with 16-bit property indices (large files). */
  wide?: boolean;
}

/** A HEIF file with a primary item (id 1), optional Exif item (id 2) described by cdsc. */
function heif(o: Options = {}): Uint8Array {
  const props = [full('ispe', 0, 0, u32(o.width ?? 4032), u32(o.height ?? 3024))];
  if (o.irot !== undefined) props.push(box('irot', [o.irot]));
  if (o.imir) props.push(box('imir', [0]));
  const assoc = props.map((_, i) => (o.wide ? u16(0x8000 | (i + 1)) : [0x80 | (i + 1)])).flat();
  const ipma = full('ipma', o.wide ? 1 : 0, o.wide ? 1 : 0, u32(1), o.wide ? u32(1) : u16(1), [props.length], assoc);
  const iprp = box('iprp', box('ipco', ...props), ipma);
  const infes = [full('infe', 2, 0, u16(1), u16(0), ascii(o.primaryType ?? 'hvc1'), [0])];
  if (o.exif !== undefined) infes.push(full('infe', 2, 0, u16(2), u16(0), ascii('Exif'), [0]));
  const iinf = full('iinf', 0, 0, u16(infes.length), ...infes);
  const pitm = full('pitm', 0, 0, u16(1));
  const iref = o.exif !== undefined ? full('iref', 0, 0, box('cdsc', u16(2), u16(1), u16(1))) : [];
  // EXIF payload: 4-byte offset to the TIFF header (6: skip "Exif\0\0"), then big-endian TIFF.
  const tiffBytes = o.exif !== undefined ? [...u32(6), ...ascii('Exif'), 0, 0, ...ascii('MM'), ...u16(42), ...u32(8), ...u16(1), ...u16(0x0112), ...u16(3), ...u32(1), ...u16(o.exif), 0, 0, ...u32(0)] : [];
  const ftyp = box('ftyp', ascii(o.brand ?? 'heic'), u32(0), ascii('mif1'), ascii(o.brand ?? 'heic'));
  // iloc v0, offset/length 4 bytes, no base offset; item 2's extent is patched in below.
  const ilocFor = (offset: number) => full('iloc', 0, 0, [0x44, 0x00], u16(o.exif !== undefined ? 1 : 0), o.exif !== undefined ? [...u16(2), ...u16(0), ...u16(1), ...u32(offset), ...u32(tiffBytes.length)] : []);
  const metaFor = (offset: number) => full('meta', 0, 0, box('hdlr', u32(0), ascii('pict'), new Array(13).fill(0)), pitm, iinf, ilocFor(offset), iref, iprp);
  const head = ftyp.length + metaFor(0).length + 8;
  return new Uint8Array([...ftyp, ...metaFor(head), ...box('mdat', tiffBytes)]);
}

describe('readHeifMeta', () => {
  it('reads the primary item type and size', () => {
    expect(readHeifMeta(heif())).toMatchObject({ majorBrand: 'heic', brands: ['mif1', 'heic'], primaryType: 'hvc1', width: 4032, height: 3024, rotation: 0, mirrored: false, exifOrientation: 1 });
    expect(readHeifMeta(heif({ primaryType: 'grid', width: 8064, height: 6048 }))).toMatchObject({ primaryType: 'grid', width: 8064, height: 6048 });
  });
  it('swaps the size for a quarter-turn irot and sees imir', () => {
    expect(readHeifMeta(heif({ irot: 3 }))).toMatchObject({ rotation: 270, width: 3024, height: 4032 });
    expect(readHeifMeta(heif({ irot: 2, imir: true }))).toMatchObject({ rotation: 180, mirrored: true, width: 4032, height: 3024 });
  });
  it('reads 16-bit property indices (ipma flags 1, version 1)', () => {
    expect(readHeifMeta(heif({ wide: true, irot: 1 }))).toMatchObject({ rotation: 90, width: 3024, height: 4032 });
  });
  it('reads the EXIF orientation of the item that describes the primary image', () => {
    expect(readHeifMeta(heif({ exif: 6 }))!.exifOrientation).toBe(6);
  });
  it('never throws on a damaged file: the size stays unknown', () => {
    const whole = heif({ exif: 8, irot: 1 });
    for (let n = 16; n < whole.length; n += 7) {
      const m = readHeifMeta(whole.subarray(0, n));
      expect(m, `cut at ${n}`).not.toBeNull();
    }
    const bad = whole.slice();
    bad[40] = 0xff; // a box size far past the end
    expect(() => readHeifMeta(bad)).not.toThrow();
  });
  it('is null for files that are not ISOBMFF', () => {
    expect(readHeifMeta(new Uint8Array(ascii('this is no heif file at all')))).toBeNull();
  });
});

describe('sniffImage on HEIF files', () => {
  it('gives HEIC its size, and applies EXIF only when there is no irot/imir', () => {
    expect(sniffImage(heif({ exif: 6 }))).toMatchObject({ kind: 'heic', width: 4032, height: 3024, orientation: 6 });
    expect(sniffImage(heif({ exif: 6, irot: 3 }))).toMatchObject({ kind: 'heic', width: 3024, height: 4032, orientation: 1 });
  });
  it('tells AVIF (AV1) from HEIC (HEVC) by brand and item type', () => {
    expect(sniffImage(heif({ brand: 'avif', primaryType: 'av01' })).kind).toBe('avif');
    expect(sniffImage(heif({ brand: 'mif1', primaryType: 'av01' })).kind).toBe('avif');
    expect(sniffImage(heif({ brand: 'mif1', primaryType: 'hvc1' })).kind).toBe('heic');
  });
});
