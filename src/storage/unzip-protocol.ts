/**
 * Messages between the import and the unzip worker (storage/unzip-worker.ts): one request per
 * worker, typed by `UnzipCalls` like the engine's `WorkerCalls` (engine/protocol.ts). Files travel
 * as File/Blob handles (no copy of their bytes).
 */
import type { WireError } from '../core/errors';

export interface ZipListing {
  /** Every file entry (directories left out) with its declared unpacked size. */
  entries: { path: string; size: number }[];
  /** The bundle's manifest.json (the shallowest), unpacked under its size cap. */
  manifest: { path: string; text: string };
}

export interface UnzipCalls {
  /** Check the zip's directory and read its manifest (nothing else is inflated). */
  open: { request: { zip: File }; reply: ZipListing };
  /** Inflate these entries (each stopped as soon as it passes its declared size). */
  extract: { request: { zip: File; paths: string[] }; reply: { files: { path: string; data: Blob }[] } };
}

export type UnzipCall = keyof UnzipCalls;
export type UnzipRequest = { [K in UnzipCall]: { type: K } & UnzipCalls[K]['request'] }[UnzipCall];

export interface UnzipProgress {
  type: 'progress';
  path: string;
  done: number;
  total: number;
}

export type UnzipReply = { [K in UnzipCall]: { type: 'reply'; call: K; ok: true; result: UnzipCalls[K]['reply'] } }[UnzipCall] | { type: 'reply'; ok: false; error: WireError };

export type UnzipMessage = UnzipProgress | UnzipReply;
