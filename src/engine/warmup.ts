/**
 * Warm-up inputs and the output sanity check. A model can fail silently: an fp16 graph on a GPU
 * without shader-f16 returns all zeros (FACTS.md). A deterministic non-trivial input must give
 * finite, non-zero output before a backend is trusted.
 */
import type * as OrtModule from 'onnxruntime-web';

type Ort = typeof OrtModule;

export function warmupImage(ort: Ort, input: string, size: number): Record<string, OrtModule.Tensor> {
  const n = 3 * size * size;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(i * 0.013) * 1.5;
  return { [input]: new ort.Tensor('float32', data, [1, 3, size, size]) };
}

/** Token ids from the manifest's tokenizer (core/tokenizer/warmup-ids), as one int64 row. */
export function warmupText(ort: Ort, input: string, ids: readonly number[]): Record<string, OrtModule.Tensor> {
  const data = BigInt64Array.from(ids, (v) => BigInt(v));
  return { [input]: new ort.Tensor('int64', data, [1, data.length]) };
}

/** null when fine; otherwise what is wrong, in words. */
export function checkOutput(data: Float32Array): string | null {
  let maxAbs = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) return 'non-finite values';
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
  }
  if (data.length === 0) return 'empty output';
  if (maxAbs < 1e-6) return 'all values are zero';
  return null;
}
