/**
 * How to decode a photo, decided from its header alone (image-sniff) before any decoder runs:
 *
 * - A JPEG is decoded at a reduced scale (n/8 of its size, which the JPEG decoder does directly in
 *   the DCT domain) so that its shortest side is still at least the working size: a 200 MP phone
 *   photo (16320 x 12240) becomes 2040 x 1530 without the full frame ever existing in memory.
 *   Every JPEG a camera makes opens this way.
 * - Every other format (PNG, WebP, GIF, BMP, AVIF, HEIC) can only be decoded in full, then
 *   downscaled: it opens up to FULL_DECODE_BUDGET pixels, and above that the refusal says the
 *   budget and how to shrink the photo.
 * - A GIF is checked frame by frame: its header may claim 1 x 1 while a frame holds 12000 x 12000.
 */
import { AppError } from './errors';
import { orientedSize, type ImageKind, type SniffResult } from './image-sniff';

/** Largest image decoded in full: 100 MP, i.e. 400 MB of RGBA pixels while it is decoded. */
export const FULL_DECODE_BUDGET = 100_000_000;

export type DecodeMethod = 'jpeg-scaled' | 'bitmap' | 'heic';

export interface DecodePlan {
  method: DecodeMethod;
  /** Oriented size of the original photo. */
  width: number;
  height: number;
  /** jpeg-scaled: the size to ask the JPEG decoder for, as stored (before EXIF orientation). */
  decodeWidth: number;
  decodeHeight: number;
  /** jpeg-scaled: the DCT scale numerator n (the decoder outputs n/8 of each side). */
  eighths: number;
  /** Oriented size of the working pixels (shortest side at least the working size, or the photo). */
  workingWidth: number;
  workingHeight: number;
}

const KIND_LABEL: Record<ImageKind, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  gif: 'GIF',
  bmp: 'BMP',
  avif: 'AVIF',
  heic: 'HEIC/HEIF',
  pdf: 'PDF',
  tiff: 'TIFF',
  unknown: 'image',
};

/** Primary item types the HEIC decoder (libheif with libde265) handles: HEVC and images built from HEVC tiles. */
const HEIC_DECODABLE = new Set(['hvc1', 'grid', 'iden', 'iovl']);
const HEIF_CODECS: Record<string, string> = {
  vvc1: 'VVC (H.266)',
  avc1: 'AVC (H.264)',
  jpeg: 'JPEG',
  j2k1: 'JPEG 2000',
  unci: 'uncompressed ISO 23001-17',
  evc1: 'EVC',
  mski: 'a mask',
};

const mp = (pixels: number) => `${Math.round(pixels / 1e6)} MP`;
const dims = (w: number, h: number) => `${w} × ${h} pixels`;

/** The size to decode at when decoding in full: shortest side at most `maxShort`. */
export function decodeSize(width: number, height: number, maxShort: number): { width: number; height: number; scale: number } {
  const short = Math.min(width, height);
  if (short <= maxShort) return { width, height, scale: 1 };
  const scale = maxShort / short;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), scale };
}

/** The JPEG DCT scale n (1..8, output n/8 of each side) that keeps the shortest side >= `minShort`. */
export function jpegEighths(width: number, height: number, minShort: number): number {
  const short = Math.min(width, height);
  return Math.min(8, Math.max(1, Math.ceil((8 * minShort) / short)));
}

function budgetHint(kind: ImageKind, budget: number): string {
  const side = Math.floor(Math.sqrt(budget));
  const shrink = `or shrink it to at most ${mp(budget)} (e.g. ${side} × ${side} pixels) and try again`;
  if (kind === 'heic') return `Export it as a JPEG (a JPEG of any size opens; on an iPhone: Settings > Camera > Formats > Most Compatible), ${shrink}.`;
  return `Save it as a JPEG (a JPEG of any size opens), ${shrink}.`;
}

