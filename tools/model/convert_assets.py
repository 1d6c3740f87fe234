"""What the in-browser converter (src/core/convert/) ships per architecture: every variant's ONNX
graphs without their weights, and a layout.json that says how to write each weight from a checkpoint.

  /usr/bin/python3 tools/model/convert_assets.py all|vit-b-16|vit-b-16-quickgelu|panderm-base|demo-tiny|demo-tiny-gelu|demo-panderm-tiny [--check-seed 1]

writes public/convert/<arch>/ (gzipped). A fixture's files are also checked against its committed
bundle (public/models/<arch>/): the layout must give them back byte for byte.

For each tower and variant (the files bundle.py writes: <tower>.<v>.onnx + <tower>.<v>.onnx.data):
- the graph file with every weight-derived byte zeroed (a "skeleton": the structure only);
- for each initializer, where its bytes go (the data file at an offset, or the graph file itself
  at the offset of its raw_data, for the small ones kept inline) and how they are made from the
  state dict: the open_clip key, transposed or not, and the recipe: f32 (as is), f16 (round to
  nearest even), int8 per column (q, scale), int8 per row of a Gather table (q, scale) or 4-bit
  blocks (packed, scales, zero points), exactly as quantize.py makes them.

Nothing is assumed: each initializer's source is found by comparing values with the state dict,
each recipe is found by recomputing it and comparing bytes, and the whole layout is replayed at
the end (skeleton + layout + state dict must give back the toolchain's files byte for byte).
torch's exporter merges initializers of equal value: a merged group is listed in `equal`, and the
converter refuses a checkpoint whose tensors in a group differ. It also folds a few expressions of
state-dict tensors into one initializer (DermLIP-PanDerm: CAE's qkv bias cat(q_bias, zeros,
v_bias), BERT's token-type row 0): those are listed in `derived` (name -> parts: a tensor, a row of
a tensor, or zeros), found by value like the others, and written from their parts. The real-size assets are exported
from a model whose every tensor differs (no merging), as any trained checkpoint's do.
"""
import argparse
import gzip
import hashlib
import json
import os
import sys
import time

import numpy as np
import onnx
import torch
from onnx import TensorProto, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import export  # noqa: E402
import model as model_mod  # noqa: E402
import openclip_config  # noqa: E402
import panderm  # noqa: E402
import panderm_bundle  # noqa: E402
import panderm_config  # noqa: E402
import quantize  # noqa: E402
import tokenizer as tokenizer_mod  # noqa: E402

FORMAT = 1
TOWERS = ("image", "text")
DTYPE_NAMES = {TensorProto.FLOAT: "float32", TensorProto.FLOAT16: "float16", TensorProto.INT8: "int8",
               TensorProto.UINT8: "uint8"}


# ---------------------------------------------------------------- protobuf: where raw_data lies

def _varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, i
        shift += 7


def _fields(buf, start, end):
    """(field number, wire type, value start, value end) of each field of one message."""
    i = start
    while i < end:
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, j = _varint(buf, i)
        elif wire == 1:
            j = i + 8
        elif wire == 5:
            j = i + 4
        elif wire == 2:
            n, i = _varint(buf, i)
            j = i + n
        else:
            raise ValueError(f"protobuf wire type {wire} not expected in an ONNX model")
        yield field, wire, i, j
        i = j


def inline_raw_data(graph_bytes):
    """{initializer name: (offset, length)} of every initializer's raw_data in a serialized
    ModelProto (ModelProto.graph = 7, GraphProto.initializer = 5, TensorProto.name = 8, raw_data = 9)."""
    out = {}
    for f, w, a, b in _fields(graph_bytes, 0, len(graph_bytes)):
        if f != 7 or w != 2:
            continue
        for g, gw, ga, gb in _fields(graph_bytes, a, b):
            if g != 5 or gw != 2:
                continue
            name, raw = None, None
            for t, tw, ta, tb in _fields(graph_bytes, ga, gb):
                if t == 8 and tw == 2:
                    name = graph_bytes[ta:tb].decode("utf-8")
                elif t == 9 and tw == 2:
                    raw = (ta, tb - ta)
            if raw is not None:
                out[name] = raw
    return out


