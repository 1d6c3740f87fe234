/**
 * How the indexer feeds the image encoder: photos per model run, how many are decoded ahead, and
 * whether decoding the next photos overlaps with the encoder's run. Measured on the 2-core test
 * machine (BENCHMARKS.md, "Collections"): with the encoder's 2 WASM threads on both cores, a
 * decoder beside them slows each model run by about as much as the decoding it hides at 1 MP, and
 * batches of 1 and 8 run at the same rate per photo. Overlap stays the default: it hides all of
 * the decoding where that costs more (large photos) or where cores are left over. Debug URL
 * parameters override both (the benchmark compares them).
 */
export interface IndexPlan {
  /** Photos per model run. */
  batch: number;
  /** Photos decoded or being decoded at most (one tensor each: bounds memory). */
  ahead: number;
  /** Decode the next batch while the encoder runs (else: after the run). */
  overlap: boolean;
}

export const INDEX_BATCH = 8;

export function indexPlan(overrides: { batch?: number; overlap?: boolean } = {}): IndexPlan {
  const batch = overrides.batch && overrides.batch > 0 ? Math.floor(overrides.batch) : INDEX_BATCH;
  const overlap = overrides.overlap ?? true;
  return { batch, ahead: overlap ? 2 * batch : batch, overlap };
}