/**
 * The decode plan for a sniffed photo, or an AppError naming the file and the reason.
 * `scaledJpeg`: the browser can decode a JPEG at n/8 scale (WebCodecs ImageDecoder).
 */
export function planDecode(info: SniffResult, name: string, opts: { workingShortSide: number; scaledJpeg: boolean; budget?: number }): DecodePlan {
  const budget = opts.budget ?? FULL_DECODE_BUDGET;
  const kind = KIND_LABEL[info.kind];
  if (!(info.width > 0 && info.height > 0)) {
    throw new AppError('image-decode', `"${name}" could not be opened: its ${kind} header does not give its size in pixels (the file is damaged).`, 'Try another copy of the photo.');
  }
  const type = info.heif?.primaryType;
  if (info.kind === 'heic' && type && !HEIC_DECODABLE.has(type)) {
    const codec = HEIF_CODECS[type] ?? `'${type.replace(/[^\x20-\x7e]/g, '?')}'`;
    throw new AppError('image-unsupported', `"${name}" is a HEIF image coded with ${codec}, a HEIC/HEIF variant this app cannot decode (it decodes HEVC, as iPhones and most phones write it).`, 'Export it as a JPEG first.');
  }
  const { width, height } = orientedSize(info);
  const memory = `${mp(budget)} (${Math.round((budget * 4) / 1e6)} MB of memory)`;

  const gif = info.gif;
  if (gif) {
    const biggest = gif.frames.reduce((m, f) => (f.width * f.height > m.width * m.height ? f : m), { width: 0, height: 0 });
    const span = gif.spanWidth * gif.spanHeight;
    if (biggest.width * biggest.height > budget || span > budget) {
      const what = biggest.width * biggest.height > budget ? `holds a frame of ${dims(biggest.width, biggest.height)} (${mp(biggest.width * biggest.height)})` : `has frames spanning ${dims(gif.spanWidth, gif.spanHeight)} (${mp(span)})`;
      throw new AppError('image-too-large', `"${name}" ${what} although its header says ${gif.screenWidth} × ${gif.screenHeight}; the largest image this app decodes in full is ${memory}.`, `Save the image as a JPEG or PNG of at most ${mp(budget)} and try again.`);
    }
  }

  if (info.kind === 'jpeg' && opts.scaledJpeg) {
    const n = jpegEighths(info.width, info.height, opts.workingShortSide);
    if (n < 8) {
      const decodeWidth = Math.ceil((info.width * n) / 8);
      const decodeHeight = Math.ceil((info.height * n) / 8);
      if (decodeWidth * decodeHeight <= budget) {
        const swap = info.orientation >= 5;
        return { method: 'jpeg-scaled', width, height, decodeWidth, decodeHeight, eighths: n, workingWidth: swap ? decodeHeight : decodeWidth, workingHeight: swap ? decodeWidth : decodeHeight };
      }
    }
  }

  if (width * height > budget) {
    if (info.kind === 'jpeg') {
      const why = opts.scaledJpeg ? 'even at an eighth of its size it is too large to decode' : 'this browser cannot decode a JPEG at a reduced size';
      throw new AppError('image-too-large', `"${name}" is ${dims(width, height)} (${mp(width * height)}): ${why}, and the largest photo decoded in full is ${memory}.`, `Open it in a Chromium-based browser (Chrome, Edge), or shrink it to at most ${mp(budget)} and try again.`);
    }
    throw new AppError('image-too-large', `"${name}" is ${dims(width, height)} (${mp(width * height)}). A ${kind} image is decoded in full, and the largest this app decodes in full is ${memory}.`, budgetHint(info.kind, budget));
  }
  const working = decodeSize(width, height, opts.workingShortSide);
  return { method: info.kind === 'heic' ? 'heic' : 'bitmap', width, height, decodeWidth: info.width, decodeHeight: info.height, eighths: 8, workingWidth: working.width, workingHeight: working.height };
}
