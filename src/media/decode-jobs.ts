/** Messages between the app and the photo-decoding worker (media/decode-worker.ts). */
import type { WireError } from '../core/errors';
import type { PreprocessSpec } from '../core/preprocess';

export interface DecodeJob {
  id: number;
  photo: Blob;
  name: string;
  /** Preprocess for this model input (null: only the thumbnail is wanted). */
  spec: PreprocessSpec | null;
  /** Make a gallery thumbnail too. */
  thumbnail: boolean;
}

export interface DecodedForIndex {
  /** Float32 NCHW [1, 3, S, S], as the engine takes it (absent when no spec was given). */
  tensor?: Float32Array;
  tensorSha256?: string;
  thumbnail?: Blob;
  /** Oriented size of the original photo. */
  width: number;
  height: number;
  /** ms spent in the worker (decode + preprocess + hash + thumbnail). */
  ms: number;
}

export type DecodeReply = { id: number; ok: true; result: DecodedForIndex } | { id: number; ok: false; error: WireError };
