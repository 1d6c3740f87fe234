/**
 * Minimum cosine vs the PyTorch fp32 reference embeddings, per variant and tower, for demo-tiny.
 * One table for the onnxruntime-node tests (test/model) and the in-browser tests (e2e/); the
 * browser's fp32 bound is looser (0.9999, WASM and WebGPU kernels differ from the native ones).
 * q4 and text int8 were measured on demo-tiny (seed 0) with onnxruntime-node 1.30, minimum over
 * the references, and the bound set a little below:
 *   int8 text 0.99886 (tiny text width 32: per-tensor activation quantization hurts more than at
 *   width 512, where it measured 0.9995); q4 image 0.9405, text 0.9523.
 */
export type Bounds = Record<string, { image: number; text: number }>;

export const NATIVE_BOUNDS: Bounds = {
  fp32: { image: 0.99999, text: 0.99999 },
  fp16: { image: 0.9999, text: 0.9999 },
  int8: { image: 0.999, text: 0.998 },
  q4: { image: 0.93, text: 0.94 },
};

export const BROWSER_BOUNDS: Bounds = { ...NATIVE_BOUNDS, fp32: { image: 0.9999, text: 0.9999 } };
