/**
 * Turns a user's file into RGBA pixels the way the browser shows it (EXIF orientation applied),
 * refusing what cannot be a photo with a precise message first. Large photos are decoded
 * downscaled by the browser so a 48 MP image never exists in memory at full size.
 */
import { AppError } from '../core/errors';
import { DECODABLE, MAX_PIXELS, decodeSize, orientedSize, sniffImage, type ImageKind, type SniffResult } from '../core/image-sniff';
import type { RgbaImage } from '../core/preprocess';

/** Shortest side of the working image: 6x DermLIP-B/16's 224 px input keeps every crop sharp. */
export const WORKING_SHORT_SIDE = 1344;

export interface DecodedPhoto {
  name: string;
  kind: ImageKind;
  /** Oriented size of the original file. */
  width: number;
  height: number;
  /** Working pixels (possibly downscaled), oriented. */
  pixels: RgbaImage;
  /** working pixels per original pixel */
  scale: number;
  bytes: Uint8Array;
}

const KIND_NAMES: Partial<Record<ImageKind, string>> = { pdf: 'a PDF document', heic: 'a HEIC/HEIF photo', tiff: 'a TIFF image' };

/**
 * What the bytes are, or a specific error when they cannot be a photo this app reads (empty, not
 * an image, HEIC/PDF/TIFF, cut short, too many pixels). Cheap: reads headers only.
 */
export function checkPhotoBytes(bytes: Uint8Array, name: string): SniffResult {
  if (bytes.length === 0) throw new AppError('image-decode', `"${name}" is empty (0 bytes).`, 'Choose the photo again; the copy may have failed.');
  const info = sniffImage(bytes);
  if (!DECODABLE.has(info.kind)) {
    const what = KIND_NAMES[info.kind];
    if (what) {
      const hint = info.kind === 'heic' ? 'Export it as JPEG first (on an iPhone: Settings > Camera > Formats > Most Compatible).' : 'Save or export it as a JPEG or PNG image first.';
      throw new AppError('image-unsupported', `"${name}" is ${what}, which this browser cannot read as a photo.`, hint);
    }
    throw new AppError('image-unsupported', `"${name}" is not an image this app can read.`, 'Use a JPEG, PNG, WebP, GIF, BMP or AVIF photo.');
  }
  if (!info.complete) throw new AppError('image-decode', `"${name}" is incomplete: the ${info.kind.toUpperCase()} file was cut short (truncated download or copy).`, 'Copy or download the photo again.');
  const oriented = orientedSize(info);
  if (oriented.width * oriented.height > MAX_PIXELS) {
    const mp = ((oriented.width * oriented.height) / 1e6).toFixed(0);
    throw new AppError('image-too-large', `"${name}" is ${oriented.width} × ${oriented.height} pixels (${mp} MP); the largest photo this app opens is ${MAX_PIXELS / 1e6} MP.`, 'Downscale it (the model sees only a small square of a few hundred pixels) and try again.');
  }
  return info;
}

/** `bytes`: the file's contents when the caller has already read them (saves a second read). */
export async function decodePhoto(file: Blob, name = (file as File).name ?? 'photo', bytes?: Uint8Array<ArrayBuffer>): Promise<DecodedPhoto> {
  bytes ??= new Uint8Array(await file.arrayBuffer());
  const info = checkPhotoBytes(bytes, name);
  const oriented = orientedSize(info);
  const blob = file.type ? file : new Blob([bytes]);
  let bitmap: ImageBitmap;
  try {
    const opts: ImageBitmapOptions = { imageOrientation: 'from-image', colorSpaceConversion: 'none', premultiplyAlpha: 'default' };
    const target = oriented.width > 0 ? decodeSize(oriented.width, oriented.height, WORKING_SHORT_SIDE) : null;
    if (target && target.scale < 1) Object.assign(opts, { resizeWidth: target.width, resizeHeight: target.height, resizeQuality: 'high' });
    bitmap = await createImageBitmap(blob, opts);
  } catch (e) {
    throw new AppError('image-decode', `"${name}" could not be decoded: the file is damaged or not really a ${info.kind.toUpperCase()} image.`, 'Try another copy of the photo.');
  }
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new AppError('image-decode', 'This browser cannot read image pixels (no 2D canvas).');
    ctx.drawImage(bitmap, 0, 0);
    const img = ctx.getImageData(0, 0, width, height);
    const w0 = oriented.width || width;
    const h0 = oriented.height || height;
    return { name, kind: info.kind, width: w0, height: h0, pixels: { data: img.data, width, height }, scale: width / w0, bytes };
  } finally {
    bitmap.close();
  }
}
