/**
 * Minimum cosine vs the PyTorch fp32 reference embeddings, per bundle, variant and tower, for the
 * committed tiny fixtures. One table for the onnxruntime-node tests (test/model) and the in-browser
 * tests (e2e/); the browser's fp32 bound is looser (0.9999, WASM and WebGPU kernels differ from the
 * native ones). q4 and int8 were measured with onnxruntime-node 1.30 (minimum over the references)
 * and each bound set a little below:
 *   demo-tiny (QuickGELU): int8 image 0.99956, text 0.99874 (tiny text width 32: per-tensor
 *   activation quantization hurts more than at width 512, where it measured 0.9995); q4 image
 *   0.9430, text 0.9526.
 *   demo-tiny-gelu (GELU; longest-side resize padded with fill 114): int8 image 0.99778 (the flat
 *   padding widens the per-tensor activation range of the patch tokens), text 0.99886; q4 0.9471 /
 *   0.9523.
 *   demo-panderm-tiny (CAE ViT + BERT, 64 wide, embedDim 32): fp16 0.9999997 / 0.9999993; int8
 *   image 0.99998, text 0.99960; q4 image 0.9948, text 0.9344 ("Müller's naïve résumé of eczéma",
 *   17 pieces of 1-3 letters: the 64-wide random BERT with 4-bit weights), so q4 text 0.93 there;
 *   every other B/16 bound holds as it is.
 */
export type Bounds = Record<string, { image: number; text: number }>;

export const BUNDLES = ['demo-tiny', 'demo-tiny-gelu'] as const;
/** DermLIP-PanDerm fixtures (WordPiece tokenizer, BERT text tower): tested by panderm-*.test.ts. */
export const PANDERM_BUNDLES = ['demo-panderm-tiny'] as const;
export type BundleId = (typeof BUNDLES)[number] | (typeof PANDERM_BUNDLES)[number];

const NATIVE: Bounds = {
  fp32: { image: 0.99999, text: 0.99999 },
  fp16: { image: 0.9999, text: 0.9999 },
  int8: { image: 0.999, text: 0.998 },
  q4: { image: 0.93, text: 0.94 },
};

const NATIVE_BY_BUNDLE: Record<BundleId, Bounds> = {
  'demo-tiny': NATIVE,
  'demo-tiny-gelu': { ...NATIVE, int8: { image: 0.997, text: 0.998 } },
  'demo-panderm-tiny': { ...NATIVE, q4: { image: 0.93, text: 0.93 } },
};

export function nativeBounds(bundle: BundleId): Bounds {
  return NATIVE_BY_BUNDLE[bundle];
}

/**
 * In the browser the app batches new prompts by token length and trims each batch to its longest
 * prompt. int8's dynamic quantization takes one activation range per tensor, i.e. per batch, so
 * an int8 text embedding depends a little on its batch mates; on the 32-wide tiny text tower the
 * worst reference prompt measured 0.99761 that way ("MELANOMA IN SITU"), hence 0.997 here.
 */
export function browserBounds(bundle: BundleId): Bounds {
  const n = nativeBounds(bundle);
  return { ...n, fp32: { image: 0.9999, text: 0.9999 }, int8: { image: n.int8.image, text: 0.997 } };
}

