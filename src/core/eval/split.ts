/**
 * Stratified train/test split with a seed, for the few-shot linear probe: per class, its samples
 * are shuffled (mulberry32, classes in index order drawing from one stream) and the first ones go
 * to training:
 * - `shots`: k per class;
 * - `fraction`: max(1, floor(m x fraction)) of a class's m samples, the rule of the Derm1M
 *   linear-probe loader (linear_probe/datasets/derm_data.py, `load_data_balanced`; the paper's
 *   "1 % of labels" is fraction 0.01);
 * either way at most m - 1, so every class with two or more samples keeps one for testing (a
 * class with a single sample puts it in training). Samples with label -1 are in neither split.
 */
import { AppError } from '../errors';
import { mulberry32, shuffleInPlace } from '../random';

export type SplitSpec = { kind: 'shots'; shots: number } | { kind: 'fraction'; fraction: number };

export interface Split {
  /** Sample indices, ascending. */
  train: Int32Array;
  test: Int32Array;
  trainPerClass: number[];
  testPerClass: number[];
}

export function stratifiedSplit(labels: ArrayLike<number>, numClasses: number, spec: SplitSpec, seed: number): Split {
  if (spec.kind === 'shots' && (!Number.isInteger(spec.shots) || spec.shots < 1)) throw new AppError('input-invalid', `Shots per class must be a positive integer, got ${spec.shots}.`);
  if (spec.kind === 'fraction' && !(spec.fraction > 0 && spec.fraction < 1)) throw new AppError('input-invalid', `The training fraction must be between 0 and 1 (0.01 = 1 % of labels), got ${spec.fraction}.`);
  const random = mulberry32(seed);
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    if (t === -1) continue;
    if (!Number.isInteger(t) || t < 0 || t >= numClasses) throw new AppError('input-invalid', `Sample ${i} has label ${t}; labels must be class indices 0..${numClasses - 1}, or -1 for none.`);
    byClass[t].push(i);
  }
  const train: number[] = [];
  const test: number[] = [];
  const trainPerClass: number[] = [];
  const testPerClass: number[] = [];
  for (const members of byClass) {
    const m = members.length;
    shuffleInPlace(members, random);
    const want = spec.kind === 'shots' ? spec.shots : Math.max(1, Math.floor(m * spec.fraction));
    const t = m >= 2 ? Math.min(want, m - 1) : m;
    train.push(...members.slice(0, t));
    test.push(...members.slice(t));
    trainPerClass.push(t);
    testPerClass.push(m - t);
  }
  if (train.length === 0) throw new AppError('input-invalid', 'No labelled samples to train on.');
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort(), trainPerClass, testPerClass };
}
