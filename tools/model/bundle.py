"""Writes a model bundle (docs/bundle-format.md) from a model.DermLIP module.

Shared by fixture.py (seeded random weights) and export_hub.py (real open_clip weights).
Output is byte-identical across runs: no timestamps, fixed JSON formatting.
"""
import hashlib
import json
import math
import os
import shutil
import time
from dataclasses import dataclass

import numpy as np
import torch

import export
import openclip_config
import ort_node
import prompts as prompts_mod
import quantize
import references as references_mod
import tokenizer as tokenizer_mod

VARIANT_FEATURES = {"fp32": [], "fp16": ["shader-f16"], "int8": [], "q4": []}


@dataclass
class Arch:
    """What differs between the architectures a bundle can hold (B/16 CLIP, PanDerm)."""
    architecture: str          # manifest `architecture`
    model_record: dict         # manifest `model`
    tokenizer: object          # tokenize(text, context_length), json_bytes(), manifest(context_length)
    example_ids: list          # the text export's trace input (ids in the vocabulary, some padding)
    ref_prompts: list          # the reference prompts


class ClipTokenizer(tokenizer_mod.SimpleTokenizer):
    """open_clip's SimpleTokenizer with what a bundle needs of a tokenizer."""

    def json_bytes(self):
        return tokenizer_mod.tokenizer_json_bytes()

    def manifest(self, context_length):
        return {"kind": "clip-bpe", "file": "tokenizer.json", "contextLength": context_length,
                "padId": tokenizer_mod.PAD, "startId": tokenizer_mod.START, "endId": tokenizer_mod.END,
                "clean": "open_clip"}


def clip_arch(cfg):
    return Arch("ViT-B-16" + ("-quickgelu" if cfg.quick_gelu else ""),  # open_clip's naming
                openclip_config.manifest_model(cfg), ClipTokenizer(), export.CLIP_EXAMPLE_IDS,
                references_mod.PROMPTS)


def _json_bytes(obj, indent=None):
    sep = (",", ":") if indent is None else (",", ": ")
    return (json.dumps(obj, ensure_ascii=False, indent=indent, separators=sep) + "\n").encode("utf-8")


def text_embeddings(model, tok, texts, batch=256, onnx_path=None, pad_id=0):
    """L2-normalised fp32 text features of texts, batched by token length, each batch cut to its
    longest prompt (the causal mask, or BERT's padding mask, makes this equal to full padding).

    With onnx_path, the fp32 ONNX text tower runs them in onnxruntime-node instead of torch (for
    the full-size model on machines whose torch has a slow reference BLAS)."""
    ids = torch.tensor([tok.tokenize(t, model.cfg.context_length) for t in texts], dtype=torch.int64)
    lengths = (ids != pad_id).sum(1)
    order = sorted(range(len(texts)), key=lambda i: (int(lengths[i]), i))
    out = np.zeros((len(texts), model.cfg.embed_dim), np.float32)
    batches = [order[i:i + batch] for i in range(0, len(order), batch)]
    cut = [ids[rows, :int(lengths[rows].max())] for rows in batches]
    if onnx_path:
        results = ort_node.run([(onnx_path, "input_ids", x.numpy()) for x in cut])
        feats = [torch.from_numpy(y) for y, _ in results]
    else:
        with torch.no_grad():
            feats = [model.encode_text(x) for x in cut]
    for rows, e in zip(batches, feats):
        out[rows] = torch.nn.functional.normalize(e, dim=-1).numpy()
    return out


