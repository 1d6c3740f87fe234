/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, algorithm 7.4/7.5) with a
 * backtracking Armijo line search, for smooth convex objectives such as the L2-regularised
 * logistic loss. The curvature pair of a step is kept only when s.y > 0, which keeps the implied
 * Hessian positive definite without a Wolfe search.
 */

/** Writes the gradient at x into grad and returns the value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop when max |gradient| <= this (default 1e-6). */
  gradientTolerance?: number;
  /** Default 1000. */
  maxIterations?: number;
  /** Curvature pairs kept (default 10). */
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
  /** Why it stopped. */
  reason: 'gradient' | 'no-progress' | 'max-iterations';
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function minimizeLbfgs(f: Objective, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const gtol = opts.gradientTolerance ?? 1e-6;
  const maxIter = opts.maxIterations ?? 1000;
  const mem = opts.memory ?? 10;
  const n = x0.length;
  let x = x0.slice();
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const alpha = new Array<number>(mem);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  for (let iter = 0; iter < maxIter; iter++) {
    if (maxAbs(g) <= gtol) return { x, value: fx, iterations: iter, converged: true, reason: 'gradient' };
    // two-loop recursion: d = -H g
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(S[j], d);
      const y = Y[j];
      for (let i = 0; i < n; i++) d[i] -= alpha[j] * y[i];
    }
    const last = S.length - 1;
    const gamma = last >= 0 ? dot(S[last], Y[last]) / dot(Y[last], Y[last]) : 1 / Math.max(1e-12, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) d[i] *= gamma;
    for (let j = 0; j < S.length; j++) {
      const beta = rho[j] * dot(Y[j], d);
      const s = S[j];
      for (let i = 0; i < n; i++) d[i] += (alpha[j] - beta) * s[i];
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // not a descent direction (numerical trouble): restart from steepest descent
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i] / Math.max(1e-12, Math.sqrt(dot(g, g)));
      slope = dot(g, d);
    }
    let step = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew <= fx)) return { x, value: fx, iterations: iter, converged: false, reason: 'no-progress' };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) (s[i] = xNew[i] - x[i]), (y[i] = gNew[i] - g[i]);
    const sy = dot(s, y);
    if (sy > 1e-12 * dot(y, y)) {
      if (S.length === mem) S.shift(), Y.shift(), rho.shift();
      S.push(s), Y.push(y), rho.push(1 / sy);
    }
    const progress = fx - fNew;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
    if (progress <= 1e-16 * Math.max(1, Math.abs(fx)) && maxAbs(g) > gtol) return { x, value: fx, iterations: iter + 1, converged: false, reason: 'no-progress' };
  }
  return { x, value: fx, iterations: maxIter, converged: maxAbs(g) <= gtol, reason: maxAbs(g) <= gtol ? 'gradient' : 'max-iterations' };
}
