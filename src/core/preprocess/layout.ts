/**
 * Geometry of open_clip's eval transform (transform.py `image_transform`, is_train=False) for a
 * square target of S pixels: how big the resized image is and where the S x S output sits in it.
 *
 * - 'shortest': torchvision Resize(S): shortest side to S, the other int(S * long / short); then
 *   CenterCrop(S) at int(round((len - S) / 2)) (Python's round, half to even).
 * - 'longest': ResizeKeepRatio(S, longest=1): ratio = max(h/S, w/S), new size round(len / ratio);
 *   then CenterCropOrPad(S, fill): pad left/top (S - len) // 2 and right/bottom (S - len + 1) // 2
 *   with the fill colour, then centre-crop what is still larger than S.
 * - 'squash': Resize((S, S)): both sides to S, the aspect ratio is not kept.
 */
import { AppError } from '../errors';

export const RESIZE_MODES = ['shortest', 'longest', 'squash'] as const;
export const INTERPOLATIONS = ['bicubic', 'bilinear'] as const;
export type ResizeMode = (typeof RESIZE_MODES)[number];
export type Interpolation = (typeof INTERPOLATIONS)[number];

/** The manifest's image preprocessing (docs/bundle-format.md): what open_clip's preprocess_cfg says. */
export interface ResizeSpec {
  size: number;
  resize: ResizeMode;
  interpolation: Interpolation;
  /** Value of every channel where 'longest' leaves the square uncovered (open_clip's fill_color). */
  fill?: number;
}

/**
 * The resized image is width x height; output pixel (x, y) is resized pixel (x + left, y + top),
 * or the fill colour where that falls outside (padding: left/top negative).
 */
export interface Layout {
  width: number;
  height: number;
  left: number;
  top: number;
}

/** Python's round() (half to even), as torchvision's CenterCrop and open_clip use it. */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** torchvision Resize(int) output size: shortest side -> size, the other int(size * long / short). */
export function resizedSize(width: number, height: number, size: number): { width: number; height: number } {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const newLong = Math.floor((size * long) / short);
  return width <= height ? { width: size, height: newLong } : { width: newLong, height: size };
}

/** torchvision CenterCrop offset: int(round((length - size) / 2.0)). */
export function centerCropOffset(length: number, size: number): number {
  return pyRound((length - size) / 2);
}

/** open_clip ResizeKeepRatio(size, longest=1).get_params, with its float arithmetic. */
export function keepRatioSize(width: number, height: number, size: number): { width: number; height: number } {
  const ratioH = height / size;
  const ratioW = width / size;
  const ratio = Math.max(ratioH, ratioW) * 1 + Math.min(ratioH, ratioW) * (1 - 1);
  return { width: pyRound((width * 1) / ratio), height: pyRound((height * 1) / ratio) };
}

/** open_clip center_crop_or_pad along one axis: (padded length, offset of the output in the resized image). */
function cropOrPad(length: number, size: number): number {
  const before = size > length ? Math.floor((size - length) / 2) : 0;
  const after = size > length ? Math.floor((size - length + 1) / 2) : 0;
  return pyRound((length + before + after - size) / 2) - before;
}

export function layout(width: number, height: number, spec: ResizeSpec): Layout {
  const s = spec.size;
  if (spec.resize === 'squash') return { width: s, height: s, left: 0, top: 0 };
  if (spec.resize === 'shortest') {
    const r = resizedSize(width, height, s);
    return { ...r, left: centerCropOffset(r.width, s), top: centerCropOffset(r.height, s) };
  }
  const r = keepRatioSize(width, height, s);
  if (r.width < 1 || r.height < 1) {
    throw new AppError('input-invalid', `A ${width} x ${height} image fitted into ${s} x ${s} pixels would be ${r.width} x ${r.height}: too thin to use.`, 'Crop the photo to the lesion first.');
  }
  return { ...r, left: cropOrPad(r.width, s), top: cropOrPad(r.height, s) };
}

export function checkResizeSpec(spec: ResizeSpec): void {
  const fill = spec.fill ?? 0;
  if (!(Number.isInteger(spec.size) && spec.size >= 1)) throw new AppError('input-invalid', `The model input size must be a positive integer, not ${spec.size}.`);
  if (!RESIZE_MODES.includes(spec.resize)) throw new AppError('input-invalid', `Unknown resize mode "${spec.resize}" (expected ${RESIZE_MODES.join(', ')}).`);
  if (!INTERPOLATIONS.includes(spec.interpolation)) throw new AppError('input-invalid', `Unknown interpolation "${spec.interpolation}" (expected ${INTERPOLATIONS.join(', ')}).`);
  if (!(Number.isInteger(fill) && fill >= 0 && fill <= 255)) throw new AppError('input-invalid', `The fill colour must be an integer 0..255, not ${fill}.`);
}
