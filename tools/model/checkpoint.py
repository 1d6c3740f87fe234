"""A model's checkpoint in the two formats the open_clip hub ships, laid out exactly as they are.

  /usr/bin/python3 tools/model/checkpoint.py --size tiny --out DIR [--seed 0] [--dtype fp32|fp16|bf16]
  /usr/bin/python3 tools/model/checkpoint.py --arch panderm --size tiny --out DIR [--seed 0] [--dtype ...]

writes DIR/open_clip_pytorch_model.bin (`torch.save(model.state_dict())`: torch's zip format,
data.pkl + data/N storages), DIR/open_clip_model.safetensors (the safetensors layout: 8-byte
little-endian header length, JSON header, raw little-endian tensors; written here without the
safetensors package, which Debian lacks) and DIR/open_clip_config.json (the fixture's config,
verbatim). Key names are open_clip's: model.py's module has open_clip's parameter names. The
in-browser converter (src/core/convert/) reads both; its tests use these files. fp16 and bf16
checkpoints (as some uploads are) exist for the reader's widening tests.

--arch panderm: the DermLIP-PanDerm fixture (tools/model/configs/panderm-<size>.json, the module of
panderm.py with the Derm1M fork's parameter names), the same two checkpoint files and config, plus
what the text model's hub repo gives (export_panderm.py --local DIR reads them from DIR/text/):
DIR/text/config.json (the BERT config the fixture stands for) and DIR/text/tokenizer.json (the
fixture's WordPiece tokenizer, the bytes its bundle ships).
"""
import argparse
import copy
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import model as model_mod  # noqa: E402
import openclip_config  # noqa: E402
import panderm  # noqa: E402
import panderm_bundle  # noqa: E402
import panderm_config  # noqa: E402

TORCH_NAME = "open_clip_pytorch_model.bin"
SAFETENSORS_NAME = "open_clip_model.safetensors"
CONFIG_NAME = "open_clip_config.json"
DTYPES = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}
# safetensors' dtype names, and its order for laying tensors out (larger alignment first, then name)
ST_NAMES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
            torch.int32: "I32", torch.float64: "F64", torch.uint8: "U8", torch.int8: "I8", torch.bool: "BOOL"}
ST_RANK = {"F64": 0, "I64": 1, "F32": 2, "I32": 3, "BF16": 4, "F16": 5, "U8": 6, "I8": 7, "BOOL": 8}


def state_dict(model, dtype=torch.float32):
    """The module's own state_dict() (an OrderedDict with open_clip's names and torch's `_metadata`),
    of a copy cast to dtype as `model.to(dtype)` does."""
    return (copy.deepcopy(model).to(dtype) if dtype != torch.float32 else model).state_dict()


def safetensors_bytes(sd, metadata=None):
    """The safetensors file of a {name: tensor} dict: tensors sorted as the safetensors library
    does (by dtype, then name), packed without gaps; header JSON without spaces, padded with
    spaces to a multiple of 8 bytes; `__metadata__` first when given."""
    items = sorted(sd.items(), key=lambda kv: (ST_RANK[ST_NAMES[kv[1].dtype]], kv[0]))
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset, blobs = 0, []
    for name, t in items:
        raw = t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": ST_NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-len(text)) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def write(model, out_dir, config_bytes, dtype="fp32"):
    """Both checkpoint files and the config; returns their paths."""
    os.makedirs(out_dir, exist_ok=True)
    sd = state_dict(model, DTYPES[dtype])
    paths = {name: os.path.join(out_dir, name) for name in (TORCH_NAME, SAFETENSORS_NAME, CONFIG_NAME)}
    torch.save(sd, paths[TORCH_NAME])
    with open(paths[SAFETENSORS_NAME], "wb") as f:
        f.write(safetensors_bytes(sd, {"format": "pt"}))
    with open(paths[CONFIG_NAME], "wb") as f:
        f.write(config_bytes)
    return paths


def write_panderm_text(config, out_dir):
    """DIR/text/config.json and DIR/text/tokenizer.json: the fixture's stand-ins for the text
    model's hub files (its BERT config.json and tokenizer.json); returns their paths."""
    text_dir = os.path.join(out_dir, "text")
    os.makedirs(text_dir, exist_ok=True)
    paths = {"config.json": os.path.join(text_dir, "config.json"), "tokenizer.json": os.path.join(text_dir, "tokenizer.json")}
    with open(paths["config.json"], "w", encoding="utf-8") as f:
        json.dump(config["fixture"]["hf_text_config"], f, indent=2)
        f.write("\n")
    with open(paths["tokenizer.json"], "wb") as f:
        f.write(panderm_bundle.fixture_tokenizer().json_bytes())
    return paths


def panderm_fixture(size, seed):
    """(module, config bytes, parsed config) of a PanDerm fixture, as fixture.py --arch panderm builds it."""
    with open(panderm_config.fixture_path(size), "rb") as f:
        config_bytes = f.read()
    config = json.loads(config_bytes.decode("utf-8"))
    return panderm.build(panderm_config.parse(config).model, seed), config_bytes, config


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", choices=["b16", "panderm"], default="b16")
    ap.add_argument("--size", choices=sorted(set(openclip_config.fixture_names()) | set(panderm_config.fixture_sizes())),
                    default="tiny")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="fp32")
    ap.add_argument("--out", required=True)
    ap.add_argument("--distinct", action="store_true",
                    help="no two tensors equal (LayerNorm weights perturbed), as in a trained checkpoint: "
                         "the toolchain then exports exactly the converter's real-size graphs (benchmarks)")
    args = ap.parse_args()
    if args.arch == "panderm":
        if args.size not in panderm_config.fixture_sizes() or args.distinct:
            sys.exit(f"--arch panderm: --size one of {', '.join(panderm_config.fixture_sizes())}, without --distinct")
        model, config_bytes, config = panderm_fixture(args.size, args.seed)
        paths = {**write(model, args.out, config_bytes, args.dtype), **write_panderm_text(config, args.out)}
        for path in paths.values():
            print(f"{path} {os.path.getsize(path)} bytes")
        return
    if args.size not in openclip_config.fixture_names():
        sys.exit(f"--size must be one of {', '.join(openclip_config.fixture_names())} (or --arch panderm)")
    with open(openclip_config.fixture_path(args.size), "rb") as f:
        config_bytes = f.read()
    spec = openclip_config.parse(json.loads(config_bytes.decode("utf-8")))
    model = model_mod.build(spec.model, args.seed)
    if args.distinct:
        import convert_assets
        convert_assets.distinct_weights(model, args.seed)
    for name, path in write(model, args.out, config_bytes, args.dtype).items():
        print(f"{path} {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
