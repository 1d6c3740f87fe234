/**
 * The page's handle on a conversion in the worker (engine/convert-worker.ts): its own worker,
 * so inference goes on meanwhile, ended when the conversion ends. Chunks of the output files
 * arrive transferred, one at a time: the page writes each before asking for the next.
 */
import type { ConvertHashResult, ConvertOpenRequest, ConvertOpenResult } from './convert-protocol';
import { WorkerRpc, type WorkerFactory, type WorkerLike } from './rpc';

const convertWorker: WorkerFactory = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'dermlip-convert' }) as WorkerLike;

export class ConverterClient {
  private readonly rpc: WorkerRpc;

  constructor(createWorker: WorkerFactory = convertWorker) {
    this.rpc = new WorkerRpc(createWorker(), { onEvent: () => undefined, onCrash: () => undefined });
  }

  /** Check the checkpoint against its config's architecture (nothing is written yet). */
  open(req: ConvertOpenRequest): Promise<ConvertOpenResult> {
    return this.rpc.call({ type: 'convertOpen', ...req });
  }

  /** sha256 of the whole checkpoint, streamed in slices (progress after each). */
  async sha256(onProgress?: (p: ConvertHashResult) => void, signal?: AbortSignal): Promise<string> {
    for (;;) {
      const r = await this.rpc.call({ type: 'convertHash', chunkBytes: 32 << 20 }, { signal });
      onProgress?.(r);
      if (r.sha256) return r.sha256;
    }
  }

  /** An output file's bytes, chunk by chunk. */
  async *file(name: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    for (;;) {
      const { chunk } = await this.rpc.call({ type: 'convertRead', file: name }, { signal });
      if (!chunk) return;
      yield new Uint8Array(chunk);
    }
  }

  dispose(): void {
    this.rpc.terminate({ code: 'internal', message: 'The conversion was closed.' });
  }
}
