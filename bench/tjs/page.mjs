// transformers.js baseline, driven by bench/run.mjs: window.tjs.* run its own zero-shot path on
// the same weights (bench/tjs_model.py), photo and labels as the app, WASM with 2 threads.
import * as T from '/tjs/transformers.js';

const { env, pipeline, RawImage, AutoProcessor, CLIPVisionModelWithProjection } = T;
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = '/models/';
env.useBrowserCache = false;
env.backends.onnx.wasm.wasmPaths = '/tjs/ort/';
env.backends.onnx.wasm.numThreads = 2;

const now = () => performance.now();
let clf = null;
let vision = null;
let processor = null;

window.tjs = {
  version: T.env.version,
  async loadPipeline(dtype = 'q8') {
    const t0 = now();
    clf = await pipeline('zero-shot-image-classification', 'demo-full', { dtype, device: 'wasm' });
    return now() - t0;
  },
  /** One pipeline call: photo URL x labels (the pipeline encodes every label on each call). */
  async classify(url, labels, template) {
    const t0 = now();
    const out = await clf(url, labels, { hypothesis_template: template });
    return { ms: now() - t0, top: out.slice(0, 3) };
  },
  async loadVision(dtype = 'q8') {
    const t0 = now();
    processor = await AutoProcessor.from_pretrained('demo-full');
    vision = await CLIPVisionModelWithProjection.from_pretrained('demo-full', { dtype, device: 'wasm' });
    return now() - t0;
  },
  /** read + preprocess + vision model of a photo URL, each part timed. */
  async photoPath(url) {
    const t0 = now();
    const image = await RawImage.read(url);
    const t1 = now();
    const inputs = await processor(image);
    const t2 = now();
    await vision(inputs);
    const t3 = now();
    return { readMs: t1 - t0, preprocessMs: t2 - t1, encodeMs: t3 - t2, totalMs: t3 - t0 };
  },
  /**
   * A plain indexing loop: each photo read, preprocessed and encoded in turn (what a page using
   * transformers.js does for a folder of photos). Returns the wall time and the embedding size.
   */
  async indexLoop(urls) {
    const t0 = now();
    let dim = 0;
    for (const url of urls) {
      const out = await vision(await processor(await RawImage.read(url)));
      dim = (out.image_embeds ?? Object.values(out)[0]).dims.at(-1);
    }
    return { ms: now() - t0, n: urls.length, dim };
  },
  /** The vision model alone on a fixed tensor, `runs` times after `warmup`. */
  async visionOnly(runs = 10, warmup = 2) {
    const S = 224;
    const data = new Float32Array(3 * S * S);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 12.9898) * 1.5;
    const pixel_values = new T.Tensor('float32', data, [1, 3, S, S]);
    const ms = [];
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = now();
      await vision({ pixel_values });
      if (i >= warmup) ms.push(now() - t0);
    }
    return ms;
  },
  async dispose() {
    await clf?.dispose?.();
    await vision?.dispose?.();
    clf = vision = null;
  },
};
window.tjsReady = true;
