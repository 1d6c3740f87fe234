"""The in-browser converter's inputs made by the toolchain: fixture checkpoints in both hub
formats, and the shipped graphs + layouts (public/convert/)."""
import gzip
import json
import os
import struct
import subprocess
import sys

import numpy as np
import onnx
import pytest
import torch
from onnx import numpy_helper

import checkpoint
import convert_assets
import export
import model as model_mod
import openclip_config

REPO = convert_assets.REPO


def _tiny(seed=0):
    return model_mod.build(openclip_config.load(openclip_config.fixture_path("tiny")).model, seed)


def test_checkpoints_are_torch_save_and_safetensors_of_the_state_dict(tmp_path):
    m = _tiny()
    with open(openclip_config.fixture_path("tiny"), "rb") as f:
        paths = checkpoint.write(m, str(tmp_path), f.read())
    sd = m.state_dict()
    loaded = torch.load(paths[checkpoint.TORCH_NAME])
    assert type(loaded) is type(sd) and list(loaded) == list(sd) and hasattr(loaded, "_metadata")
    assert all(torch.equal(loaded[k], sd[k]) for k in sd)
    raw = open(paths[checkpoint.SAFETENSORS_NAME], "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    assert n % 8 == 0
    header = json.loads(raw[8:8 + n])
    assert header.pop("__metadata__") == {"format": "pt"}
    data = raw[8 + n:]
    ends = sorted(tuple(e["data_offsets"]) for e in header.values())
    assert ends[0][0] == 0 and ends[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in zip(ends, ends[1:]))  # packed, no gap, no overlap
    for k, e in header.items():
        b, end = e["data_offsets"]
        got = np.frombuffer(data[b:end], "<f4").reshape(e["shape"])
        np.testing.assert_array_equal(got, sd[k].numpy())


def test_bf16_checkpoint_holds_bf16_tensors(tmp_path):
    sd = checkpoint.state_dict(_tiny(), torch.bfloat16)
    assert all(v.dtype == torch.bfloat16 for v in sd.values())
    raw = checkpoint.safetensors_bytes(sd)
    header = json.loads(raw[8:8 + struct.unpack("<Q", raw[:8])[0]])
    assert {e["dtype"] for e in header.values()} == {"BF16"}


def test_inline_raw_data_points_at_each_small_initializer():
    proto = export.export_text(_tiny())
    graph, _ = export.split_external(proto, "text.fp32.onnx.data")
    where = convert_assets.inline_raw_data(graph)
    back = onnx.ModelProto.FromString(graph)
    inline = [t for t in back.graph.initializer if t.raw_data]
    assert inline and set(where) == {t.name for t in inline}
    for t in inline:
        off, n = where[t.name]
        assert graph[off:off + n] == t.raw_data


def test_layout_replays_the_bundle_and_ships_no_weight():
    layout, skeletons, originals = convert_assets.build(_tiny())  # build() replays and compares itself
    other, other_sk, _ = convert_assets.build(_tiny(seed=5))
    assert other == layout and other_sk == skeletons  # nothing of the weights is in graphs or layout
    for f in layout["files"]:
        if f["kind"] == "graph":
            for w in f["writes"]:
                assert skeletons[f["name"]][w["offset"]:w["offset"] + w["length"]] == bytes(w["length"])
    recipes = {w["recipe"] for f in layout["files"] for w in f["writes"]}
    assert recipes == {"f32", "f16", "int8col.q", "int8col.scale", "int8row.q", "int8row.scale",
                       "q4.packed", "q4.scales", "q4.zp"}


def test_a_float_initializer_of_unknown_origin_is_refused():
    m = _tiny()
    proto = export.export_image(m)
    sd = {k: v.detach().numpy() for k, v in m.state_dict().items()}
    sources = convert_assets.fp32_sources(proto, sd)
    t = proto.graph.initializer[0]
    t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(t) + 1, t.name))
    graph, data = export.split_external(proto, "image.fp32.onnx.data")
    with pytest.raises(ValueError, match="no recipe"):
        convert_assets.writes_for(graph, data, sources, sd)


