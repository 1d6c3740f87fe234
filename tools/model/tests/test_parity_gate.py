"""The export parity gate without open_clip: our module against copies of itself."""
import copy
import dataclasses
import os

import pytest
import torch

import export_hub
import model as model_mod
import openclip_config as oc
import parity_gate
import tokenizer as tokenizer_mod

TOK = tokenizer_mod.SimpleTokenizer()


@pytest.fixture(scope="module")
def setup():
    spec = oc.load(oc.fixture_path("tiny"))
    images, texts = parity_gate.inputs()
    return spec, model_mod.build(spec.model, 0), images[:5], texts[:12]


def pipe(model, spec, name):
    return parity_gate.ours(model, spec.preprocess, TOK, name=name)


def test_an_exact_copy_passes(setup):
    spec, model, images, texts = setup
    lines = []
    got = parity_gate.check(pipe(model, spec, "ours"), pipe(copy.deepcopy(model), spec, "copy"), images, texts,
                            out=lines.append)
    assert min(got["image"]) > 0.9999999 and min(got["text"]) > 0.9999999
    assert len(got["image"]) == len(images) and len(got["text"]) == len(texts)
    assert any(line.startswith("parity image: ours vs copy") for line in lines)


def test_a_perturbed_copy_is_refused(setup):
    spec, model, images, texts = setup
    bad = copy.deepcopy(model)
    with torch.no_grad():
        w = bad.visual.transformer.resblocks[1].mlp.c_fc.weight
        w.add_(0.01 * torch.randn(w.shape, generator=torch.Generator().manual_seed(3)))
    lines = []
    with pytest.raises(parity_gate.ParityError, match=r"does not reproduce ref.*image image"):
        parity_gate.check(pipe(bad, spec, "ours"), pipe(model, spec, "ref"), images, texts, out=lines.append)
    assert any("min cosine" in line for line in lines)  # both towers' figures printed before refusing


def test_the_wrong_activation_is_refused(setup):
    """The same weights under GELU instead of the config's QuickGELU: a strict load passes, the gate does not."""
    spec, model, images, texts = setup
    gelu = model_mod.DermLIP(dataclasses.replace(spec.model, quick_gelu=False))
    gelu.load_state_dict(model.state_dict(), strict=True)
    with pytest.raises(parity_gate.ParityError, match="cosine"):
        parity_gate.check(pipe(gelu.eval(), spec, "gelu"), pipe(model, spec, "quickgelu"), images, texts, out=lambda *a: None)


def test_wrong_preprocessing_is_refused(setup):
    spec, model, images, texts = setup
    other = dataclasses.replace(spec, preprocess=dataclasses.replace(spec.preprocess, interpolation="bilinear"))
    with pytest.raises(parity_gate.ParityError, match="image"):
        parity_gate.check(pipe(model, other, "bilinear"), pipe(model, spec, "bicubic"), images, texts[:1],
                          out=lambda *a: None)


def _checkpoint(tmp_path, name="tiny"):
    spec = oc.load(oc.fixture_path(name))
    (tmp_path / "open_clip_config.json").write_bytes(open(oc.fixture_path(name), "rb").read())
    torch.save({"state_dict": {"module." + k: v for k, v in model_mod.build(spec.model, 0).state_dict().items()}},
               tmp_path / "open_clip_pytorch_model.bin")
    return export_hub.local_files(str(tmp_path))


def test_export_without_open_clip_stops_unless_told(tmp_path):
    config, weights = _checkpoint(tmp_path)
    with pytest.raises(parity_gate.ParityError, match="open_clip is not importable.*--no-parity-gate"):
        export_hub.checked_model(config, weights, reference=None, out=lambda *a: None)
    lines = []
    spec, raw, model = export_hub.checked_model(config, weights, reference=None, gate=False, out=lambda *a: lines.append(a))
    assert raw == open(config, "rb").read() and model.cfg == spec.model and model.cfg.quick_gelu
    assert any("parity gate skipped" in " ".join(map(str, line)) for line in lines)


def test_export_refuses_a_checkpoint_that_does_not_fit_its_config(tmp_path):
    config, weights = _checkpoint(tmp_path)
    with open(oc.fixture_path("full"), "rb") as f:
        (tmp_path / "open_clip_config.json").write_bytes(f.read())  # full-size config, tiny weights
    with pytest.raises(export_hub.ExportError, match=r"does not fit the model its config describes: missing \['transformer\.resblocks\.10"):
        export_hub.checked_model(config, weights, reference=None, gate=False, out=lambda *a: None)
    os.remove(weights)
    with pytest.raises(export_hub.ExportError, match="has none of"):
        export_hub.local_files(str(tmp_path))
