/**
 * The converter's calls to the worker (a new kind of worker work, beside inference): open a
 * checkpoint File and check it against the architecture its config names, hash it, then read each
 * output file of the bundle as chunks (transferred, not copied). Part of `WorkerCalls`.
 */
import type { ConvertLayout } from '../core/convert/layout';

export interface ConvertOpenRequest {
  /** The user's checkpoint (read by range, never whole). */
  checkpoint: Blob;
  fileName: string;
  /** open_clip_config.json's text. */
  configText: string;
  /** DermLIP-PanDerm: the text model's config.json (its BERT sizes). */
  textConfigText: string | null;
  layout: ConvertLayout;
  /** The shipped graphs without weights, by file name. */
  skeletons: Record<string, ArrayBuffer>;
}

export interface ConvertOpenResult {
  /** The shipped architecture's id (public/convert/<id>). */
  architecture: string;
  format: 'safetensors' | 'torch';
  tensors: number;
  /** The checkpoint's dtypes (F32, F16, BF16): anything but F32 is widened first. */
  dtypes: string[];
  modelLogitScale: number;
  bytes: number;
}

export interface ConvertHashResult {
  loaded: number;
  total: number;
  /** Set once the whole file is hashed. */
  sha256: string | null;
}

type NoFields = Record<never, never>;

export interface ConvertCalls {
  convertOpen: { request: ConvertOpenRequest; reply: ConvertOpenResult };
  /** Hash the next `chunkBytes` of the checkpoint (sha256, streamed). */
  convertHash: { request: { chunkBytes: number }; reply: ConvertHashResult };
  /** The next chunk of an output file, null when it is complete. */
  convertRead: { request: { file: string }; reply: { chunk: ArrayBuffer | null } };
  convertClose: { request: NoFields; reply: null };
}
