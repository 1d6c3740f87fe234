/**
 * A checkpoint's table of tensors (name, dtype, shape, where its bytes are), whatever the file
 * format, and reading one tensor as float32: fp16 and bf16 are widened first, exactly.
 */
import { AppError } from '../errors';
import { decodeF16 } from '../f16';
import { readRange, type ByteSource } from './source';

export const DTYPE_BYTES = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 } as const;
export type DType = keyof typeof DTYPE_BYTES;
export const FLOAT_DTYPES: readonly DType[] = ['F32', 'F16', 'BF16'];

export interface TensorInfo {
  name: string;
  dtype: DType;
  shape: number[];
  /** Absolute byte offset of the first element in the file. */
  offset: number;
  /** Strides in elements (a torch view); absent: contiguous, row-major. */
  strides?: number[];
}

export interface CheckpointIndex {
  format: 'safetensors' | 'torch';
  /** In the file's own order. */
  tensors: Map<string, TensorInfo>;
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

export function isDType(s: unknown): s is DType {
  return typeof s === 'string' && Object.hasOwn(DTYPE_BYTES, s);
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}

/** Elements from the first to one past the last element a view touches (0 for an empty view). */
export function viewSpan(shape: readonly number[], strides: readonly number[]): number {
  if (shape.some((d) => d === 0)) return 0;
  return 1 + shape.reduce((n, d, i) => n + (d - 1) * strides[i], 0);
}

export const fmtShape = (s: readonly number[]) => `[${s.join(', ')}]`;

function widen(dtype: DType, bytes: Uint8Array, name: string): Float32Array {
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  if (dtype === 'F32') {
    // Bytes read fresh for this tensor (a File slice) are used as they are: no second copy of a
    // 100 MB token table. Else an aligned copy (little-endian platforms only).
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return new Float32Array(bytes.buffer);
    const out = new Float32Array(n);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  if (dtype === 'F16') return decodeF16(bytes);
  if (dtype === 'BF16') {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = (bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16;
    return new Float32Array(out.buffer);
  }
  throw new AppError('input-invalid', `Tensor ${name} is stored as ${dtype}; the model's weights must be floating point (F32, F16 or BF16).`);
}

/** One tensor as float32, contiguous and row-major. */
export async function readTensorF32(src: ByteSource, t: TensorInfo): Promise<Float32Array> {
  const es = DTYPE_BYTES[t.dtype];
  const strides = t.strides ?? contiguousStrides(t.shape);
  const n = numel(t.shape);
  const span = viewSpan(t.shape, strides);
  const bytes = await readRange(src, t.offset, span * es, `tensor ${t.name}`);
  const flat = widen(t.dtype, bytes, t.name);
  const rowMajor = contiguousStrides(t.shape);
  if (t.shape.every((d, i) => d <= 1 || strides[i] === rowMajor[i])) return flat; // contiguous (the usual case)
  // A strided torch view: gather its elements in row-major order.
  const out = new Float32Array(n);
  const idx = new Array<number>(t.shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let d = 0; d < idx.length; d++) off += idx[d] * strides[d];
    out[i] = flat[off];
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < t.shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}
