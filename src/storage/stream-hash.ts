/**
 * Read a byte stream into one buffer of a known size while computing its sha256 on the way
 * (hash-wasm's incremental SHA-256): no second pass over the bytes and no copy of them, which
 * WebCrypto's one-shot digest needs. Used for model files as they download, so hashing overlaps
 * the download. (A BYOB reader straight into the buffer would leave no chunks for the GC; it was
 * tried and dropped, see BENCHMARKS.md attempt 14.) A file read back from the weight cache is read
 * whole and hashed with `hashBytes` instead: no chunks at all (attempt 26).
 */
import { createSHA256 } from 'hash-wasm';
import { dropBuffer } from '../core/drop-buffer';

export class StreamTooLong extends Error {
  constructor(readonly expected: number) {
    super(`more than the expected ${expected} bytes`);
  }
}

export interface HashedBytes {
  data: Uint8Array<ArrayBuffer>;
  /** Bytes received (less than data.length when the stream ended early). */
  loaded: number;
  /** Lower-case hex sha256 of the bytes received. */
  sha256: string;
}

/** Errors of the stream itself propagate unchanged; too many bytes throw StreamTooLong. */
export async function readHashed(stream: ReadableStream<Uint8Array>, expected: number, onChunk?: (loaded: number) => void): Promise<HashedBytes> {
  const hasher = await createSHA256();
  hasher.init();
  const reader = stream.getReader();
  const data = new Uint8Array(expected);
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.byteLength > expected) {
      await reader.cancel().catch(() => undefined);
      throw new StreamTooLong(expected);
    }
    data.set(value, loaded);
    hasher.update(value);
    loaded += value.byteLength;
    onChunk?.(loaded);
  }
  return { data, loaded, sha256: hasher.digest('hex') };
}

/** The sha256 of a stream of at most `limit` bytes, keeping nothing (StreamTooLong beyond it). */
export async function hashStream(stream: ReadableStream<Uint8Array>, limit: number): Promise<string> {
  const hasher = await createSHA256();
  hasher.init();
  const reader = stream.getReader();
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.byteLength;
    if (loaded > limit) {
      await reader.cancel().catch(() => undefined);
      throw new StreamTooLong(limit);
    }
    hasher.update(value);
  }
  return hasher.digest('hex');
}

const HASH_SLICE = 4 << 20;

/** The sha256 (lower-case hex) of bytes in memory (no whole copy, which WebCrypto's digest makes). */
export async function hashBytes(data: Uint8Array): Promise<string> {
  const hasher = await createSHA256();
  hasher.init();
  // in slices: hash-wasm copies each update into its own WASM memory
  for (let i = 0; i < data.byteLength; i += HASH_SLICE) hasher.update(data.subarray(i, i + HASH_SLICE));
  return hasher.digest('hex');
}

/**
 * The sha256 of a Blob read slice by slice (4 MB each), keeping none: for a weights file that
 * stays in the weight cache (on disk) until the engine reads it tensor by tensor.
 */
export async function hashBlob(blob: Blob): Promise<string> {
  const hasher = await createSHA256();
  hasher.init();
  for (let i = 0; i < blob.size; i += HASH_SLICE) {
    const slice = await blob.slice(i, i + HASH_SLICE).arrayBuffer();
    hasher.update(new Uint8Array(slice));
    // freed now: left to the garbage collector, a whole file's worth of slices stayed in the page
    dropBuffer(slice);
  }
  return hasher.digest('hex');
}
