/**
 * Reads a HEIF/HEIC/AVIF file's item metadata (ISO/IEC 23008-12 boxes), never its pixels: the
 * primary item's coded type and size, its rotation and mirroring, and the EXIF orientation. This
 * gives the photo's size before any decoder runs (so a huge one is refused first) and tells the
 * HEIC decoder whether the file already says how to turn the image (irot/imir, applied by the
 * decoder) or only through EXIF (as some converters write it).
 *
 * Boxes read: ftyp; meta > pitm, iinf/infe, iloc, iref (cdsc), iprp > ipco (ispe, irot, imir),
 * ipma. Everything is bounds-checked: a damaged file gives width 0, never an exception.
 */
import { readExifOrientation } from './exif';

export interface HeifMeta {
  majorBrand: string;
  brands: string[];
  /** Coded type of the primary item: 'hvc1' (HEVC), 'av01' (AV1), 'grid', 'jpeg', ... ('' if unknown). */
  primaryType: string;
  /** Size as shown (after a 90 or 270 degree irot); 0 when the boxes could not be read. */
  width: number;
  height: number;
  /** irot: counter-clockwise degrees (0, 90, 180, 270). */
  rotation: number;
  /** imir present (a mirrored image). */
  mirrored: boolean;
  /** EXIF orientation 1..8 from the primary item's Exif metadata; 1 when absent. */
  exifOrientation: number;
}

interface Box {
  type: string;
  /** Start of the payload and end of the box, absolute. */
  start: number;
  end: number;
}

const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);

function* boxes(b: Uint8Array, dv: DataView, from: number, to: number): Generator<Box> {
  let i = from;
  while (i + 8 <= to) {
    let size = dv.getUint32(i);
    const type = fourcc(b, i + 4);
    let start = i + 8;
    if (size === 1) {
      if (i + 16 > to) return;
      size = Number(dv.getBigUint64(i + 8));
      start = i + 16;
    } else if (size === 0) size = to - i;
    if (size < start - i || i + size > to) return;
    yield { type, start, end: i + size };
    i += size;
  }
}

const child = (b: Uint8Array, dv: DataView, parent: Box, type: string, skip = 0) => {
  for (const x of boxes(b, dv, parent.start + skip, parent.end)) if (x.type === type) return x;
  return undefined;
};

/** Reads an unsigned integer of 0, 4 or 8 bytes (iloc's variable field sizes). */
function uint(dv: DataView, at: number, n: number): number {
  if (n === 0) return 0;
  if (n === 4) return dv.getUint32(at);
  if (n === 8) return Number(dv.getBigUint64(at));
  if (n === 2) return dv.getUint16(at);
  throw new RangeError('field size');
}

/** null when `b` is not an ISOBMFF image file (no ftyp box first). */
export function readHeifMeta(b: Uint8Array): HeifMeta | null {
  if (b.length < 16 || fourcc(b, 4) !== 'ftyp') return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ftypSize = dv.getUint32(0);
  const brands: string[] = [];
  for (let i = 16; i + 4 <= Math.min(ftypSize, b.length); i += 4) brands.push(fourcc(b, i));
  const r: HeifMeta = { majorBrand: fourcc(b, 8), brands, primaryType: '', width: 0, height: 0, rotation: 0, mirrored: false, exifOrientation: 1 };
  try {
    readMeta(b, dv, r);
  } catch {
    // A damaged box: keep what was read (the size stays 0 unless it was complete).
  }
  return r;
}

