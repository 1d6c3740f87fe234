"""export_panderm.py on a local checkpoint folder laid out as the hub's (random tiny weights).

open_clip of the Derm1M fork needs transformers (not in Debian), so the gate runs here against
stand-in reference pipelines: a copy of the same weights passes, a perturbed copy is refused.
"""
import copy
import json
import os
import subprocess
import sys

import pytest
import torch

import export_panderm as ep
import panderm
import panderm_bundle
import panderm_config as pc
import parity_gate

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def checkpoint(tmp_path, drop=None):
    """open_clip_config.json (the fork's shape; the fixture's smaller vision sizes), weights with
    the position_ids buffer older transformers saved, and text/ with config.json + vocab.txt."""
    config = json.load(open(pc.fixture_path("tiny")))
    hf = config["fixture"].pop("hf_text_config")
    (tmp_path / "open_clip_config.json").write_text(json.dumps(config))
    spec = pc.parse(config, hf)
    model = panderm.build(spec.model, 5)
    state = model.state_dict()
    state["text.transformer.embeddings.position_ids"] = torch.arange(spec.model.max_positions)[None]
    if drop:
        del state[drop]
    torch.save(state, tmp_path / "open_clip_pytorch_model.bin")
    text = tmp_path / "text"
    text.mkdir()
    (text / "config.json").write_text(json.dumps(hf))
    tok = panderm_bundle.fixture_tokenizer()
    (text / "vocab.txt").write_text("".join(t + "\n" for t, _ in sorted(tok.vocab.items(), key=lambda x: x[1])),
                                    encoding="utf-8")
    (text / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": True}))
    return model, tok


def inputs(tmp_path):
    config, weights = ep.export_hub.local_files(str(tmp_path))
    cfg_path, tok_path, tok_cfg = ep.text_files_local(str(tmp_path / "text"))
    return config, weights, cfg_path, ep.load_tokenizer(tok_path, tok_cfg)


def pipeline(model, spec, tok, name):
    p = parity_gate.ours(model, spec.preprocess, tok, name=name)
    p.tokenize = lambda texts: [tok.tokenize(t, spec.model.context_length) for t in texts]
    return p


def test_local_checkpoint_loads_strictly_with_the_vocab_txt_tokenizer(tmp_path):
    saved, fixture_tok = checkpoint(tmp_path)
    config, weights, cfg_path, tok = inputs(tmp_path)
    for p in panderm_bundle.REF_PROMPTS:
        assert tok.tokenize(p, 256) == fixture_tok.tokenize(p, 256), p
    lines = []
    spec, _, model = ep.checked_model(config, weights, cfg_path, tok, None, gate=False, out=lambda *a: lines.append(a))
    for k, v in saved.state_dict().items():
        assert torch.equal(model.state_dict()[k], v), k
    assert any("pretrain_path" in " ".join(map(str, line)) for line in lines)
    with pytest.raises(parity_gate.ParityError, match="not importable"):
        ep.checked_model(config, weights, cfg_path, tok, None, gate=True, out=lambda *a: None)


def test_a_checkpoint_that_does_not_fit_is_refused(tmp_path):
    checkpoint(tmp_path, drop="visual.blocks.1.gamma_2")
    config, weights, cfg_path, tok = inputs(tmp_path)
    with pytest.raises(ep.ExportError, match=r"missing \['visual.blocks.1.gamma_2'\]"):
        ep.checked_model(config, weights, cfg_path, tok, None, gate=False, out=lambda *a: None)


def test_the_parity_gate_passes_the_same_model_and_refuses_a_perturbed_one(tmp_path):
    saved, _ = checkpoint(tmp_path)
    config, weights, cfg_path, tok = inputs(tmp_path)
    spec = pc.parse(json.load(open(config)), json.load(open(cfg_path)))
    ep.checked_model(config, weights, cfg_path, tok, pipeline(saved, spec, tok, "same"), out=lambda *a: None)
    wrong = copy.deepcopy(saved)
    with torch.no_grad():
        wrong.text.transformer.encoder.layer[0].attention.output.LayerNorm.weight.mul_(1.05)
    with pytest.raises(parity_gate.ParityError, match="does not reproduce perturbed"):
        ep.checked_model(config, weights, cfg_path, tok, pipeline(wrong, spec, tok, "perturbed"), out=lambda *a: None)
    other = pipeline(saved, spec, tok, "other-tokenizer")
    other.tokenize = lambda texts: [tok.tokenize(t.upper() + " x", 256) for t in texts]
    with pytest.raises(parity_gate.ParityError, match="token ids differ"):
        ep.checked_model(config, weights, cfg_path, tok, other, out=lambda *a: None)


def test_the_command_writes_a_wordpiece_bundle(tmp_path):
    (tmp_path / "ckpt").mkdir()
    checkpoint(tmp_path / "ckpt")
    out = tmp_path / "bundle"
    res = subprocess.run([sys.executable, os.path.join(HERE, "export_panderm.py"), "--local", str(tmp_path / "ckpt"),
                          "--no-parity-gate", "--out", str(out), "--id", "panderm-local"], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    m = json.load(open(out / "manifest.json"))
    assert m["architecture"] == "PanDerm-base-w-PubMed-256" and m["source"] == {"kind": "open_clip", "local": "ckpt",
                                                                                  "config": "open_clip_config.json"}
    assert m["tokenizer"] == {"kind": "wordpiece", "file": "tokenizer.json", "contextLength": 256, "padId": 0,
                              "startId": 2, "endId": 3, "clean": "whitespace"}
    assert "references" not in m and m["variants"]["int8"]["fidelity"]["text"] > 0.999
    res = subprocess.run([sys.executable, os.path.join(HERE, "export_panderm.py"), "--local", str(tmp_path / "ckpt"),
                          "--out", str(tmp_path / "refused")], capture_output=True, text=True)
    assert res.returncode != 0 and "export refused" in res.stderr and not (tmp_path / "refused").exists()
