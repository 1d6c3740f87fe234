/**
 * The app reads open_clip_config.json as tools/model/openclip_config.py does: the same model and
 * preprocessing from the same file, the same refusals with the same messages (Python runs here).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PYTHON } from '../../../test/helpers/checkpoints';
import { ARCHITECTURES, architectureFor } from './architectures';
import { parseOpenClipConfig } from './openclip-config';

const tiny = JSON.parse(readFileSync('tools/model/configs/demo-tiny.json', 'utf8'));
const vit = JSON.parse(readFileSync('data/derm1m/model_configs/ViT-B-16.json', 'utf8'));
const panderm = JSON.parse(readFileSync('data/derm1m/model_configs/PanDerm-base-w-PubMed-256.json', 'utf8'));
const pandermTiny = JSON.parse(readFileSync('tools/model/configs/panderm-tiny.json', 'utf8'));

const configs: Record<string, unknown> = {
  'demo-tiny': tiny,
  'demo-tiny-gelu': JSON.parse(readFileSync('tools/model/configs/demo-tiny-gelu.json', 'utf8')),
  'vit-b-16 (no preprocess_cfg)': { model_cfg: vit },
  'vit-b-16 quickgelu, random interpolation, size list': { model_cfg: { ...vit, quick_gelu: true }, preprocess_cfg: { interpolation: 'random', size: [224, 224], mean: 0.5, std: null } },
  'layer scale': { model_cfg: { ...vit, vision_cfg: { ...vit.vision_cfg, ls_init_value: 0.1 } } },
  'unknown key': { model_cfg: { ...vit, text_cfg: { ...vit.text_cfg, rope: true } } },
  'resnet': { model_cfg: { ...vit, vision_cfg: { layers: [3, 4, 6, 3], width: 64 } } },
  'bad heads': { model_cfg: { ...vit, text_cfg: { ...vit.text_cfg, heads: 7 } } },
  'bad quick_gelu': { model_cfg: { ...vit, quick_gelu: 'yes' } },
  'bad resize': { model_cfg: vit, preprocess_cfg: { resize_mode: 'crop' } },
  'bad fill': { model_cfg: vit, preprocess_cfg: { fill_color: 300 } },
  'unknown top-level key': { model_cfg: vit, extra: 1 },
  'no model_cfg': { preprocess_cfg: {} },
  'panderm-tiny fixture': pandermTiny,
  'panderm with its BERT config': { model_cfg: { ...panderm, quick_gelu: true, vision_cfg: { ...panderm.vision_cfg, width: 1024 } }, preprocess_cfg: { interpolation: 'bilinear' } },
  'panderm, CLS pooler': { model_cfg: { ...panderm, text_cfg: { ...panderm.text_cfg, hf_pooler_type: 'cls_pooler' } } },
  'panderm, RoBERTa text': { model_cfg: panderm },
  'panderm, unknown vision key': { model_cfg: { ...panderm, vision_cfg: { ...panderm.vision_cfg, ls_init_value: 0.1 } } },
  'panderm, context longer than the BERT': { model_cfg: { ...panderm, text_cfg: { ...panderm.text_cfg, context_length: 1024 } } },
};
/** The text model's config.json given with a PanDerm config (the hub's neuml/pubmedbert-base-embeddings sizes). */
const bert = JSON.parse(readFileSync('tools/model/configs/panderm-full.json', 'utf8')).fixture.hf_text_config;
const textConfigs: Record<string, unknown> = {
  'panderm with its BERT config': bert,
  'panderm, CLS pooler': bert,
  'panderm, RoBERTa text': { ...bert, model_type: 'roberta' },
  'panderm, unknown vision key': bert,
  'panderm, context longer than the BERT': bert,
};

