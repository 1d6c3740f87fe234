/**
 * Zero-shot classification, as open_clip evaluates DermLIP:
 * - classifier: per label, the mean of its prompts' L2-normalised text embeddings, renormalised
 *   (open_clip build_zero_shot_classifier);
 * - logits = logitScale x cosine(image, class) (manifest.logitScale, 100 for Derm1M), softmax;
 * - roll-up: an inner ontology node's probability is the sum of its children's.
 */
import { AppError } from './errors';
import { getNode, ROOT_ID, type OntologyTree } from './ontology';
import { promptsForLabel, type Label } from './prompts';

export { loadEmbeddingTable, type EmbeddingTable } from './embedding-table';
import { l2normalizeRows } from './vectors';
export { l2normalizeRows } from './vectors';
export { decodeF16, f16ToF32 } from './f16';

/** Below this top probability a result is flagged as uncertain. */
export const LOW_CONFIDENCE_TOP = 0.35;
/** Below this gap between the first and second probability a result is flagged as uncertain. */
export const LOW_CONFIDENCE_MARGIN = 0.1;


export interface Classifier {
  labels: Label[];
  dim: number;
  /** [labels.length, dim], rows unit length. */
  weights: Float32Array;
}

export type PromptLookup = (prompt: string) => Float32Array | undefined;

export function buildClassifier(labels: readonly Label[], templates: readonly string[], lookup: PromptLookup): Classifier {
  if (labels.length === 0) throw new AppError('input-invalid', 'The label set is empty.');
  let dim = 0;
  let weights = new Float32Array(0);
  const missing: string[] = [];
  labels.forEach((label, li) => {
    const prompts = promptsForLabel(label, templates);
    for (const p of prompts) {
      const v = lookup(p);
      if (!v) {
        missing.push(p);
        continue;
      }
      if (!dim) (dim = v.length), (weights = new Float32Array(labels.length * dim));
      if (v.length !== dim) throw new AppError('model-output-invalid', `Text embedding of "${p}" has ${v.length} values, expected ${dim}.`);
      let ss = 0;
      for (let i = 0; i < dim; i++) ss += v[i] * v[i];
      const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
      const row = weights.subarray(li * dim, (li + 1) * dim);
      for (let i = 0; i < dim; i++) row[i] += v[i] * inv;
    }
  });
  if (missing.length) throw new AppError('internal', `${missing.length} prompt embeddings are missing (first: "${missing[0]}"); compute them before building the classifier.`);
  // mean then renormalise == renormalise the sum
  return { labels: [...labels], dim, weights: l2normalizeRows(weights, dim) };
}

export interface Ranked {
  label: Label;
  /** Index in classifier.labels. */
  index: number;
  prob: number;
  logit: number;
}

export interface Classification {
  /** In label order. */
  probs: Float32Array;
  logits: Float32Array;
  /** Highest probability first. */
  ranked: Ranked[];
}

/** Numerically stable softmax. */
export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** image: a normalised image embedding. */
export function classify(image: Float32Array, c: Classifier, logitScale: number): Classification {
  if (image.length !== c.dim) throw new AppError('model-output-invalid', `The image embedding has ${image.length} values, the text embeddings ${c.dim}.`);
  const n = c.labels.length;
  const logits = new Float32Array(n);
  const w = c.weights;
  const d = c.dim;
  for (let r = 0; r < n; r++) {
    let s = 0;
    const o = r * d;
    for (let i = 0; i < d; i++) s += w[o + i] * image[i];
    logits[r] = logitScale * s;
  }
  const probs = softmax(logits);
  const ranked = c.labels.map((label, index) => ({ label, index, prob: probs[index], logit: logits[index] }));
  ranked.sort((a, b) => b.prob - a.prob || a.index - b.index);
  return { probs, logits, ranked };
}

/** The uncertainty rule: top < LOW_CONFIDENCE_TOP, or top - second < LOW_CONFIDENCE_MARGIN. */
export function lowConfidence(ranked: readonly { prob: number }[]): boolean {
  if (ranked.length === 0) return true;
  const top = ranked[0].prob;
  const second = ranked.length > 1 ? ranked[1].prob : 0;
  return top < LOW_CONFIDENCE_TOP || top - second < LOW_CONFIDENCE_MARGIN;
}

/**
 * Probability per ontology node id from labels that carry a nodeId: several labels on one node add
 * up; a label standing for several nodes (`nodeIds`, merged near-duplicates) gives each an equal
 * share, so the nodes add up to the label.
 */
export function probsByNode(result: Classification): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of result.ranked) {
    const ids = r.label.nodeIds?.length ? r.label.nodeIds : r.label.nodeId ? [r.label.nodeId] : [];
    for (const id of ids) m.set(id, (m.get(id) ?? 0) + r.prob / ids.length);
  }
  return m;
}

/**
 * Roll leaf probabilities up the tree: every node gets its own mass plus the sum of its children's
 * (root included). Nodes with no mass below them get 0.
 */
export function rollUp(leafProbs: ReadonlyMap<string, number>, tree: OntologyTree): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (id: string): number => {
    const n = getNode(tree, id);
    let s = leafProbs.get(id) ?? 0;
    for (const c of n.children) s += walk(c);
    out.set(id, s);
    return s;
  };
  walk(ROOT_ID);
  return out;
}

export interface NodeProb {
  nodeId: string;
  prob: number;
}

/** Zero-shot at a level by summing: rolled-up probabilities of the given nodes, ranked. */
export function rankNodes(rolled: ReadonlyMap<string, number>, nodeIds: readonly string[]): NodeProb[] {
  return nodeIds.map((nodeId) => ({ nodeId, prob: rolled.get(nodeId) ?? 0 })).sort((a, b) => b.prob - a.prob);
}