# ---------------------------------------------------------------- recipes (quantize.py's)

def source_matrix(sd, key, transpose):
    a = sd[key]
    return np.ascontiguousarray(a.T) if transpose else a


def apply_recipe(recipe, src):
    """The bytes of one initializer from its source tensor (float32), as quantize.py makes them."""
    if recipe == "f32":
        return src.astype("<f4").tobytes()
    if recipe == "f16":
        return src.astype("<f2").tobytes()
    family, part = recipe.split(".")
    if family == "int8col":
        q, s = quantize.quantize_int8_columns(src)
    elif family == "int8row":
        q, s = quantize.quantize_int8_rows(src)
    elif family == "q4":
        packed, scales, zps = quantize.quantize_q4_blocks(src)
        return {"packed": packed, "scales": scales, "zp": zps}[part].tobytes()
    else:
        raise ValueError(f"unknown recipe {recipe}")
    return (q if part == "q" else s).tobytes()


CANDIDATES = {  # initializer name suffix -> recipes to try on the fp32 initializer it was made from
    "_int8": ("int8col.q", "int8row.q"),
    "_scale": ("int8col.scale", "int8row.scale"),
    "_q4": ("q4.packed",),
    "_scales": ("q4.scales",),
    "_zp": ("q4.zp",),
}


# ---------------------------------------------------------------- sources of the fp32 graph

MAX_ROWS = 16  # rows of tables this small are candidates for a folded `table[i]`


def derived_candidates(sd):
    """{name: parts} of the expressions torch's exporter folds into one initializer: CAE's attention
    bias cat(q_bias, zeros like k, v_bias), and each row of a small 2-D table (BERT's token-type
    embedding row 0). A part: {"key": k} (the whole tensor, flattened), {"key": k, "row": i} or
    {"zeros": n}."""
    out = {}
    for k, a in sd.items():
        if k.endswith(".q_bias") and k[:-6] + "v_bias" in sd:
            prefix = k[:-len("q_bias")]
            out[prefix + "qkv_bias"] = [{"key": k}, {"zeros": int(a.size)}, {"key": prefix + "v_bias"}]
        elif a.ndim == 2 and a.shape[0] <= MAX_ROWS:
            for i in range(a.shape[0]):
                out[f"{k}[{i}]"] = [{"key": k, "row": i}]
    return out


def derive(sd, parts):
    """The float32 values of a derived tensor from its parts (as the converter computes them)."""
    pieces = []
    for p in parts:
        if "zeros" in p:
            pieces.append(np.zeros(p["zeros"], np.float32))
        elif "row" in p:
            pieces.append(np.asarray(sd[p["key"]][p["row"]], np.float32).reshape(-1))
        else:
            pieces.append(np.asarray(sd[p["key"]], np.float32).reshape(-1))
    return np.concatenate(pieces)


def with_derived(sd, derived):
    return {**sd, **{name: derive(sd, parts) for name, parts in derived.items()}}


