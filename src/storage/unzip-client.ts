/**
 * Runs one unzip request (storage/unzip-protocol.ts) in a fresh worker and ends the worker with
 * the reply: a zip bomb or a huge entry costs the worker's memory, never the page's, and the page
 * stays responsive while a large bundle inflates.
 */
import { AppError } from '../core/errors';
import type { UnzipCall, UnzipCalls, UnzipMessage, UnzipProgress } from './unzip-protocol';

export function unzipCall<K extends UnzipCall>(type: K, request: UnzipCalls[K]['request'], onProgress?: (p: UnzipProgress) => void): Promise<UnzipCalls[K]['reply']> {
  const worker = new Worker(new URL('./unzip-worker.ts', import.meta.url), { type: 'module', name: 'dermlip-unzip' });
  return new Promise<UnzipCalls[K]['reply']>((resolve, reject) => {
    const done = () => worker.terminate();
    worker.onmessage = (e: MessageEvent<UnzipMessage>) => {
      const m = e.data;
      if (m.type === 'progress') return onProgress?.(m);
      done();
      if (!m.ok) reject(AppError.fromWire(m.error));
      else if (m.call === type) resolve(m.result as UnzipCalls[K]['reply']);
      else reject(new AppError('internal', `The unzip worker answered a "${type}" request with a "${m.call}" reply.`));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      done();
      reject(new AppError('internal', `The unzip worker stopped: ${e.message || 'unknown error'}.`, 'Try again; if it repeats, unpack the .zip and choose the folder instead.'));
    };
    worker.postMessage({ type, ...request });
  });
}
