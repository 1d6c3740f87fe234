/**
 * Reads a GIF's block structure (never its pixels): the logical screen, every frame's image
 * descriptor and whether the trailer is there. A GIF's header may say 1 x 1 while a frame inside
 * is 12000 x 12000; the browser then decodes at the frame's size (Chromium enlarges the canvas to
 * the first frame), so the size check must look at every frame, not at the header.
 *
 * Format (GIF89a spec): "GIF87a"/"GIF89a", logical screen descriptor (width, height u16 LE,
 * packed flags, background, aspect), optional global colour table, then blocks until the trailer
 * 0x3B: 0x21 extensions (label + data sub-blocks) and 0x2C images (descriptor: left, top, width,
 * height u16 LE, packed flags; optional local colour table; LZW code size; data sub-blocks).
 */

export interface GifFrame {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface GifLayout {
  /** Logical screen size from the header. */
  screenWidth: number;
  screenHeight: number;
  /** Every frame's descriptor, in file order (at most `maxFrames`). */
  frames: GifFrame[];
  /** Frames present beyond `maxFrames` were not listed (the file was not read further). */
  truncatedList: boolean;
  /** The size a browser shows: the screen enlarged to hold the first frame (Chromium's rule). */
  width: number;
  height: number;
  /** The largest frame (width x height) and the canvas the frames span together. */
  largestFramePixels: number;
  spanWidth: number;
  spanHeight: number;
  /** False when the blocks stop before the trailer (a cut-short or damaged file). */
  complete: boolean;
}

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);

/** Skips data sub-blocks starting at `at` (each: length byte, then data; a 0 length ends them). */
function skipSubBlocks(b: Uint8Array, at: number): number {
  let i = at;
  while (i < b.length) {
    const n = b[i];
    i += 1 + n;
    if (n === 0) return i;
  }
  return -1;
}

/** null when `b` is not a GIF. */
export function readGifLayout(b: Uint8Array, maxFrames = 100_000): GifLayout | null {
  if (b.length < 13) return null;
  const sig = String.fromCharCode(...b.subarray(0, 6));
  if (sig !== 'GIF87a' && sig !== 'GIF89a') return null;
  const screenWidth = u16(b, 6);
  const screenHeight = u16(b, 8);
  const packed = b[10];
  let i = 13 + (packed & 0x80 ? 3 * (1 << ((packed & 7) + 1)) : 0);
  const frames: GifFrame[] = [];
  let complete = false;
  let truncatedList = false;
  let spanWidth = screenWidth;
  let spanHeight = screenHeight;
  let largestFramePixels = 0;
  while (i < b.length) {
    const block = b[i];
    if (block === 0x3b) {
      complete = true;
      break;
    }
    if (block === 0x21) {
      if (i + 2 > b.length) break;
      i = skipSubBlocks(b, i + 2);
      if (i < 0) break;
      continue;
    }
    if (block !== 0x2c || i + 10 > b.length) break; // not a GIF block: damaged
    const f = { left: u16(b, i + 1), top: u16(b, i + 3), width: u16(b, i + 5), height: u16(b, i + 7) };
    if (frames.length >= maxFrames) {
      truncatedList = true;
      break;
    }
    frames.push(f);
    largestFramePixels = Math.max(largestFramePixels, f.width * f.height);
    spanWidth = Math.max(spanWidth, f.left + f.width);
    spanHeight = Math.max(spanHeight, f.top + f.height);
    const flags = b[i + 9];
    i += 10 + (flags & 0x80 ? 3 * (1 << ((flags & 7) + 1)) : 0);
    if (i >= b.length) break;
    i = skipSubBlocks(b, i + 1); // after the LZW minimum code size byte
    if (i < 0) break;
  }
  const first = frames[0];
  const width = first ? Math.max(screenWidth, first.left + first.width) : screenWidth;
  const height = first ? Math.max(screenHeight, first.top + first.height) : screenHeight;
  return { screenWidth, screenHeight, frames, truncatedList, width, height, largestFramePixels, spanWidth, spanHeight, complete };
}
