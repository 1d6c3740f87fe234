import copy
import json
import os

import numpy as np
import onnx
import pytest
import torch

import export
import model as model_mod
import openclip_config as oc
import preprocessing

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def fixture(name):
    with open(oc.fixture_path(name)) as f:
        return json.load(f)


def refused(config, match):
    with pytest.raises(oc.ConfigError, match=match):
        oc.parse(config)


def test_fixture_configs_build_what_they_say():
    tiny = oc.parse(fixture("tiny"))
    assert tiny.model == model_mod.Config(vision_width=64, vision_layers=2, vision_heads=2, text_width=32,
                                          text_layers=2, text_heads=2, quick_gelu=True)
    assert tiny.preprocess == preprocessing.Preprocess()  # OpenAI mean/std, bicubic, shortest, 224
    gelu = oc.parse(fixture("tiny-gelu"))
    assert gelu.model == tiny.model.__class__(**{**tiny.model.__dict__, "quick_gelu": False})
    assert gelu.preprocess == preprocessing.Preprocess(resize_mode="longest", interpolation="bilinear",
                                                       mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225),
                                                       fill_color=114)
    full = oc.parse(fixture("full"))
    assert full.model == model_mod.Config(quick_gelu=True)


def test_full_fixture_is_open_clips_vit_b_16_with_quick_gelu():
    """demo-full's model_cfg = the Derm1M fork's ViT-B-16.json + quick_gelu (its ViT-B-16-quickgelu)."""
    with open(os.path.join(REPO, "data", "derm1m", "model_configs", "ViT-B-16.json")) as f:
        vit_b_16 = json.load(f)
    assert fixture("full")["model_cfg"] == {**vit_b_16, "quick_gelu": True}
    assert oc.parse({"model_cfg": vit_b_16}).model == model_mod.Config()  # open_clip's defaults: GELU


def test_defaults_and_open_clip_value_rules():
    spec = oc.parse({"model_cfg": {"embed_dim": 256, "vision_cfg": {}, "text_cfg": {}},
                     "preprocess_cfg": {"mean": 0.5, "std": [0.5, 0.25, 0.125], "interpolation": "random",
                                        "resize_mode": None, "size": 336, "mode": "RGB"}})
    assert spec.model == model_mod.Config(embed_dim=256)
    assert spec.preprocess.mean == (0.5, 0.5, 0.5) and spec.preprocess.std == (0.5, 0.25, 0.125)
    assert spec.preprocess.interpolation == "bicubic"      # 'random' is bicubic at inference
    assert spec.preprocess.resize_mode == "shortest"       # None values are dropped by open_clip
    assert spec.preprocess.size == 224 and "ignored" in spec.notes[0]  # the tower's image_size wins
    mlp = oc.parse({"model_cfg": {"embed_dim": 8, "vision_cfg": {"width": 96, "head_width": 48, "mlp_ratio": 2.5,
                                                                  "image_size": [64, 64]},
                                  "text_cfg": {"mlp_ratio": 3}}}).model
    assert (mlp.vision_heads, mlp.vision_mlp_width, mlp.text_mlp_width, mlp.image_size) == (2, 240, 1536, 64)
    # training-only keys are accepted
    oc.parse({"model_cfg": {"embed_dim": 8, "vision_cfg": {"patch_dropout": 0.5}, "text_cfg": {}}})


@pytest.mark.parametrize("section,key,value,match", [
    ("vision_cfg", "timm_model_name", "vit_base_patch16_224", r"vision_cfg\.timm_model_name.*timm vision tower"),
    ("vision_cfg", "layers", [3, 4, 6, 3], r"vision_cfg\.layers.*ResNet"),
    ("vision_cfg", "ls_init_value", 1e-5, r"vision_cfg\.ls_init_value.*layer scale"),
    ("vision_cfg", "pool_type", "avg", r"vision_cfg\.pool_type"),
    ("vision_cfg", "image_size", [224, 256], r"vision_cfg\.image_size.*square"),
    ("vision_cfg", "head_width", 40, r"vision_cfg\.head_width"),
    ("vision_cfg", "norm_kwargs", {"eps": 1e-6}, r"vision_cfg\.norm_kwargs"),
    ("vision_cfg", "pretrain_path", "data/pretrain_weight/panderm-base-vit.pth", r"vision_cfg\.pretrain_path.*PanDerm"),
    ("text_cfg", "hf_model_name", "neuml/pubmedbert-base-embeddings", r"text_cfg\.hf_model_name"),
    ("text_cfg", "vocab_size", 32000, r"text_cfg\.vocab_size"),
    ("text_cfg", "pool_type", "last", r"text_cfg\.pool_type"),
    ("text_cfg", "embed_cls", True, r"text_cfg\.embed_cls"),
    ("text_cfg", "heads", 7, r"text_cfg\.heads"),
    ("text_cfg", "rope", True, r"text_cfg\.rope: unknown key"),
    (None, "init_logit_bias", -10, r"model_cfg\.init_logit_bias.*SigLIP"),
    (None, "custom_text", True, r"model_cfg\.custom_text"),
    (None, "quick_gelu", "yes", r"model_cfg\.quick_gelu"),
])
def test_refuses_what_it_cannot_build_naming_the_key(section, key, value, match):
    cfg = fixture("full")
    (cfg["model_cfg"][section] if section else cfg["model_cfg"])[key] = value
    refused(cfg, match)


