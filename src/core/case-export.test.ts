import { describe, expect, it } from 'vitest';
import { buildCaseExport, caseExportFileName } from './case-export';

const input = {
  caseName: 'ISIC 0012221.jpg',
  createdAt: Date.UTC(2026, 10, 28),
  bundleId: 'demo-tiny',
  bundleName: 'Demo',
  demo: true,
  variant: 'int8',
  backend: 'wasm',
  photoSha256: 'a'.repeat(64),
  tensorSha256: 'b'.repeat(64),
  photoSize: { width: 3008, height: 2000 },
  crop: null,
  embedding: new Float32Array([0.6, 0.8]),
  logitScale: 100,
  labelSet: { id: 'preset:ham', name: 'HAM10000' },
  templateSet: { id: 'openai-skin', templates: ['a {}'] },
  ranked: [
    { id: 'melanoma', name: 'melanoma', prob: 0.7 },
    { id: 'nevus', name: 'nevus', prob: 0.3 },
  ],
  concepts: [{ id: 'blue', name: 'blue', score: 0.6 }],
};

describe('buildCaseExport', () => {
  it('carries model, image, embedding and every label probability', () => {
    const e = buildCaseExport(input, new Date(Date.UTC(2026, 10, 28, 12)));
    expect(e.model).toEqual({ bundleId: 'demo-tiny', name: 'Demo', demo: true, variant: 'int8', backend: 'wasm', logitScale: 100 });
    expect(e.image.crop).toBe('centre');
    expect(e.embedding[1]).toBeCloseTo(0.8, 6);
    expect(e.labels.map((l) => l.probability)).toEqual([0.7, 0.3]);
    expect(e.notice).toMatch(/random weights/);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
  it('names the checkpoint (file and sha256) of a model converted in the browser', () => {
    const checkpoint = { file: 'open_clip_model.safetensors', sha256: 'c'.repeat(64) };
    const e = buildCaseExport({ ...input, demo: false, checkpoint });
    expect(e.model).toMatchObject({ demo: false, checkpoint });
    expect(e.notice).not.toMatch(/random weights/);
  });
  it('names the file after the case', () => {
    expect(caseExportFileName(input, new Date(Date.UTC(2026, 10, 28)))).toBe('ISIC-0012221-2026-11-28.dermlip.json');
  });
});
