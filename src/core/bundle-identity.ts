/**
 * A bundle's identity: the sha256 of its manifest in canonical JSON (keys sorted, no whitespace).
 * The manifest lists every file with its sha256 and says how inputs are prepared, so two bundles
 * with the same identity compute the same embeddings; one file, one preprocessing value or one
 * tokenizer setting changed gives another identity. The id alone is a name anyone can reuse:
 * caches and saved results are keyed by id and identity together.
 */
import { strToU8 } from 'fflate';
import { sha256Hex, type Hasher } from './cachekeys';

/** JSON with object keys sorted at every level and no whitespace: the same value gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The identity of a bundle: sha256 (hex) of its manifest's canonical JSON. */
export async function bundleIdentity(manifestJson: unknown, hash: Hasher = sha256Hex): Promise<string> {
  return hash(strToU8(canonicalJson(manifestJson)));
}

/** A short form for people (the first 12 hex digits), e.g. in Storage. */
export function shortIdentity(identity: string): string {
  return identity.slice(0, 12);
}