def _cos(a, b):
    return (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


def check_variants(out_dir, variants, inputs):
    """Run every variant with onnxruntime-node; print min cosine vs torch fp32 and timings."""
    jobs, refs = [], []
    for v in variants:
        jobs.append((os.path.join(out_dir, f"image.{v}.onnx"), "pixel_values", inputs["pixel_values"]))
        refs.append(inputs["image_embeds"])
        jobs.append((os.path.join(out_dir, f"text.{v}.onnx"), "input_ids", inputs["input_ids"]))
        refs.append(inputs["text_embeds"])
    result = {}
    for (path, _, x), ref, (y, ms) in zip(jobs, refs, ort_node.run(jobs)):
        c = float(_cos(y, ref).min())
        result[os.path.basename(path)] = c
        print(f"  {os.path.basename(path):18s} min cos {c:.7f}  ort-node {ms:8.1f} ms (batch {x.shape[0]})")
    return result


CONFIG_FILE = "open_clip_config.json"


def write_bundle(model, out_dir, meta, spec, config_bytes, with_references, seed=0, check=True,
                 embed_backend="torch", arch=None):
    """meta: id, name, demo, license, source. spec: the openclip_config.Spec the model was built
    from; config_bytes: that open_clip_config.json verbatim (shipped in the bundle as provenance).
    embed_backend: torch | ort (text embeddings only). arch: Arch (default: B/16's, clip_arch).
    Returns the manifest dict."""
    arch = arch or clip_arch(model.cfg)
    if spec.model != model.cfg:
        raise ValueError("the module was not built from this spec's model config")
    t_all = time.time()
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    files = {}

    def put(rel, data):
        files[rel] = data
        path = os.path.join(out_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    t = time.time()
    towers = {"image": export.export_image(model), "text": export.export_text(model, arch.example_ids)}
    print(f"export: {time.time() - t:.1f} s", flush=True)
    for v, fn in quantize.VARIANTS.items():
        t = time.time()
        for tower, proto in towers.items():
            graph, data = export.split_external(fn(proto), f"{tower}.{v}.onnx.data")
            put(f"{tower}.{v}.onnx", graph)
            put(f"{tower}.{v}.onnx.data", data)
        print(f"variant {v}: {time.time() - t:.1f} s", flush=True)
    del towers

    put(CONFIG_FILE, config_bytes)
    tok = arch.tokenizer
    tok_record = tok.manifest(model.cfg.context_length)
    put(tok_record["file"], tok.json_bytes())
    texts = prompts_mod.build_prompts()
    put("prompts.json", _json_bytes({"prompts": texts}, indent=0))
    t = time.time()
    onnx_path = os.path.join(out_dir, "text.fp32.onnx") if embed_backend == "ort" else None
    emb = text_embeddings(model, tok, texts, onnx_path=onnx_path, pad_id=tok_record["padId"])
    put("text-embeddings.f16.bin", emb.astype("<f2").tobytes())
    print(f"text embeddings ({embed_backend}): {len(texts)} prompts, {time.time() - t:.1f} s", flush=True)

    inputs = None
    if with_references or check:
        t = time.time()
        ref_files, refs, inputs = references_mod.build(model, tok, spec.preprocess, seed, arch.ref_prompts)
        if with_references:
            for rel, data in ref_files.items():
                put(rel, data)
            put("references/references.json", _json_bytes(refs))
        print(f"references: {time.time() - t:.1f} s", flush=True)
    # Each variant's worst cosine to this fp32 PyTorch module, measured with onnxruntime-node on the
    # reference images and prompts; the app shows it in its model panel.
    fidelity = check_variants(out_dir, list(quantize.VARIANTS), inputs) if check else {}
    measured_with = (f"onnxruntime-node on {len(inputs['pixel_values'])} reference images and "
                     f"{len(inputs['input_ids'])} prompts, vs PyTorch fp32") if fidelity else ""

    cfg = model.cfg
    manifest = {
        "schemaVersion": 1,
        "id": meta["id"],
        "name": meta["name"],
        "demo": meta["demo"],
        "license": meta["license"],
        "source": {**meta["source"], "config": CONFIG_FILE},
        "architecture": arch.architecture,
        "model": arch.model_record,
        "embedDim": cfg.embed_dim,
        "logitScale": 100,
        "modelLogitScale": round(math.exp(float(model.logit_scale)), 4),
        "image": {**spec.preprocess.manifest(), "input": "pixel_values", "output": "image_embeds"},
        "text": {"input": "input_ids", "output": "text_embeds", "dynamicLength": True},
        "tokenizer": tok_record,
        "variants": {v: {"image": f"image.{v}.onnx", "imageData": f"image.{v}.onnx.data",
                         "text": f"text.{v}.onnx", "textData": f"text.{v}.onnx.data", "dtype": v,
                         "requiredFeatures": VARIANT_FEATURES[v],
                         **({"fidelity": {"image": round(fidelity[f"image.{v}.onnx"], 6),
                                          "text": round(fidelity[f"text.{v}.onnx"], 6),
                                          "measuredWith": measured_with}} if fidelity else {})}
                     for v in quantize.VARIANTS},
        "textEmbeddings": {"file": "text-embeddings.f16.bin", "prompts": "prompts.json",
                           "dtype": "float16", "count": len(texts), "sourceVariant": "fp32",
                           "normalized": True},
    }
    if with_references:
        manifest["references"] = "references/references.json"
    manifest["files"] = {rel: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                         for rel, data in sorted(files.items())}
    with open(os.path.join(out_dir, "manifest.json"), "wb") as f:
        f.write(_json_bytes(manifest, indent=2))

    total = sum(len(d) for d in files.values())
    for rel, data in sorted(files.items()):
        if not rel.startswith("references/"):
            print(f"  {rel:26s} {len(data) / 1e6:9.3f} MB")
    print(f"total {total / 1e6:.2f} MB in {len(files) + 1} files; {time.time() - t_all:.1f} s")
    return manifest
