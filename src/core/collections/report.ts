/**
 * What a collection evaluation hands to a paper's supplement: one CSV row per photo (its dataset
 * label, mapped class, prediction, probabilities, metadata, split) and a metrics JSON with every
 * setting that produced it (class list, templates, mapping, model id, weights' sha256, variant,
 * date), so a reader can reproduce the numbers.
 */
import type { ClassificationReport } from '../eval/classification';
import type { Stratification } from '../eval/stratify';

/** A CSV field, quoted when it must be (RFC 4180). */
export function csvField(v: string | number | boolean | null | undefined): string {
  const s = v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\n\r]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface PhotoRow {
  path: string;
  label?: string;
  metadata: Record<string, string>;
}

export interface PerPhotoInput {
  rows: readonly PhotoRow[];
  classNames: readonly string[];
  /** Class index per row, -1 when the photo's label is missing or unmapped. */
  truth: ArrayLike<number>;
  /** [rows, classes] probabilities. */
  probs: Float32Array;
  predicted: ArrayLike<number>;
  metadataColumns: readonly string[];
  /** Per row: 'train' / 'test' of the probe's split, when there is one. */
  split?: ArrayLike<number>;
  /** The probe's probabilities on the same rows, when there are. */
  probeProbs?: Float32Array;
  probePredicted?: ArrayLike<number>;
  topN?: number;
}

function topOf(probs: Float32Array, row: number, k: number, n: number): number[] {
  const o = row * k;
  return Array.from({ length: k }, (_, c) => c)
    .sort((a, b) => probs[o + b] - probs[o + a] || a - b)
    .slice(0, n);
}

/** One line per photo; probabilities with 6 decimals. */
export function perPhotoCsv(x: PerPhotoInput): string {
  const k = x.classNames.length;
  const topN = Math.min(x.topN ?? 5, k);
  const head = ['path', 'dataset_label', 'true_class', 'predicted', 'correct', 'p_predicted', 'p_true'];
  for (let i = 1; i <= topN; i++) head.push(`top${i}`, `p_top${i}`);
  if (x.split) head.push('probe_split');
  if (x.probeProbs && x.probePredicted) head.push('probe_predicted', 'probe_correct', 'probe_p_true');
  head.push(...x.metadataColumns);
  const lines = [head.map(csvField).join(',')];
  const p6 = (v: number) => Number(v.toFixed(6));
  x.rows.forEach((r, i) => {
    const t = x.truth[i];
    const pr = x.predicted[i];
    const cells: (string | number | boolean | undefined)[] = [r.path, r.label, t >= 0 ? x.classNames[t] : '', x.classNames[pr], t >= 0 ? pr === t : '', p6(x.probs[i * k + pr]), t >= 0 ? p6(x.probs[i * k + t]) : ''];
    for (const c of topOf(x.probs, i, k, topN)) cells.push(x.classNames[c], p6(x.probs[i * k + c]));
    if (x.split) cells.push(x.split[i] === 1 ? 'train' : x.split[i] === 2 ? 'test' : '');
    if (x.probeProbs && x.probePredicted) {
      const pp = x.probePredicted[i];
      cells.push(x.classNames[pp], t >= 0 ? pp === t : '', t >= 0 ? p6(x.probeProbs[i * k + t]) : '');
    }
    for (const m of x.metadataColumns) cells.push(r.metadata[m]);
    lines.push(cells.map(csvField).join(','));
  });
  return lines.join('\n') + '\n';
}

export interface ModelIdentity {
  bundleId: string;
  name: string;
  demo: boolean;
  source: Record<string, unknown>;
  architecture: string;
  variant: string;
  backend: string;
  /** The variant's weight files and their sha256 (the checkpoint's identity). */
  weights: { file: string; sha256: string }[];
  logitScale: number;
}

export interface MetricsInput {
  collection: { name: string; photos: number; evaluated: number; unmapped: string[]; labelSource: unknown };
  model: ModelIdentity;
  classList: { id: string; name: string; classes: { name: string; prompts: string[] }[] };
  templates: { id: string; templates: readonly string[] };
  mapping: Record<string, string | null>;
  zeroShot: { report: ClassificationReport; strata: Stratification[] };
  probe?: { spec: unknown; seed: number; trainPerClass: number[]; testPerClass: number[]; report: ClassificationReport; zeroShotOnTest: ClassificationReport; strata: Stratification[]; iterations: number; converged: boolean };
  retrieval?: unknown;
  date: Date;
  app: string;
}

/** NaN is not JSON: metrics that are undefined (a class with no samples) become null. */
function jsonSafe(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => jsonSafe(x));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

export function metricsJson(x: MetricsInput): string {
  const body = {
    kind: 'dermlip-collection-evaluation',
    version: 1,
    date: x.date.toISOString(),
    app: x.app,
    collection: x.collection,
    model: x.model,
    classList: x.classList,
    templates: x.templates,
    mapping: x.mapping,
    zeroShot: x.zeroShot,
    ...(x.probe ? { probe: x.probe } : {}),
    ...(x.retrieval ? { retrieval: x.retrieval } : {}),
  };
  return JSON.stringify(jsonSafe(body), null, 2);
}
