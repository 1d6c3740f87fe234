/**
 * Classification metrics over score rows, matching scikit-learn 1.2 (checked against it by
 * test/eval/sklearn_reference.py):
 *
 * - scores: row-major Float32Array [n, numClasses] (probabilities for AUROC one-vs-rest, as
 *   sklearn requires); labels: class index per sample, or -1 for a sample without a (mapped)
 *   label, which every metric skips;
 * - prediction = argmax of the row, the lowest class index on ties (`np.argmax`);
 * - zero_division = 0 (sklearn's default "warn" value): a precision with no predictions, a recall
 *   with no true samples, an F1 with precision + recall = 0 are 0;
 * - macro F1 averages over the classes that occur in the truth or the predictions (sklearn's
 *   `labels=None`); balanced accuracy averages recall over the classes with true samples
 *   (`balanced_accuracy_score`); per-class rows and the confusion matrix cover every class
 *   (`labels=range(numClasses)`), with `present` telling which count in the macro average;
 * - top-k (`top_k_accuracy_score(labels=range(K))`): for K >= 3 sklearn ranks tied scores with
 *   the higher class index first; for K = 2 top-1 is the argmax and k >= 2 is always a hit; any
 *   k >= K scores 1;
 * - AUROC: K = 2, `roc_auc_score(y, scores[:, 1])`; K >= 3, one-vs-rest per class
 *   (`roc_auc_score(y == c, scores[:, c])`) and its macro mean. sklearn raises when a class has no
 *   positive or no negative sample; here that class's AUROC is NaN and the macro mean is over the
 *   others (with every class present it equals `roc_auc_score(multi_class='ovr', average='macro')`).
 */
import { AppError } from '../errors';
import { aurocOfSplit } from './auroc';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** True samples of this class. */
  support: number;
  /** Samples predicted as this class. */
  predicted: number;
  /** Occurs in the truth or the predictions: counts in the macro F1. */
  present: boolean;
  /** One-vs-rest AUROC (NaN without positives or negatives; K = 2: the binary AUROC of class 1). */
  auroc: number;
}

export interface ClassificationReport {
  /** Labelled samples evaluated. */
  n: number;
  numClasses: number;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  topK: { k: number; accuracy: number }[];
  perClass: ClassMetrics[];
  /** confusion[true][predicted] counts, numClasses x numClasses. */
  confusion: number[][];
  auroc: { kind: 'binary' | 'ovr-macro'; value: number; classesUsed: number };
}

export const DEFAULT_KS: readonly number[] = [1, 3, 5];

