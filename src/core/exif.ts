/** EXIF (TIFF-structured) metadata: only the orientation tag is read. */

/**
 * The orientation tag (0x0112) of the first IFD of a TIFF header at `tiff` ("II" or "MM", 42,
 * offset of IFD0), bounded by `end`; 1 when absent or out of range.
 */
export function readExifOrientation(dv: DataView, tiff: number, end: number): number {
  if (tiff < 0 || tiff + 8 > end || end > dv.byteLength) return 1;
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

/**
 * The 2D canvas transform [a, b, c, d, e, f] (as setTransform takes it) that draws an image stored
 * `width` x `height` onto a canvas in EXIF orientation `o`; the canvas is height x width for 5..8.
 * Same result as PIL's ImageOps.exif_transpose and the browser's imageOrientation 'from-image'.
 */
export function exifTransform(o: number, width: number, height: number): [number, number, number, number, number, number] {
  switch (o) {
    case 2: return [-1, 0, 0, 1, width, 0]; // mirror left-right
    case 3: return [-1, 0, 0, -1, width, height]; // rotate 180
    case 4: return [1, 0, 0, -1, 0, height]; // mirror top-bottom
    case 5: return [0, 1, 1, 0, 0, 0]; // transpose
    case 6: return [0, 1, -1, 0, height, 0]; // rotate 90 clockwise
    case 7: return [0, -1, -1, 0, height, width]; // transverse
    case 8: return [0, -1, 1, 0, 0, width]; // rotate 90 counter-clockwise
    default: return [1, 0, 0, 1, 0, 0];
  }
}
