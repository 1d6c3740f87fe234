/**
 * Cache keys for embeddings. Both include the bundle id and the variant, so two models (or two
 * quantisations of one) never share an entry. Image key: sha256 of the preprocessed tensor bytes
 * (the same pixels, crop and preprocessing give the same key, whatever the file name). Text key:
 * the exact prompt string.
 */

export type CacheKey = [bundleId: string, variant: string, id: string];

export function imageKey(bundleId: string, variant: string, tensorSha256: string): CacheKey {
  if (!/^[0-9a-f]{64}$/.test(tensorSha256)) throw new Error('imageKey needs a sha256 hex digest');
  return [bundleId, variant, tensorSha256];
}

export function textKey(bundleId: string, variant: string, prompt: string): CacheKey {
  return [bundleId, variant, prompt];
}

/** One string for stores that need string keys (JSON of the tuple: unambiguous). */
export function keyString(key: CacheKey): string {
  return JSON.stringify(key);
}

export type Hasher = (bytes: Uint8Array) => Promise<string>;

/** The part of WebCrypto used here: present in browsers, workers and Node >= 20 alike (no DOM types needed). */
interface SubtleDigest {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

/** Lower-case hex sha256 via WebCrypto (browsers, workers, Node >= 20). */
export const sha256Hex: Hasher = async (bytes) => {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleDigest } }).crypto?.subtle;
  if (!subtle) throw new Error('WebCrypto (crypto.subtle) is not available in this context');
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  let hex = '';
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, '0');
  return hex;
};

/** The image key of a preprocessed tensor, hashing its bytes with `hash` (default WebCrypto). */
export async function imageKeyFor(bundleId: string, variant: string, tensor: Float32Array, hash: Hasher = sha256Hex): Promise<CacheKey> {
  return imageKey(bundleId, variant, await hash(new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength)));
}
