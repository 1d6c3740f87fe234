/**
 * Recognises an image file by its bytes (never by its name) and reads its pixel size and EXIF
 * orientation from the header, without decoding. This lets the app refuse a PDF, a text file named
 * .jpg or a photo too large to decode with a precise message before the browser tries, and choose
 * how to decode the rest (core/decode-plan.ts).
 */
import { readExifOrientation } from './exif';
import { readGifLayout, type GifLayout } from './gif-frames';
import { readHeifMeta, type HeifMeta } from './heif-meta';

export type ImageKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'avif' | 'heic' | 'pdf' | 'tiff' | 'unknown';

export interface SniffResult {
  kind: ImageKind;
  /**
   * Size as stored, before `orientation` is applied; 0 when the header could not be read. A GIF:
   * the size a browser shows (the screen enlarged to its first frame). HEIC/AVIF: after irot.
   */
  width: number;
  height: number;
  /** EXIF orientation 1..8 still to apply (JPEG; HEIC without irot/imir); 1 when absent. */
  orientation: number;
  /** False when a JPEG lacks its end marker, a PNG its IEND chunk or a GIF its trailer: cut short. */
  complete: boolean;
  /** GIF: every frame's size (a frame may be far larger than the header says). */
  gif?: GifLayout;
  /** HEIC/HEIF/AVIF: the primary item's type, size, rotation and EXIF orientation. */
  heif?: HeifMeta;
}

/** Formats the app decodes (HEIC with its own WASM decoder, the rest with the browser's). */
export const DECODABLE: ReadonlySet<ImageKind> = new Set(['jpeg', 'png', 'webp', 'gif', 'bmp', 'avif', 'heic']);

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

export function sniffImage(b: Uint8Array): SniffResult {
  const r: SniffResult = { kind: 'unknown', width: 0, height: 0, orientation: 1, complete: true };
  if (b.length < 12) return r;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    r.kind = 'jpeg';
    readJpeg(b, dv, r);
    r.complete = endsWith(b, [0xff, 0xd9]);
  } else if (b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') {
    r.kind = 'png';
    if (b.length >= 24) {
      r.width = dv.getUint32(16);
      r.height = dv.getUint32(20);
    }
    r.complete = endsWith(b, [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]); // IEND + its CRC
  } else if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
    r.kind = 'webp';
    readWebp(b, dv, r);
  } else if (ascii(b, 0, 4) === 'GIF8') {
    r.kind = 'gif';
    r.width = dv.getUint16(6, true);
    r.height = dv.getUint16(8, true);
    const gif = readGifLayout(b);
    if (gif) {
      r.gif = gif;
      r.width = gif.width;
      r.height = gif.height;
      r.complete = gif.complete;
    }
  } else if (ascii(b, 0, 2) === 'BM' && b.length >= 26) {
    r.kind = 'bmp';
    r.width = Math.abs(dv.getInt32(18, true));
    r.height = Math.abs(dv.getInt32(22, true));
  } else if (ascii(b, 0, 5) === '%PDF-') {
    r.kind = 'pdf';
  } else if (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*') {
    r.kind = 'tiff';
  } else if (ascii(b, 4, 4) === 'ftyp') {
    readHeif(b, r);
  }
  return r;
}

const HEIC_BRANDS = /^(heic|heix|hevc|hevx|heim|heis|hevm|hevs|mif1|msf1|mif2|miaf)$/;

function readHeif(b: Uint8Array, r: SniffResult): void {
  const meta = readHeifMeta(b);
  if (!meta) return;
  const brand = meta.majorBrand;
  const av1 = brand === 'avif' || brand === 'avis' || meta.primaryType === 'av01' || (HEIC_BRANDS.test(brand) && meta.brands.includes('avif') && meta.primaryType !== 'hvc1');
  if (av1) r.kind = 'avif';
  else if (HEIC_BRANDS.test(brand)) r.kind = 'heic';
  else return;
  r.heif = meta;
  r.width = meta.width;
  r.height = meta.height;
  // irot/imir are applied by the decoder; EXIF orientation only when the file has neither
  // (the browser's AVIF decoder ignores EXIF, as the HEIF spec says).
  if (r.kind === 'heic' && meta.rotation === 0 && !meta.mirrored) r.orientation = meta.exifOrientation;
}

/** True when `tail` occurs within the last bytes (ignoring up to 64 trailing padding bytes). */
function endsWith(b: Uint8Array, tail: number[]): boolean {
  const from = Math.max(0, b.length - tail.length - 64);
  outer: for (let i = b.length - tail.length; i >= from; i--) {
    for (let k = 0; k < tail.length; k++) if (b[i + k] !== tail[k]) continue outer;
    return true;
  }
  return false;
}

function readJpeg(b: Uint8Array, dv: DataView, r: SniffResult): void {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return;
    const marker = b[i + 1];
    if (marker === 0xd9 || marker === 0xda) return; // end of image / start of scan
    const len = dv.getUint16(i + 2);
    if (marker === 0xe1 && ascii(b, i + 4, 4) === 'Exif') r.orientation = readExifOrientation(dv, i + 10, i + 2 + len);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof && i + 9 <= b.length) {
      r.height = dv.getUint16(i + 5);
      r.width = dv.getUint16(i + 7);
      return;
    }
    i += 2 + len;
  }
}

function readWebp(b: Uint8Array, dv: DataView, r: SniffResult): void {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X' && b.length >= 30) {
    r.width = 1 + (b[24] | (b[25] << 8) | (b[26] << 16));
    r.height = 1 + (b[27] | (b[28] << 8) | (b[29] << 16));
  } else if (chunk === 'VP8 ' && b.length >= 30) {
    r.width = dv.getUint16(26, true) & 0x3fff;
    r.height = dv.getUint16(28, true) & 0x3fff;
  } else if (chunk === 'VP8L' && b.length >= 25) {
    const bits = dv.getUint32(21, true);
    r.width = (bits & 0x3fff) + 1;
    r.height = ((bits >> 14) & 0x3fff) + 1;
  }
}

/** Orientations 5..8 swap width and height on screen. */
export function orientedSize(s: SniffResult): { width: number; height: number } {
  return s.orientation >= 5 ? { width: s.height, height: s.width } : { width: s.width, height: s.height };
}