@pytest.mark.parametrize("arch", ["demo-tiny", "demo-tiny-gelu", "demo-panderm-tiny"])
def test_committed_fixture_assets_are_up_to_date(arch):
    layout, skeletons, _ = convert_assets.build(convert_assets.arch_model(arch), convert_assets.arch_example_ids(arch))
    folder = os.path.join(convert_assets.OUT_ROOT, arch)
    assert gzip.open(os.path.join(folder, "layout.json.gz")).read() == convert_assets.layout_bytes(layout)
    for name, data in skeletons.items():
        assert gzip.open(os.path.join(folder, name + ".gz")).read() == data, name


def test_shipped_tokenizer_is_the_bundles():
    with open(os.path.join(REPO, "public", "models", "demo-tiny", "tokenizer.json"), "rb") as f:
        assert gzip.open(os.path.join(convert_assets.OUT_ROOT, "tokenizer.json.gz")).read() == f.read()


def test_panderm_fixture_checkpoint_is_the_fixture_in_both_formats_with_the_text_files(tmp_path):
    subprocess.run([sys.executable, os.path.join(REPO, "tools", "model", "checkpoint.py"), "--arch", "panderm",
                    "--size", "tiny", "--out", str(tmp_path)], check=True, capture_output=True)
    model, config_bytes, config = checkpoint.panderm_fixture("tiny", 0)
    sd = model.state_dict()
    loaded = torch.load(tmp_path / checkpoint.TORCH_NAME)
    assert list(loaded) == list(sd) and all(torch.equal(loaded[k], sd[k]) for k in sd)
    assert (tmp_path / checkpoint.SAFETENSORS_NAME).read_bytes() == checkpoint.safetensors_bytes(sd, {"format": "pt"})
    assert (tmp_path / checkpoint.CONFIG_NAME).read_bytes() == config_bytes
    assert json.loads((tmp_path / "text" / "config.json").read_text()) == config["fixture"]["hf_text_config"]
    bundle_dir = os.path.join(REPO, "public", "models", "demo-panderm-tiny")
    with open(os.path.join(bundle_dir, "tokenizer.json"), "rb") as f:
        assert (tmp_path / "text" / "tokenizer.json").read_bytes() == f.read()
    # What export_panderm.py --local reads from the folder is the committed bundle's model.
    import export_panderm
    tok = export_panderm.load_tokenizer(str(tmp_path / "text" / "tokenizer.json"))
    _, _, ours = export_panderm.checked_model(str(tmp_path / checkpoint.CONFIG_NAME), str(tmp_path / checkpoint.TORCH_NAME),
                                              str(tmp_path / "text" / "config.json"), tok, None, gate=False,
                                              out=lambda *a: None)
    assert all(torch.equal(ours.state_dict()[k], sd[k]) for k in sd)


def test_panderm_layout_writes_the_folded_initializers_from_their_parts():
    ids = convert_assets.arch_example_ids("demo-panderm-tiny")
    layout, skeletons, originals = convert_assets.build(convert_assets.arch_model("demo-panderm-tiny"), ids)
    other, other_sk, _ = convert_assets.build(convert_assets.arch_model("demo-panderm-tiny", seed=5), ids)
    assert other == layout and other_sk == skeletons
    layers = json.load(open(os.path.join(REPO, "tools", "model", "configs", "panderm-tiny.json")))["fixture"]["vision"]["layers"]
    assert sorted(layout["derived"]) == sorted(
        [f"visual.blocks.{i}.attn.qkv_bias" for i in range(layers)] + ["text.transformer.embeddings.token_type_embeddings.weight[0]"])
    used = {w["key"] for f in layout["files"] for w in f["writes"]}
    assert set(layout["derived"]) <= used
    bundle_dir = os.path.join(REPO, "public", "models", "demo-panderm-tiny")
    for name, data in originals.items():
        with open(os.path.join(bundle_dir, name), "rb") as f:
            assert f.read() == data, name
