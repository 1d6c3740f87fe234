/**
 * Multinomial logistic regression with L2 on the weights (not the intercepts), the objective of
 * scikit-learn's `LogisticRegression(multi_class='multinomial', penalty='l2', C)`:
 *   minimise  C x sum_i CE(softmax(W x_i + b), y_i) + 1/2 ||W||^2
 * (here divided by C x n, the same minimiser), by L-BFGS from zeros (core/eval/lbfgs.ts). Only
 * the classes present in the training labels get a row, as sklearn's `classes_`; the others get
 * probability 0. Always softmax, also for two classes (sklearn's binary case is a different
 * parameterisation: compare with multi_class='multinomial').
 */
import { AppError } from '../errors';
import { minimizeLbfgs } from './lbfgs';
import { rowsOf, scaledDots, softmaxRows } from './scores';

export interface LogisticModel {
  dim: number;
  /** Class index of each row, ascending. */
  classes: number[];
  /** [classes.length, dim]. */
  weights: Float32Array;
  bias: Float32Array;
  iterations: number;
  converged: boolean;
}

export interface LogisticOptions {
  /** sklearn's C, inverse regularisation strength (default 1). */
  c?: number;
  maxIterations?: number;
  /** Stop when max |gradient| of the mean-scaled objective <= this (default 1e-6). */
  tolerance?: number;
}

/** Fit on the rows `rows` of x [n, dim] with labels y (class indices). */
export function trainLogisticRegression(x: Float32Array, y: ArrayLike<number>, dim: number, rows: ArrayLike<number>, opts: LogisticOptions = {}): LogisticModel {
  const total = rowsOf(x, dim, 'The embedding matrix');
  if (y.length !== total) throw new AppError('input-invalid', `${total} embeddings but ${y.length} labels.`);
  const c = opts.c ?? 1;
  if (!(c > 0 && Number.isFinite(c))) throw new AppError('input-invalid', `The regularisation C must be a positive number, got ${c}.`);
  const n = rows.length;
  const classSet = new Set<number>();
  for (let r = 0; r < n; r++) {
    const i = rows[r];
    if (!Number.isInteger(i) || i < 0 || i >= total) throw new AppError('input-invalid', `Training row ${i} is out of range 0..${total - 1}.`);
    if (!Number.isInteger(y[i]) || y[i] < 0) throw new AppError('input-invalid', `Training row ${i} has no class (label ${y[i]}).`);
    classSet.add(y[i]);
  }
  const classes = [...classSet].sort((a, b) => a - b);
  if (classes.length < 2) throw new AppError('input-invalid', `The probe needs training samples of at least 2 classes, got ${classes.length}.`);
  const m = classes.length;
  const row = new Map(classes.map((k, j) => [k, j]));
  // the training rows, gathered once
  const xs = new Float32Array(n * dim);
  const ys = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    xs.set(x.subarray(rows[r] * dim, (rows[r] + 1) * dim), r * dim);
    ys[r] = row.get(y[rows[r]])!;
  }
  const lambda = 1 / (c * n);
  const nw = m * dim;
  const z = new Float64Array(m);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let r = 0; r < n; r++) {
      const o = r * dim;
      let max = -Infinity;
      for (let k = 0; k < m; k++) {
        const wo = k * dim;
        let s = theta[nw + k];
        for (let j = 0; j < dim; j++) s += theta[wo + j] * xs[o + j];
        z[k] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let k = 0; k < m; k++) sum += z[k] = Math.exp(z[k] - max);
      const t = ys[r];
      loss -= Math.log(z[t] / sum);
      for (let k = 0; k < m; k++) {
        const gk = (z[k] / sum - (k === t ? 1 : 0)) / n;
        if (gk === 0) continue;
        const wo = k * dim;
        for (let j = 0; j < dim; j++) grad[wo + j] += gk * xs[o + j];
        grad[nw + k] += gk;
      }
    }
    let ww = 0;
    for (let i = 0; i < nw; i++) (ww += theta[i] * theta[i]), (grad[i] += lambda * theta[i]);
    return loss / n + 0.5 * lambda * ww;
  };
  const r = minimizeLbfgs(objective, new Float64Array(nw + m), { maxIterations: opts.maxIterations ?? 1000, gradientTolerance: opts.tolerance ?? 1e-6 });
  return { dim, classes, weights: Float32Array.from(r.x.subarray(0, nw)), bias: Float32Array.from(r.x.subarray(nw)), iterations: r.iterations, converged: r.converged };
}

/** Class probabilities [n, numClasses] of every row of x; classes the model never saw get 0. */
export function logisticProbs(model: LogisticModel, x: Float32Array, numClasses: number): Float32Array {
  const n = rowsOf(x, model.dim, 'The embedding matrix');
  const m = model.classes.length;
  if (model.classes.some((k) => k >= numClasses)) throw new AppError('input-invalid', `The probe knows class ${Math.max(...model.classes)}, beyond the ${numClasses} classes asked for.`);
  const z = scaledDots(x, model.weights, model.dim, 1);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) z[i * m + k] += model.bias[k];
  softmaxRows(z, m);
  if (m === numClasses) return z;
  const out = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) out[i * numClasses + model.classes[k]] = z[i * m + k];
  return out;
}
