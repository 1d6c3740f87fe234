/**
 * The collection computations the inference worker runs (engine/protocol.ts `WorkerCalls` extends
 * `EvalCalls`; engine/worker.ts spreads `evalHandlers`). They need no model session: pure
 * functions of embeddings and labels, off the main thread. Typed arrays in a reply are
 * transferred, not copied (`replyBuffers`).
 */
import { evaluateZeroShot, probeVsZeroShot, type EvaluateRequest, type Evaluation, type ProbeComparison, type ProbeRequest } from './evaluate';
import { crossModalRetrieval, searchTopK, type CrossModalRetrieval, type SearchHit } from './retrieval';

export interface RetrievalRequest {
  images: Float32Array;
  /** Class (or pair) index per image, -1 for none. */
  imageLabels: Int32Array;
  /** Text embeddings: the class rows (label = class index) or one caption per image (`pairLabels`). */
  texts: Float32Array;
  textLabels: Int32Array;
  dim: number;
  /** Default 1, 5, 10 (the paper's table). */
  ks?: number[];
}

export interface SearchRequest {
  /** A text embedding (words->photos) or an image embedding (photo->photos), unit length. */
  query: Float32Array;
  /** The collection's image embeddings [n, dim]. */
  matrix: Float32Array;
  dim: number;
  k: number;
  /** Rows to leave out (the query photo itself). */
  exclude?: number[];
}

export interface EvalCalls {
  /** Zero-shot on a collection: probabilities, predictions, metrics, strata. */
  evaluate: { request: EvaluateRequest; reply: Evaluation };
  /** Few-shot linear probe beside zero-shot on the same test split. */
  trainProbe: { request: ProbeRequest; reply: ProbeComparison };
  /** Image->text and text->image R@1/5/10. */
  retrieval: { request: RetrievalRequest; reply: CrossModalRetrieval };
  /** The k most similar photos to a query embedding. */
  search: { request: SearchRequest; reply: SearchHit[] };
}

export type EvalCallType = keyof EvalCalls;

export const evalHandlers: { [K in EvalCallType]: (req: EvalCalls[K]['request']) => EvalCalls[K]['reply'] } = {
  evaluate: evaluateZeroShot,
  trainProbe: probeVsZeroShot,
  retrieval: (r) => crossModalRetrieval(r.images, r.imageLabels, r.texts, r.textLabels, r.dim, r.ks),
  search: (r) => searchTopK(r.query, r.matrix, r.dim, r.k, r.exclude),
};

export function isEvalCall(type: string): type is EvalCallType {
  return Object.hasOwn(evalHandlers, type);
}

/** The distinct buffers behind the typed arrays of a reply (two levels deep), to transfer. */
export function replyBuffers(reply: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (x: unknown, depth: number) => {
    if (ArrayBuffer.isView(x)) {
      if (x.buffer instanceof ArrayBuffer && x.byteLength === x.buffer.byteLength) out.add(x.buffer);
    } else if (x && typeof x === 'object' && depth < 3) {
      for (const v of Object.values(x)) visit(v, depth + 1);
    }
  };
  visit(reply, 0);
  return [...out];
}
