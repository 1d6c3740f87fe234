/**
 * The photo-decoding worker: photo bytes -> oriented pixels (createImageBitmap, OffscreenCanvas:
 * the same media/decode.ts path as the diagnose screen, so a photo gives the same tensor and the
 * same embedding-cache key in both) -> model tensor (core/preprocess) and its sha256, and a
 * gallery thumbnail. Runs off the main thread, beside the inference worker, so decoding the next
 * photos overlaps with encoding the current ones. One photo at a time; nothing is kept.
 */
import { sha256Hex } from '../core/cachekeys';
import { toWireError } from '../core/errors';
import { preprocess } from '../core/preprocess';
import { decodePhoto } from './decode';
import type { DecodedForIndex, DecodeJob, DecodeReply } from './decode-jobs';
import { thumbnailOf } from './thumbnails';

declare const self: DedicatedWorkerGlobalScope;

async function run(job: DecodeJob): Promise<{ result: DecodedForIndex; transfer: Transferable[] }> {
  const t0 = performance.now();
  const d = await decodePhoto(job.photo, job.name);
  const result: DecodedForIndex = { width: d.width, height: d.height, ms: 0 };
  const transfer: Transferable[] = [];
  if (job.spec) {
    const tensor = preprocess(d.pixels, undefined, job.spec);
    result.tensorSha256 = await sha256Hex(new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength));
    result.tensor = tensor;
    transfer.push(tensor.buffer);
  }
  if (job.thumbnail) result.thumbnail = await thumbnailOf(d);
  result.ms = performance.now() - t0;
  return { result, transfer };
}

/** One photo at a time: queued jobs hold only a Blob reference, never decoded pixels. */
let chain: Promise<void> = Promise.resolve();

self.onmessage = (e: MessageEvent<DecodeJob>) => {
  const job = e.data;
  chain = chain.then(() =>
    run(job).then(
      ({ result, transfer }) => self.postMessage({ id: job.id, ok: true, result } satisfies DecodeReply, transfer),
      (err: unknown) => self.postMessage({ id: job.id, ok: false, error: toWireError(err, 'image-decode') } satisfies DecodeReply),
    ),
  );
};
