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

export function warmupText(ort: Ort, input: string, contextLength: number): Record<string, OrtModule.Tensor> {
  // "<start> a photo <end>" with the open_clip ids; the rest padded with 0.
  const ids = [49406, 320, 1125, 49407];
  const data = new BigInt64Array(Math.min(contextLength, 8));
  ids.forEach((v, i) => (data[i] = BigInt(v)));
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
