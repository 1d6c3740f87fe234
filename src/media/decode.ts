/**
 * The page's side of photo decoding: every photo is decoded (media/decode-file.ts) and its display
 * copies made in the photo worker, started on the first photo and stopped after a while without
 * work (a HEIC decoder's WASM heap keeps its peak size until then). Where a worker cannot start,
 * the same code runs in the page.
 */
import { AppError } from '../core/errors';
import { decodeFile, type DecodedPhoto, type DecodeOptions } from './decode-file';
export { checkPhotoBytes } from './decode-file';
import type { DisplayCopies, PhotoReply, PhotoRequest } from './photo-protocol';
import { displayCopies } from './thumbnails';

export type { DecodedPhoto } from './decode-file';

const IDLE_MS = 30_000;

interface Pending {
  req: PhotoRequest;
  resolve: (r: { photo: DecodedPhoto; copies?: DisplayCopies }) => void;
  reject: (e: unknown) => void;
}

let worker: Worker | null = null;
let broken = false;
let idle: ReturnType<typeof setTimeout> | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

async function inPage(req: PhotoRequest): Promise<{ photo: DecodedPhoto; copies?: DisplayCopies }> {
  const photo = await decodeFile(req.file, req.name, req.opts);
  return { photo, copies: req.copies ? await displayCopies(photo) : undefined };
}

function settle(p: Pending, r: Promise<{ photo: DecodedPhoto; copies?: DisplayCopies }>) {
  r.then(p.resolve, p.reject);
}

function start(): Worker | null {
  if (worker || broken) return worker;
  try {
    worker = new Worker(new URL('./photo.worker.ts', import.meta.url), { type: 'module', name: 'photo-decoder' });
  } catch {
    broken = true;
    return null;
  }
  worker.onmessage = (e: MessageEvent<PhotoReply>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    if (p) {
      if (e.data.ok) p.resolve({ photo: e.data.photo, copies: e.data.copies });
      else p.reject(AppError.fromWire(e.data.error));
    }
    if (!pending.size) {
      clearTimeout(idle);
      idle = setTimeout(() => {
        if (pending.size) return;
        worker?.terminate();
        worker = null;
      }, IDLE_MS);
    }
  };
  // The worker's script did not load or crashed: finish its work in the page from now on.
  worker.onerror = (e) => {
    e.preventDefault();
    worker?.terminate();
    worker = null;
    broken = true;
    for (const [id, p] of pending) {
      pending.delete(id);
      settle(p, inPage(p.req));
    }
  };
  return worker;
}

function run(req: Omit<PhotoRequest, 'id'>): Promise<{ photo: DecodedPhoto; copies?: DisplayCopies }> {
  clearTimeout(idle);
  const w = start();
  const full: PhotoRequest = { ...req, id: nextId++ };
  if (!w) return inPage(full);
  return new Promise((resolve, reject) => {
    pending.set(full.id, { req: full, resolve, reject });
    w.postMessage(full);
  });
}

/** The photo's working pixels (see decode-file.ts); `opts.jpeg: 'bitmap'` is the benchmark's full decode. */
export async function decodePhoto(file: Blob, name = (file as File).name ?? 'photo', opts: DecodeOptions = {}): Promise<DecodedPhoto> {
  return (await run({ file, name, opts, copies: false })).photo;
}

/** The photo's working pixels, its thumbnail and (for a large or HEIC photo) its display copy. */
export async function decodeForCase(file: Blob, name: string): Promise<{ photo: DecodedPhoto; copies: DisplayCopies }> {
  const r = await run({ file, name, opts: {}, copies: true });
  return { photo: r.photo, copies: r.copies ?? (await displayCopies(r.photo)) };
}
