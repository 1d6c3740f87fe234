import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DeviceInfo } from '../core/backend-plan';
import { replyBuffers } from '../core/eval/calls';
import { parseManifest } from '../core/manifest';
import { l2normalizeRows } from '../core/vectors';
import { FakeWorker, type FakeScript } from '../../test/helpers/fake-worker';
import { EngineClient, EngineError } from './client';
import type { ModelSource } from './protocol';

const manifest = parseManifest(JSON.parse(readFileSync('public/models/demo-tiny/manifest.json', 'utf8')));
const source: ModelSource = { manifest, getFile: async () => new ArrayBuffer(8) };
const cpuOnly: DeviceInfo = { webgpu: false, gpuFeatures: [], crossOriginIsolated: true, hardwareConcurrency: 2 };
const gpu: DeviceInfo = { webgpu: true, gpuFeatures: [], crossOriginIsolated: true, hardwareConcurrency: 2 };

function engine(script: FakeScript) {
  const workers: FakeWorker[] = [];
  const client = new EngineClient({ source, createWorker: () => (workers.push(new FakeWorker(script)), workers.at(-1)!) });
  return { client, workers };
}

// 40 photos of 4 classes in 8 dimensions; class rows = the class directions
const dim = 8;
const classWeights = l2normalizeRows(Float32Array.from({ length: 4 * dim }, (_, i) => (i % (dim + 1) === 0 ? 1 : 0.1)), dim);
const labels = Int32Array.from({ length: 40 }, (_, i) => i % 4);
const images = l2normalizeRows(Float32Array.from({ length: 40 * dim }, (_, i) => classWeights[labels[Math.floor(i / dim)] * dim + (i % dim)] + 0.05 * Math.sin(i)), dim);

describe('EngineClient collection calls', () => {
  it('evaluate runs in the worker with no model session: no probe, no configure, no session', async () => {
    const { client, workers } = engine({ device: cpuOnly });
    const e = await client.evaluate({ images, dim, classWeights, logitScale: 100, labels, strata: { site: Array.from(labels, (l) => l % 2) } });
    expect(e.report.accuracy).toBe(1);
    expect(e.predicted).toEqual(labels);
    expect(e.strata[0].strata.map((s) => s.n)).toEqual([20, 20]);
    expect(workers).toHaveLength(1);
    expect(workers[0].received.map((m) => m.type)).toEqual(['evaluate']);
    expect(client.choice).toBeNull();
    // the caller keeps its arrays (sent by copy)
    expect(images.length).toBe(40 * dim);
  });

  it('a bad request is an input error: no fallback, the worker stays, the next call works', async () => {
    const { client, workers } = engine({ device: gpu });
    await client.ready('image');
    const before = client.choice;
    const bad = client.evaluate({ images, dim, classWeights: new Float32Array(7), logitScale: 100, labels });
    await expect(bad).rejects.toBeInstanceOf(EngineError);
    await expect(bad).rejects.toMatchObject({ code: 'input-invalid', message: expect.stringMatching(/class matrix has 7 values/) });
    expect(workers).toHaveLength(1);
    expect(workers[0].terminated).toBe(false);
    expect(client.choice).toEqual(before);
    await expect(client.encodeImages({ tensors: new Float32Array(3 * manifest.image.size ** 2), n: 1 })).resolves.toHaveLength(1);
  });

  it('trainProbe, retrieval and search beside a loaded model', async () => {
    const { client, workers } = engine({ device: cpuOnly });
    await client.ready('image');
    const p = await client.trainProbe({ images, dim, labels, numClasses: 4, split: { kind: 'shots', shots: 2 }, seed: 4, zeroShot: { classWeights, logitScale: 100 } });
    expect(p.split.trainPerClass).toEqual([2, 2, 2, 2]);
    expect(p.probe.report.n).toBe(32);
    expect(p.zeroShot?.report.n).toBe(32);
    const r = await client.retrieval({ images, imageLabels: labels, texts: classWeights, textLabels: Int32Array.from([0, 1, 2, 3]), dim });
    expect(r.imageToText.recall[0]).toEqual({ k: 1, recall: 1 });
    expect(r.textToImage.queries).toBe(4);
    const hits = await client.search({ query: images.slice(0, dim), matrix: images, dim, k: 5, exclude: [0] });
    expect(hits).toHaveLength(5);
    expect(hits.every((h) => labels[h.index] === 0 && h.index !== 0)).toBe(true);
    expect(workers).toHaveLength(1);
    expect(workers[0].evalCalls).toBe(3);
  });

  it('a cancelled collection call stops waiting', async () => {
    const { client } = engine({ device: cpuOnly });
    await expect(client.search({ query: images.slice(0, dim), matrix: images, dim, k: 1 }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('replyBuffers', () => {
  it('lists each whole buffer of a reply once, two levels deep', () => {
    const a = new Float32Array(4);
    const b = new Int32Array(2);
    expect(replyBuffers({ probs: a, predicted: b, split: { train: b, test: new Int32Array(1) }, report: { n: 1 } })).toHaveLength(3);
    expect(replyBuffers({ view: a.subarray(1) })).toEqual([]);
    expect(replyBuffers([{ index: 1, score: 0.5 }])).toEqual([]);
  });
});
