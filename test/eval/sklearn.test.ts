/**
 * src/core/eval against scikit-learn: test/eval/sklearn_reference.py computes every metric on
 * fixed inputs (ties, empty classes, unlabelled samples, one-class binary) with scikit-learn and
 * prints them; this test runs it and compares. Needs /usr/bin/python3 with python3-sklearn
 * (Debian; installed by .ci/run).
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { classificationReport, type ClassificationReport } from '../../src/core/eval/classification';
import { logisticProbs, trainLogisticRegression } from '../../src/core/eval/logreg';
import { crossModalRetrieval, type RetrievalDirection } from '../../src/core/eval/retrieval';
import { stratify } from '../../src/core/eval/stratify';
import { argmaxRows } from '../../src/core/eval/classification';

type Num = number | null;
interface Expected {
  n: number;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  confusion: number[][];
  topK: number[];
  aurocPerClass: Num[];
  auroc: Num;
  aurocSklearnOvr?: number;
}
interface Reference {
  sklearn: string;
  ks: number[];
  classification: { name: string; numClasses: number; scores: number[]; labels: number[]; expected: Expected; strata?: { column: string; values: (string | null)[]; groups: { value: string | null; samples: number; expected: Expected }[] } }[];
  retrieval: { name: string; dim: number; images: number[]; imageLabels: number[]; texts: number[]; textLabels: number[]; imageToText: Omit<RetrievalDirection, 'recall'> & { recall: number[] }; textToImage: Omit<RetrievalDirection, 'recall'> & { recall: number[] } }[];
  probe: { name: string; dim: number; numClasses: number; c: number; x: number[]; y: number[]; train: number[]; test: number[]; predicted: number[]; accuracy: number; coef: number[] }[];
}

let ref: Reference;
beforeAll(() => {
  let out: string;
  try {
    out = execFileSync('/usr/bin/python3', ['test/eval/sklearn_reference.py'], { maxBuffer: 64 << 20, encoding: 'utf8' });
  } catch (e) {
    throw new Error(`test/eval/sklearn_reference.py failed (needs /usr/bin/python3 with python3-sklearn): ${(e as Error).message}`);
  }
  ref = JSON.parse(out) as Reference;
});

const close = (got: number, want: Num, what: string) => {
  if (want === null) expect(got, what).toBeNaN();
  else expect(Math.abs(got - want), `${what}: ${got} vs sklearn ${want}`).toBeLessThan(1e-12);
};

function compare(r: ClassificationReport, e: Expected, ks: number[], what: string) {
  expect(r.n, `${what} n`).toBe(e.n);
  close(r.accuracy, e.accuracy, `${what} accuracy`);
  close(r.balancedAccuracy, e.balancedAccuracy, `${what} balanced accuracy`);
  close(r.macroF1, e.macroF1, `${what} macro F1`);
  ks.forEach((k, j) => close(r.topK[j].accuracy, e.topK[j], `${what} top-${k}`));
  r.perClass.forEach((m, c) => {
    close(m.precision, e.precision[c], `${what} precision[${c}]`);
    close(m.recall, e.recall[c], `${what} recall[${c}]`);
    close(m.f1, e.f1[c], `${what} f1[${c}]`);
    expect(m.support, `${what} support[${c}]`).toBe(e.support[c]);
    close(m.auroc, e.aurocPerClass[c], `${what} auroc[${c}]`);
  });
  expect(r.confusion, `${what} confusion`).toEqual(e.confusion);
  close(r.auroc.value, e.auroc, `${what} auroc`);
  if (e.aurocSklearnOvr !== undefined) close(r.auroc.value, e.aurocSklearnOvr, `${what} auroc (sklearn ovr macro)`);
}

describe('classification metrics = scikit-learn', () => {
  it('runs scikit-learn 1.2 or later', () => {
    expect(ref.sklearn).toMatch(/^1\.\d+/);
    expect(ref.classification.map((c) => c.name)).toEqual(['softmax-7-strata', 'ties-5', 'empty-classes-6', 'cosines-3-ties', 'binary-ties', 'binary-one-class']);
  });

  it('every metric on every case (ties, empty classes, unlabelled samples, binary)', () => {
    for (const c of ref.classification) {
      const r = classificationReport(Float32Array.from(c.scores), Int32Array.from(c.labels), c.numClasses, { ks: ref.ks });
      compare(r, c.expected, ref.ks, c.name);
    }
  });

  it('stratified by a metadata column, each group with its n', () => {
    const c = ref.classification.find((x) => x.strata)!;
    const s = c.strata!;
    const scores = Float32Array.from(c.scores);
    const [byFitz] = stratify(scores, Int32Array.from(c.labels), c.numClasses, { [s.column]: s.values }, { ks: ref.ks, predicted: argmaxRows(scores, c.numClasses) });
    expect(byFitz.column).toBe('fitzpatrick');
    expect(byFitz.strata.map((g) => g.value)).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI', null]);
    expect(byFitz.strata.reduce((a, g) => a + g.samples, 0)).toBe(c.labels.length);
    for (const g of s.groups) {
      const got = byFitz.strata.find((x) => x.value === g.value)!;
      expect(got.samples).toBe(g.samples);
      expect(got.n).toBe(g.expected.n);
      compare(got.report, g.expected, ref.ks, `fitzpatrick=${g.value}`);
    }
  });
});

describe('retrieval = the paper\'s get_clip_metrics (numpy transcription)', () => {
  it('R@1/5/10, mean and median rank, both ways, paired, by label and with ties', () => {
    for (const c of ref.retrieval) {
      const r = crossModalRetrieval(Float32Array.from(c.images), Int32Array.from(c.imageLabels), Float32Array.from(c.texts), Int32Array.from(c.textLabels), c.dim);
      for (const dir of ['imageToText', 'textToImage'] as const) {
        const want = c[dir];
        const got = r[dir];
        expect({ queries: got.queries, skipped: got.skipped }, `${c.name} ${dir}`).toEqual({ queries: want.queries, skipped: want.skipped });
        got.recall.forEach((x, j) => close(x.recall, want.recall[j], `${c.name} ${dir} R@${x.k}`));
        close(got.meanRank, want.meanRank, `${c.name} ${dir} mean rank`);
        close(got.medianRank, want.medianRank, `${c.name} ${dir} median rank`);
      }
    }
  });
});

describe('linear probe = sklearn LogisticRegression(multinomial, L2, lbfgs)', () => {
  it('agrees on >= 99 % of held-out predictions, accuracy within 1 point, same coefficients', () => {
    for (const c of ref.probe) {
      const x = Float32Array.from(c.x);
      const y = Int32Array.from(c.y);
      const model = trainLogisticRegression(x, y, c.dim, c.train, { c: c.c });
      expect(model.converged, `${c.name} converged`).toBe(true);
      const pred = argmaxRows(logisticProbs(model, x, c.numClasses), c.numClasses);
      let agree = 0;
      let correct = 0;
      c.test.forEach((i, j) => {
        if (pred[i] === c.predicted[j]) agree++;
        if (pred[i] === y[i]) correct++;
      });
      const agreement = agree / c.test.length;
      const accuracy = correct / c.test.length;
      // sklearn's coef_ rows are the same minimiser (unique: L2 on the weights)
      let maxDiff = 0;
      let maxCoef = 0;
      c.coef.forEach((w, i) => ((maxDiff = Math.max(maxDiff, Math.abs(w - model.weights[i]))), (maxCoef = Math.max(maxCoef, Math.abs(w)))));
      console.log(`probe ${c.name}: agreement with sklearn ${(100 * agreement).toFixed(2)} %, accuracy ${(100 * accuracy).toFixed(2)} % vs sklearn ${(100 * c.accuracy).toFixed(2)} %, ${model.iterations} iterations, coefficients within ${(maxDiff / maxCoef).toExponential(1)} of the largest`);
      expect(agreement, c.name).toBeGreaterThanOrEqual(0.99);
      expect(Math.abs(accuracy - c.accuracy), c.name).toBeLessThanOrEqual(0.01);
      expect(maxDiff / maxCoef, `${c.name} coefficients`).toBeLessThan(1e-3);
    }
  });
});
