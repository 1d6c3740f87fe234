/**
 * Area under the ROC curve, as scikit-learn's `roc_auc_score`: the trapezoidal area under the
 * curve through every distinct threshold, which equals the Mann-Whitney statistic with tied scores
 * given their average rank (a tie between a positive and a negative counts one half).
 */

/** Index of the first element >= v in an ascending array. */
function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > v in an ascending array. */
function upperBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * AUROC of `scores` (higher = more positive) against `positive`; NaN when the samples are all
 * positive or all negative (scikit-learn raises "Only one class present in y_true" there).
 */
export function binaryAuroc(scores: Float64Array, positive: ArrayLike<boolean | number>): number {
  const n = scores.length;
  if (positive.length !== n) throw new Error(`binaryAuroc: ${n} scores but ${positive.length} flags.`);
  let p = 0;
  for (let i = 0; i < n; i++) if (positive[i]) p++;
  const q = n - p;
  if (p === 0 || q === 0) return NaN;
  const sorted = scores.slice().sort();
  let rankSum = 0;
  for (let i = 0; i < n; i++) {
    if (!positive[i]) continue;
    const v = scores[i];
    // 1-based ranks lo+1 .. hi share the value v: their average.
    rankSum += (lowerBound(sorted, v) + 1 + upperBound(sorted, v)) / 2;
  }
  return (rankSum - (p * (p + 1)) / 2) / (p * q);
}
