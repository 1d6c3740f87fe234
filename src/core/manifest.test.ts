import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { isSafePath, MAX_MANIFEST_BYTES, parseManifest, readManifest, towerFiles, variantOf } from './manifest';

const H = 'a'.repeat(64);
const f = (bytes = 10) => ({ bytes, sha256: H });

export function validManifest(): Record<string, any> {
  return {
    schemaVersion: 1,
    id: 'demo-tiny',
    name: 'demo',
    demo: true,
    license: { weights: 'w', data: 'd' },
    source: { kind: 'fixture', size: 'tiny', seed: 0 },
    architecture: 'ViT-B-16',
    embedDim: 4,
    logitScale: 100,
    modelLogitScale: 14.2857,
    image: { size: 224, resize: 'shortest', interpolation: 'bicubic', crop: 'center', mean: [0.5, 0.5, 0.5], std: [0.2, 0.2, 0.2], input: 'pixel_values', output: 'image_embeds' },
    text: { input: 'input_ids', output: 'text_embeds', dynamicLength: true },
    tokenizer: { kind: 'clip-bpe', file: 'tokenizer.json', contextLength: 77, padId: 0, startId: 49406, endId: 49407, clean: 'open_clip' },
    variants: {
      fp32: { image: 'image.fp32.onnx', text: 'text.fp32.onnx', dtype: 'fp32', requiredFeatures: [] },
      fp16: { image: 'image.fp16.onnx', text: 'text.fp16.onnx', dtype: 'fp16', requiredFeatures: ['shader-f16'] },
    },
    textEmbeddings: { file: 'text-embeddings.f16.bin', prompts: 'prompts.json', dtype: 'float16', count: 3, sourceVariant: 'fp32', normalized: true },
    references: 'references/references.json',
    files: {
      'image.fp32.onnx': f(), 'text.fp32.onnx': f(), 'image.fp16.onnx': f(), 'text.fp16.onnx': f(),
      'tokenizer.json': f(), 'prompts.json': f(), 'text-embeddings.f16.bin': f(3 * 4 * 2), 'references/references.json': f(),
    },
  };
}

function errorOf(mutate: (m: Record<string, any>) => void): AppError {
  const m = validManifest();
  mutate(m);
  try {
    parseManifest(m);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('manifest-invalid');
    return e as AppError;
  }
  throw new Error('expected parseManifest to throw');
}

