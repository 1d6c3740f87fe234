import { describe, expect, it } from 'vitest';
import { l2normalizeRows } from '../vectors';
import { evaluateZeroShot, probeVsZeroShot } from './evaluate';
import { mulberry32 } from '../random';

const random = mulberry32(9);
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** n photos of k classes around class directions; the class matrix is a noisy view of them. */
function collection(n: number, k: number, dim: number, noise: number) {
  const centers = l2normalizeRows(Float32Array.from({ length: k * dim }, gauss), dim);
  const labels = Int32Array.from({ length: n }, (_, i) => i % k);
  const images = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) images[i * dim + j] = centers[labels[i] * dim + j] + noise * gauss();
  l2normalizeRows(images, dim);
  const classWeights = l2normalizeRows(centers.map((v) => v + 0.6 * gauss() / Math.sqrt(dim)), dim);
  return { images, labels, classWeights, dim };
}

describe('zero-shot evaluation of a collection', () => {
  it('probabilities, predictions, metrics and strata in one call; unlabelled photos get predictions only', () => {
    const c = collection(120, 4, 16, 0.25);
    const labels = c.labels.slice();
    labels[0] = -1;
    const site = Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? 'face' : i % 3 === 1 ? 'trunk' : ''));
    const e = evaluateZeroShot({ ...c, labels, logitScale: 100, strata: { site } });
    expect(e.probs.length).toBe(480);
    expect(e.predicted.length).toBe(120);
    expect(e.report.n).toBe(119);
    expect(e.report.accuracy).toBeGreaterThan(0.5);
    expect(e.strata[0].column).toBe('site');
    expect(e.strata[0].strata.map((s) => [s.value, s.samples, s.n])).toEqual([['face', 40, 39], ['trunk', 40, 40], [null, 40, 40]]);
  });

  it('names a class matrix of the wrong width', () => {
    const c = collection(10, 3, 8, 0.1);
    expect(() => evaluateZeroShot({ ...c, classWeights: new Float32Array(3 * 7), logitScale: 100 })).toThrow(/class matrix has 21 values, not a whole number of 8-value rows/);
  });
});

describe('few-shot probe beside zero-shot', () => {
  it('trains on the split, reports both on the same test split; the probe beats a poor class list', () => {
    const c = collection(400, 5, 24, 0.35);
    // a poor zero-shot class list: the class rows are mostly noise
    const poor = l2normalizeRows(c.classWeights.map((v) => 0.2 * v + gauss()), c.dim);
    const r = probeVsZeroShot({ images: c.images, dim: c.dim, labels: c.labels, numClasses: 5, split: { kind: 'shots', shots: 8 }, seed: 1, zeroShot: { classWeights: poor, logitScale: 100 } });
    expect(r.split.trainPerClass).toEqual([8, 8, 8, 8, 8]);
    expect(r.probe.report.n).toBe(360);
    expect(r.zeroShot!.report.n).toBe(360);
    expect(r.probe.converged).toBe(true);
    expect(r.probe.trainedClasses).toEqual([0, 1, 2, 3, 4]);
    expect(r.probe.report.accuracy).toBeGreaterThan(0.8);
    expect(r.probe.report.accuracy).toBeGreaterThan(r.zeroShot!.report.accuracy);
    // the same seed gives the same split and the same probe
    const again = probeVsZeroShot({ images: c.images, dim: c.dim, labels: c.labels, numClasses: 5, split: { kind: 'shots', shots: 8 }, seed: 1 });
    expect(again.split.train).toEqual(r.split.train);
    expect(again.probe.report.accuracy).toBe(r.probe.report.accuracy);
    expect(again.zeroShot).toBeNull();
  });

  it('a class missing from training gets probability 0, and the metrics still cover it', () => {
    const c = collection(60, 3, 8, 0.2);
    const labels = c.labels.slice();
    // class 2 keeps one photo (it trains on it); class 3 has none at all
    for (let i = 0; i < 60; i++) if (labels[i] === 2 && i !== 2) labels[i] = -1;
    const r = probeVsZeroShot({ images: c.images, dim: c.dim, labels, numClasses: 4, split: { kind: 'shots', shots: 3 }, seed: 2 });
    expect(r.probe.trainedClasses).toEqual([0, 1, 2]);
    for (let i = 0; i < 60; i++) expect(r.probe.probs[i * 4 + 3]).toBe(0);
    expect(r.probe.report.perClass[3].support).toBe(0);
  });

  it('says when the split leaves nothing to test or a class matrix does not fit', () => {
    const c = collection(6, 3, 8, 0.2);
    const ones = Int32Array.from([0, 1, 2, -1, -1, -1]);
    expect(() => probeVsZeroShot({ images: c.images, dim: 8, labels: ones, numClasses: 3, split: { kind: 'shots', shots: 1 }, seed: 1 })).toThrow(/left no test samples/);
    expect(() => probeVsZeroShot({ images: c.images, dim: 8, labels: c.labels, numClasses: 3, split: { kind: 'shots', shots: 1 }, seed: 1, zeroShot: { classWeights: new Float32Array(16), logitScale: 100 } })).toThrow(/class matrix has 2 classes, the probe 3/);
  });
});