const PY = `
import sys, json
sys.path.insert(0, "tools/model")
import openclip_config, panderm_config
got = json.load(sys.stdin)
out = {}
for name, cfg in got["configs"].items():
    tc = (cfg.get("model_cfg") or {}).get("text_cfg") or {}
    try:
        if isinstance(tc, dict) and tc.get("hf_model_name"):
            s = panderm_config.parse(cfg, got["text"].get(name))
            model = panderm_config.manifest_model(s.model)
        else:
            s = openclip_config.parse(cfg)
            model = openclip_config.manifest_model(s.model)
        out[name] = {"model": model, "image": s.preprocess.manifest(), "notes": list(s.notes)}
    except openclip_config.ConfigError as e:
        out[name] = {"error": str(e)}
print(json.dumps(out))
`;
const python = JSON.parse(execFileSync(PYTHON, ['-c', PY], { input: JSON.stringify({ configs, text: textConfigs }) }).toString()) as Record<string, { model?: unknown; image?: unknown; notes?: string[]; error?: string }>;

describe('open_clip_config.json: the same reading as the toolchain', () => {
  for (const [name, cfg] of Object.entries(configs)) {
    it(name, () => {
      const py = python[name];
      let got: ReturnType<typeof parseOpenClipConfig> | null = null;
      let error = '';
      try {
        got = parseOpenClipConfig(JSON.stringify(cfg), name in textConfigs ? JSON.stringify(textConfigs[name]) : null);
      } catch (e) {
        error = (e as Error).message;
      }
      // The app names the file a message is about (the text model's config.json for a BERT size).
      if (py.error) expect(error.replace(/\.$/, '').replace(/^config\.json \(the text model's\): /, 'open_clip_config.json: ')).toBe(py.error.startsWith('open_clip_config.json') ? py.error : `open_clip_config.json: ${py.error}`);
      else expect({ model: got?.model, image: got?.image, notes: got?.notes }).toEqual({ model: py.model, image: py.image, notes: py.notes });
    });
  }
  it('the fixtures, both ViT-B-16 activations and DermLIP-PanDerm map to their shipped graphs; another size is named', () => {
    expect(architectureFor(parseOpenClipConfig(JSON.stringify(tiny)).model).id).toBe('demo-tiny');
    expect(architectureFor(parseOpenClipConfig(JSON.stringify({ model_cfg: vit })).model).id).toBe('vit-b-16');
    expect(architectureFor(parseOpenClipConfig(JSON.stringify({ model_cfg: { ...vit, quick_gelu: true } })).model).id).toBe('vit-b-16-quickgelu');
    expect(architectureFor(parseOpenClipConfig(JSON.stringify(pandermTiny)).model).id).toBe('demo-panderm-tiny');
    expect(() => parseOpenClipConfig(JSON.stringify({ model_cfg: panderm }))).toThrow(/DermLIP-PanDerm also needs the config\.json of its text model, neuml\/pubmedbert-base-embeddings/);
    expect(architectureFor(parseOpenClipConfig(JSON.stringify({ model_cfg: panderm }), JSON.stringify(bert)).model).id).toBe('panderm-base');
    // PanDerm with another text model (BERT-base-cased's 28,996 words): recognised and named.
    expect(() => architectureFor(parseOpenClipConfig(JSON.stringify({ model_cfg: panderm }), JSON.stringify({ ...bert, vocab_size: 28996 })).model)).toThrow(/DermLIP-PanDerm: CAE vision width 768, 12 layers.*BERT width 768.*vocabulary 28996, 256 tokens/);
    const large = { model_cfg: { ...vit, vision_cfg: { ...vit.vision_cfg, width: 1024, layers: 24 } } };
    expect(() => architectureFor(parseOpenClipConfig(JSON.stringify(large)).model)).toThrow(/vision width 1024, 24 layers, 16 heads.*The app has graphs for DermLIP-B\/16 \(ViT-B\/16, GELU\), DermLIP-B\/16 \(ViT-B\/16, QuickGELU\) and DermLIP-PanDerm \(PanDerm-base \+ PubMedBERT\)/);
    expect(ARCHITECTURES.filter((a) => !a.fixture)).toHaveLength(3);
  });
  it('refuses a config that is not JSON', () => {
    expect(() => parseOpenClipConfig('{model_cfg')).toThrow(/not valid JSON/);
  });
});
