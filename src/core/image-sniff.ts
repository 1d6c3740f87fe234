/**
 * Recognises an image file by its bytes (never by its name) and reads its pixel size and EXIF
 * orientation from the header, without decoding. This lets the app refuse a PDF, a HEIC photo, a
 * text file named .jpg or a 100-megapixel image with a precise message before the browser tries.
 */
export type ImageKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'avif' | 'heic' | 'pdf' | 'tiff' | 'unknown';

export interface SniffResult {
  kind: ImageKind;
  /** Size as stored (before EXIF orientation); 0 when the header could not be read. */
  width: number;
  height: number;
  /** EXIF orientation 1..8 (JPEG only); 1 when absent. */
  orientation: number;
  /** False when a JPEG lacks its end marker or a PNG its IEND chunk: the file was cut short. */
  complete: boolean;
}

export const DECODABLE: ReadonlySet<ImageKind> = new Set(['jpeg', 'png', 'webp', 'gif', 'bmp', 'avif']);

/** Largest photo the app decodes, in pixels (an 8000x6000 photo is 48 MP). */
export const MAX_PIXELS = 64_000_000;

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
  } else if (ascii(b, 0, 2) === 'BM' && b.length >= 26) {
    r.kind = 'bmp';
    r.width = Math.abs(dv.getInt32(18, true));
    r.height = Math.abs(dv.getInt32(22, true));
  } else if (ascii(b, 0, 5) === '%PDF-') {
    r.kind = 'pdf';
  } else if (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*') {
    r.kind = 'tiff';
  } else if (ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    r.kind = brand === 'avif' || brand === 'avis' ? 'avif' : /^(heic|heix|hevc|heim|heis|mif1|msf1)$/.test(brand) ? 'heic' : 'unknown';
  }
  return r;
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

function readExifOrientation(dv: DataView, tiff: number, end: number): number {
  if (tiff + 8 > end || end > dv.byteLength) return 1;
  const little = dv.getUint16(tiff) === 0x4949;
  const ifd = tiff + dv.getUint32(tiff + 4, little);
  if (ifd + 2 > end) return 1;
  const n = dv.getUint16(ifd, little);
  for (let k = 0; k < n; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > end) return 1;
    if (dv.getUint16(e, little) === 0x0112) {
      const v = dv.getUint16(e + 8, little);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
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

/**
 * The size to decode at: the photo itself when its shortest side is at most `maxShort`, else
 * scaled so that the shortest side is `maxShort` (the model sees 224 px, so a few times that keeps
 * every crop sharp while a 48 MP photo never has to exist in memory at full size).
 */
export function decodeSize(width: number, height: number, maxShort: number): { width: number; height: number; scale: number } {
  const short = Math.min(width, height);
  if (short <= maxShort) return { width, height, scale: 1 };
  const scale = maxShort / short;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), scale };
}
