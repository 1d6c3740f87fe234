import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { csvField, metricsJson, perPhotoCsv } from './report';

describe('perPhotoCsv', () => {
  it('writes one parseable line per photo with prediction, probabilities, split and metadata', () => {
    const text = perPhotoCsv({
      rows: [
        { path: 'a/x.jpg', label: 'mel', metadata: { site: 'back, upper' } },
        { path: 'b "q".jpg', label: 'blob', metadata: { site: '' } },
      ],
      classNames: ['melanoma', 'nevus', 'other'],
      truth: [0, -1],
      probs: Float32Array.from([0.2, 0.7, 0.1, 0.5, 0.25, 0.25]),
      predicted: [1, 0],
      metadataColumns: ['site'],
      split: [2, 0],
      probeProbs: Float32Array.from([0.9, 0.05, 0.05, 0.3, 0.3, 0.4]),
      probePredicted: [0, 2],
      topN: 2,
    });
    const t = parseCsv(text);
    expect(t.columns).toEqual(['path', 'dataset_label', 'true_class', 'predicted', 'correct', 'p_predicted', 'p_true', 'top1', 'p_top1', 'top2', 'p_top2', 'probe_split', 'probe_predicted', 'probe_correct', 'probe_p_true', 'site']);
    expect(t.rows[0]).toEqual(['a/x.jpg', 'mel', 'melanoma', 'nevus', 'false', '0.7', '0.2', 'nevus', '0.7', 'melanoma', '0.2', 'test', 'melanoma', 'true', '0.9', 'back, upper']);
    expect(t.rows[1]).toEqual(['b "q".jpg', 'blob', '', 'melanoma', '', '0.5', '', 'melanoma', '0.5', 'nevus', '0.25', '', 'other', '', '', '']);
  });
  it('quotes only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(' pad')).toBe('" pad"');
    expect(csvField(NaN)).toBe('');
    expect(csvField(undefined)).toBe('');
  });
});

describe('metricsJson', () => {
  it('turns undefined metrics (NaN) into null and typed arrays into lists', () => {
    const j = JSON.parse(
      metricsJson({
        collection: { name: 'c', photos: 2, evaluated: 1, unmapped: ['blob'], labelSource: { kind: 'none' } },
        model: { bundleId: 'b', name: 'B', demo: true, source: {}, architecture: 'x', variant: 'int8', backend: 'wasm', weights: [{ file: 'i.onnx', sha256: 'ab' }], logitScale: 100 },
        classList: { id: 'l', name: 'L', classes: [] },
        templates: { id: 't', templates: ['{}'] },
        mapping: { mel: 'melanoma', blob: null },
        zeroShot: { report: { accuracy: NaN, perClass: [], confusion: [[1]] } as never, strata: [] },
        retrieval: { r: Float32Array.from([0.5]) },
        date: new Date('2026-11-29T00:00:00Z'),
        app: 'DermLIP Explorer',
      }),
    );
    expect(j.zeroShot.report.accuracy).toBeNull();
    expect(j.retrieval.r).toEqual([0.5]);
    expect(j.date).toBe('2026-11-29T00:00:00.000Z');
    expect(j.model.weights[0].sha256).toBe('ab');
  });
});
