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

/**
 * In the browser the app batches new prompts by token length and trims each batch to its longest
 * prompt. int8's dynamic quantization takes one activation range per tensor, i.e. per batch, so
 * an int8 text embedding depends a little on its batch mates; on the 32-wide tiny text tower the
 * worst reference prompt measured 0.99761 that way ("MELANOMA IN SITU"), hence 0.997 here.
 */
export const BROWSER_BOUNDS: Bounds = {
  ...NATIVE_BOUNDS,
  fp32: { image: 0.9999, text: 0.9999 },
  int8: { image: NATIVE_BOUNDS.int8.image, text: 0.997 },
};
