// The contract engine/blob-bytes.ts relies on, checked on the runtime the app ships (here, outside
// src/: only the worker imports onnxruntime-web there).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { BlobBytes } from '../../src/engine/blob-bytes';
import { fakeBlob } from '../helpers/fake-blob';

// The contract BlobBytes relies on, checked on the runtime the app ships: onnxruntime-web (its WASM
// build, here in Node) reads every external initializer through byteLength + subarray, and the
// session gives bit for bit what the same weights give from one whole copy.
describe('onnxruntime-web reads external weights through BlobBytes', () => {
  const dir = join(__dirname, '..', '..', 'public', 'models', 'demo-tiny');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';

  it.each(['fp32', 'int8'])('image.%s: same embedding, weights read tensor by tensor', async (variant) => {
    const graph = new Uint8Array(readFileSync(join(dir, `image.${variant}.onnx`)));
    const data = new Uint8Array(readFileSync(join(dir, `image.${variant}.onnx.data`)));
    const path = `image.${variant}.onnx.data`;
    const open = (weights: Uint8Array) => ort.InferenceSession.create(graph, { executionProviders: ['wasm'], externalData: [{ path, data: weights }] });
    const x = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i) * 0.5);
    const embed = async (s: ort.InferenceSession) => {
      const out = await s.run({ pixel_values: new ort.Tensor('float32', x, [1, 3, 224, 224]) });
      await s.release();
      return out.image_embeds.data as Float32Array;
    };
    const whole = await embed(await open(data));
    const { blob, read, slices } = fakeBlob(data);
    const lazy = new BlobBytes(blob, read);
    const got = await embed(await open(lazy));
    expect(Array.from(got)).toEqual(Array.from(whole));
    // Read tensor by tensor: many small reads, every byte of a tensor once, never the whole file.
    expect(slices.length).toBeGreaterThan(10);
    expect(Math.max(...slices.map((s) => s.end - s.start))).toBeLessThan(0.6 * data.byteLength);
    expect(lazy.bytesRead).toBeGreaterThan(0.9 * data.byteLength);
    expect(lazy.bytesRead).toBeLessThanOrEqual(data.byteLength);
  });
});
