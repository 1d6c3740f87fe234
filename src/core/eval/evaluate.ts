/**
 * Zero-shot evaluation of a collection from cached embeddings, and the few-shot linear probe
 * beside zero-shot on the same test split. What the worker's `evaluate` and `trainProbe` calls
 * run (engine/protocol.ts); everything in and out is structured-cloneable.
 */
import { AppError } from '../errors';
import { argmaxRows, classificationReport, type ClassificationReport } from './classification';
import { logisticProbs, trainLogisticRegression } from './logreg';
import { rowsOf, zeroShotProbs } from './scores';
import { stratifiedSplit, type SplitSpec } from './split';
import { stratify, type MetadataValue, type Stratification } from './stratify';

export interface ZeroShotInput {
  /** Image embeddings [n, dim], unit rows. */
  images: Float32Array;
  dim: number;
  /** Class rows [numClasses, dim]: `buildClassifier(labels, templates, lookup).weights`. */
  classWeights: Float32Array;
  /** manifest.logitScale (100 for DermLIP). */
  logitScale: number;
}

export interface EvaluateRequest extends ZeroShotInput {
  /** Class index per image, -1 for none (such images get predictions but count in no metric). */
  labels: Int32Array;
  /** Metadata columns to stratify by: one value per image (empty / null = missing). */
  strata?: Record<string, MetadataValue[]>;
  /** Top-k accuracies to report (default 1, 3, 5). */
  ks?: number[];
}

export interface Evaluation {
  /** Class probabilities [n, numClasses]. */
  probs: Float32Array;
  /** Argmax per image. */
  predicted: Int32Array;
  report: ClassificationReport;
  strata: Stratification[];
}

function numClassesOf(input: ZeroShotInput): number {
  rowsOf(input.images, input.dim, 'The image embedding matrix');
  return rowsOf(input.classWeights, input.dim, 'The class matrix');
}

function evaluation(probs: Float32Array, labels: Int32Array, numClasses: number, strata: EvaluateRequest['strata'], ks: number[] | undefined): Evaluation {
  const predicted = argmaxRows(probs, numClasses);
  const report = classificationReport(probs, labels, numClasses, { ks, predicted });
  return { probs, predicted, report, strata: strata ? stratify(probs, labels, numClasses, strata, { ks, predicted }) : [] };
}

/** Zero-shot probabilities of every image and every metric, overall and per stratum. */
export function evaluateZeroShot(req: EvaluateRequest): Evaluation {
  const k = numClassesOf(req);
  const probs = zeroShotProbs(req.images, req.classWeights, req.dim, req.logitScale);
  return evaluation(probs, req.labels, k, req.strata, req.ks);
}

export interface ProbeRequest {
  images: Float32Array;
  dim: number;
  labels: Int32Array;
  numClasses: number;
  split: SplitSpec;
  seed: number;
  /** sklearn's C (default 1). */
  c?: number;
  /** Zero-shot on the same test split, side by side. */
  zeroShot?: Omit<ZeroShotInput, 'images' | 'dim'>;
  strata?: Record<string, MetadataValue[]>;
  ks?: number[];
}

export interface ProbeComparison {
  split: { train: Int32Array; test: Int32Array; trainPerClass: number[]; testPerClass: number[] };
  /** The probe on every image (its training images included); metrics on the test split only. */
  probe: Evaluation & { iterations: number; converged: boolean; trainedClasses: number[] };
  /** Zero-shot, metrics on the same test split; null when no class matrix was given. */
  zeroShot: Evaluation | null;
}

/** Split, train the probe on the training split, evaluate it and zero-shot on the test split. */
export function probeVsZeroShot(req: ProbeRequest): ProbeComparison {
  const n = rowsOf(req.images, req.dim, 'The image embedding matrix');
  if (req.labels.length !== n) throw new AppError('input-invalid', `${n} image embeddings but ${req.labels.length} labels.`);
  const split = stratifiedSplit(req.labels, req.numClasses, req.split, req.seed);
  if (split.test.length === 0) throw new AppError('input-invalid', 'The split left no test samples: use fewer shots or a smaller fraction.');
  const model = trainLogisticRegression(req.images, req.labels, req.dim, split.train, { c: req.c });
  // metrics on the test split only: every other image counts as unlabelled
  const testLabels = new Int32Array(n).fill(-1);
  for (const i of split.test) testLabels[i] = req.labels[i];
  const probe = evaluation(logisticProbs(model, req.images, req.numClasses), testLabels, req.numClasses, req.strata, req.ks);
  let zeroShot: Evaluation | null = null;
  if (req.zeroShot) {
    const zs = { ...req.zeroShot, images: req.images, dim: req.dim };
    const k = numClassesOf(zs);
    if (k !== req.numClasses) throw new AppError('input-invalid', `The class matrix has ${k} classes, the probe ${req.numClasses}.`);
    zeroShot = evaluation(zeroShotProbs(zs.images, zs.classWeights, zs.dim, zs.logitScale), testLabels, k, req.strata, req.ks);
  }
  return { split, probe: { ...probe, iterations: model.iterations, converged: model.converged, trainedClasses: model.classes }, zeroShot };
}
