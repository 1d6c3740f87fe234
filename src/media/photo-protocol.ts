/** Messages between the page (media/decode.ts) and the photo worker (media/photo.worker.ts). */
import type { WireError } from '../core/errors';
import type { DecodedPhoto, DecodeOptions } from './decode-file';

export interface PhotoRequest {
  id: number;
  file: Blob;
  name: string;
  opts: DecodeOptions;
  /** Also make the thumbnail and display copy (media/thumbnails.ts). */
  copies: boolean;
}

export interface DisplayCopies {
  thumbnail: Blob;
  preview?: Blob;
}

export type PhotoReply = { id: number; ok: true; photo: DecodedPhoto; copies?: DisplayCopies } | { id: number; ok: false; error: WireError };
