/**
 * Decoding photos in worker(s) (media/decode-worker.ts): `decode()` hands a photo to the least
 * busy worker and resolves with its tensor, tensor sha256 and thumbnail. The caller bounds how
 * many are in flight (each holds one decoded photo at most, in the worker, while it runs).
 */
import { AppError } from '../core/errors';
import type { PreprocessSpec } from '../core/preprocess';
import type { DecodedForIndex, DecodeJob, DecodeReply } from './decode-jobs';

export type { DecodedForIndex };

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve(r: DecodedForIndex): void; reject(e: unknown): void }>;
}

export class DecodePool {
  private slots: Slot[] = [];
  private nextId = 1;

  constructor(private readonly size = 1) {}

  private slot(): Slot {
    if (this.slots.length < this.size) {
      const worker = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module', name: 'dermlip-decode' });
      const slot: Slot = { worker, pending: new Map() };
      worker.onmessage = (e: MessageEvent<DecodeReply>) => {
        const p = slot.pending.get(e.data.id);
        if (!p) return;
        slot.pending.delete(e.data.id);
        if (e.data.ok) p.resolve(e.data.result);
        else p.reject(AppError.fromWire(e.data.error));
      };
      worker.onerror = (e) => {
        e.preventDefault();
        const err = new AppError('internal', `The photo decoder stopped: ${e.message || 'unknown error'}.`);
        for (const p of slot.pending.values()) p.reject(err);
        slot.pending.clear();
        worker.terminate();
        this.slots = this.slots.filter((s) => s !== slot);
      };
      this.slots.push(slot);
      return slot;
    }
    return this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  decode(photo: Blob, name: string, spec: PreprocessSpec | null, thumbnail: boolean): Promise<DecodedForIndex> {
    const slot = this.slot();
    const id = this.nextId++;
    return new Promise<DecodedForIndex>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, photo, name, spec, thumbnail } satisfies DecodeJob);
    });
  }

  dispose(): void {
    for (const s of this.slots) {
      s.worker.terminate();
      const err = new AppError('internal', 'Photo decoding was stopped.');
      for (const p of s.pending.values()) p.reject(err);
    }
    this.slots = [];
  }
}
