// A stand-in Blob that records each slice asked of it, with a synchronous reader of real bytes
// (Node has no synchronous Blob read; the engine worker uses FileReaderSync).
import type { SyncBlobReader } from '../../src/engine/blob-bytes';

interface Slice { start: number; end: number }

export function fakeBlob(bytes: Uint8Array): { blob: Blob; read: SyncBlobReader; slices: Slice[] } {
  const slices: Slice[] = [];
  const blob = {
    size: bytes.byteLength,
    slice: (start: number, end: number) => ({ start, end }) as unknown as Blob,
  } as unknown as Blob;
  const read: SyncBlobReader = (b) => {
    const { start, end } = b as unknown as Slice;
    slices.push({ start, end });
    return bytes.slice(start, end).buffer;
  };
  return { blob, read, slices };
}

