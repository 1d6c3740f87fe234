/**
 * Read a byte stream into one buffer of a known size while computing its sha256 on the way
 * (hash-wasm's incremental SHA-256): no second pass over the bytes and no copy of them, which
 * WebCrypto's one-shot digest needs. Used for model files, read from the weight cache or
 * downloaded, so hashing overlaps the reading. Where the stream is a byte stream (fetch and Cache
 * Storage bodies in Chromium), it is read with a BYOB reader straight into the buffer, so a 90 MB
 * file leaves no 90 MB of chunks behind for the garbage collector.
 */
import { createSHA256, type IHasher } from 'hash-wasm';

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

const BYOB_CHUNK = 4 << 20;

/** Errors of the stream itself propagate unchanged; too many bytes throw StreamTooLong. */
export async function readHashed(stream: ReadableStream<Uint8Array>, expected: number, onChunk?: (loaded: number) => void): Promise<HashedBytes> {
  const hasher = await createSHA256();
  hasher.init();
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    byob = null; // not a byte stream
  }
  const r = byob ? await readByob(byob, expected, hasher, onChunk) : await readChunks(stream.getReader(), expected, hasher, onChunk);
  return { ...r, sha256: hasher.digest('hex') };
}

async function readChunks(reader: ReadableStreamDefaultReader<Uint8Array>, expected: number, hasher: IHasher, onChunk?: (loaded: number) => void) {
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
  return { data, loaded };
}

async function readByob(reader: ReadableStreamBYOBReader, expected: number, hasher: IHasher, onChunk?: (loaded: number) => void) {
  // Each read transfers the buffer it fills and hands it back: keep the latest one.
  let buffer = new ArrayBuffer(expected);
  let loaded = 0;
  while (loaded < expected) {
    const { done, value } = await reader.read(new Uint8Array(buffer, loaded, Math.min(BYOB_CHUNK, expected - loaded)));
    if (!value) break;
    buffer = value.buffer as ArrayBuffer;
    if (value.byteLength > 0) {
      hasher.update(value);
      loaded += value.byteLength;
      onChunk?.(loaded);
    }
    if (done) return { data: new Uint8Array(buffer), loaded };
  }
  // Full: the stream must end here.
  const extra = await reader.read(new Uint8Array(1));
  if (!extra.done) {
    await reader.cancel().catch(() => undefined);
    throw new StreamTooLong(expected);
  }
  return { data: new Uint8Array(buffer), loaded };
}
