/**
 * A photo's quick key: its size and the sha256 of its first and last 64 KiB. Two reads of 64 KiB
 * cost a few ms where reading and hashing a 4 MB photo costs ~50: enough to recognise a photo
 * dropped again at once. It is only a probable identity; the full sha256 confirms it after.
 */
import type { Hasher } from '../core/cachekeys';

export const QUICK_SPAN = 64 * 1024;

export async function quickKey(file: Blob, hash: Hasher): Promise<string> {
  const head = new Uint8Array(await file.slice(0, QUICK_SPAN).arrayBuffer());
  const tail = file.size > QUICK_SPAN ? new Uint8Array(await file.slice(Math.max(QUICK_SPAN, file.size - QUICK_SPAN)).arrayBuffer()) : new Uint8Array(0);
  const both = new Uint8Array(head.length + tail.length);
  both.set(head);
  both.set(tail, head.length);
  return `${file.size}:${await hash(both)}`;
}
