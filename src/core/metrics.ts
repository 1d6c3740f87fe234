/**
 * Evaluation metrics for researchers: labels are class indices 0..k-1, predictions are rankings
 * (class indices, best first) or score rows.
 */

/** Class indices sorted by score, best first (ties: lower index first). */
export function argsortDesc(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
}

/** Fraction of samples whose true class is among the first k of its ranking. */
export function topKAccuracy(rankings: readonly (readonly number[])[], truth: readonly number[], k: number): number {
  if (rankings.length !== truth.length) throw new Error('rankings and truth differ in length');
  if (truth.length === 0) return NaN;
  let hit = 0;
  truth.forEach((t, i) => {
    if (rankings[i].slice(0, k).includes(t)) hit++;
  });
  return hit / truth.length;
}

/** m[true][predicted] counts. */
export function confusionMatrix(predicted: readonly number[], truth: readonly number[], numClasses: number): number[][] {
  if (predicted.length !== truth.length) throw new Error('predicted and truth differ in length');
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  truth.forEach((t, i) => {
    const p = predicted[i];
    if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) throw new Error(`class index out of range at sample ${i}`);
    m[t][p]++;
  });
  return m;
}

/** Per-class recall (NaN for a class with no samples). */
export function perClassRecall(matrix: readonly (readonly number[])[]): number[] {
  return matrix.map((row, c) => {
    const n = row.reduce((a, b) => a + b, 0);
    return n ? row[c] / n : NaN;
  });
}

/** Mean recall over the classes present in the truth (sklearn balanced_accuracy_score). */
export function balancedAccuracy(predicted: readonly number[], truth: readonly number[], numClasses: number): number {
  const recalls = perClassRecall(confusionMatrix(predicted, truth, numClasses)).filter((r) => !Number.isNaN(r));
  return recalls.length ? recalls.reduce((a, b) => a + b, 0) / recalls.length : NaN;
}