def fp32_sources(proto, sd, derived=None):
    """{fp32 initializer name: (key, transpose, [equal keys])}: which state-dict tensor each float
    initializer holds (as is, reshaped, or transposed), found by value; one that is none of them
    may be a derived tensor (derived_candidates), recorded in `derived` (a dict, filled here)."""
    by_size = {}
    for k, a in sd.items():
        by_size.setdefault(a.size, []).append(k)
    candidates = None
    out = {}
    for t in proto.graph.initializer:
        if t.data_type != TensorProto.FLOAT:
            continue
        v = numpy_helper.to_array(t)
        matches = []
        for k in by_size.get(v.size, []):
            a = sd[k]
            if np.array_equal(a.reshape(v.shape), v):
                matches.append((k, False))
            elif a.ndim == 2 and v.ndim == 2 and a.shape == v.shape[::-1] and np.array_equal(a.T, v):
                matches.append((k, True))
        if not matches and derived is not None:
            if candidates is None:
                candidates = derived_candidates(sd)
            for name, parts in candidates.items():
                d = derive(sd, parts)
                if d.size == v.size and np.array_equal(d.reshape(v.shape), v):
                    derived[name] = parts
                    matches.append((name, False))
        if not matches:
            raise ValueError(f"initializer {t.name} {list(t.dims)} matches no state-dict tensor")
        if len({tr for _, tr in matches}) > 1:
            raise ValueError(f"initializer {t.name} matches tensors both as is and transposed: {matches}")
        # The key the exporter named it after, when it did; else the first by name.
        named = [m for m in matches if t.name == "model." + m[0]]
        key, tr = (named or sorted(matches))[0]
        out[t.name] = (key, tr, sorted(k for k, _ in matches if k != key))
    return out


def _tensor_bytes(t, data):
    if t.data_location == TensorProto.EXTERNAL:
        ext = {e.key: e.value for e in t.external_data}
        off, n = int(ext["offset"]), int(ext["length"])
        return data[off:off + n], ("data", off, n)
    return t.raw_data, None


def writes_for(graph_bytes, data_bytes, sources, sd):
    """The layout entries of one variant of one tower: (graph writes, data writes, skeleton bytes)."""
    proto = onnx.ModelProto.FromString(graph_bytes)
    inline = inline_raw_data(graph_bytes)
    skeleton = bytearray(graph_bytes)
    graph_w, data_w = [], []
    for t in proto.graph.initializer:
        raw, where = _tensor_bytes(t, data_bytes)
        src_name, recipes = t.name, None
        if t.name in sources:
            recipes = ("f32",) if t.data_type == TensorProto.FLOAT else ("f16",) if t.data_type == TensorProto.FLOAT16 else ()
        else:
            for suffix, options in CANDIDATES.items():
                if t.name.endswith(suffix) and t.name[:-len(suffix)] in sources:
                    src_name, recipes = t.name[:-len(suffix)], options
                    break
        if recipes is None:
            if t.data_type in (TensorProto.FLOAT, TensorProto.FLOAT16):
                raise ValueError(f"initializer {t.name} is float but made from no state-dict tensor")
            continue  # a constant of the graph (shapes, indices): stays in the skeleton
        key, tr, _ = sources[src_name]
        src = source_matrix(sd, key, tr).astype(np.float32)
        recipe = next((r for r in recipes if apply_recipe(r, src) == bytes(raw)), None)
        if recipe is None:
            raise ValueError(f"initializer {t.name}: no recipe among {recipes} reproduces its bytes")
        entry = {"name": t.name, "key": key, "transpose": tr, "recipe": recipe,
                 "dtype": DTYPE_NAMES[t.data_type], "dims": list(t.dims)}
        if where:
            data_w.append({**entry, "offset": where[1], "length": where[2]})
        else:
            off, n = inline[t.name]
            skeleton[off:off + n] = bytes(n)
            graph_w.append({**entry, "offset": off, "length": n})
    return graph_w, data_w, bytes(skeleton)


def _sha(b):
    return hashlib.sha256(b).hexdigest()


