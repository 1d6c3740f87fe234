/**
 * Area under the ROC curve, as scikit-learn's `roc_auc_score`: the trapezoidal area under the
 * curve through every distinct threshold, which equals the Mann-Whitney statistic with tied scores
 * given their average rank (a positive tied with a negative counts one half).
 */

/**
 * AUROC from the scores of the positive and the negative samples (any order; both are sorted in
 * place); NaN when either is empty (scikit-learn raises "Only one class present in y_true" there).
 */
export function aurocOfSplit(pos: Float64Array, neg: Float64Array): number {
  const p = pos.length;
  const q = neg.length;
  if (p === 0 || q === 0) return NaN;
  pos.sort();
  neg.sort();
  // for each positive (ascending): negatives below it count 1, negatives equal to it 1/2
  let below = 0;
  let upTo = 0;
  let sum = 0;
  for (let i = 0; i < p; i++) {
    const v = pos[i];
    while (below < q && neg[below] < v) below++;
    if (upTo < below) upTo = below;
    while (upTo < q && neg[upTo] <= v) upTo++;
    sum += below + (upTo - below) / 2;
  }
  return sum / (p * q);
}
