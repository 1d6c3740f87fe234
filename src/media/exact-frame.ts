/**
 * The pixels of an image exactly as stored (unpremultiplied), through the WebCodecs ImageDecoder
 * and VideoFrame.copyTo, for images with transparency whose colours a canvas would round.
 *
 * Drawing into a 2D canvas premultiplies by alpha with the decoder's own rounding; Chromium's WebP
 * decoder rounds differently from Pillow, so in nearly transparent pixels (alpha 1..20) colours
 * come back tens of levels off, and open_clip's transform (resize premultiplied, then drop alpha)
 * turns that into a visible difference in what the model sees (cosine 0.99977 instead of 1.0 on a
 * test photo). copyTo hands the decoder's unpremultiplied bytes. PNG needs no such path: Chromium's
 * PNG premultiply matches Pillow's (the canvas path is exact there).
 */
import type { RgbaImage } from '../core/preprocess';

const PACKED: Record<string, { r: number; g: number; b: number; a: number | null }> = {
  RGBA: { r: 0, g: 1, b: 2, a: 3 },
  RGBX: { r: 0, g: 1, b: 2, a: null },
  BGRA: { r: 2, g: 1, b: 0, a: 3 },
  BGRX: { r: 2, g: 1, b: 0, a: null },
};

/**
 * The first frame as stored, or null when this path does not apply (no ImageDecoder, a frame the
 * browser rotates or flips, a planar or high-bit-depth format): the caller then uses a canvas.
 */
export async function exactFrame(blob: Blob, mime: string): Promise<RgbaImage | null> {
  if (typeof ImageDecoder === 'undefined' || !(await ImageDecoder.isTypeSupported(mime).catch(() => false))) return null;
  let decoder: ImageDecoder | undefined;
  let frame: VideoFrame | undefined;
  try {
    decoder = new ImageDecoder({ data: blob.stream(), type: mime, colorSpaceConversion: 'none', preferAnimation: false });
    frame = (await decoder.decode({ frameIndex: 0 })).image;
    const f = frame as VideoFrame & { rotation?: number; flip?: boolean };
    const layout = frame.format ? PACKED[frame.format] : undefined;
    if (!layout || f.rotation === undefined || f.rotation !== 0 || f.flip) return null;
    const { width, height } = frame.visibleRect!;
    const raw = new Uint8Array(frame.allocationSize());
    await frame.copyTo(raw);
    if (raw.length !== width * height * 4) return null;
    const out = new Uint8ClampedArray(raw.length);
    for (let i = 0; i < raw.length; i += 4) {
      out[i] = raw[i + layout.r];
      out[i + 1] = raw[i + layout.g];
      out[i + 2] = raw[i + layout.b];
      out[i + 3] = layout.a === null ? 255 : raw[i + layout.a];
    }
    return { data: out, width, height };
  } catch {
    return null;
  } finally {
    frame?.close();
    decoder?.close();
  }
}
