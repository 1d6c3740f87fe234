/**
 * Cache keys for embeddings. Both include the bundle id, the bundle's identity (the sha256 of its
 * manifest, core/bundle-identity.ts: another bundle reusing the id never gets these entries) and
 * the variant, so two models (or two quantisations of one) never share an entry. Image key: sha256
 * of the preprocessed tensor bytes (the same pixels, crop and preprocessing give the same key,
 * whatever the file name). Text key: the exact prompt string.
 */

/** Which model: its bundle id and identity. */
export interface ModelRef {
  id: string;
  identity: string;
}

export type CacheKey = [bundleId: string, identity: string, variant: string, id: string];

const HEX64 = /^[0-9a-f]{64}$/;

function checkRef(model: ModelRef): void {
  if (!HEX64.test(model.identity)) throw new Error('a cache key needs the bundle identity (a sha256 hex digest)');
}

export function imageKey(model: ModelRef, variant: string, tensorSha256: string): CacheKey {
  checkRef(model);
  if (!HEX64.test(tensorSha256)) throw new Error('imageKey needs a sha256 hex digest');
  return [model.id, model.identity, variant, tensorSha256];
}

export function textKey(model: ModelRef, variant: string, prompt: string): CacheKey {
  checkRef(model);
  return [model.id, model.identity, variant, prompt];
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
export async function imageKeyFor(model: ModelRef, variant: string, tensor: Float32Array, hash: Hasher = sha256Hex): Promise<CacheKey> {
  return imageKey(model, variant, await hash(new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength)));
}
