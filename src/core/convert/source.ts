/**
 * Random access to a file's bytes (a File in the browser, a file on disk in tests): the checkpoint
 * readers ask for the ranges they need, so a 600 MB checkpoint is never read whole.
 */
import { AppError } from '../errors';

export interface ByteSource {
  /** Shown in messages (the file's name). */
  readonly name: string;
  readonly size: number;
  /** Exactly `length` bytes from `offset` (the caller checks the range against `size` first). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A ByteSource over bytes already in memory (tests, small files). */
export function memorySource(name: string, bytes: Uint8Array): ByteSource {
  return { name, size: bytes.byteLength, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

/** Read a range, refusing one that runs past the end of the file (a truncated or lying file). */
export async function readRange(src: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > src.size) {
    throw new AppError('file-corrupt', `${src.name} is truncated or damaged: ${what} would lie at bytes ${offset}..${offset + length}, but the file has ${src.size} bytes.`, 'Download the file again; its size must match the one on the model page.');
  }
  const b = await src.read(offset, length);
  if (b.byteLength !== length) throw new AppError('file-corrupt', `${src.name}: reading ${what} gave ${b.byteLength} of ${length} bytes (the file changed or is unreadable).`);
  return b;
}

/** Strict UTF-8 (core has no TextDecoder): null when the bytes are not valid UTF-8. */
export function decodeUtf8(b: Uint8Array): string | null {
  let out = '';
  const codes: number[] = [];
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    let cp: number;
    let n: number;
    if (c < 0x80) [cp, n] = [c, 1];
    else if (c >= 0xc2 && c < 0xe0) [cp, n] = [c & 0x1f, 2];
    else if (c >= 0xe0 && c < 0xf0) [cp, n] = [c & 0x0f, 3];
    else if (c >= 0xf0 && c < 0xf5) [cp, n] = [c & 0x07, 4];
    else return null;
    if (i + n > b.length) return null;
    for (let k = 1; k < n; k++) {
      if ((b[i + k] & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (b[i + k] & 0x3f);
    }
    if ((n === 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) || (n === 4 && (cp < 0x10000 || cp > 0x10ffff))) return null;
    codes.push(cp);
    if (codes.length >= 4096) out += String.fromCodePoint(...codes.splice(0));
    i += n;
  }
  return out + String.fromCodePoint(...codes);
}
