/**
 * The photo worker: decodes photos (media/decode-file.ts) and makes their display copies
 * (media/thumbnails.ts) off the page's thread, so that opening 100 photos or a HEIC leaves the page
 * free to paint and answer clicks. Pixels come back transferred, not copied.
 */
import { AppError, type WireError } from '../core/errors';
import { decodeFile } from './decode-file';
import type { PhotoReply, PhotoRequest } from './photo-protocol';
import { displayCopies } from './thumbnails';

const post = (reply: PhotoReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);

self.onmessage = async (e: MessageEvent<PhotoRequest>) => {
  const { id, file, name, opts, copies } = e.data;
  try {
    const photo = await decodeFile(file, name, opts);
    const made = copies ? await displayCopies(photo) : undefined;
    post({ id, ok: true, photo, copies: made }, [photo.pixels.data.buffer as ArrayBuffer]);
  } catch (err) {
    const error: WireError = err instanceof AppError ? err.toWire() : { code: 'image-decode', message: `"${name}" could not be decoded: ${err instanceof Error ? err.message : String(err)}.`, hint: 'Try another copy of the photo.' };
    post({ id, ok: false, error });
  }
};