describe('parseManifest', () => {
  it('accepts a valid manifest and fills defaults', () => {
    const m = validManifest();
    delete m.variants.fp32.requiredFeatures;
    const p = parseManifest(m);
    expect(p.id).toBe('demo-tiny');
    expect(p.variants.fp32?.requiredFeatures).toEqual([]);
    expect(variantOf(p, 'fp16').image).toBe('image.fp16.onnx');
    expect(() => variantOf(p, 'int8')).toThrow(/no int8 variant/);
  });
  it('names the bad field path', () => {
    expect(errorOf((m) => (m.variants.fp16.image = 5)).message).toBe('manifest.json: variants.fp16.image must be a string');
    expect(errorOf((m) => delete m.image.mean).message).toBe('manifest.json: image.mean is missing');
    expect(errorOf((m) => (m.image.std = [1, 2])).message).toMatch(/^manifest.json: image.std must be an array of 3 numbers/);
    expect(errorOf((m) => (m.embedDim = 1.5)).message).toMatch(/^manifest.json: embedDim must be an integer/);
    expect(errorOf((m) => (m.schemaVersion = 2)).message).toMatch(/^manifest.json: schemaVersion must be 1/);
    expect(errorOf((m) => (m.tokenizer.kind = 'sentencepiece')).message).toMatch(/tokenizer.kind must be one of "clip-bpe", "wordpiece"/);
  });
  it('rejects a non-object', () => {
    expect(() => parseManifest(null)).toThrow(/^manifest.json: must be an object/);
    expect(() => parseManifest([])).toThrow(AppError);
  });
  it('checks the id pattern', () => {
    expect(errorOf((m) => (m.id = 'Demo')).message).toMatch(/^manifest.json: id must match/);
    expect(errorOf((m) => (m.id = '-x')).message).toMatch(/id must match/);
    expect(parseManifest({ ...validManifest(), id: 'a.b_c-1' }).id).toBe('a.b_c-1');
  });
  it('checks sha256 is 64 lowercase hex', () => {
    expect(errorOf((m) => (m.files['prompts.json'].sha256 = 'A'.repeat(64))).message).toBe('manifest.json: files.prompts.json.sha256 must be 64 lowercase hex digits');
    expect(errorOf((m) => (m.files['prompts.json'].sha256 = 'a'.repeat(63))).message).toMatch(/sha256 must be 64/);
  });
  it('requires every named file to be listed', () => {
    expect(errorOf((m) => delete m.files['text.fp16.onnx']).message).toBe('manifest.json: variants.fp16.text names "text.fp16.onnx", which is not listed in files');
    expect(errorOf((m) => delete m.files['tokenizer.json']).message).toMatch(/tokenizer.file names "tokenizer.json"/);
    expect(errorOf((m) => delete m.files['prompts.json']).message).toMatch(/textEmbeddings.prompts/);
    expect(errorOf((m) => delete m.files['references/references.json']).message).toMatch(/^manifest.json: references names/);
  });
  it('external weights files are optional, and checked like the graphs when named', () => {
    const withData = (m: ReturnType<typeof validManifest>) => {
      (m.variants.fp32 as Record<string, unknown>).imageData = 'image.fp32.onnx.data';
      m.files['image.fp32.onnx.data'] = m.files['image.fp32.onnx'];
    };
    const m = validManifest();
    withData(m);
    const p = parseManifest(m);
    expect(towerFiles(variantOf(p, 'fp32'), 'image')).toEqual({ graph: 'image.fp32.onnx', data: 'image.fp32.onnx.data' });
    expect(towerFiles(variantOf(p, 'fp32'), 'text')).toEqual({ graph: 'text.fp32.onnx', data: undefined });
    expect(errorOf((m) => (withData(m), delete m.files['image.fp32.onnx.data'])).message).toBe('manifest.json: variants.fp32.imageData names "image.fp32.onnx.data", which is not listed in files');
    expect(errorOf((m) => ((m.variants.fp32 as Record<string, unknown>).textData = '../w.data')).message).toMatch(/variants.fp32.textData must be a relative path/);
  });
  it('refuses paths that leave the bundle', () => {
    expect(errorOf((m) => (m.tokenizer.file = '../x.json')).message).toMatch(/tokenizer.file must be a relative path/);
    expect(errorOf((m) => (m.tokenizer.file = '/etc/passwd')).message).toMatch(/tokenizer.file must be a relative path/);
  });
  it('refuses hostile paths: backslashes, drive letters, "." segments, control characters, overlong', () => {
    for (const bad of ['a\\b.json', 'C:/x.json', 'c:x', './x.json', 'a/./b', 'a//b', 'x\u0000.json', 'x\n.json', 'x\u202e.json', 'a'.repeat(256)]) {
      expect(isSafePath(bad), JSON.stringify(bad)).toBe(false);
    }
    for (const ok of ['image.int8.onnx', 'references/a b.png', 'w?x#y%z.bin', 'é.json', 'a'.repeat(255)]) expect(isSafePath(ok), ok).toBe(true);
    expect(errorOf((m) => (m.files['..\\evil'] = f())).message).toBe('manifest.json: files["..\\evil"] must be a relative path inside the bundle');
    expect(errorOf((m) => (m.files['/abs.bin'] = f())).message).toMatch(/must be a relative path/);
  });
  it('ids and names: length, and no control or text-direction characters (markup is only text)', () => {
    expect(errorOf((m) => (m.id = '<b>x</b>')).message).toMatch(/^manifest.json: id must match/);
    expect(errorOf((m) => (m.id = 'a'.repeat(101))).message).toBe('manifest.json: id must be at most 100 characters');
    expect(errorOf((m) => (m.name = 'x'.repeat(201))).message).toBe('manifest.json: name must be at most 200 characters');
    expect(errorOf((m) => (m.name = 'evil\u202egnp.exe')).message).toBe('manifest.json: name must not contain control or text-direction characters');
    expect(errorOf((m) => (m.name = 'two\nlines')).message).toMatch(/control/);
    const m = validManifest();
    m.name = '<img src=x onerror="alert(1)"> & <script>';
    expect(parseManifest(m).name).toBe('<img src=x onerror="alert(1)"> & <script>');
  });
  it('caps how many files a manifest lists', () => {
    const e = errorOf((m) => {
      for (let i = 0; i < 1000; i++) m.files[`junk/${i}.bin`] = f();
    });
    expect(e.message).toBe('manifest.json: files lists 1008 files; a bundle may list at most 1000');
  });
  it('a named file must be listed as its own key (not an Object.prototype name)', () => {
    expect(errorOf((m) => (m.tokenizer.file = 'constructor')).message).toBe('manifest.json: tokenizer.file names "constructor", which is not listed in files');
  });
  it('readManifest: size cap before parsing, JSON errors name the file', () => {
    expect(readManifest(JSON.stringify(validManifest())).manifest.id).toBe('demo-tiny');
    expect(() => readManifest('{', 'bundle/manifest.json')).toThrow('bundle/manifest.json is not valid JSON.');
    const huge = JSON.stringify({ ...validManifest(), pad: 'x'.repeat(MAX_MANIFEST_BYTES) });
    expect(() => readManifest(huge)).toThrow(/manifest.json is 1,050,[0-9]{3} characters long; a bundle manifest is at most 1,048,576 bytes/);
  });
  it('checks the embeddings file size against count and embedDim', () => {
    expect(errorOf((m) => (m.textEmbeddings.count = 4)).message).toMatch(/textEmbeddings.count x embedDim x 2 bytes = 32/);
  });
  it('drops unknown variants but needs one known', () => {
    const p = parseManifest({ ...validManifest(), variants: { ...validManifest().variants, q4f16: { weird: true } } });
    expect(Object.keys(p.variants).sort()).toEqual(['fp16', 'fp32']);
    expect(errorOf((m) => (m.variants = { q8: {} })).message).toMatch(/variants must name at least one/);
  });
  it('accepts every resize mode and filter open_clip has, and a fill colour (default 0)', () => {
    expect(parseManifest(validManifest()).image.fill).toBe(0);
    for (const resize of ['shortest', 'longest', 'squash']) {
      for (const interpolation of ['bicubic', 'bilinear']) {
        const p = parseManifest({ ...validManifest(), image: { ...validManifest().image, resize, interpolation, fill: 114 } });
        expect([p.image.resize, p.image.interpolation, p.image.fill]).toEqual([resize, interpolation, 114]);
      }
    }
    expect(errorOf((m) => (m.image.resize = 'crop')).message).toBe('manifest.json: image.resize must be one of "shortest", "longest", "squash" (got "crop")');
    expect(errorOf((m) => (m.image.interpolation = 'nearest')).message).toBe('manifest.json: image.interpolation must be one of "bicubic", "bilinear" (got "nearest")');
    expect(errorOf((m) => (m.image.fill = 256)).message).toMatch(/^manifest.json: image.fill must be 0..255/);
  });
  it('checks the model record against the rest of the manifest', () => {
    const model = () => ({
      family: 'open_clip-vit', embedDim: 4,
      vision: { activation: 'quick_gelu', width: 64, layers: 2, heads: 2, mlpWidth: 256, patchSize: 16, imageSize: 224 },
      text: { activation: 'quick_gelu', width: 32, layers: 2, heads: 2, mlpWidth: 128, contextLength: 77, vocabSize: 49408 },
    });
    expect(parseManifest({ ...validManifest(), model: model() }).model?.vision.activation).toBe('quick_gelu');
    expect(errorOf((m) => (m.model = { ...model(), text: { ...model().text, activation: 'relu' } })).message).toMatch(/^manifest.json: model.text.activation must be one of "gelu", "quick_gelu"/);
    expect(errorOf((m) => (m.model = { ...model(), embedDim: 8 })).message).toBe('manifest.json: model.embedDim is 8 but embedDim is 4');
    expect(errorOf((m) => (m.model = { ...model(), vision: { ...model().vision, imageSize: 256 } })).message).toBe('manifest.json: model.vision.imageSize is 256 but image.size is 224');
    expect(errorOf((m) => (m.model = { ...model(), text: { ...model().text, contextLength: 64 } })).message).toBe('manifest.json: model.text.contextLength is 64 but tokenizer.contextLength is 77');
    expect(errorOf((m) => (m.source.config = 'open_clip_config.json')).message).toBe('manifest.json: source.config names "open_clip_config.json", which is not listed in files');
  });
  it.each(['demo-tiny', 'demo-tiny-gelu'])('parses the committed %s manifest', (id) => {
    const path = `public/models/${id}/manifest.json`;
    if (!existsSync(path)) return console.warn(`skipped: ${path} not built yet (npm run model:fixture)`);
    const m = parseManifest(JSON.parse(readFileSync(path, 'utf8')));
    expect(m.id).toBe(id);
    expect(m.model?.vision.activation).toBe(id === 'demo-tiny' ? 'quick_gelu' : 'gelu');
    expect(m.files[m.source.config!]).toBeDefined();
  });
  it('parses the committed DermLIP-PanDerm manifest (wordpiece tokenizer, BERT text record)', () => {
    const m = parseManifest(JSON.parse(readFileSync('public/models/demo-panderm-tiny/manifest.json', 'utf8')));
    expect(m.architecture).toBe('PanDerm-base-w-PubMed-256');
    expect(m.tokenizer).toMatchObject({ kind: 'wordpiece', contextLength: 256, padId: 0, startId: 2, endId: 3, clean: 'whitespace' });
    expect(m.model).toMatchObject({ family: 'dermlip-panderm', vision: { kind: 'cae-vit', activation: 'gelu' }, text: { kind: 'bert', contextLength: 256 } });
  });
});
