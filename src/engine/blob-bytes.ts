/**
 * External weights read from a Blob tensor by tensor, instead of from one whole copy in memory.
 *
 * onnxruntime-web copies each external initializer from the bytes it was given for a file
 * (`externalData[].data`) into its own memory while the session is created, through exactly two
 * members: `byteLength`, then `subarray(offset, offset + length)` (its pre-js
 * `Module.mountExternalData` keeps the object; the copy callback reads it; the same in the WASM and
 * WebGPU builds of 1.30). A weights file kept in Cache Storage is a disk-backed Blob: handing the
 * runtime a Uint8Array stand-in whose `subarray` reads that range of the Blob synchronously
 * (`FileReaderSync`, dedicated workers only) means the page never holds the whole file in
 * JavaScript memory beside the runtime's copy. At most one tensor's bytes are in JavaScript at a
 * time. Used where a model source offers `getWeights` (ModelSource): the converter's fp32 text
 * session, whose weights file is 254-439 MB (the prompt-table step's peak, 1,151 -> 1,004 MB for
 * ViT-B/16). Not for the app's own loads: for the 89 MB int8 image file it made ready 0.5 s slower
 * and the session's peak no lower (BENCHMARKS.md, attempt 30).
 *
 * The runtime's use of these two members is not a public contract: `bytesRead` lets the caller
 * check that the weights really were read through it, and fall back to a whole copy otherwise.
 */

import { dropBuffer } from '../core/drop-buffer';

/** Read a Blob (a slice of it) synchronously. In a dedicated worker: FileReaderSync. */
export type SyncBlobReader = (b: Blob) => ArrayBuffer;

export const fileReaderSync: SyncBlobReader = (b) => new FileReaderSync().readAsArrayBuffer(b);

export class BlobBytes extends Uint8Array<ArrayBuffer> {
  /** Bytes handed out by `subarray` so far. */
  bytesRead = 0;
  private readonly blob: Blob;
  private readonly read: SyncBlobReader;

  constructor(blob: Blob, read: SyncBlobReader = fileReaderSync) {
    super(new ArrayBuffer(0));
    this.blob = blob;
    this.read = read;
    // The file's size, not this (empty) array's: an own property shadows the prototype's getter.
    Object.defineProperty(this, 'byteLength', { value: blob.size, enumerable: false });
  }

  /**
   * A fresh Uint8Array with bytes [begin, end) of the Blob (a copy, not a view). The runtime copies
   * it before it asks for the next one, so the one before is freed here (and the last by `free`):
   * left to the garbage collector, the whole file's worth of reads stayed in the worker.
   */
  override subarray(begin = 0, end: number = this.blob.size): Uint8Array<ArrayBuffer> {
    this.free();
    const size = this.blob.size;
    const b = clamp(begin, size);
    const e = Math.max(b, clamp(end, size));
    const out = new Uint8Array(this.read(this.blob.slice(b, e)));
    if (out.byteLength !== e - b) throw new Error(`read ${out.byteLength} bytes of the weights file at ${b}, expected ${e - b}`);
    this.bytesRead += out.byteLength;
    this.last = out.buffer;
    return out;
  }

  /** Free the last range handed out (call once the runtime is done with it). */
  free(): void {
    if (this.last) dropBuffer(this.last);
    this.last = null;
  }

  private last: ArrayBuffer | null = null;
}

/** TypedArray index rules: negative from the end, clamped to [0, size]. */
function clamp(i: number, size: number): number {
  const n = Math.trunc(i);
  return n < 0 ? Math.max(0, size + n) : Math.min(n, size);
}

/**
 * Create a session from weights kept in a Blob: read tensor by tensor through BlobBytes, else (the
 * runtime failed with it, or did not read through it) from one whole copy, as before.
 */
export async function createFromBlob<S>(blob: Blob, create: (weights: Uint8Array<ArrayBuffer>) => Promise<S>, release: (s: S) => Promise<void>, read: SyncBlobReader = fileReaderSync): Promise<{ session: S; lazy: boolean }> {
  const lazy = new BlobBytes(blob, read);
  try {
    const session = await create(lazy).finally(() => lazy.free());
    if (lazy.bytesRead > 0) return { session, lazy: true };
    await release(session);
  } catch {
    // the whole copy below either works or fails with the runtime's own message
  }
  return { session: await create(new Uint8Array(read(blob))), lazy: false };
}
