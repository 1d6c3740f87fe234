"""The parity gate against open_clip's own code (the Derm1M fork of open_clip, or pip's open_clip).

Skipped unless `import open_clip` works. To run it without pip, put a checkout of the fork's
src/ (github SiyuanYan1/Derm1M) on PYTHONPATH, outside this repository; it also imports ftfy and
tqdm, which Debian's python3 may lack (tiny stand-ins on PYTHONPATH do for this test: the gate
prompts avoid text that ftfy would change):
  PYTHONPATH=/path/to/shims:/path/to/Derm1M/src /usr/bin/python3 -m pytest -q tools/model/tests/test_open_clip_parity.py -s
"""
import dataclasses
import json

import pytest
import torch

import export_hub
import model as model_mod
import openclip_config as oc
import parity_gate
import preprocessing

try:
    import open_clip
    import open_clip.factory  # noqa: F401  (export_hub.local_hub patches its hub download)
    REASON = None
except Exception as e:  # noqa: BLE001 (ImportError, or a missing dependency of open_clip)
    REASON = f"open_clip is not importable ({type(e).__name__}: {e}); put the Derm1M fork's src/ on PYTHONPATH"

pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def local_checkpoint(tmp_path, config):
    """A local 'hub' folder: open_clip_config.json + open_clip_pytorch_model.bin (random weights)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "open_clip_config.json").write_text(json.dumps(config))
    spec = oc.parse(config)
    torch.save(model_mod.build(spec.model, 0).state_dict(), tmp_path / "open_clip_pytorch_model.bin")
    return export_hub.local_files(str(tmp_path))


@pytest.mark.parametrize("name", ["tiny", "tiny-gelu", "full"])
def test_ours_matches_open_clip_on_the_fixture_configs(tmp_path, name, capsys):
    """Through export_hub's own path: config + checkpoint -> our module, open_clip's model, the gate.
    'full' is ViT-B/16 (QuickGELU) at real size, random weights (about half a minute here)."""
    with open(oc.fixture_path(name)) as f:
        config, weights = local_checkpoint(tmp_path, json.load(f))
    reference = export_hub.open_clip_reference(folder=str(tmp_path), weights=weights)
    lines = []
    spec, _, model = export_hub.checked_model(config, weights, reference, out=lambda *a: lines.append(" ".join(map(str, a))))
    with capsys.disabled():
        print(f"\n[{name}, {reference.name}]\n" + "\n".join(lines))
    assert model.cfg.quick_gelu == (name != "tiny-gelu")
    assert sum("min cosine 1.0000000000" in line or "min cosine 0.99999" in line for line in lines) == 2


def test_a_config_that_disagrees_with_open_clips_build_is_refused(tmp_path):
    """open_clip builds the checkpoint with QuickGELU (its config says so); a module built GELU
    from the same weights (as model.py did before the config decided) is refused by the gate."""
    with open(oc.fixture_path("tiny")) as f:
        quick = json.load(f)
    config, weights = local_checkpoint(tmp_path / "quick", quick)
    reference = export_hub.open_clip_reference(folder=str(tmp_path / "quick"), weights=weights)
    spec = oc.parse(quick)
    gelu = model_mod.DermLIP(dataclasses.replace(spec.model, quick_gelu=False))
    gelu.load_state_dict(torch.load(weights), strict=True)
    images, texts = parity_gate.inputs()
    ours = parity_gate.ours(gelu.eval(), spec.preprocess, export_hub.tokenizer_mod.SimpleTokenizer(), name="gelu")
    with pytest.raises(parity_gate.ParityError, match="does not reproduce open_clip"):
        parity_gate.check(ours, reference, images, texts, out=print)


@pytest.mark.parametrize("resize_mode", preprocessing.RESIZE_MODES)
@pytest.mark.parametrize("interpolation", preprocessing.INTERPOLATIONS)
def test_preprocessing_equals_open_clips_transform(resize_mode, interpolation):
    from open_clip.transform import PreprocessCfg, image_transform_v2
    spec = preprocessing.Preprocess(resize_mode=resize_mode, interpolation=interpolation, fill_color=77,
                                    mean=(0.5, 0.4, 0.3), std=(0.2, 0.3, 0.4))
    transform = image_transform_v2(PreprocessCfg(size=224, mean=spec.mean, std=spec.std, interpolation=interpolation,
                                                 resize_mode=resize_mode, fill_color=77), is_train=False)
    images, _ = parity_gate.inputs()
    for img in images:
        ours, theirs = preprocessing.tensor(img, spec), transform(img)
        assert ours.shape == theirs.shape == (3, 224, 224)
        assert torch.equal(ours, theirs), (img.size, img.mode, float((ours - theirs).abs().max()))