def build(model, example_ids=None):
    """(layout dict, {file name: skeleton bytes}, {file name: toolchain bytes}) of a module.
    example_ids: the text export's trace input (bundle.Arch.example_ids; CLIP's by default)."""
    sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    towers = {"image": export.export_image(model), "text": export.export_text(model, example_ids)}
    files, skeletons, originals, equal, derived = [], {}, {}, [], {}
    for tower, proto in towers.items():
        sources = fp32_sources(proto, sd, derived)
        sd_all = with_derived(sd, derived)
        equal += [[key, *same] for key, _, same in sources.values() if same]
        for v, fn in quantize.VARIANTS.items():
            gname, dname = f"{tower}.{v}.onnx", f"{tower}.{v}.onnx.data"
            graph, data = export.split_external(fn(proto), dname)
            gw, dw, skeleton = writes_for(graph, data, sources, sd_all)
            skeletons[gname], originals[gname], originals[dname] = skeleton, graph, data
            files.append({"name": gname, "kind": "graph", "bytes": len(graph), "skeletonSha256": _sha(skeleton), "writes": gw})
            files.append({"name": dname, "kind": "data", "bytes": len(data), "writes": dw})
    cfg = model.cfg
    if isinstance(cfg, panderm.PanDermConfig):
        architecture, record = panderm.DermLIPPanDerm.ARCHITECTURE, panderm_config.manifest_model(cfg)
    else:
        architecture, record = "ViT-B-16" + ("-quickgelu" if cfg.quick_gelu else ""), openclip_config.manifest_model(cfg)
    layout = {
        "format": FORMAT,
        "architecture": architecture,
        "model": record,
        "tensors": {k: list(a.shape) for k, a in sd.items()},
        "equal": sorted(equal),
        "files": files,
    }
    if derived:
        layout["derived"] = {k: derived[k] for k in sorted(derived)}
    replay(layout, skeletons, sd, originals)
    return layout, skeletons, originals


def replay(layout, skeletons, sd, expected):
    """Write every file from skeleton + layout + state dict, as the converter does; compare."""
    sd = with_derived(sd, layout.get("derived", {}))
    for f in layout["files"]:
        buf = bytearray(skeletons[f["name"]]) if f["kind"] == "graph" else bytearray(f["bytes"])
        for w in f["writes"]:
            b = apply_recipe(w["recipe"], source_matrix(sd, w["key"], w["transpose"]).astype(np.float32))
            if len(b) != w["length"]:
                raise AssertionError(f"{f['name']}: {w['name']} makes {len(b)} bytes, layout says {w['length']}")
            buf[w["offset"]:w["offset"] + w["length"]] = b
        if bytes(buf) != expected[f["name"]]:
            raise AssertionError(f"replaying the layout does not give {f['name']} back")


def distinct_weights(model, seed):
    """Make every tensor's values differ from every other's (LayerNorm weights are all ones in a
    fresh fixture, and torch's exporter would merge them): the real-size graphs must not merge."""
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if name.endswith("weight") and ("ln_" in name):
                p.add_(torch.randn(p.shape, generator=g) * 0.02)
    return model


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_ROOT = os.path.join(REPO, "public", "convert")
# The architectures the app converts, by asset folder name: the open_clip_config.json model_cfg the
# graphs are exported from, and whether the model must have distinct tensors (real sizes: no
# merged initializers) or is a committed fixture (seed 0, checked against its bundle).
VIT_B_16 = os.path.join(REPO, "data", "derm1m", "model_configs", "ViT-B-16.json")
ARCHS = {
    "vit-b-16": {"model_cfg": (VIT_B_16, {"quick_gelu": False}), "distinct": True},
    "vit-b-16-quickgelu": {"model_cfg": (VIT_B_16, {"quick_gelu": True}), "distinct": True},
    "demo-tiny": {"fixture": "tiny"},
    "demo-tiny-gelu": {"fixture": "tiny-gelu"},
    "demo-panderm-tiny": {"fixture": "tiny", "panderm": True},
    # DermLIP-PanDerm at its real size: the fork's config and the BERT config.json of its text model
    # (neuml/pubmedbert-base-embeddings, as panderm-full.json records it). Its seeded random weights
    # already differ tensor by tensor (panderm.init_random), so nothing merges.
    "panderm-base": {"panderm_cfg": (os.path.join(REPO, "data", "derm1m", "model_configs", "PanDerm-base-w-PubMed-256.json"),
                                     os.path.join(REPO, "tools", "model", "configs", "panderm-full.json"))},
}


