/**
 * Every classification metric per group of a metadata column (Fitzpatrick type, body site, age
 * band, source...): the samples with the same value form a group, evaluated on its own, with its n.
 * Empty or missing values form one group of their own, value `null`.
 */
import { AppError } from '../errors';
import { argmaxRows, checkKs, checkScores, DEFAULT_KS, reportOnRows, type ClassificationReport } from './classification';

export type MetadataValue = string | number | null | undefined;

export interface Stratum {
  /** The column's value; null for samples where it is empty or missing. */
  value: string | null;
  /** Samples in the group, labelled or not. */
  samples: number;
  /** Labelled samples evaluated (report.n). */
  n: number;
  report: ClassificationReport;
}

export interface Stratification {
  column: string;
  strata: Stratum[];
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Sample indices per value of one column, values in natural order (2 before 10), missing last. */
export function groupBy(values: readonly MetadataValue[]): Map<string | null, number[]> {
  const groups = new Map<string | null, number[]>();
  values.forEach((raw, i) => {
    const s = raw === null || raw === undefined ? '' : String(raw).trim();
    const key = s === '' ? null : s;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  });
  const keys = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : collator.compare(a, b)));
  return new Map(keys.map((k) => [k, groups.get(k)!]));
}

/** The metrics of every group of every column (columns in the order given). */
export function stratify(
  scores: Float32Array,
  labels: ArrayLike<number>,
  numClasses: number,
  columns: Readonly<Record<string, readonly MetadataValue[]>>,
  opts: { ks?: readonly number[]; predicted?: Int32Array } = {},
): Stratification[] {
  const n = checkScores(scores, labels, numClasses);
  const predicted = opts.predicted ?? argmaxRows(scores, numClasses);
  const ks = checkKs(opts.ks ?? DEFAULT_KS);
  return Object.entries(columns).map(([column, values]) => {
    if (values.length !== n) throw new AppError('input-invalid', `Metadata column "${column}" has ${values.length} values for ${n} samples.`);
    const strata: Stratum[] = [];
    for (const [value, indices] of groupBy(values)) {
      const report = reportOnRows(scores, labels, numClasses, indices.filter((i) => labels[i] >= 0), ks, predicted);
      strata.push({ value, samples: indices.length, n: report.n, report });
    }
    return { column, strata };
  });
}
