/**
 * HEIC/HEIF decoding with libheif (libheif-js: libheif + libde265 compiled to WASM). This module and
 * the WASM are loaded only when a HEIC photo arrives (a dynamic import from media/decode-file.ts,
 * inside the photo worker); the service worker precaches both, so it works offline.
 *
 * libheif applies the file's irot/imir (rotation, mirroring) and clap (crop) itself; an EXIF
 * orientation is applied here only when the caller says so (a file with no irot/imir, see
 * core/image-sniff.ts). The photo is downscaled to the working size before it leaves.
 */
import factory from 'libheif-js/libheif-wasm/libheif.js';
import wasmUrl from 'libheif-js/libheif-wasm/libheif.wasm?url';
import { decodeSize } from '../core/decode-plan';
import { AppError } from '../core/errors';
import { exifTransform } from '../core/exif';
import type { RgbaImage } from '../core/preprocess';
import { releaseCanvas } from './canvas';

type Lib = ReturnType<typeof factory>;
type Result = { code?: unknown; subcode?: unknown; message?: unknown };

let lib: Promise<Lib> | null = null;

function load(): Promise<Lib> {
  lib ??= (async () => {
    const res = await fetch(wasmUrl);
    if (!res.ok) throw new AppError('image-decode', `The HEIC decoder could not be loaded (${res.status} for ${wasmUrl}).`, 'Open the app once while online so that it is stored for offline use, then try again.');
    return factory({ wasmBinary: new Uint8Array(await res.arrayBuffer()) });
  })();
  lib.catch(() => (lib = null));
  return lib;
}

const UNSUPPORTED = new Set(['Unsupported_codec', 'No_matching_decoder_installed', 'Unsupported_bit_depth', 'Unsupported_color_conversion', 'Unsupported_image_type', 'Unsupported_data_version', 'Unsupported_essential_property', 'Unsupported_generic_compression_method', 'Unsupported_item_construction_method']);

function failure(h: Lib, r: Result, name: string): AppError {
  const sub = Object.entries(h.heif_suberror_code).find(([, v]) => v === r.subcode)?.[0]?.replace('heif_suberror_', '') ?? '';
  const code = Object.entries(h.heif_error_code).find(([, v]) => v === r.code)?.[0]?.replace('heif_error_', '') ?? '';
  const detail = (typeof r.message === 'string' && r.message) || sub || code || 'unknown error';
  if (UNSUPPORTED.has(sub) || code === 'Unsupported_feature' || code === 'Unsupported_filetype') {
    return new AppError('image-unsupported', `"${name}" is a HEIC/HEIF variant this app cannot decode (${detail}).`, 'Export it as a JPEG first (on an iPhone: Settings > Camera > Formats > Most Compatible, or share it as JPEG).');
  }
  return new AppError('image-decode', `"${name}" could not be decoded: the HEIC/HEIF file is damaged (${detail}).`, 'Try another copy of the photo.');
}

/** The primary image as RGBA (irot/imir/clap applied by libheif). */
function decodeFull(h: Lib, bytes: Uint8Array, name: string): ImageData {
  const ctx = h.heif_context_alloc();
  try {
    const read = h.heif_context_read_from_memory(ctx, bytes) as Result;
    if (read.code !== h.heif_error_code.heif_error_Ok) throw failure(h, read, name);
    const handle = h.heif_js_context_get_primary_image_handle(ctx);
    if (!handle || (handle as Result).code !== undefined) throw failure(h, handle ?? {}, name);
    try {
      const img = h.heif_js_decode_image2(handle, h.heif_colorspace.heif_colorspace_RGB, h.heif_chroma.heif_chroma_interleaved_RGBA);
      if (!img || img.code !== undefined) throw failure(h, img ?? {}, name);
      try {
        const ch = (img.channels as { id: unknown; width: number; height: number; stride: number; data: Uint8Array }[]).find((c) => c.id === h.heif_channel.heif_channel_interleaved);
        if (!ch || !(ch.width > 0 && ch.height > 0)) throw new AppError('image-decode', `"${name}" could not be decoded: the HEIC decoder returned no pixels.`, 'Try another copy of the photo.');
        const out = new Uint8ClampedArray(ch.width * ch.height * 4);
        const row = ch.width * 4;
        for (let y = 0; y < ch.height; y++) out.set(ch.data.subarray(y * ch.stride, y * ch.stride + row), y * row);
        return new ImageData(out, ch.width, ch.height);
      } finally {
        h.heif_image_release(img.image);
      }
    } finally {
      h.heif_image_handle_release(handle);
    }
  } finally {
    h.heif_context_free(ctx);
  }
}

function context(c: OffscreenCanvas): OffscreenCanvasRenderingContext2D {
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new AppError('image-decode', 'This browser cannot read image pixels (no 2D canvas).');
  return ctx;
}

/**
 * Oriented size of the decoded photo and its working pixels (shortest side at most
 * `workingShortSide`). `orientation`: EXIF orientation still to apply after libheif's irot/imir.
 */
export async function decodeHeic(bytes: Uint8Array, name: string, orientation: number, workingShortSide: number): Promise<{ width: number; height: number; pixels: RgbaImage }> {
  const h = await load();
  const full = decodeFull(h, bytes, name);
  let src = new OffscreenCanvas(full.width, full.height);
  context(src).putImageData(full, 0, 0);
  if (orientation !== 1) {
    const swap = orientation >= 5;
    const turned = new OffscreenCanvas(swap ? full.height : full.width, swap ? full.width : full.height);
    const ctx = context(turned);
    ctx.setTransform(...exifTransform(orientation, full.width, full.height));
    ctx.drawImage(src, 0, 0);
    releaseCanvas(src);
    src = turned;
  }
  const size = decodeSize(src.width, src.height, workingShortSide);
  let out = src;
  if (size.scale < 1) {
    const bitmap = await createImageBitmap(src, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' });
    out = new OffscreenCanvas(size.width, size.height);
    context(out).drawImage(bitmap, 0, 0);
    bitmap.close();
  }
  const px = context(out).getImageData(0, 0, out.width, out.height).data;
  const result = { width: src.width, height: src.height, pixels: { data: px, width: out.width, height: out.height } };
  releaseCanvas(src, out === src ? null : out);
  return result;
}
