/**
 * The safetensors format: 8 bytes (little-endian u64) header length N, N bytes of JSON header
 * ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}), then the raw
 * little-endian tensors, offsets relative to the end of the header. Every claim of the header is
 * checked against the file before anything is read: offsets inside the data, sizes that match
 * dtype x shape, tensors packed without overlap or gap (as the safetensors library requires).
 */
import { AppError } from '../errors';
import { decodeUtf8, readRange, type ByteSource } from './source';
import { DTYPE_BYTES, fmtShape, isDType, numel, type CheckpointIndex, type TensorInfo } from './tensors';

/** No real header comes near this (ViT-B/16's is 30 kB): a bigger claim is a damaged or foreign file. */
const MAX_HEADER = 64 * 1024 * 1024;

function bad(src: ByteSource, why: string): never {
  throw new AppError('file-corrupt', `${src.name} is not a valid safetensors file: ${why}.`, 'Download open_clip_model.safetensors again from the model page.');
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The header length stated by the first 8 bytes (null when it cannot be a safetensors header). */
export function safetensorsHeaderLength(first8: Uint8Array): number | null {
  if (first8.byteLength < 8) return null;
  const lo = (first8[0] | (first8[1] << 8) | (first8[2] << 16)) + first8[3] * 2 ** 24;
  const hi = (first8[4] | (first8[5] << 8) | (first8[6] << 16)) + first8[7] * 2 ** 24;
  return hi === 0 ? lo : null;
}

export async function openSafetensors(src: ByteSource): Promise<CheckpointIndex> {
  if (src.size < 8) bad(src, `it has ${src.size} bytes, fewer than the 8 of the header length`);
  const n = safetensorsHeaderLength(await readRange(src, 0, 8, 'the header length'));
  if (n === null || n > MAX_HEADER) bad(src, 'its first 8 bytes state an impossible header length');
  if (8 + n > src.size) bad(src, `its header claims ${n} bytes but the file has only ${src.size - 8} after the length (truncated?)`);
  const text = decodeUtf8(await readRange(src, 8, n, 'the header'));
  if (text === null) bad(src, 'its header is not UTF-8 text');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    bad(src, 'its header is not valid JSON');
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) bad(src, 'its header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = src.size - dataStart;
  const entries: (TensorInfo & { begin: number; end: number })[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!e || typeof e !== 'object') bad(src, `the header entry of ${name} is not an object`);
    if (!isDType(e.dtype)) bad(src, `tensor ${name} has the unknown dtype ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every(isIndex)) bad(src, `tensor ${name} has no valid shape`);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !isIndex(off[0]) || !isIndex(off[1]) || off[1] < off[0]) bad(src, `tensor ${name} has no valid data_offsets`);
    const [begin, end] = off as [number, number];
    const shape = e.shape as number[];
    const want = numel(shape) * DTYPE_BYTES[e.dtype];
    if (end - begin !== want) bad(src, `the header lies about tensor ${name}: ${e.dtype} ${fmtShape(shape)} needs ${want} bytes, its offsets ${begin}..${end} give ${end - begin}`);
    if (end > dataLength) bad(src, `it is cut short: tensor ${name} needs data bytes ${begin}..${end}, the file has ${dataLength} (truncated download?)`);
    entries.push({ name, dtype: e.dtype, shape, offset: dataStart + begin, begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin < at) bad(src, `the header lies about offsets: tensor ${e.name} (bytes ${e.begin}..${e.end}) overlaps the tensor before it (which ends at ${at})`);
    if (e.begin > at) bad(src, `the header lies about offsets: bytes ${at}..${e.begin} before tensor ${e.name} belong to no tensor`);
    at = e.end;
  }
  if (at !== dataLength) bad(src, `the header accounts for ${at} bytes of data but the file has ${dataLength} (extra bytes at the end)`);
  return { format: 'safetensors', tensors: new Map(entries.map((e) => [e.name, { name: e.name, dtype: e.dtype, shape: e.shape, offset: e.offset }])) };
}
