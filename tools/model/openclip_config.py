"""An open_clip `open_clip_config.json` -> exactly what this toolchain builds.

The file (as on the Hugging Face hub) is {"model_cfg": {...}, "preprocess_cfg": {...}}. model_cfg
holds open_clip CLIP's arguments (embed_dim, vision_cfg, text_cfg, quick_gelu, ...); preprocess_cfg
open_clip's PreprocessCfg fields (mean, std, interpolation, resize_mode, fill_color, ...).

`parse(config)` returns a Spec (model.Config + preprocessing.Preprocess). Every key is either used,
known to have no effect on the eval-mode model, or required to hold the value this toolchain builds;
anything else is refused with a ConfigError naming the key (a timm or ResNet vision tower, a Hugging
Face text tower, layer scale, attentional pooling, ...). Defaults are open_clip's (CLIPVisionCfg,
CLIPTextCfg, PreprocessCfg in the Derm1M fork of open_clip, src/open_clip/model.py, transform.py).
"""
import json
import os
from dataclasses import dataclass, field

import model as model_mod
import preprocessing

CLIP_VOCAB = 49408  # the CLIP BPE tokenizer's ids are 0..49407; the end token must be the largest

# Keys whose value this toolchain builds as given.
VISION_USED = {"layers", "width", "head_width", "mlp_ratio", "patch_size", "image_size"}
TEXT_USED = {"context_length", "vocab_size", "width", "heads", "layers", "mlp_ratio"}
# Keys without effect on the eval-mode model built here (training-only, or only read by a feature
# that another key must leave off).
VISION_IGNORED = {"patch_dropout", "attn_pooler_queries", "attn_pooler_heads", "timm_model_pretrained",
                  "timm_pool", "timm_proj", "timm_proj_bias", "timm_drop", "timm_drop_path"}
TEXT_IGNORED = {"hf_model_pretrained", "hf_proj_type", "hf_pooler_type"}
# Keys that must keep open_clip's default (the only value built here), with why when they do not.
VISION_FIXED = {
    "ls_init_value": (None, "layer scale"),
    "attentional_pool": (False, "attentional pooling"),
    "no_ln_pre": (False, "a vision tower without ln_pre"),
    "pos_embed_type": ("learnable", "a fixed position embedding"),
    "final_ln_after_pool": (False, "ln_post after pooling"),
    "pool_type": ("tok", "another pooling than the class token"),
    "output_tokens": (False, "token outputs"),
    "act_kwargs": (None, "activation arguments"),
    "norm_kwargs": (None, "LayerNorm arguments"),
    "timm_model_name": (None, "a timm vision tower"),
    "pretrain_path": (None, "the Derm1M fork's PanDerm vision tower (a CAE ViT, not open_clip's: use export_panderm.py)"),
}
TEXT_FIXED = {
    "hf_model_name": (None, "a Hugging Face text tower"),
    "hf_tokenizer_name": (None, "a Hugging Face tokenizer (this toolchain ships the CLIP BPE)"),
    "tokenizer_kwargs": (None, "tokenizer arguments"),
    "ls_init_value": (None, "layer scale"),
    "embed_cls": (False, "an appended CLS embedding"),
    "pad_id": (0, "a pad id other than 0"),
    "no_causal_mask": (False, "a text tower without the causal mask"),
    "final_ln_after_pool": (False, "ln_final after pooling"),
    "pool_type": ("argmax", "another pooling than the end token (argmax of the ids)"),
    "proj_bias": (False, "a text projection with bias"),
    "proj_type": ("linear", "another text projection"),
    "output_tokens": (False, "token outputs"),
    "act_kwargs": (None, "activation arguments"),
    "norm_kwargs": (None, "LayerNorm arguments"),
}
TOP_USED = {"embed_dim", "vision_cfg", "text_cfg", "quick_gelu"}
TOP_IGNORED = {"init_logit_scale", "output_dict", "cast_dtype"}  # the checkpoint sets logit_scale
TOP_FIXED = {
    "init_logit_bias": (None, "a SigLIP logit bias"),
    "custom_text": (False, "open_clip's CustomTextCLIP"),
    "multimodal_cfg": (None, "a CoCa model"),
}
VISION_DEFAULTS = {"layers": 12, "width": 768, "head_width": 64, "mlp_ratio": 4.0, "patch_size": 16, "image_size": 224}
TEXT_DEFAULTS = {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8, "layers": 12, "mlp_ratio": 4.0}
PREPROCESS_KEYS = {"size", "mode", "mean", "std", "interpolation", "resize_mode", "fill_color"}


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Spec:
    model: model_mod.Config
    preprocess: preprocessing.Preprocess
    notes: tuple = field(default=())