@pytest.mark.parametrize("key,value,match", [
    ("resize_mode", "crop", r"preprocess_cfg\.resize_mode"),
    ("interpolation", "nearest", r"preprocess_cfg\.interpolation"),
    ("mean", [0.5, 0.5], r"preprocess_cfg\.mean"),
    ("std", [0.5, 0.0, 0.5], r"preprocess_cfg\.std"),
    ("fill_color", 300, r"preprocess_cfg\.fill_color"),
    ("mode", "L", r"preprocess_cfg\.mode"),
    ("crop_pct", 0.9, r"preprocess_cfg\.crop_pct: unknown key"),
])
def test_refuses_preprocessing_it_cannot_reproduce(key, value, match):
    cfg = fixture("tiny")
    cfg["preprocess_cfg"][key] = value
    refused(cfg, match)


def test_refuses_the_panderm_config_and_non_configs():
    with open(os.path.join(REPO, "data", "derm1m", "model_configs", "PanDerm-base-w-PubMed-256.json")) as f:
        refused({"model_cfg": json.load(f)}, r"pretrain_path")
    refused({"embed_dim": 512}, "model_cfg")
    refused({"model_cfg": {"embed_dim": 512, "vision_cfg": {}}}, r"model_cfg\.text_cfg is missing")
    refused({"model_cfg": {}, "extra": 1}, "extra")


def _ops(proto):
    return {n.op_type for n in proto.graph.node}


def test_quick_gelu_in_the_config_changes_the_built_graph_and_outputs():
    a, b = fixture("tiny"), copy.deepcopy(fixture("tiny"))
    b["model_cfg"]["quick_gelu"] = False
    quick, exact = (model_mod.build(oc.parse(c).model, 0) for c in (a, b))
    assert quick.state_dict().keys() == exact.state_dict().keys()
    assert all(torch.equal(quick.state_dict()[k], exact.state_dict()[k]) for k in quick.state_dict())  # same weights
    for export_fn in (export.export_image, export.export_text):
        ops_quick, ops_exact = _ops(export_fn(quick)), _ops(export_fn(exact))
        assert "Sigmoid" in ops_quick and "Erf" not in ops_quick
        assert "Erf" in ops_exact and "Sigmoid" not in ops_exact
    x = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    ids = torch.tensor([[49406, 320, 1125, 539, 2103, 49407] + [0] * 71])
    with torch.no_grad():
        for ya, yb in ((quick.encode_image(x), exact.encode_image(x)), (quick.encode_text(ids), exact.encode_text(ids))):
            cos = torch.nn.functional.cosine_similarity(ya, yb, dim=-1)
            assert cos.max() < 0.99999, cos  # different enough for the parity gate to see
            assert not torch.allclose(ya, yb, atol=1e-4)


@pytest.mark.parametrize("name,activation,op", [("demo-tiny", "quick_gelu", "Sigmoid"), ("demo-tiny-gelu", "gelu", "Erf")])
def test_committed_bundles_record_and_contain_their_activation(name, activation, op):
    folder = os.path.join(REPO, "public", "models", name)
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    spec = oc.load(os.path.join(folder, manifest["source"]["config"]))
    assert manifest["model"] == oc.manifest_model(spec.model)
    assert manifest["model"]["vision"]["activation"] == manifest["model"]["text"]["activation"] == activation
    assert {k: manifest["image"][k] for k in spec.preprocess.manifest()} == spec.preprocess.manifest()
    for tower in ("image", "text"):
        proto = onnx.load(os.path.join(folder, f"{tower}.fp32.onnx"), load_external_data=False)
        assert op in _ops(proto)
    assert np.isclose(manifest["modelLogitScale"], 1 / 0.07, atol=1e-3)
