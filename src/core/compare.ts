/**
 * Two models' answers for the same photo and label set, side by side: where they agree and where
 * they disagree. Pure: ranked lists in, comparison out.
 */
export interface Scored {
  id: string;
  name: string;
  prob: number;
}

export interface PairRow {
  id: string;
  name: string;
  a: number;
  b: number;
  /** 1-based ranks in each list. */
  rankA: number;
  rankB: number;
}

export interface Comparison {
  topAgree: boolean;
  /** Labels in both top-K lists, out of K. */
  overlap: number;
  k: number;
  /** Spearman rank correlation over every label both lists rank (1: same order). */
  spearman: number;
  /** Labels in either top K, by the larger of the two probabilities. */
  rows: PairRow[];
}

/** Spearman's rho of two rankings of the same n items (ranks 1..n, no ties). */
function spearman(ranksA: number[], ranksB: number[]): number {
  const n = ranksA.length;
  if (n < 2) return 1;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (ranksA[i] - ranksB[i]) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

export function compareRankings(a: readonly Scored[], b: readonly Scored[], k: number): Comparison {
  const rankOf = (list: readonly Scored[]) => new Map(list.map((x, i) => [x.id, i + 1]));
  const ra = rankOf(a);
  const rb = rankOf(b);
  const probB = new Map(b.map((x) => [x.id, x.prob]));
  const common = a.filter((x) => rb.has(x.id));
  const topA = new Set(a.slice(0, k).map((x) => x.id));
  const topB = new Set(b.slice(0, k).map((x) => x.id));
  const overlap = [...topA].filter((id) => topB.has(id)).length;
  const ids = new Set([...topA, ...topB].filter((id) => ra.has(id) && rb.has(id)));
  const byId = new Map(a.map((x) => [x.id, x]));
  const rows = [...ids]
    .map((id) => ({ id, name: byId.get(id)!.name, a: byId.get(id)!.prob, b: probB.get(id)!, rankA: ra.get(id)!, rankB: rb.get(id)! }))
    .sort((x, y) => Math.max(y.a, y.b) - Math.max(x.a, x.b) || x.id.localeCompare(y.id));
  // Ranks among the common labels only, so a label missing from one list does not skew rho.
  const commonB = b.filter((x) => ra.has(x.id));
  const rankInB = new Map(commonB.map((x, i) => [x.id, i + 1]));
  return {
    topAgree: a.length > 0 && b.length > 0 && a[0].id === b[0].id,
    overlap,
    k: Math.min(k, a.length, b.length),
    spearman: spearman(
      common.map((_, i) => i + 1),
      common.map((x) => rankInB.get(x.id)!),
    ),
    rows,
  };
}