def arch_example_ids(name):
    """The text export's trace input the architecture's bundle was exported with (bundle.Arch): for
    PanDerm, the fixture vocabulary's [CLS] a b a b [SEP] [PAD] pattern (the graph depends on its
    shape only: a real tokenizer's ids give the same graph bytes)."""
    if ARCHS[name].get("panderm") or "panderm_cfg" in ARCHS[name]:
        model = arch_model(name)
        return panderm_bundle.arch(model.cfg, panderm_bundle.fixture_tokenizer()).example_ids
    return None


def arch_model(name, seed=0):
    a = ARCHS[name]
    if a.get("panderm"):
        return panderm.build(panderm_config.load_fixture(a["fixture"]).model, seed)
    if "panderm_cfg" in a:
        model_cfg_path, full_path = a["panderm_cfg"]
        with open(model_cfg_path, encoding="utf-8") as f, open(full_path, encoding="utf-8") as g:
            model_cfg, bert = json.load(f), json.load(g)["fixture"]["hf_text_config"]
        return panderm.build(panderm_config.parse({"model_cfg": model_cfg}, bert).model, seed)
    if "fixture" in a:
        config = openclip_config.load(openclip_config.fixture_path(a["fixture"]))
        return model_mod.build(config.model, seed)
    path, extra = a["model_cfg"]
    with open(path, encoding="utf-8") as f:
        model_cfg = {**json.load(f), **extra}
    model = model_mod.build(openclip_config.parse({"model_cfg": model_cfg}).model, seed)
    return distinct_weights(model, seed) if a["distinct"] else model


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def layout_bytes(layout):
    return (json.dumps(layout, separators=(",", ":")) + "\n").encode("utf-8")


def write(out_dir, layout, skeletons):
    """Everything gzipped (the graphs are mostly names and zeros: 1.8 MB -> 0.15 MB at ViT-B/16)."""
    os.makedirs(out_dir, exist_ok=True)
    for name in os.listdir(out_dir):
        os.remove(os.path.join(out_dir, name))
    for name, data in {**skeletons, "layout.json": layout_bytes(layout)}.items():
        with open(os.path.join(out_dir, name + ".gz"), "wb") as f:
            f.write(gz(data))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("arch", nargs="+", choices=sorted(ARCHS) + ["all"])
    ap.add_argument("--out-root", default=OUT_ROOT)
    ap.add_argument("--check-seed", type=int,
                    help="also build from this seed and require the same graphs and layout (nothing "
                         "of the weights is left in them)")
    args = ap.parse_args()
    # The CLIP BPE tokenizer.json every converted bundle ships (the same bytes bundle.py writes).
    os.makedirs(args.out_root, exist_ok=True)
    with open(os.path.join(args.out_root, "tokenizer.json.gz"), "wb") as f:
        f.write(gz(tokenizer_mod.tokenizer_json_bytes()))
    for name in sorted(ARCHS) if "all" in args.arch else args.arch:
        t = time.time()
        model = arch_model(name)
        layout, skeletons, originals = build(model, arch_example_ids(name))
        bundle_dir = os.path.join(REPO, "public", "models", name)
        if "fixture" in ARCHS[name]:
            for fname, data in originals.items():
                with open(os.path.join(bundle_dir, fname), "rb") as f:
                    if f.read() != data:
                        raise SystemExit(f"{name}: {fname} differs from {bundle_dir}/{fname}")
        if args.check_seed is not None:
            other, other_sk, _ = build(arch_model(name, args.check_seed), arch_example_ids(name))
            if other != layout or other_sk != skeletons:
                raise SystemExit(f"{name}: graphs or layout change with the seed: weights leaked into them")
        write(os.path.join(args.out_root, name), layout, skeletons)
        total = sum(len(s) for s in skeletons.values())
        print(f"{name}: {len(skeletons)} graphs ({total / 1e3:.0f} kB), "
              f"{sum(len(f['writes']) for f in layout['files'])} writes, {len(layout['equal'])} equal groups, "
              f"{time.time() - t:.1f} s", flush=True)


if __name__ == "__main__":
    main()