function readMeta(b: Uint8Array, dv: DataView, r: HeifMeta): void {
  let meta: Box | undefined;
  for (const x of boxes(b, dv, 0, b.length)) if (x.type === 'meta') meta = x;
  if (!meta) return;
  // meta is a FullBox: 4 bytes of version and flags before its children.
  const pitm = child(b, dv, meta, 'pitm', 4);
  if (!pitm) return;
  const primary = b[pitm.start] === 0 ? dv.getUint16(pitm.start + 4) : dv.getUint32(pitm.start + 4);

  const types = new Map<number, string>();
  const iinf = child(b, dv, meta, 'iinf', 4);
  if (iinf) {
    const skip = b[iinf.start] === 0 ? 6 : 8;
    for (const infe of boxes(b, dv, iinf.start + skip, iinf.end)) {
      if (infe.type !== 'infe') continue;
      const v = b[infe.start];
      if (v < 2) continue;
      const id = v === 2 ? dv.getUint16(infe.start + 4) : dv.getUint32(infe.start + 4);
      const at = infe.start + 4 + (v === 2 ? 2 : 4) + 2;
      types.set(id, fourcc(b, at));
    }
  }
  r.primaryType = types.get(primary) ?? '';

  const iprp = child(b, dv, meta, 'iprp', 4);
  const ipco = iprp && child(b, dv, iprp, 'ipco');
  const ipma = iprp && child(b, dv, iprp, 'ipma');
  let width = 0;
  let height = 0;
  if (ipco && ipma) {
    const props = [...boxes(b, dv, ipco.start, ipco.end)];
    const v = b[ipma.start];
    const wideIndex = (dv.getUint32(ipma.start) & 1) === 1;
    let i = ipma.start + 4;
    const count = dv.getUint32(i);
    i += 4;
    for (let e = 0; e < count && i < ipma.end; e++) {
      const id = v < 1 ? dv.getUint16(i) : dv.getUint32(i);
      i += v < 1 ? 2 : 4;
      const n = b[i++];
      for (let k = 0; k < n; k++) {
        const index = (wideIndex ? dv.getUint16(i) & 0x7fff : b[i] & 0x7f) - 1;
        i += wideIndex ? 2 : 1;
        const p = props[index];
        if (id !== primary || !p) continue;
        if (p.type === 'ispe') {
          width = dv.getUint32(p.start + 4);
          height = dv.getUint32(p.start + 8);
        } else if (p.type === 'irot') r.rotation = (b[p.start] & 3) * 90;
        else if (p.type === 'imir') r.mirrored = true;
      }
    }
  }
  const quarter = r.rotation === 90 || r.rotation === 270;
  r.width = quarter ? height : width;
  r.height = quarter ? width : height;

  // EXIF: the Exif item that describes (cdsc) the primary item, else any Exif item.
  const exifIds = [...types].filter(([, t]) => t === 'Exif').map(([id]) => id);
  if (!exifIds.length) return;
  let exifId = exifIds[0];
  const iref = child(b, dv, meta, 'iref', 4);
  if (iref) {
    const wide = b[iref.start] !== 0;
    for (const ref of boxes(b, dv, iref.start + 4, iref.end)) {
      if (ref.type !== 'cdsc') continue;
      const from = wide ? dv.getUint32(ref.start) : dv.getUint16(ref.start);
      let at = ref.start + (wide ? 4 : 2);
      const n = dv.getUint16(at);
      at += 2;
      const to = Array.from({ length: n }, (_, k) => (wide ? dv.getUint32(at + 4 * k) : dv.getUint16(at + 2 * k)));
      if (exifIds.includes(from) && to.includes(primary)) exifId = from;
    }
  }
  const iloc = child(b, dv, meta, 'iloc', 4);
  const extent = iloc && itemExtent(b, dv, iloc, exifId);
  if (!extent) return;
  const [off, len] = extent;
  if (off + len > b.length || len < 4) return;
  const tiff = off + 4 + dv.getUint32(off);
  r.exifOrientation = readExifOrientation(dv, tiff, off + len);
}

/** The first extent (absolute offset, length) of item `id` stored in the file itself. */
function itemExtent(b: Uint8Array, dv: DataView, iloc: Box, id: number): [number, number] | undefined {
  const v = b[iloc.start];
  let i = iloc.start + 4;
  const offsetSize = b[i] >> 4;
  const lengthSize = b[i] & 15;
  const baseSize = b[i + 1] >> 4;
  const indexSize = v === 1 || v === 2 ? b[i + 1] & 15 : 0;
  i += 2;
  const count = v < 2 ? dv.getUint16(i) : dv.getUint32(i);
  i += v < 2 ? 2 : 4;
  for (let e = 0; e < count && i < iloc.end; e++) {
    const itemId = v < 2 ? dv.getUint16(i) : dv.getUint32(i);
    i += v < 2 ? 2 : 4;
    let method = 0;
    if (v === 1 || v === 2) {
      method = dv.getUint16(i) & 15;
      i += 2;
    }
    i += 2; // data reference index
    const base = uint(dv, i, baseSize);
    i += baseSize;
    const extents = dv.getUint16(i);
    i += 2;
    let first: [number, number] | undefined;
    for (let k = 0; k < extents; k++) {
      i += indexSize;
      const off = uint(dv, i, offsetSize);
      i += offsetSize;
      const len = uint(dv, i, lengthSize);
      i += lengthSize;
      first ??= [base + off, len];
    }
    if (itemId === id) return method === 0 ? first : undefined;
  }
  return undefined;
}
