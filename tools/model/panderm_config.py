"""DermLIP-PanDerm's open_clip_config.json (the Derm1M fork's shape) -> what panderm.py builds.

What decides the architecture upstream (the fork's factory.py, utils.py, hf_model.py):
- the vision tower is NOT built from vision_cfg: when the model name contains 'PanDerm-base',
  factory.create_model replaces it with call_PanDerm_base_visual(), which hard-codes a CAE ViT-B/16
  (768 wide, 12 layers, 12 heads, MLP 4x, patch 16, 224 px, layer scale, LayerNorm eps 1e-6, mean
  pooling, head Linear(768, 512)). vision_cfg's sizes are ignored (noted when they differ), and its
  fork-only key `pretrain_path` is a relative path that torch.load must find before the hub
  checkpoint overwrites every weight (docs/bundle-format.md, "The pretrain_path quirk");
- the text tower is transformers' AutoModel for text_cfg.hf_model_name: its config.json (the HF
  BERT config) gives the sizes; hf_pooler_type must be mean_pooler and hf_proj_type mlp;
- text_cfg.context_length is the tokenizer's length (256).
A fixture config adds a top-level "fixture" object (not read by open_clip): "vision" (width, layers,
heads, head: the hard-coded CAE sizes, smaller) and "hf_text_config" (the BERT config.json it stands for).
"""
import json
import os

import openclip_config
import panderm

CAE_BASE = {"width": 768, "layers": 12, "heads": 12, "patch_size": 16, "image_size": 224}
VISION_HEAD = 512  # call_PanDerm_base_visual: num_classes=512
TOP_KEYS = {"embed_dim", "vision_cfg", "text_cfg", "quick_gelu", "custom_text", "init_logit_scale",
            "init_logit_bias", "output_dict", "cast_dtype"}
VISION_KEYS = {"image_size", "layers", "width", "patch_size", "head_width", "mlp_ratio", "pretrain_path",
               "patch_dropout"}
TEXT_KEYS = {"context_length", "hf_model_name", "hf_tokenizer_name", "hf_pooler_type", "hf_proj_type",
             "hf_model_pretrained", "tokenizer_kwargs", "vocab_size", "width", "heads", "layers"}
ConfigError = openclip_config.ConfigError


def _get(where, d, key, kind, default=None, required=True):
    if key not in d:
        if required and default is None:
            raise ConfigError(f"{where}.{key} is missing")
        return default
    v = d[key]
    if kind is int and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
        raise ConfigError(f"{where}.{key} must be a positive integer, not {json.dumps(v)}")
    if kind is float and (isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0):
        raise ConfigError(f"{where}.{key} must be a positive number, not {json.dumps(v)}")
    return v


def bert_sizes(hf):
    """The BERT config.json of text_cfg.hf_model_name -> PanDermConfig text fields."""
    w = "hf_text_config"
    if not isinstance(hf, dict):
        raise ConfigError(f"{w} must be an object (the text model's config.json)")
    if hf.get("model_type") != "bert":
        raise ConfigError(f"{w}.model_type = {json.dumps(hf.get('model_type'))}: only BERT text towers are built")
    for key, want in (("hidden_act", "gelu"), ("position_embedding_type", "absolute")):
        if hf.get(key, want) != want:
            raise ConfigError(f"{w}.{key} = {json.dumps(hf[key])}: only {json.dumps(want)} is built")
    width, heads = _get(w, hf, "hidden_size", int), _get(w, hf, "num_attention_heads", int)
    if width % heads:
        raise ConfigError(f"{w}.num_attention_heads = {heads} does not divide hidden_size {width}")
    pad = hf.get("pad_token_id", 0)
    if isinstance(pad, bool) or not isinstance(pad, int) or pad < 0:
        raise ConfigError(f"{w}.pad_token_id must be an integer >= 0, not {json.dumps(pad)}")
    return dict(text_width=width, text_heads=heads, text_layers=_get(w, hf, "num_hidden_layers", int),
                text_intermediate=_get(w, hf, "intermediate_size", int), vocab_size=_get(w, hf, "vocab_size", int),
                max_positions=_get(w, hf, "max_position_embeddings", int),
                type_vocab_size=_get(w, hf, "type_vocab_size", int, 2),
                text_ln_eps=float(_get(w, hf, "layer_norm_eps", float, 1e-12)), pad_id=pad)


def _unknown(where, d, known):
    if not isinstance(d, dict):
        raise ConfigError(f"{where} must be an object")
    for key in d:
        if key not in known:
            raise ConfigError(f"{where}.{key}: unknown key (this toolchain builds the Derm1M fork's "
                              f"PanDerm CustomTextCLIP and cannot tell what {key!r} would change)")


