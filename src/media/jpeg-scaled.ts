/**
 * Decodes a JPEG at n/8 of its size with the WebCodecs ImageDecoder (desiredWidth/desiredHeight):
 * the JPEG decoder scales in the DCT domain, so a 200 MP phone photo comes out at 2040 x 1530
 * without its 800 MB full frame ever being made, and a 12 MP one in a fraction of a full decode's
 * time (BENCHMARKS.md, "Decode at size").
 */
import { AppError } from '../core/errors';
import { exifTransform } from '../core/exif';
import type { DecodePlan } from '../core/decode-plan';
import type { RgbaImage } from '../core/preprocess';
import { releaseCanvas } from './canvas';

let supported: Promise<boolean> | null = null;

/** Whether this browser decodes JPEG through ImageDecoder (Chromium 94+; not Safari, older Firefox). */
export function scaledJpegSupported(): Promise<boolean> {
  supported ??= typeof ImageDecoder === 'undefined' ? Promise.resolve(false) : ImageDecoder.isTypeSupported('image/jpeg').catch(() => false);
  return supported;
}

/** RGBA pixels of the whole frame, oriented (EXIF), as an OffscreenCanvas shows them. */
function framePixels(frame: VideoFrame, orientation: number): RgbaImage {
  // Chromium attaches the EXIF orientation to the frame (rotation/flip) and drawImage applies it;
  // a browser whose frames lack those fields hands the stored pixels, so orient them here.
  const applied = 'rotation' in frame;
  const swap = !applied && orientation >= 5;
  const width = swap ? frame.displayHeight : frame.displayWidth;
  const height = swap ? frame.displayWidth : frame.displayHeight;
  const canvas = new OffscreenCanvas(width, height);
  try {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new AppError('image-decode', 'This browser cannot read image pixels (no 2D canvas).');
    if (!applied && orientation !== 1) ctx.setTransform(...exifTransform(orientation, frame.displayWidth, frame.displayHeight));
    ctx.drawImage(frame, 0, 0);
    return { data: ctx.getImageData(0, 0, width, height).data, width, height };
  } finally {
    releaseCanvas(canvas);
  }
}

export async function decodeJpegScaled(file: Blob, plan: DecodePlan, orientation: number, name: string): Promise<RgbaImage> {
  let decoder: ImageDecoder | undefined;
  let frame: VideoFrame | undefined;
  try {
    decoder = new ImageDecoder({
      data: file.stream(),
      type: 'image/jpeg',
      desiredWidth: plan.decodeWidth,
      desiredHeight: plan.decodeHeight,
      colorSpaceConversion: 'none', // as createImageBitmap({colorSpaceConversion: 'none'}) and PIL: no ICC
      preferAnimation: false,
    });
    frame = (await decoder.decode({ frameIndex: 0 })).image;
  } catch (e) {
    decoder?.close();
    throw new AppError('image-decode', `"${name}" could not be decoded: the file is damaged or not really a JPEG image.`, 'Try another copy of the photo.');
  }
  try {
    return framePixels(frame, orientation);
  } finally {
    frame.close();
    decoder.close();
  }
}