def _check_keys(section, cfg, used, ignored, fixed):
    if not isinstance(cfg, dict):
        raise ConfigError(f"{section} must be an object, not {type(cfg).__name__}")
    for key, value in cfg.items():
        where = f"{section}.{key}"
        if key in used or key in ignored:
            continue
        if key not in fixed:
            raise ConfigError(f"{where}: unknown key (this toolchain builds open_clip's CLIP ViT with "
                              f"the CLIP text transformer and cannot tell what {key!r} would change)")
        want, what = fixed[key]
        if value != want and not (want is None and value == {}):
            raise ConfigError(f"{where} = {json.dumps(value)}: {what} is not built by this toolchain "
                              f"(only {json.dumps(want)})")


def _int(where, v, minimum=1):
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        raise ConfigError(f"{where} must be an integer >= {minimum}, not {json.dumps(v)}")
    return v


def _ratio(where, v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
        raise ConfigError(f"{where} must be a positive number, not {json.dumps(v)}")
    return float(v)


def _image_size(v):
    if isinstance(v, (list, tuple)):
        if len(v) != 2 or v[0] != v[1]:
            raise ConfigError(f"model_cfg.vision_cfg.image_size = {json.dumps(v)}: only square images are "
                              "built (the app's preprocessing makes a square)")
        v = v[0]
    return _int("model_cfg.vision_cfg.image_size", v)


def _rgb(where, v, default):
    if v is None:
        return default
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        v = [v] * 3  # open_clip: a scalar stands for all three channels
    if not (isinstance(v, (list, tuple)) and len(v) == 3 and all(isinstance(x, (int, float)) for x in v)):
        raise ConfigError(f"{where} must be 3 numbers, not {json.dumps(v)}")
    return tuple(float(x) for x in v)


def _model(mc):
    _check_keys("model_cfg", mc, TOP_USED, TOP_IGNORED, TOP_FIXED)
    for key in ("embed_dim", "vision_cfg", "text_cfg"):
        if key not in mc:
            raise ConfigError(f"model_cfg.{key} is missing")
    vc, tc = mc["vision_cfg"], mc["text_cfg"]
    _check_keys("model_cfg.vision_cfg", vc, VISION_USED, VISION_IGNORED, VISION_FIXED)
    _check_keys("model_cfg.text_cfg", tc, TEXT_USED, TEXT_IGNORED, TEXT_FIXED)
    v = {**VISION_DEFAULTS, **vc}
    t = {**TEXT_DEFAULTS, **tc}
    if isinstance(v["layers"], (list, tuple)):
        raise ConfigError(f"model_cfg.vision_cfg.layers = {json.dumps(v['layers'])}: a ResNet vision tower "
                          "(open_clip's ModifiedResNet) is not built by this toolchain")
    quick = mc.get("quick_gelu", False)
    if not isinstance(quick, bool):
        raise ConfigError(f"model_cfg.quick_gelu must be true or false, not {json.dumps(quick)}")
    width = _int("model_cfg.vision_cfg.width", v["width"])
    head_width = _int("model_cfg.vision_cfg.head_width", v["head_width"])
    heads = width // head_width  # open_clip: vision_heads = width // head_width
    if heads < 1 or width % heads:
        raise ConfigError(f"model_cfg.vision_cfg.head_width = {head_width}: width {width} // head_width gives "
                          f"{heads} heads, which do not divide the width")
    t_width = _int("model_cfg.text_cfg.width", t["width"])
    t_heads = _int("model_cfg.text_cfg.heads", t["heads"])
    if t_width % t_heads:
        raise ConfigError(f"model_cfg.text_cfg.heads = {t_heads} does not divide text width {t_width}")
    vocab = _int("model_cfg.text_cfg.vocab_size", t["vocab_size"])
    if vocab < CLIP_VOCAB:
        raise ConfigError(f"model_cfg.text_cfg.vocab_size = {vocab}: the CLIP BPE tokenizer needs {CLIP_VOCAB}")
    image_size = _image_size(v["image_size"])
    patch = _int("model_cfg.vision_cfg.patch_size", v["patch_size"])
    if patch > image_size:
        raise ConfigError(f"model_cfg.vision_cfg.patch_size = {patch} is larger than the image ({image_size})")
    return model_mod.Config(
        vision_width=width, vision_layers=_int("model_cfg.vision_cfg.layers", v["layers"]), vision_heads=heads,
        vision_mlp_ratio=_ratio("model_cfg.vision_cfg.mlp_ratio", v["mlp_ratio"]),
        patch_size=patch, image_size=image_size,
        text_width=t_width, text_layers=_int("model_cfg.text_cfg.layers", t["layers"]), text_heads=t_heads,
        text_mlp_ratio=_ratio("model_cfg.text_cfg.mlp_ratio", t["mlp_ratio"]),
        vocab_size=vocab, context_length=_int("model_cfg.text_cfg.context_length", t["context_length"], 3),
        embed_dim=_int("model_cfg.embed_dim", mc["embed_dim"]), quick_gelu=quick)


def _preprocess(pc, image_size, notes):
    if not isinstance(pc, dict):
        raise ConfigError(f"preprocess_cfg must be an object, not {type(pc).__name__}")
    pc = {k: v for k, v in pc.items() if v is not None}  # open_clip's merge drops None values
    for key in pc:
        if key not in PREPROCESS_KEYS:
            raise ConfigError(f"preprocess_cfg.{key}: unknown key (open_clip's PreprocessCfg has "
                              f"{', '.join(sorted(PREPROCESS_KEYS))})")
    if pc.get("mode", "RGB") != "RGB":
        raise ConfigError(f"preprocess_cfg.mode = {json.dumps(pc['mode'])}: open_clip accepts only \"RGB\"")
    if "size" in pc and pc["size"] not in (image_size, [image_size, image_size]):
        notes.append(f"preprocess_cfg.size {json.dumps(pc['size'])} is ignored: open_clip uses the vision "
                     f"tower's image_size ({image_size})")
    interp = pc.get("interpolation", "bicubic")
    if interp == "random":
        interp = "bicubic"  # open_clip: 'random' is bicubic at inference
    if interp not in preprocessing.INTERPOLATIONS:
        raise ConfigError(f"preprocess_cfg.interpolation = {json.dumps(interp)}: open_clip accepts bicubic, "
                          "bilinear or random")
    resize = pc.get("resize_mode", "shortest")
    if resize not in preprocessing.RESIZE_MODES:
        raise ConfigError(f"preprocess_cfg.resize_mode = {json.dumps(resize)}: open_clip accepts "
                          f"{', '.join(preprocessing.RESIZE_MODES)}")
    fill = pc.get("fill_color", 0)
    if isinstance(fill, bool) or not isinstance(fill, int) or not 0 <= fill <= 255:
        raise ConfigError(f"preprocess_cfg.fill_color must be an integer 0..255, not {json.dumps(fill)}")
    std = _rgb("preprocess_cfg.std", pc.get("std"), preprocessing.OPENAI_STD)
    if any(s <= 0 for s in std):
        raise ConfigError(f"preprocess_cfg.std must be positive, not {json.dumps(list(std))}")
    return preprocessing.Preprocess(
        size=image_size, resize_mode=resize, interpolation=interp, fill_color=fill, std=std,
        mean=_rgb("preprocess_cfg.mean", pc.get("mean"), preprocessing.OPENAI_MEAN))


def parse(config) -> Spec:
    """config: the parsed open_clip_config.json ({"model_cfg", "preprocess_cfg"})."""
    if not isinstance(config, dict) or "model_cfg" not in config:
        raise ConfigError("open_clip_config.json must be an object with model_cfg (and preprocess_cfg)")
    extra = set(config) - {"model_cfg", "preprocess_cfg"}
    if extra:
        raise ConfigError(f"{sorted(extra)[0]}: unknown top-level key (expected model_cfg, preprocess_cfg)")
    notes = []
    cfg = _model(config["model_cfg"])
    return Spec(cfg, _preprocess(config.get("preprocess_cfg") or {}, cfg.image_size, notes), tuple(notes))


def load(path) -> Spec:
    with open(path, "rb") as f:
        return parse(json.loads(f.read().decode("utf-8")))


def manifest_model(cfg: model_mod.Config):
    """The manifest's `model` record (docs/bundle-format.md)."""
    act = "quick_gelu" if cfg.quick_gelu else "gelu"
    return {
        "family": "open_clip-vit",
        "embedDim": cfg.embed_dim,
        "vision": {"activation": act, "width": cfg.vision_width, "layers": cfg.vision_layers,
                   "heads": cfg.vision_heads, "mlpWidth": cfg.vision_mlp_width,
                   "patchSize": cfg.patch_size, "imageSize": cfg.image_size},
        "text": {"activation": act, "width": cfg.text_width, "layers": cfg.text_layers,
                 "heads": cfg.text_heads, "mlpWidth": cfg.text_mlp_width,
                 "contextLength": cfg.context_length, "vocabSize": cfg.vocab_size},
    }


CONFIG_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs")


def fixture_names():
    """Fixture configs shipped in tools/model/configs/demo-<name>.json -> [name, ...]."""
    return sorted(f[len("demo-"):-len(".json")] for f in os.listdir(CONFIG_DIR)
                  if f.startswith("demo-") and f.endswith(".json"))


def fixture_path(name):
    return os.path.join(CONFIG_DIR, f"demo-{name}.json")
