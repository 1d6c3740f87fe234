/**
 * Small copies of a decoded photo: the thumbnail of the case list and, for photos larger than
 * PREVIEW_MAX (or HEIC, which no <img> shows), the display copy the crop editor shows.
 */
import { releaseCanvas } from './canvas';
import type { DecodedPhoto } from './decode-file';

/** Longest side of the display copy shown in the crop editor. */
export const PREVIEW_MAX = 1600;
/** Longest side of a thumbnail. */
export const THUMBNAIL_MAX = 160;

/** A downscaled JPEG of a canvas, longest side `max`. */
function scaledJpeg(src: OffscreenCanvas, max: number, quality: number): Promise<Blob> {
  const s = Math.min(1, max / Math.max(src.width, src.height));
  const dst = new OffscreenCanvas(Math.max(1, Math.round(src.width * s)), Math.max(1, Math.round(src.height * s)));
  const ctx = dst.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(src, 0, 0, dst.width, dst.height);
  return dst.convertToBlob({ type: 'image/jpeg', quality }).finally(() => releaseCanvas(dst));
}

function canvasOf(d: DecodedPhoto): OffscreenCanvas {
  const src = new OffscreenCanvas(d.pixels.width, d.pixels.height);
  const px = d.pixels.data;
  src.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(px.buffer as ArrayBuffer, px.byteOffset, px.length), d.pixels.width, d.pixels.height), 0, 0);
  return src;
}

/** Longest side of a collection's gallery thumbnail (10,000 of them stay around 40 MB). */
export const GALLERY_THUMBNAIL_MAX = 128;

/** A small JPEG of the photo, longest side `max` (works in workers too). */
export async function thumbnailOf(d: DecodedPhoto, max = GALLERY_THUMBNAIL_MAX): Promise<Blob> {
  const src = canvasOf(d);
  try {
    return await scaledJpeg(src, max, 0.8);
  } finally {
    releaseCanvas(src);
  }
}

/** The thumbnail and, for photos larger than PREVIEW_MAX, a display copy. */
export async function displayCopies(d: DecodedPhoto): Promise<{ thumbnail: Blob; preview?: Blob }> {
  const src = canvasOf(d);
  // A HEIC photo cannot be shown by an <img>: it always gets a display copy.
  const big = Math.max(d.width, d.height) > PREVIEW_MAX || d.kind === 'heic';
  try {
    const [thumbnail, preview] = await Promise.all([scaledJpeg(src, THUMBNAIL_MAX, 0.85), big ? scaledJpeg(src, PREVIEW_MAX, 0.92) : undefined]);
    return { thumbnail, preview };
  } finally {
    releaseCanvas(src);
  }
}