def parse(config, hf_text_config=None) -> openclip_config.Spec:
    """config: the parsed open_clip_config.json; hf_text_config: the BERT config.json (a fixture
    config carries its own under fixture.hf_text_config)."""
    if not isinstance(config, dict) or "model_cfg" not in config:
        raise ConfigError("open_clip_config.json must be an object with model_cfg (and preprocess_cfg)")
    extra = set(config) - {"model_cfg", "preprocess_cfg", "fixture"}
    if extra:
        raise ConfigError(f"{sorted(extra)[0]}: unknown top-level key (expected model_cfg, preprocess_cfg)")
    notes = []
    mc = config["model_cfg"]
    _unknown("model_cfg", mc, TOP_KEYS)
    vc, tc = mc.get("vision_cfg") or {}, mc.get("text_cfg") or {}
    _unknown("model_cfg.vision_cfg", vc, VISION_KEYS)
    _unknown("model_cfg.text_cfg", tc, TEXT_KEYS)
    if mc.get("init_logit_bias") is not None:
        raise ConfigError("model_cfg.init_logit_bias: a SigLIP logit bias is not built by this toolchain")
    if mc.get("quick_gelu"):
        notes.append("model_cfg.quick_gelu has no effect here: the CAE vision tower and the BERT text tower "
                     "use exact GELU whatever it says (as upstream)")
    fixture = config.get("fixture") or {}
    vision = {**CAE_BASE, **(fixture.get("vision") or {})}
    head = vision.get("head", VISION_HEAD)
    embed = _get("model_cfg", mc, "embed_dim", int)
    if embed != head:
        raise ConfigError(f"model_cfg.embed_dim = {embed}: the fork's PanDerm vision head has {head} outputs, "
                          "so the text projection must too")
    if not fixture.get("vision"):
        for key in ("width", "layers", "patch_size", "image_size"):
            if key in vc and vc[key] != CAE_BASE[key]:
                notes.append(f"model_cfg.vision_cfg.{key} = {vc[key]} is ignored: the fork builds PanDerm-base "
                             f"with {key} {CAE_BASE[key]}")
    if "pretrain_path" in vc:
        notes.append(f"model_cfg.vision_cfg.pretrain_path = {json.dumps(vc['pretrain_path'])} (fork-only): open_clip "
                     "of the fork torch.loads it before the checkpoint replaces every weight; not needed here")
    if not tc.get("hf_model_name"):
        raise ConfigError("model_cfg.text_cfg.hf_model_name is missing: DermLIP-PanDerm's text tower is a "
                          "Hugging Face BERT")
    for key, want in (("hf_pooler_type", "mean_pooler"), ("hf_proj_type", "mlp")):
        if tc.get(key, want) != want:
            raise ConfigError(f"model_cfg.text_cfg.{key} = {json.dumps(tc[key])}: only {json.dumps(want)} is built")
    if tc.get("tokenizer_kwargs") not in (None, {}):
        raise ConfigError("model_cfg.text_cfg.tokenizer_kwargs: tokenizer arguments are not supported "
                          "(open_clip's HFTokenizer defaults: clean 'whitespace', no sep stripping)")
    hf = fixture.get("hf_text_config") if hf_text_config is None else hf_text_config
    if hf is None:
        raise ConfigError(f"the config.json of {tc['hf_model_name']} (its BERT sizes) is needed")
    context = _get("model_cfg.text_cfg", tc, "context_length", int, 77)
    sizes = bert_sizes(hf)
    if context > sizes["max_positions"]:
        raise ConfigError(f"model_cfg.text_cfg.context_length = {context} exceeds the BERT's "
                          f"max_position_embeddings ({sizes['max_positions']})")
    width, heads = _get("fixture.vision", vision, "width", int), _get("fixture.vision", vision, "heads", int)
    if width % heads or width % 4:
        raise ConfigError(f"vision width {width} must be divisible by its heads ({heads}) and by 4 (sin-cos)")
    cfg = panderm.PanDermConfig(
        vision_width=width, vision_layers=_get("fixture.vision", vision, "layers", int), vision_heads=heads,
        patch_size=vision["patch_size"], image_size=vision["image_size"], context_length=context,
        embed_dim=embed, **sizes)
    pre = openclip_config._preprocess(config.get("preprocess_cfg") or {}, cfg.image_size, notes)
    return openclip_config.Spec(cfg, pre, tuple(notes))


def manifest_model(cfg: panderm.PanDermConfig):
    """The manifest's `model` record (docs/bundle-format.md)."""
    return {
        "family": "dermlip-panderm",
        "embedDim": cfg.embed_dim,
        "vision": {"kind": "cae-vit", "activation": "gelu", "width": cfg.vision_width, "layers": cfg.vision_layers,
                   "heads": cfg.vision_heads, "mlpWidth": cfg.vision_mlp_width, "patchSize": cfg.patch_size,
                   "imageSize": cfg.image_size, "posEmbed": "sincos-2d", "layerScale": True,
                   "pool": "mean-patch-tokens", "lnEps": cfg.vision_ln_eps},
        "text": {"kind": "bert", "activation": "gelu", "width": cfg.text_width, "layers": cfg.text_layers,
                 "heads": cfg.text_heads, "mlpWidth": cfg.text_intermediate, "contextLength": cfg.context_length,
                 "vocabSize": cfg.vocab_size, "maxPositions": cfg.max_positions, "padId": cfg.pad_id,
                 "pool": "mean-unmasked-tokens", "projection": [cfg.text_width, cfg.proj_hidden, cfg.embed_dim],
                 "lnEps": cfg.text_ln_eps},
    }


def load_fixture(size) -> openclip_config.Spec:
    """The parsed config of a PanDerm fixture (tools/model/configs/panderm-<size>.json)."""
    with open(fixture_path(size), encoding="utf-8") as f:
        return parse(json.load(f))


def fixture_path(size):
    return os.path.join(openclip_config.CONFIG_DIR, f"panderm-{size}.json")


def fixture_sizes():
    return sorted(f[len("panderm-"):-len(".json")] for f in os.listdir(openclip_config.CONFIG_DIR)
                  if f.startswith("panderm-") and f.endswith(".json"))
