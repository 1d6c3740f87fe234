/**
 * Crop arithmetic: the square region the model sees, in original (oriented) pixels, and its
 * image in the working pixels (a large photo is decoded downscaled).
 */
import type { CropRegion } from './preprocess';

/** The centre square of the shortest side. */
export function centreCrop(width: number, height: number): CropRegion {
  const size = Math.min(width, height);
  return { x: Math.round((width - size) / 2), y: Math.round((height - size) / 2), size };
}

/** Whole pixels, at least `minSize` (or the shortest side), inside the photo. */
export function clampCrop(c: CropRegion, width: number, height: number, minSize: number): CropRegion {
  const size = Math.round(Math.max(Math.min(minSize, width, height), Math.min(c.size, width, height)));
  return { x: Math.round(Math.min(Math.max(0, c.x), width - size)), y: Math.round(Math.min(Math.max(0, c.y), height - size)), size };
}

export function isCentreCrop(c: CropRegion, width: number, height: number): boolean {
  const centre = centreCrop(width, height);
  return c.x === centre.x && c.y === centre.y && c.size === centre.size;
}

/** Map a crop in original pixels to whole working pixels (the photo may be decoded downscaled). */
export function workingCrop(crop: CropRegion | undefined, scale: number, width: number, height: number): CropRegion | undefined {
  if (!crop) return undefined;
  const size = Math.max(1, Math.min(width, height, Math.round(crop.size * scale)));
  const x = Math.min(width - size, Math.max(0, Math.round(crop.x * scale)));
  const y = Math.min(height - size, Math.max(0, Math.round(crop.y * scale)));
  return { x, y, size };
}
