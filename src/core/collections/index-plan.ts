/**
 * How the indexer feeds the image encoder: photos per model run, how many are decoded ahead, and
 * whether decoding the next photos overlaps with the encoder's run. On a machine with few cores
 * the encoder's WASM threads take them all: a decoder running beside them slows every model run
 * by more than the decoding it hides (measured in BENCHMARKS.md, "Collections"), so there the
 * next batch is decoded after the run instead of during it.
 */
export interface IndexPlan {
  /** Photos per model run. */
  batch: number;
  /** Photos decoded or being decoded at most (one tensor each: bounds memory). */
  ahead: number;
  /** Decode the next batch while the encoder runs. */
  overlap: boolean;
}

export const INDEX_BATCH = 8;

/** `cores`: navigator.hardwareConcurrency; `encoderThreads`: the WASM threads of the image encoder (0: not WASM). Overrides come from debug URL parameters. */
export function indexPlan(cores: number, encoderThreads: number, overrides: { batch?: number; overlap?: boolean } = {}): IndexPlan {
  const batch = overrides.batch && overrides.batch > 0 ? Math.floor(overrides.batch) : INDEX_BATCH;
  const overlap = overrides.overlap ?? !(encoderThreads > 0 && encoderThreads >= cores);
  return { batch, ahead: overlap ? 2 * batch : batch, overlap };
}