/** Validate a score matrix and its labels; returns n. */
export function checkScores(scores: Float32Array, labels: ArrayLike<number>, numClasses: number): number {
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new AppError('input-invalid', `Evaluation needs at least 2 classes, got ${numClasses}.`);
  const n = labels.length;
  if (scores.length !== n * numClasses) throw new AppError('input-invalid', `The score matrix has ${scores.length} values; ${n} samples x ${numClasses} classes need ${n * numClasses}.`);
  for (let i = 0; i < n; i++) {
    const t = labels[i];
    if (!Number.isInteger(t) || t < -1 || t >= numClasses) throw new AppError('input-invalid', `Sample ${i} has label ${t}; labels must be class indices 0..${numClasses - 1}, or -1 for none.`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new AppError('input-invalid', `Score ${i % numClasses} of sample ${Math.floor(i / numClasses)} is ${scores[i]}; scores must be finite.`);
  }
  return n;
}

/** Argmax of each row (lowest index on ties). */
export function argmaxRows(scores: Float32Array, numClasses: number): Int32Array {
  const n = Math.floor(scores.length / numClasses);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * numClasses;
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (scores[o + c] > scores[o + best]) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * Classes ranked before the true class t in row o, with sklearn's tie order (see the file doc);
 * t is in the top k when this is < k (and always when k >= K).
 */
function rankOfTruth(scores: Float32Array, o: number, t: number, numClasses: number): number {
  const st = scores[o + t];
  let rank = 0;
  for (let c = 0; c < numClasses; c++) {
    const s = scores[o + c];
    if (s > st || (s === st && (numClasses === 2 ? c < t : c > t))) rank++;
  }
  return rank;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/**
 * Every metric over the labelled samples among `indices` (all samples when omitted).
 * `predicted` may be passed to skip recomputing the argmax.
 */
export function classificationReport(
  scores: Float32Array,
  labels: ArrayLike<number>,
  numClasses: number,
  opts: { indices?: ArrayLike<number>; ks?: readonly number[]; predicted?: Int32Array } = {},
): ClassificationReport {
  const total = checkScores(scores, labels, numClasses);
  const ks = checkKs(opts.ks ?? DEFAULT_KS);
  const rows: number[] = [];
  const source = opts.indices ?? { length: total };
  for (let j = 0; j < source.length; j++) {
    const i = opts.indices ? opts.indices[j] : j;
    if (!Number.isInteger(i) || i < 0 || i >= total) throw new AppError('input-invalid', `Sample index ${i} is out of range 0..${total - 1}.`);
    if (labels[i] >= 0) rows.push(i);
  }
  return reportOnRows(scores, labels, numClasses, rows, ks, opts.predicted ?? argmaxRows(scores, numClasses));
}

export function checkKs(ks: readonly number[]): readonly number[] {
  for (const k of ks) if (!Number.isInteger(k) || k < 1) throw new AppError('input-invalid', `Top-k needs a positive integer k, got ${k}.`);
  return ks;
}

/** classificationReport over already checked inputs; `rows`: the labelled sample indices to evaluate. */
export function reportOnRows(scores: Float32Array, labels: ArrayLike<number>, K: number, rows: readonly number[], ks: readonly number[], predicted: Int32Array): ClassificationReport {
  const n = rows.length;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const hits = new Array<number>(ks.length).fill(0);
  let correct = 0;
  for (const i of rows) {
    const t = labels[i];
    const p = predicted[i];
    confusion[t][p]++;
    if (t === p) correct++;
    const rank = rankOfTruth(scores, i * K, t, K);
    for (let j = 0; j < ks.length; j++) if (ks[j] >= K || rank < ks[j]) hits[j]++;
  }
  const perClass: ClassMetrics[] = [];
  for (let c = 0; c < K; c++) {
    const tp = confusion[c][c];
    let support = 0;
    let pred = 0;
    for (let o = 0; o < K; o++) (support += confusion[c][o]), (pred += confusion[o][c]);
    const precision = pred ? tp / pred : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support, predicted: pred, present: support > 0 || pred > 0, auroc: NaN });
  }
  const auroc = aurocOf(scores, labels, K, rows, perClass);
  return {
    n,
    numClasses: K,
    accuracy: n ? correct / n : NaN,
    balancedAccuracy: mean(perClass.filter((m) => m.support > 0).map((m) => m.recall)),
    macroF1: mean(perClass.filter((m) => m.present).map((m) => m.f1)),
    topK: ks.map((k, j) => ({ k, accuracy: n ? hits[j] / n : NaN })),
    perClass,
    confusion,
    auroc,
  };
}

function aurocOf(scores: Float32Array, labels: ArrayLike<number>, K: number, rows: readonly number[], perClass: ClassMetrics[]): ClassificationReport['auroc'] {
  const n = rows.length;
  const used: number[] = [];
  for (let c = 0; c < K; c++) {
    const p = perClass[c].support;
    if (p === 0 || p === n) continue;
    const pos = new Float64Array(p);
    const neg = new Float64Array(n - p);
    for (let j = 0, a = 0, b = 0; j < n; j++) {
      const i = rows[j];
      if (labels[i] === c) pos[a++] = scores[i * K + c];
      else neg[b++] = scores[i * K + c];
    }
    perClass[c].auroc = aurocOfSplit(pos, neg);
    used.push(perClass[c].auroc);
  }
  if (K === 2) {
    const value = perClass[1].auroc;
    return { kind: 'binary', value, classesUsed: Number.isNaN(value) ? 0 : 2 };
  }
  return { kind: 'ovr-macro', value: mean(used), classesUsed: used.length };
}
